import Embeddings
import ModelStorage

/// `similar`, `analogy`, `similarity` and `doesnt-match`: load the model, ask, print.
enum QueryRunner {
    static func similar(_ command: Similar) throws {
        let access = StoreAccess(command.storeOptions)
        let model = try access.loadModel(command.selection.name)
        let vectors = model.vectors
        let restrict = command.restrict.map { min($0, vectors.count) }
        let neighbors = try asking(model, access) {
            try vectors.mostSimilar(to: command.word, count: command.countOption.count, restrictTo: restrict)
        }
        try printScores(neighbors, json: command.output.json)
    }

    static func analogy(_ command: Analogy) throws {
        let access = StoreAccess(command.storeOptions)
        let model = try access.loadModel(command.selection.name)
        let method = command.method
        let answers = try asking(model, access) {
            try model.vectors.analogy(command.a, isTo: command.b, as: command.c,
                                      count: command.countOption.count, method: method)
        }
        try printScores(answers, json: command.output.json)
    }

    static func similarity(_ command: Similarity) throws {
        let access = StoreAccess(command.storeOptions)
        let model = try access.loadModel(command.selection.name)
        let value = try asking(model, access) { try model.vectors.similarity(command.first, command.second) }
        let result = PairSimilarity(word1: command.first, word2: command.second, similarity: shortestDouble(value))
        if command.output.json {
            StandardStreams.printLine(try JSONOutput.string(result))
        } else {
            let table = TextTable(columns: [.init("word 1"), .init("word 2"), .init("similarity", .right)],
                                  rows: [[result.word1, result.word2, formatFixed(result.similarity, decimals: 4)]])
            StandardStreams.printLine(table.render())
        }
    }

    static func doesntMatch(_ command: DoesntMatch) throws {
        let access = StoreAccess(command.storeOptions)
        let model = try access.loadModel(command.selection.name)
        let odd = try asking(model, access) { try model.vectors.doesntMatch(command.words) }
        if command.output.json {
            StandardStreams.printLine(try JSONOutput.string(OddOneOut(word: odd, words: command.words)))
        } else {
            StandardStreams.printLine(odd)
        }
    }

    /// Runs a query, turning `QueryError`s into messages that name the model.
    static func asking<T>(_ model: StoredModel, _ access: StoreAccess, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ErrorHints.failure(for: error, store: access, model: model.name, modelMethod: model.metadata.method)
                ?? CommandFailure(error)
        }
    }

    static func printScores(_ neighbors: [Neighbor], json: Bool) throws {
        let list = WordScoreList(results: neighbors.map { WordScore(word: $0.word, similarity: shortestDouble($0.similarity)) })
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
