import Embeddings
import ModelStorage
import Plotting
import Projection

/// The documents that the query commands print with `--json`, computed from a store: the one
/// implementation behind the command line and `w2v serve`, so the two always agree.
///
/// Every method throws a ``CommandFailure`` whose message and hint are the ones the command
/// line prints (an unknown word with its suggestions, an unknown model with the available
/// ones). The store is opened read-only.
public struct QueryService: Sendable {
    let access: StoreAccess

    /// The service for the store that `options` choose (`--store`, `$W2V_STORE`, `./w2v.sqlite`).
    public init(storeOptions: StoreOptions) {
        access = StoreAccess(storeOptions)
    }

    /// The store file's path.
    public var storePath: String { access.path }

    /// Opens the store read-only (a clear failure when it is missing or not a store).
    public func openStore() throws -> VectorStore { try access.openForReading() }

    /// The name of `name`, or of the most recently stored model.
    public func modelName(_ name: String?, in store: VectorStore) throws -> String {
        try access.modelName(name, in: store)
    }

    /// Loads a model (`name`, else the most recently stored one).
    public func loadModel(_ name: String?, from store: VectorStore) throws -> StoredModel {
        let chosen = try access.modelName(name, in: store)
        do { return try store.load(chosen) } catch { throw access.mapped(error) }
    }

    /// `w2v models --json`.
    public func modelList(in store: VectorStore) throws -> ModelList {
        do {
            return ModelList(store: access.path, models: try store.models().map(ModelListing.init),
                             networks: try store.networks().map(NetworkListing.init))
        } catch {
            throw access.mapped(error)
        }
    }

    /// `w2v info NAME --json` when NAME is a network (a language model): its details, else nil.
    public func networkDetails(of name: String?, in store: VectorStore) throws -> NetworkDetails? {
        guard let name else { return nil }
        let networks: [NetworkSummary]
        do { networks = try store.networks() } catch { throw access.mapped(error) }
        return networks.first { $0.name == name }.map { NetworkDetails($0, store: access.path) }
    }

    /// `w2v info --json`.
    public func details(of name: String?, in store: VectorStore) throws -> ModelDetails {
        let chosen = try access.modelName(name, in: store)
        do {
            var details = ModelDetails(try store.summary(of: chosen), store: access.path)
            details.outputWeightsStored = try store.hasOutputVectors(chosen)
            return details
        } catch { throw access.mapped(error) }
    }

    /// `w2v similar WORD -n COUNT [--restrict N] --json`.
    public func similar(_ word: String, count: Int, restrictTo restrict: Int? = nil, in model: StoredModel) throws -> WordScoreList {
        let vectors = model.vectors
        let limit = restrict.map { min($0, vectors.count) }
        return scores(try asking(model) { try vectors.mostSimilar(to: word, count: count, restrictTo: limit) })
    }

    /// ``similar(_:count:restrictTo:in:)`` for several words at once, with one matrix product
    /// (`mostSimilar(toEach:)`, sgemm) instead of one pass over the vectors per word: what a
    /// server does with requests that arrive together. The similarities can differ from the
    /// single query's in the last bits of a Float (another summation order); the words and their
    /// order are the same except between near-ties.
    public func similar(eachOf words: [String], count: Int, restrictTo restrict: Int? = nil,
                        in model: StoredModel) throws -> [WordScoreList] {
        let vectors = model.vectors
        let limit = restrict.map { min($0, vectors.count) }
        return try asking(model) { try vectors.mostSimilar(toEach: words, count: count, restrictTo: limit) }.map(scores)
    }

    /// `w2v analogy A B C -n COUNT --method add|mul --json` (B - A + C).
    public func analogy(_ a: String, _ b: String, _ c: String, count: Int, method: AnalogyMethod,
                        in model: StoredModel) throws -> WordScoreList {
        scores(try asking(model) {
            try model.vectors.analogy(a, isTo: b, as: c, count: count, method: method)
        })
    }

    /// `w2v similarity W1 W2 --json`.
    public func similarity(_ first: String, _ second: String, in model: StoredModel) throws -> PairSimilarity {
        let value = try asking(model) { try model.vectors.similarity(first, second) }
        return PairSimilarity(word1: first, word2: second, similarity: shortestDouble(value))
    }

    /// `w2v doesnt-match W... --json`.
    public func doesntMatch(_ words: [String], in model: StoredModel) throws -> OddOneOut {
        OddOneOut(word: try asking(model) { try model.vectors.doesntMatch(words) }, words: words)
    }

