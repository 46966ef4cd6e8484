import CoreIO
import Foundation

/// A small SVG 1.1 writer: elements appended in drawing order, text escaped, numbers rounded to
/// two decimals. It knows only what the toolkit's plots draw (lines, polylines, circles,
/// rectangles, text), so that the output stays small, readable and well-formed XML.
public struct SVGDocument: Sendable, Equatable {
    public var width: Double
    public var height: Double
    private var body: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// `text` with the five XML special characters escaped (and control characters, which XML 1.0
    /// forbids, replaced by U+FFFD).
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A number as SVG wants it: at most two decimals, no exponent, no "-0".
    public static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }

    private static func attributes(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escaped($0.1))\"" }.joined()
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                              width: Double = 1, dash: String? = nil) {
        var pairs = [("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
                     ("stroke", stroke), ("stroke-width", Self.number(width))]
        if let dash { pairs.append(("stroke-dasharray", dash)) }
        body.append("<line\(Self.attributes(pairs))/>")
    }

    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5,
                                  dash: String? = nil) {
        let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        var pairs = [("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.number(width)),
                     ("stroke-linejoin", "round")]
        if let dash { pairs.append(("stroke-dasharray", dash)) }
        body.append("<polyline\(Self.attributes(pairs))/>")
    }

    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, title: String? = nil) {
        let pairs = [("cx", Self.number(cx)), ("cy", Self.number(cy)), ("r", Self.number(r)), ("fill", fill)]
        if let title {
            body.append("<circle\(Self.attributes(pairs))><title>\(Self.escaped(title))</title></circle>")
        } else {
            body.append("<circle\(Self.attributes(pairs))/>")
        }
    }

    public mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: String,
                                   stroke: String? = nil) {
        var pairs = [("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)),
                     ("height", Self.number(height)), ("fill", fill)]
        if let stroke { pairs.append(("stroke", stroke)) }
        body.append("<rect\(Self.attributes(pairs))/>")
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                              fill: String = "#222", weight: String? = nil, rotation: Double? = nil) {
        var pairs = [("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size)),
                     ("text-anchor", anchor.rawValue), ("fill", fill)]
        if let weight { pairs.append(("font-weight", weight)) }
        if let rotation { pairs.append(("transform", "rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))")) }
        body.append("<text\(Self.attributes(pairs))>\(Self.escaped(content))</text>")
    }

    /// The document's text.
    public var rendered: String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" font-family=\"Helvetica, Arial, sans-serif\">",
            "<rect x=\"0\" y=\"0\" width=\"\(Self.number(width))\" height=\"\(Self.number(height))\" fill=\"#ffffff\"/>",
        ]
        lines += body
        lines.append("</svg>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the document to `path` (temporary file, then rename; see `CoreIO.OutputFile`).
    public func write(to path: String) throws(PlotError) {
        do {
            let file = try OutputFile(path: path)
            try file.write(rendered)
            try file.commit()
        } catch {
            throw .cannotWrite(error)
        }
    }
}

/// The categorical colours of the plots (Tableau 10), cycled by group number.
public enum PlotPalette {
    public static let colors = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    public static func color(_ group: Int) -> String { colors[((group % colors.count) + colors.count) % colors.count] }
}

/// "Nice" tick values (1, 2 or 5 times a power of ten) covering `low...high`.
public func niceTicks(low: Double, high: Double, approximateCount: Int = 6) -> [Double] {
    guard low.isFinite, high.isFinite else { return [] }
    if high <= low { return [low] }
    let rough = (high - low) / Double(max(approximateCount, 1))
    let magnitude = pow(10, (log10(rough)).rounded(.down))
    let step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
    var ticks: [Double] = []
    var value = (low / step).rounded(.up) * step
    while value <= high + step * 1e-9 {
        ticks.append(abs(value) < step * 1e-9 ? 0 : value)
        value += step
    }
    return ticks
}

/// A tick label: as few decimals as the step needs, or scientific notation for tiny or huge values.
public func tickLabel(_ value: Double, step: Double) -> String {
    if value == 0 { return "0" }
    if abs(value) < 1e-3 || abs(value) >= 1e6 { return String(format: "%.1e", value) }
    let decimals = step >= 1 ? 0 : min(6, Int((-log10(step)).rounded(.up)))
    return String(format: "%.\(decimals)f", value)
}
