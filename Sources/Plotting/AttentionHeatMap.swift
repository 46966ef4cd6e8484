/// A heat map of attention weights (Saitoh 2, §8.4.3, figure 8-26): one row per output symbol
/// (top to bottom), one column per input symbol (left to right), darker for a larger weight.
public enum AttentionHeatMap {
    /// The picture of `weights` (`outputs.count` rows of `inputs.count` values in 0...1).
    /// Spaces are drawn as "␣" so padding stays visible.
    /// - Throws: ``PlotError/noData(what:)`` for an empty map, ``PlotError/nonFinite(what:)`` for NaN or infinite weights.
    public static func document(inputs: [String], outputs: [String], weights: [[Double]],
                                title: String? = nil) throws(PlotError) -> SVGDocument {
        guard !inputs.isEmpty, !outputs.isEmpty else { throw .noData(what: "no input or no output symbols") }
        guard weights.count == outputs.count, weights.allSatisfy({ $0.count == inputs.count }) else {
            throw .noData(what: "the weights are not one row per output symbol and one column per input symbol")
        }
        guard weights.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { throw .nonFinite(what: "attention weights") }
        let cell = 22.0, left = 40.0, top = title == nil ? 40.0 : 62.0
        var document = SVGDocument(width: left + cell * Double(inputs.count) + 20, height: top + cell * Double(outputs.count) + 20)
        if let title { document.text(title, x: 10, y: 22, size: 14, weight: "bold") }
        func shown(_ symbol: String) -> String { symbol == " " ? "␣" : symbol }
        for (column, symbol) in inputs.enumerated() {
            document.text(shown(symbol), x: left + cell * (Double(column) + 0.5), y: top - 8, size: 12, anchor: .middle)
        }
        for (row, symbol) in outputs.enumerated() {
            document.text(shown(symbol), x: left - 8, y: top + cell * (Double(row) + 0.5) + 4, size: 12, anchor: .end)
            for column in inputs.indices {
                let weight = min(max(weights[row][column], 0), 1)
                let level = Int((1 - weight) * 255)
                let hex = String(level, radix: 16)
                let channel = hex.count == 1 ? "0" + hex : hex
                document.rectangle(x: left + cell * Double(column), y: top + cell * Double(row), width: cell, height: cell,
                                   fill: "#\(channel)\(channel)\(channel)", stroke: "#dddddd")
            }
        }
        return document
    }
}
