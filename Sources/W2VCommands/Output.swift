#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Unbuffered writes to standard output and standard error.
public enum StandardStreams {
    /// Writes all of `text` to file descriptor `descriptor` (1 = stdout, 2 = stderr).
    public static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            var offset = 0
            while offset < bytes.count {
                #if canImport(Glibc)
                let n = Glibc.write(descriptor, base + offset, bytes.count - offset)
                #else
                let n = Darwin.write(descriptor, base + offset, bytes.count - offset)
                #endif
                if n < 0, errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
    }

    /// Writes a line to standard output.
    public static func printLine(_ text: String) { write(text + "\n", to: 1) }

    /// Writes a line to standard error.
    public static func printError(_ text: String) { write(text + "\n", to: 2) }
}

/// A plain-text table with aligned columns (text left, numbers right), as the default output
/// of the query and evaluation commands.
public struct TextTable: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }

    public struct Column: Sendable, Equatable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]]

    public init(columns: [Column], rows: [[String]] = []) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as lines separated by `\n` (no trailing newline), columns two spaces apart,
    /// with the header underlined by dashes.
    public func render() -> String {
        var widths = columns.map { $0.title.count }
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, column) in columns.enumerated() {
                let cell = i < cells.count ? cells[i] : ""
                let padding = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(column.alignment == .left ? cell + padding : padding + cell)
            }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines = [line(columns.map(\.title)), line(widths.map { String(repeating: "-", count: $0) })]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }
}

/// JSON output for `--json`: one document, keys sorted, two-space indentation.
public enum JSONOutput {
    /// The JSON text of `value`.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = try encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }
}

/// One row of `similar` / `analogy` output; JSON `{"word": ..., "similarity": ...}`.
public struct WordScore: Codable, Sendable, Equatable {
    public var word: String
    public var similarity: Double
    public init(word: String, similarity: Double) {
        self.word = word
        self.similarity = similarity
    }
}

/// The `--json` document of `similar` and `analogy`: `{"results": [...]}`.
public struct WordScoreList: Codable, Sendable, Equatable {
    public var results: [WordScore]
    public init(results: [WordScore]) { self.results = results }

    /// The default table: rank, word, similarity.
    public var table: TextTable {
        TextTable(columns: [.init("#", .right), .init("word"), .init("similarity", .right)],
                  rows: results.enumerated().map { ["\($0.offset + 1)", $0.element.word, formatFixed($0.element.similarity, decimals: 4)] })
    }
}
