import Plotting
import Testing

@Suite("Attention heat map")
struct AttentionHeatMapTests {
    @Test func cellsAndLabels() throws {
        let document = try AttentionHeatMap.document(inputs: ["1", " "], outputs: ["a"], weights: [[1, 0]], title: "t")
        let text = document.rendered
        #expect(text.contains("fill=\"#000000\"") && text.contains("fill=\"#ffffff\" stroke"))
        #expect(text.contains(">␣</text>") && text.contains(">a</text>") && text.contains(">t</text>"))
    }

    @Test func badInput() {
        #expect(throws: PlotError.noData(what: "no input or no output symbols")) {
            try AttentionHeatMap.document(inputs: [], outputs: ["a"], weights: [[]])
        }
        #expect(throws: PlotError.nonFinite(what: "attention weights")) {
            try AttentionHeatMap.document(inputs: ["x"], outputs: ["a"], weights: [[.nan]])
        }
        #expect(throws: PlotError.noData(what: "the weights are not one row per output symbol and one column per input symbol")) {
            try AttentionHeatMap.document(inputs: ["x", "y"], outputs: ["a"], weights: [[0.5]])
        }
    }
}
