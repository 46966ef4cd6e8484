import ArgumentParser
import Embeddings
import LanguageModels
import VectorFormats
import Word2Vec

// The library's own option types, parsed from the command line (retroactive conformances here,
// so the library never learns about argument parsing and the CLI copies no enum by hand).

/// `--format word2vec|word2vec-binary|glove`: the raw values are the command-line spellings.
extension VectorFileFormat: ExpressibleByArgument {}

/// A library enum whose command-line spelling differs from its Swift case name: each case
/// names its spelling; parsing (`spelled`), the value list and the default's text follow from it.
public protocol CommandLineSpelling: CaseIterable, ExpressibleByArgument {
    /// The command-line spelling.
    var argument: String { get }
}

extension CommandLineSpelling {
    /// The case spelled `argument`, if any.
    static func spelled(_ argument: String) -> Self? { allCases.first { $0.argument == argument } }

    public static var allValueStrings: [String] { allCases.map(\.argument) }
    public var defaultValueDescription: String { argument }
}

/// `--method add|mul`: 3CosAdd or 3CosMul (spelled `mul`, after gensim's `most_similar_cosmul`).
extension AnalogyMethod: CommandLineSpelling {
    public var argument: String { self == .add ? "add" : "mul" }
    public init?(argument: String) { guard let method = Self.spelled(argument) else { return nil }; self = method }
}

/// `--update per-pair|hogbatch`.
extension SkipGramUpdate: CommandLineSpelling {
    public var argument: String { self == .perPair ? "per-pair" : "hogbatch" }
    public init?(argument: String) { guard let update = Self.spelled(argument) else { return nil }; self = update }
}

/// `--optimizer sgd|adam`.
extension LanguageModelConfiguration.OptimizerKind: ExpressibleByArgument {}

/// `--init book|uniform|uniform:LIMIT`: the book's N(0, 1/fan-in) or U(−limit, limit) (limit 0.1
/// unless given).
extension LanguageModelConfiguration.Initialization: ExpressibleByArgument {
    public init?(argument: String) {
        if argument == "book" {
            self = .scaledNormal
        } else if argument == "uniform" {
            self = .uniform(limit: 0.1)
        } else if argument.hasPrefix("uniform:"), let limit = Float(argument.dropFirst("uniform:".count)),
                  limit > 0, limit.isFinite {
            self = .uniform(limit: limit)
        } else {
            return nil
        }
    }

    public static var allValueStrings: [String] { ["book", "uniform", "uniform:LIMIT"] }
}