    /// Vocabulary words starting with `prefix` (ignoring case), most frequent first, for a search
    /// box: the model's rows are in frequency order, so this is the first `count` matches.
    public func completions(of prefix: String, count: Int, in model: StoredModel) -> CompletionList {
        let folded = prefix.lowercased()
        var words: [String] = []
        if folded.isEmpty {
            words = Array(model.vectors.words.prefix(count))
        } else {
            for word in model.vectors.words where words.count < count {
                if word.hasPrefix(prefix) || word.lowercased().hasPrefix(folded) { words.append(word) }
            }
        }
        return CompletionList(prefix: prefix, words: words)
    }

    /// The 2-D projection of `words` and, with `neighbors > 0`, each one's nearest neighbours
    /// (`w2v plot` draws it; `/api/projection` serves it). Points are the unit vectors (cosine
    /// geometry, as the queries use); each point's group is the query word it came with (a word
    /// listed twice, or a neighbour of two query words, appears once, in its first group).
    public func projection(of words: [String], neighbors: Int, method: ProjectionMethodOption, seed: UInt64 = 1,
                           in model: StoredModel) throws -> ProjectionDocument {
        var seen: Set<String> = []
        var entries: [(word: String, group: String, isQuery: Bool)] = []
        let queries = words.filter { seen.insert($0).inserted }
        for word in queries { entries.append((word, word, true)) }
        if neighbors > 0 {
            for word in queries {
                let found = try asking(model) { try model.vectors.mostSimilar(to: word, count: neighbors) }
                for neighbor in found where seen.insert(neighbor.word).inserted {
                    entries.append((neighbor.word, word, false))
                }
            }
        } else {
            for word in queries { _ = try asking(model) { try model.vectors.requireID(for: word) } }
        }
        let unit = model.vectors.unitVectors
        let points = entries.map { entry in unit.row(model.vectors.id(for: entry.word)!).map(Double.init) }
        let coordinates: [[Double]]
        var explained: [Double]? = nil
        do {
            switch method {
            case .pca:
                let pca = try PrincipalComponents(points: points)
                coordinates = pca.coordinates
                explained = pca.explainedVarianceRatio.map(shortest)
            case .tsne:
                coordinates = try StochasticNeighborEmbedding(points: points, configuration: TSNEConfiguration(seed: seed)).coordinates
            }
        } catch {
            var failure = CommandFailure(explaining: error)
            failure.kind = .invalidInput
            throw failure
        }
        return ProjectionDocument(
            method: method.rawValue, model: model.name, explainedVariance: explained,
            points: zip(entries, coordinates).map { entry, xy in
                ProjectionPoint(word: entry.word, x: shortest(xy[0]), y: shortest(xy[1]), group: entry.group, query: entry.isQuery)
            })
    }

    /// Runs a query, turning `QueryError`s into the messages that name the model.
    func asking<T>(_ model: StoredModel, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw ErrorHints.failure(for: error, store: access, model: model.name, modelMethod: model.metadata.method)
                ?? CommandFailure(error)
        }
    }

    func scores(_ neighbors: [Neighbor]) -> WordScoreList {
        WordScoreList(results: neighbors.map { WordScore(word: $0.word, similarity: shortestDouble($0.similarity)) })
    }
}

/// How `w2v plot` and `/api/projection` reduce vectors to two dimensions.
public enum ProjectionMethodOption: String, CaseIterable, Sendable {
    /// Principal component analysis through the SVD (deterministic; shows explained variance).
    case pca
    /// Exact t-SNE (van der Maaten & Hinton 2008), seeded; for up to a few thousand points.
    case tsne
}

/// `/api/complete`: vocabulary words for a search box.
public struct CompletionList: Codable, Sendable, Equatable {
    public var prefix: String
    public var words: [String]
}

/// One point of a projection.
public struct ProjectionPoint: Codable, Sendable, Equatable {
    public var word: String
    public var x: Double
    public var y: Double
    /// The query word this point belongs to (itself for a query word).
    public var group: String
    /// Whether the point is one of the query words (not a neighbour).
    public var query: Bool
}

/// `/api/projection` and what `w2v plot` draws: `{"points": [{"word", "x", "y", "group"}], ...}`.
public struct ProjectionDocument: Codable, Sendable, Equatable {
    /// `pca` or `tsne`.
    public var method: String
    /// The model projected.
    public var model: String
    /// PCA only: the share of variance of each of the two components.
    public var explainedVariance: [Double]?
    public var points: [ProjectionPoint]
}

/// A Double rounded to 6 significant digits, so that JSON stays short.
func shortest(_ value: Double) -> Double {
    guard value.isFinite, value != 0 else { return value }
    return Double(String(format: "%.6g", value)) ?? value
}
