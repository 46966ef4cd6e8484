import Embeddings
import ArgumentParser

/// `w2v similar WORD [-n 10]`.
public struct Similar: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "List the words closest to WORD by cosine similarity.",
        discussion: """
        Examples:
          w2v similar king
          w2v similar paris -n 5 --json
          w2v similar computer --name wiki8-skipgram --restrict 30000
        """
    )

    @Argument(help: "The word to look up.")
    public var word: String

    @OptionGroup public var countOption: CountOption

    @Option(parsing: .unconditional, help: ArgumentHelp("Search only the N most frequent words.", valueName: "n"))
    public var restrict: Int?

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        if let restrict { try check(restrict, in: 1...Int(Int32.max), "--restrict") }
    }

    public func run() throws { try QueryRunner.similar(self) }
}

/// `w2v analogy A B C [-n 10] [--method add|mul]`.
public struct Analogy: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Solve A is to B as C is to ? (word2vec's order: w2v analogy man king woman).",
        discussion: """
        The arguments follow the original word2vec tool's word-analogy: A B C asks for the word D with B - A + C closest to D, so "w2v analogy man king woman" asks man : king :: woman : ? (the sample model answers "queen"; a model trained on a small corpus such as wiki8 may rank "throne" or "regent" above it, so look at the top few with -n). The three query words themselves are never answers. --method add is 3CosAdd (Mikolov et al. 2013); --method mul is 3CosMul (Levy & Goldberg 2014).

        Examples:
          w2v analogy man king woman
          w2v analogy paris france rome -n 3
          w2v analogy walking walked swimming --method mul --json
        """
    )

    @Argument(help: "A, as in A is to B.")
    public var a: String
    @Argument(help: "B, as in A is to B.")
    public var b: String
    @Argument(help: "C, as in as C is to ?.")
    public var c: String

    @OptionGroup public var countOption: CountOption

    @Option(help: "add (3CosAdd) or mul (3CosMul).")
    public var method: AnalogyMethod = .add

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func run() throws { try QueryRunner.analogy(self) }
}

/// `w2v similarity W1 W2`.
public struct Similarity: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Print the cosine similarity of two words.",
        discussion: """
        Examples:
          w2v similarity king queen
          w2v similarity cat dog --json
        """
    )

    @Argument(help: "The first word.")
    public var first: String
    @Argument(help: "The second word.")
    public var second: String

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func run() throws { try QueryRunner.similarity(self) }
}

/// `w2v doesnt-match W...`.
public struct DoesntMatch: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "doesnt-match",
        abstract: "Find the word that does not belong with the others.",
        discussion: """
        The odd one out is the word least similar to the mean of the normalised vectors.

        Examples:
          w2v doesnt-match breakfast cereal dinner lunch
          w2v doesnt-match paris berlin rome apple --json
        """
    )

    @Argument(help: "Three or more words.")
    public var words: [String]

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        guard words.count >= 3 else {
            throw ValidationError("doesnt-match needs at least three words (got \(words.count)), e.g. w2v doesnt-match paris berlin rome apple.")
        }
    }

    public func run() throws { try QueryRunner.doesntMatch(self) }
}
