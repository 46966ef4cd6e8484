import Foundation

/// A line chart of one or two series over a shared x axis: the first on the left axis, an
/// optional second (e.g. the learning rate next to the loss) dashed on its own right axis.
public struct LineChart: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        public var name: String
        public var points: [Point]
        public init(name: String, points: [Point]) {
            self.name = name
            self.points = points
        }
    }

    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    public var title: String
    public var caption: String?
    public var xLabel: String
    public var primary: Series
    public var secondary: Series?
    public var width: Double = 900
    public var height: Double = 520

    public init(title: String, caption: String? = nil, xLabel: String, primary: Series, secondary: Series? = nil) {
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.primary = primary
        self.secondary = secondary
    }

    public func document() throws(PlotError) -> SVGDocument {
        let all = primary.points + (secondary?.points ?? [])
        guard !primary.points.isEmpty else { throw .noData(what: "the series \(primary.name) has no points") }
        guard all.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { throw .nonFinite(what: "series values") }
        let area = LabelBox(x: 80, y: 50, width: width - 80 - (secondary == nil ? 30 : 80), height: height - 50 - 90)
        var (minX, maxX) = (all.map(\.x).min()!, all.map(\.x).max()!)
        if maxX - minX < 1e-12 { minX -= 1; maxX += 1 }
        func range(_ series: Series) -> (Double, Double) {
            var low = series.points.map(\.y).min()!, high = series.points.map(\.y).max()!
            if high - low < 1e-12 { let pad = max(abs(high) * 0.1, 1e-6); low -= pad; high += pad }
            let pad = (high - low) * 0.05
            return (low - pad, high + pad)
        }
        func sx(_ x: Double) -> Double { area.x + (x - minX) / (maxX - minX) * area.width }

        var svg = SVGDocument(width: width, height: height)
        svg.rectangle(x: area.x, y: area.y, width: area.width, height: area.height, fill: "#fbfbfb", stroke: "#cccccc")
        let xTicks = niceTicks(low: minX, high: maxX)
        let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
        for tick in xTicks {
            svg.line(x1: sx(tick), y1: area.y, x2: sx(tick), y2: area.y + area.height, stroke: "#eeeeee")
            svg.text(tickLabel(tick, step: xStep), x: sx(tick), y: area.y + area.height + 16, size: 11, anchor: .middle, fill: "#555555")
        }
        svg.text(xLabel, x: area.x + area.width / 2, y: area.y + area.height + 36, size: 12, anchor: .middle)

        let (low, high) = range(primary)
        func sy(_ y: Double) -> Double { area.y + area.height - (y - low) / (high - low) * area.height }
        let yTicks = niceTicks(low: low, high: high)
        let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        for tick in yTicks {
            svg.line(x1: area.x, y1: sy(tick), x2: area.x + area.width, y2: sy(tick), stroke: "#eeeeee")
            svg.text(tickLabel(tick, step: yStep), x: area.x - 6, y: sy(tick) + 4, size: 11, anchor: .end, fill: "#555555")
        }
        svg.text(primary.name, x: 20, y: area.y + area.height / 2, size: 12, anchor: .middle,
                 fill: PlotPalette.color(0), rotation: -90)
        svg.polyline(primary.points.map { (sx($0.x), sy($0.y)) }, stroke: PlotPalette.color(0), width: 2)

        if let secondary, !secondary.points.isEmpty {
            let (low2, high2) = range(secondary)
            func sy2(_ y: Double) -> Double { area.y + area.height - (y - low2) / (high2 - low2) * area.height }
            let ticks2 = niceTicks(low: low2, high: high2)
            let step2 = ticks2.count > 1 ? ticks2[1] - ticks2[0] : 1
            for tick in ticks2 {
                svg.text(tickLabel(tick, step: step2), x: area.x + area.width + 6, y: sy2(tick) + 4, size: 11, fill: "#555555")
            }
            svg.text(secondary.name, x: width - 14, y: area.y + area.height / 2, size: 12, anchor: .middle,
                     fill: PlotPalette.color(1), rotation: 90)
            svg.polyline(secondary.points.map { (sx($0.x), sy2($0.y)) }, stroke: PlotPalette.color(1), width: 1.5, dash: "6 4")
        }
        // Legend.
        let legendY = height - 40
        svg.line(x1: area.x, y1: legendY - 4, x2: area.x + 24, y2: legendY - 4, stroke: PlotPalette.color(0), width: 2)
        svg.text(primary.name, x: area.x + 30, y: legendY, size: 12)
        if let secondary {
            let x = area.x + 60 + LabelPlacement.estimatedWidth(primary.name, fontSize: 12)
            svg.line(x1: x, y1: legendY - 4, x2: x + 24, y2: legendY - 4, stroke: PlotPalette.color(1), width: 1.5, dash: "6 4")
            svg.text(secondary.name + " (right axis)", x: x + 30, y: legendY, size: 12)
        }
        svg.text(title, x: width / 2, y: 28, size: 18, anchor: .middle, weight: "bold")
        if let caption { svg.text(caption, x: width / 2, y: height - 14, size: 12, anchor: .middle, fill: "#555555") }
        return svg
    }
}
