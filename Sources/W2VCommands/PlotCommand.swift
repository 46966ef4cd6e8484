import ArgumentParser

extension ProjectionMethodOption: ExpressibleByArgument {}

/// `w2v plot WORD... [--neighbors N] [--method pca|tsne] --output FILE.svg` and
/// `w2v plot --loss --output FILE.svg`.
public struct Plot: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Draw words in 2-D (PCA or t-SNE) or a model's training curve, as an SVG file.",
        discussion: """
        With words: a 2-D projection of their unit vectors (and, with --neighbors N, of each word's N nearest neighbours, coloured by the word they belong to). PCA is deterministic and its caption gives the share of variance the two axes explain; t-SNE (exact, seeded by --seed) separates neighbourhoods better but its axes mean nothing. Every point is labelled; overlapping labels are nudged apart.

        With --loss: the model's training loss per percent of training, and its learning rate on a second axis, as recorded when it was trained (w2v info shows the numbers).

        Examples:
          w2v plot king queen man woman --output royals.svg
          w2v plot france italy --neighbors 8 --method tsne --output c.svg
          w2v plot --loss --name sample-skipgram --output loss.svg
        """
    )

    @Argument(help: "The words to draw (none with --loss).")
    public var words: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("Also draw each word's N nearest neighbours (0...100).", valueName: "n"))
    public var neighbors = 0

    @Option(help: "pca (principal components) or tsne (exact t-SNE).")
    public var method: ProjectionMethodOption = .pca

    @Option(parsing: .unconditional, help: "The seed of t-SNE's starting layout.")
    public var seed: UInt64 = 1

    @Flag(help: "Draw the training curve (loss and learning rate) instead of words.")
    public var loss = false

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The SVG file to write.", valueName: "file.svg"))
    public var output: String

    @Option(help: "The plot's title (default: says what is drawn).")
    public var title: String?

    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    /// Most words (with their neighbours) a plot takes.
    public static let maximumPoints = 3000

    public func validate() throws {
        if output.isEmpty { throw ValidationError("--output needs a file path, e.g. --output words.svg.") }
        try check(neighbors, in: 0...100, "--neighbors")
        if loss {
            if !words.isEmpty { throw ValidationError("--loss draws the training curve and takes no words (got \(words.joined(separator: " "))).") }
            if neighbors > 0 { throw ValidationError("--neighbors is for word plots, not --loss.") }
        } else {
            guard !words.isEmpty else {
                throw ValidationError("Give the words to draw, e.g. w2v plot king queen man woman --output royals.svg (or --loss for the training curve).")
            }
            if neighbors == 0 && words.count < (method == .pca ? 2 : 3) {
                throw ValidationError("A \(method == .pca ? "PCA" : "t-SNE") plot needs at least \(method == .pca ? 2 : 3) words, or --neighbors N.")
            }
            if words.count * (neighbors + 1) > Self.maximumPoints {
                throw ValidationError("At most \(Self.maximumPoints) points are drawn; \(words.count) words with \(neighbors) neighbours each is \(words.count * (neighbors + 1)).")
            }
        }
    }

    public func run() throws { try PlotRunner.run(self) }
}
