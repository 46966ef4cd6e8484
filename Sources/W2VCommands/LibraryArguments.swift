import ArgumentParser
import Embeddings
import VectorFormats
import Word2Vec

// The library's own option types, parsed from the command line (retroactive conformances here,
// so the library never learns about argument parsing and the CLI copies no enum by hand).

/// `--format word2vec|word2vec-binary|glove`: the raw values are the command-line spellings.
extension VectorFileFormat: ExpressibleByArgument {}

/// `--method add|mul`: 3CosAdd or 3CosMul (spelled `mul`, after gensim's `most_similar_cosmul`).
extension AnalogyMethod: ExpressibleByArgument {
    /// The command-line spelling.
    public var argument: String { self == .add ? "add" : "mul" }

    public init?(argument: String) {
        guard let method = Self.allCases.first(where: { $0.argument == argument }) else { return nil }
        self = method
    }

    public static var allValueStrings: [String] { allCases.map(\.argument) }
    public var defaultValueDescription: String { argument }
}

/// `--update per-pair|hogbatch`.
extension SkipGramUpdate: ExpressibleByArgument {
    /// The command-line spelling.
    public var argument: String { self == .perPair ? "per-pair" : "hogbatch" }

    public init?(argument: String) {
        guard let update = Self.allCases.first(where: { $0.argument == argument }) else { return nil }
        self = update
    }

    public static var allValueStrings: [String] { allCases.map(\.argument) }
    public var defaultValueDescription: String { argument }
}
