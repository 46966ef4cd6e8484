import Foundation

/// Hyperparameters as a model's metadata keeps them: the top-level fields of a configuration's
/// own JSON encoding, each as text (`"windowSize": "5"`, `"skipGramUpdate": "hogBatch"`);
/// nested values keep their compact JSON text. Absent (nil) fields are left out.
enum RecordedParameters {
    static func flatten<Configuration: Encodable>(_ configuration: Configuration) -> [String: String] {
        guard let data = try? JSONEncoder().encode(configuration),
              let fields = try? JSONDecoder().decode([String: JSONValue].self, from: data) else { return [:] }
        return fields.compactMapValues(\.text)
    }
}

/// Any JSON value, to turn a configuration's encoding back into text field by field.
indirect enum JSONValue: Codable, Equatable {
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .bool(value): try container.encode(value)
        case let .integer(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        case .null: try container.encodeNil()
        }
    }

    /// The value as text: scalars as they read, containers as compact sorted JSON; nil for null.
    var text: String? {
        switch self {
        case let .bool(value): return value ? "true" : "false"
        case let .integer(value): return "\(value)"
        case let .number(value): return "\(value)"
        case let .string(value): return value
        case .null: return nil
        case .array, .object:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
