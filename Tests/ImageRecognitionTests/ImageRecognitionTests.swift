import CoreIO
import Foundation
import NeuralNetwork
import TensorCore
import Testing
@testable import ImageRecognition

@Suite("Image data sets")
struct ImageDataSetTests {
    @Test func parsesAndScalesPixels() throws {
        let csv = csvLine([0, 1, 2, 4], "2") + "\r\n\n" + csvLine([4, 4, 0, 3], " 0 ") + "\n"
        let data = try DigitsDataSet.parse(Array(csv.utf8), path: "tiny.csv", format: tinyFormat)
        #expect(data.count == 2)
        #expect(data.images.shape == [2, 1, 2, 2])
        #expect(data.images.scalars == [0, 0.25, 0.5, 1, 1, 1, 0, 0.75])
        #expect(data.labels == [2, 0])
        #expect(data.classCount == 3)
    }

    @Test func badLinesAreNamedErrors() {
        func parse(_ text: String) throws(ImageRecognitionError) {
            _ = try DigitsDataSet.parse(Array(text.utf8), path: "d.csv", format: tinyFormat)
        }
        let good = csvLine([0, 1, 2, 3], "1")
        #expect(throws: ImageRecognitionError.wrongValueCount(path: "d.csv", line: 3, expected: 5, actual: 4)) {
            try parse(good + "\n\n0,1,2,1\n")
        }
        #expect(throws: ImageRecognitionError.wrongValueCount(path: "d.csv", line: 1, expected: 5, actual: 6)) {
            try parse("0,1,2,3,4,1")
        }
        #expect(throws: ImageRecognitionError.notANumber(path: "d.csv", line: 2, column: 3, text: "x")) {
            try parse(good + "\n0,1,x,3,1")
        }
        #expect(throws: ImageRecognitionError.notANumber(path: "d.csv", line: 1, column: 1, text: "")) { try parse(",1,2,3,1") }
        #expect(throws: ImageRecognitionError.pixelOutOfRange(path: "d.csv", line: 1, column: 4, value: 5, range: 0...4)) {
            try parse("0,1,2,5,1")
        }
        #expect(throws: ImageRecognitionError.pixelOutOfRange(path: "d.csv", line: 1, column: 1, value: -1, range: 0...4)) {
            try parse("-1,1,2,3,1")
        }
        for label in ["3", "-1", "1.5", "one", ""] {
            #expect(throws: ImageRecognitionError.labelOutOfRange(path: "d.csv", line: 2, text: label, classCount: 3)) {
                try parse(good + "\n0,1,2,3,\(label)")
            }
        }
        #expect(throws: ImageRecognitionError.emptyDataSet(path: "d.csv")) { try parse("\n \n") }
        let message = ImageRecognitionError.labelOutOfRange(path: "d.csv", line: 7, text: "10", classCount: 10).description
        #expect(message.hasPrefix("The label on line 7 of d.csv is \"10\"; labels must be whole numbers 0...9."))
        #expect(ImageRecognitionError.wrongValueCount(path: "d.csv", line: 4, expected: 65, actual: 64).problem
            == "Line 4 of d.csv has 64 comma-separated values; expected 65 (64 pixels, then the label).")
    }

    @Test func loadsGzipXzAndPlainFilesWhateverTheirNames() throws {
        let csv = Array((csvLine([0, 1, 2, 3], "1") + "\n" + csvLine([4, 3, 2, 1], "2") + "\n").utf8)
        let expected = try DigitsDataSet.parse(csv, path: "x", format: tinyFormat)
        // gzip from zlib's own writer, xz from CoreIO; the first bytes decide, not the name.
        for path in [try writeTemporaryFile("d.csv.gz", try gzipped(csv)), try writeTemporaryFile("d.csv", csv),
                     try writeTemporaryFile("d.data", try gzipped(csv)), try writeTemporaryFile("plain.csv.gz", csv),
                     try writeTemporaryFile("d.csv.xz", try Compression.xz.compress(csv)),
                     try writeTemporaryFile("two-members.gz", try gzipped(Array(csv.prefix(10))) + gzipped(Array(csv.dropFirst(10))))] {
            #expect(try DigitsDataSet.load(path: path, format: tinyFormat) == expected, "\(path)")
        }
    }

    @Test func fileErrorsAreNamed() throws {
        #expect(throws: ImageRecognitionError.file(.notFound(path: "/nonexistent/digits.csv.gz"))) {
            try DigitsDataSet.load(path: "/nonexistent/digits.csv.gz")
        }
        let compressed = try gzipped(Array(String(repeating: "0,1,2,3,1\n", count: 200).utf8))
        let cut = try writeTemporaryFile("cut.csv.gz", Array(compressed.dropLast(12)))
        #expect(throws: ImageRecognitionError.file(.truncatedData(path: cut, format: "gzip"))) {
            try DigitsDataSet.load(path: cut, format: tinyFormat)
        }
        var badChecksum = compressed
        badChecksum[badChecksum.count - 6] ^= 1
        let crc = try writeTemporaryFile("crc.csv.gz", badChecksum)
        #expect(throws: ImageRecognitionError.file(.corruptData(path: crc, format: "gzip", detail: "incorrect data check"))) {
            try DigitsDataSet.load(path: crc, format: tinyFormat)
        }
        let error = ImageRecognitionError.file(.corruptData(path: crc, format: "gzip", detail: "incorrect data check"))
        #expect(error.problem == "\(crc) cannot be read: its gzip data is corrupt (incorrect data check).")
        #expect(error.remedy == "Check the file with `gzip -t \(crc)`, and copy or download it again.")
        let directory = try temporaryDirectory()
        #expect(throws: ImageRecognitionError.file(.isDirectory(path: directory))) { try DigitsDataSet.load(path: directory) }
    }

    @Test func seededSplitIsReproducibleDisjointAndComplete() throws {
        let data = barImages(count: 50, seed: 3)
        let (training, test) = try data.split(trainingFraction: 0.8, seed: 9)
        #expect(training.count == 40 && test.count == 10)
        let again = try data.split(trainingFraction: 0.8, seed: 9)
        #expect(again.training == training && again.test == test)
        #expect(try data.split(seed: 10).test != test)
        // Every image lands on exactly one side: compare the multiset of (image, label) rows.
        func rows(_ d: ImageDataSet) -> [[Float]] { (0..<d.count).map { Array(d.images.scalars[($0 * 64)..<($0 * 64 + 64)]) + [Float(d.labels[$0])] } }
        let key: ([Float]) -> String = { $0.map { "\($0)" }.joined(separator: ",") }
        #expect((rows(training) + rows(test)).map(key).sorted() == rows(data).map(key).sorted())
    }

    @Test func badSplitsAreNamedErrors() {
        let data = barImages(count: 4, seed: 1)
        #expect(throws: ImageRecognitionError.invalidSetting(name: "training fraction", value: "1.0", requirement: "in (0, 1)")) {
            try data.split(trainingFraction: 1, seed: 1)
        }
        #expect(throws: ImageRecognitionError.self) { try data.split(trainingFraction: 0.05, seed: 1) }
        #expect(throws: ImageRecognitionError.self) { try data.split(trainingFraction: .nan, seed: 1) }
    }

    /// The shared data set, when present: 1,797 images of 8x8 pixels in 0...1, labels 0...9.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: DigitsDataSet.defaultPath)))
    func loadsTheSharedDigits() throws {
        let digits = try DigitsDataSet.load()
        #expect(digits.count == 1797)
        #expect(digits.images.shape == [1797, 1, 8, 8])
        #expect(Set(digits.labels) == Set(0..<10))
        #expect(digits.images.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(digits.images.scalars.contains(1))
    }
}

