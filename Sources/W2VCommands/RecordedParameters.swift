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

    /// The configuration whose ``flatten(_:)`` gave `parameters` (other keys are ignored).
    ///
    /// Text is read back as the JSON it came from: `true`/`false`, integers and numbers as such,
    /// compact JSON containers as themselves, anything else as a string; a field the
    /// configuration wants as a string although it reads as a number (an end-of-sentence marker
    /// "0") is retried as the string. Nil when the parameters do not make a `Configuration`
    /// (they were recorded by an older w2v under other names, or a field is missing).
    static func restore<Configuration: Decodable>(_ type: Configuration.Type, from parameters: [String: String]) -> Configuration? {
        var fields = parameters.mapValues(JSONValue.init(recordedText:))
        for _ in 0...parameters.count {
            guard let data = try? JSONEncoder().encode(fields) else { return nil }
            do {
                return try JSONDecoder().decode(type, from: data)
            } catch let DecodingError.typeMismatch(_, context) {
                guard let key = context.codingPath.first?.stringValue, let text = parameters[key],
                      fields[key] != .string(text) else { return nil }
                fields[key] = .string(text)
            } catch {
                return nil
            }
        }
        return nil
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

    /// The JSON value recorded as `text` by ``text``, as best it can be told.
    init(recordedText text: String) {
        if text == "true" { self = .bool(true) }
        else if text == "false" { self = .bool(false) }
        else if let value = Int(text) { self = .integer(value) }
        else if let value = Double(text), value.isFinite { self = .number(value) }
        else if text.hasPrefix("[") || text.hasPrefix("{"),
                let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) { self = value }
        else { self = .string(text) }
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
