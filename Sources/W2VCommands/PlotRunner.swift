import Foundation
import ModelStorage
import Plotting
import TensorCore

/// `w2v plot`: a projection or a training curve, written as SVG.
enum PlotRunner {
    static func run(_ command: Plot) throws {
        let service = QueryService(storeOptions: command.storeOptions)
        let store = try service.openStore()
        if command.loss {
            let details = try service.details(of: command.selection.name, in: store)
            let chart = try lossChart(details, title: command.title)
            try write(chart.document(), to: command.output)
            StandardStreams.printLine("Wrote the training curve of \"\(details.name)\" (\(chart.primary.points.count) points) to \(command.output).")
            return
        }
        let model = try service.loadModel(command.selection.name, from: store)
        let document = try service.projection(of: command.words, neighbors: command.neighbors, method: command.method,
                                              seed: command.seed, in: model)
        let plot = scatterPlot(document, title: command.title, seed: command.seed)
        try write(plot.document(), to: command.output)
        StandardStreams.printLine("Wrote \(document.points.count) words (\(command.method == .pca ? "PCA" : "t-SNE") of \"\(model.name)\") to \(command.output).")
    }

    static func write(_ document: @autoclosure () throws(PlotError) -> SVGDocument, to path: String) throws {
        do {
            try document().write(to: path)
        } catch {
            throw CommandFailure(explaining: error)
        }
    }

    /// The scatter plot of a projection: groups in query order, query words emphasised.
    static func scatterPlot(_ document: ProjectionDocument, title: String?, seed: UInt64) -> ScatterPlot {
        var groups: [String] = []
        for point in document.points where !groups.contains(point.group) { groups.append(point.group) }
        let hasNeighbours = document.points.contains { !$0.query }
        let points = document.points.map {
            ScatterPoint(label: $0.word, x: $0.x, y: $0.y, group: hasNeighbours ? groups.firstIndex(of: $0.group) ?? 0 : 0,
                         emphasised: hasNeighbours && $0.query)
        }
        let count = document.points.count
        var plot: ScatterPlot
        if document.method == ProjectionMethodOption.pca.rawValue {
            let shares = (document.explainedVariance ?? []).map { formatFixed($0 * 100, decimals: 1) + "%" }
            let first = shares.first ?? "0%", second = shares.count > 1 ? shares[1] : "0%"
            plot = ScatterPlot(
                title: title ?? "\(count) words of \(document.model) (PCA)",
                caption: "PCA of the unit vectors: the axes explain \(first) and \(second) of the variance of these \(count) words.",
                xLabel: "principal component 1 (\(first))", yLabel: "principal component 2 (\(second))",
                points: points, groupNames: hasNeighbours ? groups : [])
        } else {
            plot = ScatterPlot(
                title: title ?? "\(count) words of \(document.model) (t-SNE)",
                caption: "Exact t-SNE of the unit vectors (seed \(seed)): nearby points are neighbours; distances between clusters and the axes mean little.",
                xLabel: "t-SNE 1", yLabel: "t-SNE 2", points: points, groupNames: hasNeighbours ? groups : [])
        }
        return plot
    }

    /// The training curve of a model: loss (left axis) and learning rate (right axis).
    static func lossChart(_ details: ModelDetails, title: String?) throws -> LineChart {
        guard let history = details.trainingHistory, !history.points.isEmpty else {
            throw CommandFailure("The model \"\(details.name)\" (\(details.method)) has no training history to plot.",
                                 hint: details.method == "imported"
                                    ? "Imported vectors carry no history; train a model with w2v train to get one."
                                    : "It was stored before w2v recorded training histories; train it again to record one.")
        }
        let lossPoints = history.points.compactMap { point in point.loss.map { LineChart.Point(x: point.position, y: $0) } }
        guard !lossPoints.isEmpty else {
            throw CommandFailure("The model \"\(details.name)\" (\(details.method)) recorded no loss: \(details.method) is not trained by gradient descent.",
                                 hint: "w2v info \(shellQuoted(details.name)) shows the history it has (elapsed time per stage).")
        }
        let ratePoints = history.points.compactMap { point in point.learningRate.map { LineChart.Point(x: point.position, y: $0) } }
        let unit = history.unit == "percent" ? "percent of training" : history.unit
        var caption = "Mean loss per prediction between points"
        if let seconds = details.trainingSeconds { caption += "; trained in \(formatFixed(seconds, decimals: 1)) s" }
        if let corpus = details.corpus { caption += " on \(URL(fileURLWithPath: corpus.path).lastPathComponent)" }
        return LineChart(title: title ?? "Training of \(details.name) (\(details.method))", caption: caption + ".",
                         xLabel: unit, primary: .init(name: "loss", points: lossPoints),
                         secondary: ratePoints.isEmpty ? nil : .init(name: "learning rate", points: ratePoints))
    }
}