@Suite("Image classifiers")
struct ImageClassifierTests {
    static let small = SimpleConvNet.Architecture(filterCount: 4, hiddenSize: 16, classCount: 2)

    @Test func simpleConvNetHasTheSeedsLayersAndSizes() throws {
        let net = try SimpleConvNet(seed: 1)
        let kinds = net.network.layers.map { String(describing: type(of: $0)) }
        #expect(kinds == ["Convolution", "ReLU", "MaxPooling", "Flatten", "Affine", "ReLU", "Affine"])
        #expect(net.convolution.weight.shape == [30, 1, 3, 3])
        #expect(net.parameterCount == 30 * 9 + 30 + 480 * 100 + 100 + 100 * 10 + 10)
        let options = try SimpleConvNet(architecture: .init(batchNormalization: true, dropoutRate: 0.3), seed: 1)
        #expect(options.network.layers.map { String(describing: type(of: $0)) }
            == ["Convolution", "ReLU", "MaxPooling", "Flatten", "Affine", "BatchNorm", "ReLU", "Dropout", "Affine"])
        let baseline = try FullyConnectedNet(imageShape: [1, 8, 8], matchingParameterCount: net.parameterCount, classCount: 10, seed: 1)
        #expect(baseline.hiddenSizes == [659])
        #expect(abs(baseline.parameterCount - net.parameterCount) < 100)
        // He initialisation: the filters' standard deviation is about √(2 / 9).
        let w = net.convolution.weight.value.scalars
        let deviation = (w.map { $0 * $0 }.reduce(0, +) / Float(w.count)).squareRoot()
        #expect(abs(deviation - (2 / Float(9)).squareRoot()) < 0.1)
    }

    @Test func filtersThatDoNotTileTheImageAreANamedError() {
        #expect(throws: ImageRecognitionError.network(.nonIntegerOutputSize(layer: "Convolution", dimension: "height", inputSize: 8,
                                                                            windowSize: 3, stride: 2, padding: 0))) {
            try SimpleConvNet(architecture: .init(stride: 2, padding: 0), seed: 1)
        }
        #expect(throws: ImageRecognitionError.network(.nonIntegerOutputSize(layer: "MaxPooling", dimension: "height", inputSize: 6,
                                                                            windowSize: 4, stride: 4, padding: 0))) {
            try SimpleConvNet(architecture: .init(padding: 0, poolSize: 4), seed: 1)
        }
        #expect(throws: ImageRecognitionError.invalidSetting(name: "filter count", value: "0", requirement: "at least 1")) {
            try SimpleConvNet(architecture: .init(filterCount: 0), seed: 1)
        }
        #expect(throws: ImageRecognitionError.invalidSetting(name: "dropout rate", value: "1.0", requirement: "in [0, 1)")) {
            try FullyConnectedNet(imageShape: [1, 8, 8], hiddenSizes: [4], classCount: 2, dropoutRate: 1, seed: 1)
        }
        #expect(throws: ImageRecognitionError.invalidSetting(name: "hidden size", value: "0", requirement: "at least 1")) {
            try FullyConnectedNet(imageShape: [1, 8, 8], hiddenSizes: [4, 0], classCount: 2, seed: 1)
        }
    }

    @Test func aSmallConvNetLearnsBarsAndGeneralises() throws {
        let (training, test) = try barImages(count: 120, seed: 5).split(seed: 2)
        let net = try SimpleConvNet(architecture: Self.small, seed: 3)
        let before = try net.accuracy(on: test)
        var reports: [ProgressReport] = []
        let history = try net.train(on: training, settings: .init(epochs: 8, batchSize: 16, learningRate: 0.01, seed: 4),
                                    validation: test, progress: { reports.append($0) })
        #expect(history.points.count == 8)
        #expect(history.points.last!.loss! < history.points.first!.loss! / 2)
        let after = try net.accuracy(on: test)
        #expect(after >= 0.95, "held-out accuracy \(before) → \(after)")
        #expect(history.points.last!.validation["validation_accuracy"] == after)
        #expect(reports.count == 8 && reports.last!.fraction == 1 && reports.last!.unit == "images")
        #expect(reports.last!.processedWords == 8 * training.count)
    }

    @Test func theBaselineTrainsWithBatchNormAndDropout() throws {
        let (training, test) = try barImages(count: 80, seed: 6).split(seed: 2)
        let net = try FullyConnectedNet(imageShape: [1, 8, 8], hiddenSizes: [32], classCount: 2, batchNormalization: true,
                                        dropoutRate: 0.2, seed: 1)
        let history = try net.train(on: training, settings: .init(epochs: 5, batchSize: 16, learningRate: 0.01, seed: 1))
        #expect(history.points.last!.loss! < history.points.first!.loss!)
        #expect(try net.accuracy(on: test) > 0.5)
    }

    @Test func seededTrainingIsReproducible() throws {
        let data = barImages(count: 40, seed: 8)
        func run(_ seed: UInt64) throws -> (TrainingHistory, [Tensor]) {
            let net = try SimpleConvNet(architecture: .init(filterCount: 3, hiddenSize: 8, classCount: 2, dropoutRate: 0.2), seed: seed)
            let history = try net.train(on: data, settings: .init(epochs: 2, batchSize: 8, seed: seed))
            return (history, net.network.parameters.map(\.value))
        }
        let (h1, p1) = try run(11), (h2, p2) = try run(11), (h3, p3) = try run(12)
        #expect(h1.points.map(\.loss) == h2.points.map(\.loss))
        #expect(p1 == p2)
        #expect(p1 != p3 && h1.points.map(\.loss) != h3.points.map(\.loss))
    }

    @Test func theComparisonTrainsBothNetworksOnTheSameSplit() throws {
        let data = barImages(count: 60, seed: 13)
        let configuration = ClassifierComparison.Configuration(
            architecture: .init(filterCount: 4, hiddenSize: 12, batchNormalization: true),
            training: .init(epochs: 6, batchSize: 12, learningRate: 0.01, seed: 2), seed: 5)
        var stages: Set<String> = []
        let result = try ClassifierComparison.run(on: data, configuration: configuration, progress: { stages.insert($0.stage) })
        #expect(result.trainingCount == 48 && result.testCount == 12)
        #expect(stages == ["training SimpleConvNet", "training fully connected"])
        #expect(result.network.architecture.classCount == 2)
        // The baseline's hidden width matches the CNN's parameter count, BatchNorm included, to within
        // half a hidden unit (64 + 1 + 2 + 2 parameters each).
        #expect(abs(result.baseline.parameterCount - result.convolutional.parameterCount) <= 69 / 2)
        for outcome in [result.convolutional, result.baseline] {
            #expect(outcome.history.points.count == 6)
            #expect(outcome.trainingSeconds > 0)
            #expect(outcome.testAccuracy >= 0.9, "\(outcome.name): \(outcome.testAccuracy)")
        }
        #expect(throws: ImageRecognitionError.self) {
            try ClassifierComparison.run(on: data, configuration: .init(trainingFraction: 1))
        }
    }

    @Test func badSettingsAndShapesAreNamedErrors() throws {
        let net = try SimpleConvNet(architecture: Self.small, seed: 1)
        let data = barImages(count: 4, seed: 1)
        #expect(throws: ImageRecognitionError.invalidSetting(name: "number of epochs", value: "0", requirement: "at least 1")) {
            try net.train(on: data, settings: .init(epochs: 0))
        }
        #expect(throws: ImageRecognitionError.invalidSetting(name: "batch size", value: "0", requirement: "at least 1")) {
            try net.train(on: data, settings: .init(batchSize: 0))
        }
        #expect(throws: ImageRecognitionError.self) { try net.train(on: data, settings: .init(learningRate: -1)) }
        #expect(throws: ImageRecognitionError.self) { try net.train(on: data, settings: .init(weightDecay: .infinity)) }
        let tiny = ImageDataSet(images: Tensor(shape: [2, 1, 2, 2]), labels: [0, 1], classCount: 2)
        #expect(throws: ImageRecognitionError.imageShapeMismatch(expected: [1, 8, 8], actual: [1, 2, 2])) {
            try net.accuracy(on: tiny)
        }
        #expect(throws: ImageRecognitionError.imageShapeMismatch(expected: [1, 8, 8], actual: [1, 2, 2])) {
            try net.train(on: data, settings: .init(), validation: tiny)
        }
    }
}

