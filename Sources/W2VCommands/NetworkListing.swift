import Foundation
import ModelStorage
import TensorCore

/// Any JSON value, to show a network's configuration as it was stored.
public enum JSONValue: Codable, Sendable, Equatable {
    case string(String), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .string(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .bool(value): try container.encode(value)
        case .null: try container.encodeNil()
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    /// The value as table text.
    public var text: String {
        switch self {
        case let .string(value): return value
        case let .number(value): return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case let .bool(value): return "\(value)"
        case .null: return "-"
        case let .array(values): return values.map(\.text).joined(separator: ", ")
        case let .object(values): return values.keys.sorted().map { "\($0)=\(values[$0]!.text)" }.joined(separator: ", ")
        }
    }
}

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
    public var configuration: JSONValue
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
        configuration = (try? JSONDecoder().decode(JSONValue.self, from: Data(summary.configuration.utf8))) ?? .string(summary.configuration)
        details = summary.details
        history = summary.history
    }

    /// The text shown by `w2v info`: properties, then the history table.
    var text: String {
        var rows: [[String]] = [["name", name], ["store", store], ["kind", kind],
                                ["words", vocabularySize.map(grouped) ?? "-"], ["parameters", grouped(parameters)],
                                ["created", createdAt], ["toolkit", toolkitVersion]]
        if case let .object(values) = configuration {
            for key in values.keys.sorted() { rows.append([key, values[key]!.text]) }
        }
        for key in details.keys.sorted() { rows.append([key, details[key]!]) }
        var text = TextTable(columns: [.init("property"), .init("value")], rows: rows).render()
        if let history, !history.points.isEmpty {
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
