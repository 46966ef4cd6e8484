import Foundation
import ModelStorage
import TensorCore

/// One network in `w2v models --json` (the `networks` list).
public struct NetworkListing: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var vocabularySize: Int?
    public var parameters: Int
    public var createdAt: String
    public var toolkitVersion: String
    public var epochs: Int
    public var validPerplexity: Double?

    init(_ summary: NetworkSummary) {
        name = summary.name
        kind = summary.kind
        vocabularySize = summary.vocabularySize
        parameters = summary.parameterCount
        createdAt = isoTime(summary.createdAt)
        toolkitVersion = summary.toolkitVersion
        epochs = summary.history?.points.count ?? 0
        validPerplexity = summary.history?.points.compactMap { $0.validation["valid_perplexity"] }.min()
    }
}

/// `w2v info NAME --json` for a network: its configuration and per-epoch history.
public struct NetworkDetails: Codable, Sendable, Equatable {
    public var name: String
    public var store: String
    public var kind: String
    public var vocabularySize: Int?
    public var parameters: Int
    public var createdAt: String
    public var toolkitVersion: String
    /// The stored configuration's top-level fields as text.
    public var configuration: [String: String]
    public var details: [String: String]
    public var history: TrainingHistory?

    init(_ summary: NetworkSummary, store: String) {
        name = summary.name
        self.store = store
        kind = summary.kind
        vocabularySize = summary.vocabularySize
        parameters = summary.parameterCount
        createdAt = isoTime(summary.createdAt)
        toolkitVersion = summary.toolkitVersion
        configuration = ((try? JSONDecoder().decode([String: JSONValue].self, from: Data(summary.configuration.utf8))) ?? [:])
            .compactMapValues(\.text)
        details = summary.details
        history = summary.history
    }

    /// The text shown by `w2v info`: properties, then the history table.
    var text: String {
        var rows: [[String]] = [["name", name], ["store", store], ["kind", kind],
                                ["words", vocabularySize.map(grouped) ?? "-"], ["parameters", grouped(parameters)],
                                ["created", createdAt], ["toolkit", toolkitVersion]]
        for key in configuration.keys.sorted() { rows.append([key, configuration[key]!]) }
        for key in details.keys.sorted() { rows.append([key, details[key]!]) }
        var text = TextTable(columns: [.init("property"), .init("value")], rows: rows).render()
        if let history, !history.points.isEmpty, history.points.contains(where: { $0.validation["test_accuracy"] != nil }) {
            // seq2seq: loss and held-out exact-match accuracy per epoch
            let epochRows = history.points.map { point -> [String] in
                [formatFixed(point.position, decimals: 0), point.loss.map { formatFixed($0, decimals: 4) } ?? "-",
                 point.validation["test_accuracy"].map { formatFixed($0 * 100, decimals: 2) + "%" } ?? "-",
                 point.elapsedSeconds.map { formatFixed($0, decimals: 1) } ?? "-"]
            }
            text += "\n\n" + TextTable(columns: [.init(history.unit, .right), .init("loss", .right), .init("test accuracy", .right),
                                                 .init("seconds", .right)], rows: epochRows).render()
        } else if let history, !history.points.isEmpty {
            let epochRows = history.points.map { point -> [String] in
                [formatFixed(point.position, decimals: 0),
                 point.loss.map { formatFixed(Double.exp($0), decimals: 2) } ?? "-",
                 point.validation["valid_perplexity"].map { formatFixed($0, decimals: 2) } ?? "-",
                 point.learningRate.map { formatFixed($0, decimals: 4) } ?? "-",
                 point.elapsedSeconds.map { formatFixed($0, decimals: 1) } ?? "-"]
            }
            text += "\n\n" + TextTable(columns: [.init(history.unit, .right), .init("train ppl", .right), .init("valid ppl", .right),
                                                 .init("lr", .right), .init("seconds", .right)], rows: epochRows).render()
        }
        return text
    }
}