@Suite("Filter pictures")
struct FilterGridTests {
    @Test func drawsEveryWeightAsAGreySquareInWellFormedSVG() throws {
        var filters = Tensor(shape: [3, 2, 2, 2], scalars: (0..<24).map(Float.init))
        filters.scalars[16..<24] = ArraySlice(repeating: 0.5, count: 8)  // a constant filter
        let grid = try FilterGrid(filters: filters, columns: 2, title: "conv1 <learned> & \"raw\"")
        let svg = grid.svg()
        #expect(isWellFormedXML(svg))
        #expect(svg.components(separatedBy: "<rect ").count - 1 == 1 + 24)
        #expect(svg.contains("<title>conv1 &lt;learned&gt; &amp; &quot;raw&quot; (3 x 2 x 2 x 2)</title>"))
        // Filter 1 spans 0...7: its smallest weight is white, its largest black; filter 3 is mid-grey.
        #expect(svg.contains("<g id=\"filter1\"><rect x=\"6\" y=\"6\" width=\"12\" height=\"12\" fill=\"rgb(255,255,255)\"/>"))
        #expect(svg.contains("fill=\"rgb(0,0,0)\"/></g>"))
        #expect(svg.contains("<g id=\"filter3\"><rect x=\"6\" y=\"36\" width=\"12\" height=\"12\" fill=\"rgb(128,128,128)\"/>"))
        // Two columns of cells 2·2·12 + 6 wide, two rows of 24: 6 + 2·(54 + 6) by 6 + 2·(24 + 6).
        #expect(svg.contains("width=\"126\" height=\"66\" viewBox=\"0 0 126 66\""))
        #expect(!isWellFormedXML(svg.replacingOccurrences(of: "</g>\n</svg>", with: "</svg>")))
        #expect(!isWellFormedXML(svg.replacingOccurrences(of: "&amp;", with: "&")))
    }

    @Test func writesThroughOutputFile() throws {
        let net = try SimpleConvNet(seed: 1)
        let grid = try FilterGrid(filters: net.convolution.weight.value)
        #expect(grid.columns == 10)
        let path = try temporaryDirectory() + "/filters.svg"
        try grid.write(to: path)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written == grid.svg())
        #expect(isWellFormedXML(written))
        #expect(written.components(separatedBy: "<g id=\"filter").count - 1 == 30)
        let directory = try temporaryDirectory()
        #expect(throws: ImageRecognitionError.file(.isDirectory(path: directory))) { try grid.write(to: directory) }
    }

    @Test func badFilterTensorsAreNamedErrors() {
        #expect(throws: ImageRecognitionError.self) { try FilterGrid(filters: Tensor(shape: [3, 9])) }
        #expect(throws: ImageRecognitionError.self) { try FilterGrid(filters: Tensor(shape: [0, 1, 3, 3])) }
        #expect(throws: ImageRecognitionError.invalidSetting(name: "number of columns", value: "0", requirement: "at least 1")) {
            try FilterGrid(filters: Tensor(shape: [2, 1, 3, 3]), columns: 0)
        }
    }
}
