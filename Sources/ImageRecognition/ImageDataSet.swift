import CoreIO
import TensorCore

/// Labelled images: an NCHW batch and one class label per image.
public struct ImageDataSet: Sendable, Equatable {
    /// The images, `[N, C, H, W]`.
    public var images: Tensor
    /// The class of each image, in `0..<classCount`.
    public var labels: [Int]
    /// The number of classes.
    public var classCount: Int

    /// - Precondition: `images` has rank 4 and one label per image.
    public init(images: Tensor, labels: [Int], classCount: Int) {
        precondition(images.rank == 4 && images.shape[0] == labels.count,
                     "An image data set needs [N, C, H, W] images and N labels; got \(images.shape) and \(labels.count).")
        self.images = images
        self.labels = labels
        self.classCount = classCount
    }

    /// N.
    public var count: Int { labels.count }
    /// `[C, H, W]`, the shape of one image.
    public var imageShape: [Int] { Array(images.shape.dropFirst()) }

    /// The examples `indices`, in that order.
    public func selecting(_ indices: [Int]) -> ImageDataSet {
        ImageDataSet(images: images.selecting(indices), labels: labels.selecting(indices), classCount: classCount)
    }

    /// A seeded random split: the examples are shuffled with `SplitMix64(seed:)` and the first
    /// `round(trainingFraction · N)` go to training, the rest to test.
    /// - Throws: ``ImageRecognitionError/invalidSetting(name:value:requirement:)`` unless the
    ///   fraction is in (0, 1) and leaves at least one example on each side.
    public func split(trainingFraction: Double = 0.8, seed: UInt64) throws(ImageRecognitionError)
        -> (training: ImageDataSet, test: ImageDataSet) {
        guard trainingFraction > 0, trainingFraction < 1 else {
            throw .invalidSetting(name: "training fraction", value: "\(trainingFraction)", requirement: "in (0, 1)")
        }
        let trainingCount = Int((trainingFraction * Double(count)).rounded())
        guard trainingCount >= 1, trainingCount < count else {
            throw .invalidSetting(name: "training fraction", value: "\(trainingFraction)",
                                  requirement: "one that leaves at least one of the \(count) examples for training and one for test")
        }
        var generator = SplitMix64(seed: seed)
        let order = Array(0..<count).shuffled(using: &generator)
        return (selecting(Array(order[..<trainingCount])), selecting(Array(order[trainingCount...])))
    }
}

/// How an image CSV file is laid out: per line, `channels · height · width` pixel values in
/// `0...maximumPixel` (NCHW order within the image), then the label `0..<classCount`.
public struct ImageCSVFormat: Sendable, Equatable {
    public var channels: Int
    public var height: Int
    public var width: Int
    /// The largest pixel value; pixels are scaled by `1 / maximumPixel` to 0...1.
    public var maximumPixel: Double
    public var classCount: Int

    public init(channels: Int, height: Int, width: Int, maximumPixel: Double, classCount: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        self.maximumPixel = maximumPixel
        self.classCount = classCount
    }

    /// The UCI handwritten digits as scikit-learn ships them: 8x8 grey pixels 0...16, labels 0...9.
    public static let digits = ImageCSVFormat(channels: 1, height: 8, width: 8, maximumPixel: 16, classCount: 10)

    /// Pixels per image.
    public var pixelCount: Int { channels * height * width }
}

/// The UCI handwritten digits (Alpaydin & Kaynak 1998; 1,797 images of 8x8 pixels, CC BY 4.0),
/// read from `digits.csv.gz` (or an uncompressed CSV) and scaled to 0...1.
public enum DigitsDataSet {
    /// Where the toolkit's shared data keeps the file, relative to a worktree.
    public static let defaultPath = "../shared/data/images/digits.csv.gz"
    /// The largest decompressed file accepted (the digits are 0.3 MB).
    public static let sizeLimit = 256 << 20

    /// Reads `path`: gzip or xz when its first bytes say so (the name does not matter), plain CSV otherwise.
    /// - Throws: ``ImageRecognitionError``: the file's errors (a missing file, damaged or
    ///   truncated compressed data, more than ``sizeLimit`` bytes of text) as
    ///   ``ImageRecognitionError/file(_:)``, and the line-level errors of ``parse(_:path:format:)``.
    public static func load(path: String = defaultPath, format: ImageCSVFormat = .digits) throws(ImageRecognitionError)
        -> ImageDataSet {
        let input: DecompressingInput
        let bytes: [UInt8]
        do {
            input = try DecompressingInput(path: path)
            bytes = try input.readAll(limit: sizeLimit)
        } catch {
            throw .file(error)
        }
        return try parse(bytes, path: input.displayName, format: format)
    }

    /// Parses CSV text: one image per non-blank line (`\r\n` accepted), pixels then label.
    /// - Throws: ``ImageRecognitionError/wrongValueCount(path:line:expected:actual:)``,
    ///   ``ImageRecognitionError/notANumber(path:line:column:text:)``,
    ///   ``ImageRecognitionError/pixelOutOfRange(path:line:column:value:range:)``,
    ///   ``ImageRecognitionError/labelOutOfRange(path:line:text:classCount:)``,
    ///   ``ImageRecognitionError/emptyDataSet(path:)``; lines are numbered from 1.
    public static func parse(_ bytes: [UInt8], path: String, format: ImageCSVFormat = .digits) throws(ImageRecognitionError)
        -> ImageDataSet {
        let pixels = format.pixelCount, scale = Float(1 / format.maximumPixel)
        var scalars: [Float] = []
        var labels: [Int] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = String(decoding: line, as: UTF8.self).trimmingWhitespace
            if text.isEmpty { continue }
            let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            if fields.count != pixels + 1 {
                throw .wrongValueCount(path: path, line: lineNumber, expected: pixels + 1, actual: fields.count)
            }
            for (k, field) in fields.dropLast().enumerated() {
                let entry = String(field).trimmingWhitespace
                guard let value = Double(entry), value.isFinite else {
                    throw .notANumber(path: path, line: lineNumber, column: k + 1, text: entry)
                }
                if value < 0 || value > format.maximumPixel {
                    throw .pixelOutOfRange(path: path, line: lineNumber, column: k + 1, value: value,
                                           range: 0...format.maximumPixel)
                }
                scalars.append(Float(value) * scale)
            }
            let labelText = String(fields.last!).trimmingWhitespace
            guard let label = Double(labelText), label.rounded() == label, label >= 0, label < Double(format.classCount) else {
                throw .labelOutOfRange(path: path, line: lineNumber, text: labelText, classCount: format.classCount)
            }
            labels.append(Int(label))
        }
        if labels.isEmpty { throw .emptyDataSet(path: path) }
        return ImageDataSet(images: Tensor(shape: [labels.count, format.channels, format.height, format.width], scalars: scalars),
                            labels: labels, classCount: format.classCount)
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    var trimmingWhitespace: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
