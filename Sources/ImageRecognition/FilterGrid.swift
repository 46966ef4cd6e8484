import CoreIO
import TensorCore

/// A picture of convolution filters as an SVG grid of grey squares (Saitoh 1, §7.6.1, "CNN
/// visualisation": the first layer's learned filters look like edge and blob detectors).
///
/// Filters `[FN, C, FH, FW]` are laid out row by row, `columns` per row; filter f is one cell of
/// C blocks side by side (one per input channel), each of FH x FW squares. Each filter is scaled
/// to its own range as in the seed (`imshow` per filter): its smallest weight is white, its
/// largest black (the seed's `gray_r`), a constant filter mid-grey.
public struct FilterGrid: Sendable, Equatable {
    /// The filters, `[FN, C, FH, FW]`.
    public let filters: Tensor
    /// Filters per row.
    public var columns: Int
    /// The side of one weight's square, in SVG user units.
    public var squareSize: Int = 12
    /// The space between filters (and between the channels of one filter).
    public var gap: Int = 6
    /// The SVG's `<title>`.
    public var title: String

    /// - Throws: ``ImageRecognitionError/invalidSetting(name:value:requirement:)`` unless `filters`
    ///   has rank 4 and `columns` (default: up to 10) is at least 1.
    public init(filters: Tensor, columns: Int? = nil, title: String = "convolution filters") throws(ImageRecognitionError) {
        guard filters.rank == 4, !filters.shape.contains(0) else {
            throw .invalidSetting(name: "filter tensor shape", value: "\(filters.shape)",
                                  requirement: "[FN, C, FH, FW] with every size at least 1")
        }
        let columns = columns ?? min(filters.shape[0], 10)
        if columns < 1 { throw .invalidSetting(name: "number of columns", value: "\(columns)", requirement: "at least 1") }
        self.filters = filters
        self.columns = columns
        self.title = title
    }

    /// The SVG document.
    public func svg() -> String {
        let (fn, c, fh, fw) = (filters.shape[0], filters.shape[1], filters.shape[2], filters.shape[3])
        let cellWidth = c * fw * squareSize + (c - 1) * gap, cellHeight = fh * squareSize
        let rows = (fn + columns - 1) / columns
        let width = gap + columns * (cellWidth + gap), height = gap + rows * (cellHeight + gap)
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)">
            <title>\(Self.escaped(title)) (\(fn) x \(c) x \(fh) x \(fw))</title>
            <rect width="\(width)" height="\(height)" fill="rgb(255,255,255)"/>
            <g shape-rendering="crispEdges">

            """
        let filterLength = c * fh * fw
        for f in 0..<fn {
            let weights = filters.scalars[(f * filterLength)..<((f + 1) * filterLength)]
            let low = weights.min()!, high = weights.max()!
            let left = gap + (f % columns) * (cellWidth + gap), top = gap + (f / columns) * (cellHeight + gap)
            out += "<g id=\"filter\(f + 1)\">"
            for ch in 0..<c {
                for ky in 0..<fh {
                    for kx in 0..<fw {
                        let value = weights[weights.startIndex + (ch * fh + ky) * fw + kx]
                        let darkness = high > low ? (value - low) / (high - low) : 0.5
                        let grey = Int((255 * (1 - darkness)).rounded())
                        let x = left + ch * (fw * squareSize + gap) + kx * squareSize, y = top + ky * squareSize
                        out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(squareSize)\" height=\"\(squareSize)\" fill=\"rgb(\(grey),\(grey),\(grey))\"/>"
                    }
                }
            }
            out += "</g>\n"
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// Writes ``svg()`` to `path` through ``OutputFile`` (complete or not at all).
    /// - Throws: ``ImageRecognitionError/file(_:)``.
    public func write(to path: String) throws(ImageRecognitionError) {
        let file: OutputFile
        do { file = try OutputFile(path: path) } catch { throw .file(error) }
        try write(to: file)
    }

    /// Writes ``svg()`` into `file` and commits it (open the file before a long training run to
    /// find an unwritable path early).
    /// - Throws: ``ImageRecognitionError/file(_:)``.
    public func write(to file: OutputFile) throws(ImageRecognitionError) {
        do {
            try file.write(svg())
            try file.commit()
        } catch {
            throw .file(error)
        }
    }

    /// `text` with `&`, `<`, `>` and `"` as XML entities.
    static func escaped(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }
}
