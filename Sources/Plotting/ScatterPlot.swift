import Foundation

/// A rectangle in SVG coordinates (y grows downwards).
public struct LabelBox: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The area shared with `other` (0 when they do not overlap).
    public func overlap(with other: LabelBox) -> Double {
        let w = min(x + width, other.x + other.width) - max(x, other.x)
        let h = min(y + height, other.y + other.height) - max(y, other.y)
        return w > 0 && h > 0 ? w * h : 0
    }
}

/// Places point labels so that they do not overlap: each label starts to the right of its point
/// and overlapping pairs are pushed apart along the axis of least overlap, a bounded number of
/// rounds, kept inside `bounds`. A label that ends far from its point gets a leader line.
public enum LabelPlacement {
    /// The approximate width of `text` at `fontSize` in a sans-serif font (0.6 em a character).
    public static func estimatedWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }

    /// Label boxes for anchors `points` (SVG coordinates) and their texts.
    public static func place(labels: [String], at points: [(x: Double, y: Double)], fontSize: Double,
                             bounds: LabelBox, rounds: Int = 300) -> [LabelBox] {
        let height = fontSize * 1.15
        var boxes = zip(labels, points).map { label, point in
            LabelBox(x: point.x + 5, y: point.y - height / 2, width: estimatedWidth(label, fontSize: fontSize), height: height)
        }
        func clamp(_ box: inout LabelBox) {
            box.x = min(max(box.x, bounds.x), bounds.x + bounds.width - box.width)
            box.y = min(max(box.y, bounds.y), bounds.y + bounds.height - box.height)
        }
        for i in boxes.indices { clamp(&boxes[i]) }
        guard boxes.count > 1 else { return boxes }
        for _ in 0..<rounds {
            var moved = false
            for i in 0..<boxes.count {
                for j in (i + 1)..<boxes.count where boxes[i].overlap(with: boxes[j]) > 0 {
                    let a = boxes[i], b = boxes[j]
                    let overlapX = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
                    let overlapY = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
                    // Prefer vertical moves (labels are wide); split the push between the two.
                    if overlapY <= overlapX * 2 {
                        let push = overlapY / 2 + 0.5
                        let aAbove = a.y + a.height / 2 < b.y + b.height / 2 || (a.y == b.y && i < j)
                        boxes[i].y += aAbove ? -push : push
                        boxes[j].y += aAbove ? push : -push
                    } else {
                        let push = overlapX / 2 + 0.5
                        let aLeft = a.x + a.width / 2 <= b.x + b.width / 2
                        boxes[i].x += aLeft ? -push : push
                        boxes[j].x += aLeft ? push : -push
                    }
                    clamp(&boxes[i])
                    clamp(&boxes[j])
                    moved = true
                }
            }
            if !moved { break }
        }
        return boxes
    }
}

/// One point of a scatter plot.
public struct ScatterPoint: Sendable, Equatable {
    public var label: String
    public var x: Double
    public var y: Double
    /// The colour group (0, 1, ...), e.g. which query word a neighbour belongs to.
    public var group: Int
    /// Whether to draw the point larger and its label bold (a query word among its neighbours).
    public var emphasised: Bool

    public init(label: String, x: Double, y: Double, group: Int = 0, emphasised: Bool = false) {
        self.label = label
        self.x = x
        self.y = y
        self.group = group
        self.emphasised = emphasised
    }
}

/// A labelled 2-D scatter plot with axes, a title, a caption and a legend of the groups.
public struct ScatterPlot: Sendable, Equatable {
    public var title: String
    public var caption: String?
    public var xLabel: String
    public var yLabel: String
    public var points: [ScatterPoint]
    /// Legend entries by group number (no legend when empty).
    public var groupNames: [String]
    public var width: Double = 900
    public var height: Double = 680
    /// Same scale on both axes (for projections, where distances mean something).
    public var equalAspect = true

    public init(title: String, caption: String? = nil, xLabel: String = "x", yLabel: String = "y",
                points: [ScatterPoint], groupNames: [String] = []) {
        self.title = title
        self.caption = caption
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.points = points
        self.groupNames = groupNames
    }

    public static let fontSize = 12.0

    /// The plot area (inside the axes) in SVG coordinates.
    var plotArea: LabelBox { LabelBox(x: 70, y: 50, width: width - 70 - 30, height: height - 50 - 80) }

