import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Plotting

/// Parses `text` as XML; returns the element names in document order, or the parser's error.
func parseXML(_ text: String) -> (elements: [String], texts: [String], error: String?) {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var texts: [String] = []
        var current = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append(name)
            current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(current) }
            current = ""
        }
    }
    let parser = XMLParser(data: Data(text.utf8))
    let collector = Collector()
    parser.delegate = collector
    let ok = parser.parse()
    return (collector.elements, collector.texts, ok ? nil : String(describing: parser.parserError))
}

@Suite struct SVGTests {
    @Test func scatterIsWellFormedAndLabelsEveryPoint() throws {
        let words = ["king", "queen", "a<b", "R&D", "\"quoted\"", "it's"]
        let points = words.enumerated().map { ScatterPoint(label: $0.element, x: Double($0.offset), y: Double($0.offset % 3), group: $0.offset % 2) }
        let plot = ScatterPlot(title: "Words & <neighbours>", caption: "PCA: 80% of variance", points: points,
                               groupNames: ["king", "queen"])
        let svg = try plot.document().rendered
        let parsed = parseXML(svg)
        #expect(parsed.error == nil)
        #expect(parsed.elements.first == "svg")
        #expect(parsed.elements.filter { $0 == "circle" }.count == words.count + 2)  // points + legend
        for word in words { #expect(parsed.texts.contains(word), "label \(word)") }
        #expect(parsed.texts.contains("Words & <neighbours>"))
        #expect(parsed.texts.contains("PCA: 80% of variance"))
    }

    @Test func controlCharactersCannotBreakTheXML() throws {
        let plot = ScatterPlot(title: "t\u{1}", points: [ScatterPoint(label: "x\u{0}y\u{FFFE}", x: 0, y: 0)])
        #expect(parseXML(try plot.document().rendered).error == nil)
    }

    @Test func lineChartIsWellFormed() throws {
        let loss = LineChart.Series(name: "loss", points: (0...100).map { .init(x: Double($0), y: 3 / (1 + Double($0) / 10)) })
        let rate = LineChart.Series(name: "learning rate", points: (0...100).map { .init(x: Double($0), y: 0.025 * (1 - Double($0) / 100)) })
        let svg = try LineChart(title: "Training", caption: "sample", xLabel: "percent of training", primary: loss, secondary: rate)
            .document().rendered
        let parsed = parseXML(svg)
        #expect(parsed.error == nil)
        #expect(parsed.elements.filter { $0 == "polyline" }.count == 2)
        #expect(parsed.texts.contains("percent of training"))
        // Single point and flat series still draw.
        let flat = LineChart.Series(name: "loss", points: [.init(x: 1, y: 2)])
        #expect(parseXML(try LineChart(title: "t", xLabel: "x", primary: flat).document().rendered).error == nil)
    }

    @Test func emptyAndNonFiniteDataAreErrors() {
        #expect(throws: PlotError.noData(what: "no points")) { try ScatterPlot(title: "t", points: []).document() }
        #expect(throws: PlotError.self) { try ScatterPlot(title: "t", points: [ScatterPoint(label: "a", x: .nan, y: 0)]).document() }
        #expect(throws: PlotError.self) {
            try LineChart(title: "t", xLabel: "x", primary: .init(name: "loss", points: [])).document()
        }
    }

    @Test func writeGoesThroughOutputFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("p.svg").path
        let document = try ScatterPlot(title: "t", points: [ScatterPoint(label: "a", x: 0, y: 0)]).document()
        try document.write(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == document.rendered)
        #expect(throws: PlotError.self) { try document.write(to: directory.path) }  // a directory
        #expect(throws: PlotError.self) { try document.write(to: directory.path + "/missing/p.svg") }
    }

    @Test func numbersAreCompact() {
        #expect(SVGDocument.number(1.0) == "1")
        #expect(SVGDocument.number(-0.001) == "0")
        #expect(SVGDocument.number(2.5) == "2.5")
        #expect(SVGDocument.number(3.14159) == "3.14")
    }

    @Test func ticksAreNiceAndCoverTheRange() {
        let unit = niceTicks(low: 0, high: 1, approximateCount: 5)
        let expected: [Double] = [0, 0.2, 0.4, 0.6, 0.8, 1]
        #expect(unit.count == expected.count && zip(unit, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(unit)")
        let ticks = niceTicks(low: -3.7, high: 12.2)
        #expect(ticks.first! >= -3.7 && ticks.last! <= 12.2 && ticks == [0, 5, 10])
        #expect(tickLabel(0.25, step: 0.05) == "0.25")
        #expect(tickLabel(20, step: 5) == "20")
    }
}

@Suite struct LabelPlacementTests {
    @Test func crowdedLabelsAreNudgedApart() {
        // Twelve points nearly on top of each other in a roomy area.
        let points: [(x: Double, y: Double)] = (0..<12).map { (i: Int) -> (x: Double, y: Double) in
            (x: 300 + Double(i % 3), y: 300 + Double(i) * 0.5)
        }
        let labels = (0..<12).map { "word\($0)" }
        let bounds = LabelBox(x: 0, y: 0, width: 800, height: 600)
        let boxes = LabelPlacement.place(labels: labels, at: points, fontSize: 12, bounds: bounds)
        for i in boxes.indices {
            for j in boxes.indices where j > i { #expect(boxes[i].overlap(with: boxes[j]) == 0, "\(i) and \(j) overlap") }
            #expect(boxes[i].x >= 0 && boxes[i].y >= 0 && boxes[i].x + boxes[i].width <= 800 && boxes[i].y + boxes[i].height <= 600)
        }
    }

    @Test func separateLabelsStayNextToTheirPoints() {
        let boxes = LabelPlacement.place(labels: ["a", "b"], at: [(100, 100), (400, 400)], fontSize: 12,
                                         bounds: LabelBox(x: 0, y: 0, width: 800, height: 600))
        #expect(boxes[0].x == 105 && abs(boxes[0].y + boxes[0].height / 2 - 100) < 1e-9)
        #expect(boxes[1].x == 405)
    }
}
