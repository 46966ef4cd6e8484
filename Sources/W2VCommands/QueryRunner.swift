import Embeddings
import ModelStorage

/// `similar`, `analogy`, `similarity` and `doesnt-match`: load the model, ask ``QueryService``, print.
enum QueryRunner {
    static func loaded(_ options: StoreOptions, _ selection: ModelSelection) throws -> (QueryService, StoredModel) {
        let service = QueryService(storeOptions: options)
        return (service, try service.loadModel(selection.name, from: try service.openStore()))
    }

    static func similar(_ command: Similar) throws {
        let (service, model) = try loaded(command.storeOptions, command.selection)
        let list = try service.similar(command.word, count: command.countOption.count, restrictTo: command.restrict, in: model)
        try printScores(list, json: command.output.json)
    }

    static func analogy(_ command: Analogy) throws {
        let (service, model) = try loaded(command.storeOptions, command.selection)
        let list = try service.analogy(command.a, command.b, command.c, count: command.countOption.count,
                                       method: command.method, in: model)
        try printScores(list, json: command.output.json)
    }

    static func similarity(_ command: Similarity) throws {
        let (service, model) = try loaded(command.storeOptions, command.selection)
        let result = try service.similarity(command.first, command.second, in: model)
        if command.output.json {
            StandardStreams.printLine(try JSONOutput.string(result))
        } else {
            let table = TextTable(columns: [.init("word 1"), .init("word 2"), .init("similarity", .right)],
                                  rows: [[result.word1, result.word2, formatFixed(result.similarity, decimals: 4)]])
            StandardStreams.printLine(table.render())
        }
    }

    static func doesntMatch(_ command: DoesntMatch) throws {
        let (service, model) = try loaded(command.storeOptions, command.selection)
        let odd = try service.doesntMatch(command.words, in: model)
        StandardStreams.printLine(command.output.json ? try JSONOutput.string(odd) : odd.word)
    }

    static func printScores(_ list: WordScoreList, json: Bool) throws {
        StandardStreams.printLine(json ? try JSONOutput.string(list) : list.table.render())
    }
}

/// The `--json` document of `similarity`.
public struct PairSimilarity: Codable, Sendable, Equatable {
    public var word1: String
    public var word2: String
    public var similarity: Double
}

/// The `--json` document of `doesnt-match`.
public struct OddOneOut: Codable, Sendable, Equatable {
    /// The word that does not match.
    public var word: String
    /// All the words asked about.
    public var words: [String]
}

/// The Double whose shortest decimal form is the Float's (0.8123 stays 0.8123 in JSON, not 0.81230002641677856).
func shortestDouble(_ value: Float) -> Double {
    Double(String(describing: value)) ?? Double(value)
}