    /// The SVG document.
    public func document() throws(PlotError) -> SVGDocument {
        guard !points.isEmpty else { throw .noData(what: "no points") }
        guard points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { throw .nonFinite(what: "point coordinates") }
        let area = plotArea
        var (minX, maxX) = (points.map(\.x).min()!, points.map(\.x).max()!)
        var (minY, maxY) = (points.map(\.y).min()!, points.map(\.y).max()!)
        if maxX - minX < 1e-12 { minX -= 1; maxX += 1 }
        if maxY - minY < 1e-12 { minY -= 1; maxY += 1 }
        // Room on the right of each point for its label.
        let padX = (maxX - minX) * 0.08, padY = (maxY - minY) * 0.08
        minX -= padX; maxX += padX * 2.5; minY -= padY; maxY += padY
        var scaleX = area.width / (maxX - minX)
        var scaleY = area.height / (maxY - minY)
        if equalAspect {
            let scale = min(scaleX, scaleY)
            let extraX = area.width / scale - (maxX - minX), extraY = area.height / scale - (maxY - minY)
            minX -= extraX / 2; maxX += extraX / 2; minY -= extraY / 2; maxY += extraY / 2
            scaleX = scale
            scaleY = scale
        }
        func sx(_ x: Double) -> Double { area.x + (x - minX) * scaleX }
        func sy(_ y: Double) -> Double { area.y + area.height - (y - minY) * scaleY }

        var svg = SVGDocument(width: width, height: height)
        drawAxes(&svg, area: area, xRange: (minX, maxX), yRange: (minY, maxY), sx: sx, sy: sy)

        let anchors = points.map { (x: sx($0.x), y: sy($0.y)) }
        let boxes = LabelPlacement.place(labels: points.map(\.label), at: anchors, fontSize: Self.fontSize, bounds: area)
        for index in points.indices {
            let box = boxes[index], anchor = anchors[index]
            let nearestX = min(max(anchor.x, box.x), box.x + box.width)
            let nearestY = min(max(anchor.y, box.y), box.y + box.height)
            if hypot(nearestX - anchor.x, nearestY - anchor.y) > 8 {
                svg.line(x1: anchor.x, y1: anchor.y, x2: nearestX, y2: nearestY, stroke: "#999999", width: 0.6)
            }
        }
        for (index, point) in points.enumerated() {
            let anchor = anchors[index]
            svg.circle(cx: anchor.x, cy: anchor.y, r: point.emphasised ? 5 : 3.5, fill: PlotPalette.color(point.group),
                       title: "\(point.label) (\(SVGDocument.number(point.x)), \(SVGDocument.number(point.y)))")
        }
        for (index, point) in points.enumerated() {
            let box = boxes[index]
            svg.text(point.label, x: box.x, y: box.y + box.height * 0.8, size: Self.fontSize,
                     fill: point.emphasised ? "#000000" : "#333333", weight: point.emphasised ? "bold" : nil)
        }
        svg.text(title, x: width / 2, y: 28, size: 18, anchor: .middle, weight: "bold")
        if let caption { svg.text(caption, x: width / 2, y: height - 14, size: 12, anchor: .middle, fill: "#555555") }
        if !groupNames.isEmpty {
            var x = area.x
            let y = height - 38
            for (group, name) in groupNames.enumerated() {
                svg.circle(cx: x + 5, cy: y - 4, r: 5, fill: PlotPalette.color(group))
                svg.text(name, x: x + 14, y: y, size: 12)
                x += 24 + LabelPlacement.estimatedWidth(name, fontSize: 12)
                if x > width - 80 { break }
            }
        }
        return svg
    }

    func drawAxes(_ svg: inout SVGDocument, area: LabelBox, xRange: (Double, Double), yRange: (Double, Double),
                  sx: (Double) -> Double, sy: (Double) -> Double) {
        svg.rectangle(x: area.x, y: area.y, width: area.width, height: area.height, fill: "#fbfbfb", stroke: "#cccccc")
        let xTicks = niceTicks(low: xRange.0, high: xRange.1)
        let yTicks = niceTicks(low: yRange.0, high: yRange.1)
        let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
        let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        for tick in xTicks {
            svg.line(x1: sx(tick), y1: area.y, x2: sx(tick), y2: area.y + area.height, stroke: "#eeeeee")
            svg.text(tickLabel(tick, step: xStep), x: sx(tick), y: area.y + area.height + 16, size: 11, anchor: .middle, fill: "#555555")
        }
        for tick in yTicks {
            svg.line(x1: area.x, y1: sy(tick), x2: area.x + area.width, y2: sy(tick), stroke: "#eeeeee")
            svg.text(tickLabel(tick, step: yStep), x: area.x - 6, y: sy(tick) + 4, size: 11, anchor: .end, fill: "#555555")
        }
        svg.text(xLabel, x: area.x + area.width / 2, y: area.y + area.height + 34, size: 12, anchor: .middle)
        svg.text(yLabel, x: 18, y: area.y + area.height / 2, size: 12, anchor: .middle, rotation: -90)
    }
}
