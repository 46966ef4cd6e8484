import ArgumentParser
import Foundation
import VectorFormats

/// `w2v import FILE [--format ...] [--name NAME]`.
public struct Import: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Import vectors from a word2vec (text or binary) or GloVe file into the store.",
        discussion: """
        Without --format the format is detected from the file's first bytes (a "count dimension" header line means word2vec, text or binary; no header means GloVe). The model is stored under --name (default: the file name without extension), replacing an older model of that name.

        Examples:
          w2v import vectors.txt
          w2v import GoogleNews-vectors.bin --name googlenews
          w2v import glove.6B.100d.txt --format glove --name glove100
        """
    )

    @Argument(help: "The vector file.")
    public var file: String

    @Option(help: ArgumentHelp("word2vec, word2vec-binary or glove (default: detected from the contents).", valueName: "format"))
    public var format: VectorFileFormat?

    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @Option(name: .long, help: ArgumentHelp("The name to store the model under (default: the file name without its extension).", valueName: "name"))
    public var name: String?

    public init() {}

    public func validate() throws { try validateModelName(name) }

    /// The model name: `--name`, else the file name without its extension.
    public var resolvedModelName: String {
        if let name { return name }
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return stem.isEmpty ? "imported" : stem
    }

    public func run() throws { try StoreRunner.importVectors(self) }
}

/// `w2v export [NAME] FILE [--format ...]`.
public struct Export: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Write a stored model to a word2vec (text or binary) or GloVe file.",
        discussion: """
        NAME is the model to export (default: --name, else the most recently stored model). Without --format the format follows FILE's name: *.bin is word2vec-binary, a name containing "glove" is glove, anything else word2vec text. The file is written to a temporary file and renamed, so an existing file is never left half-written. A symbolic link is followed: the file it points to is replaced and the link stays. A directory, a FIFO, a device and the store itself are refused.

        Examples:
          w2v export sample-skipgram vectors.txt
          w2v export wiki8-skipgram vectors.bin --format word2vec-binary
          w2v export vectors-glove.txt --format glove
        """
    )

    @Argument(help: ArgumentHelp("[NAME] FILE: the model (optional) and the file to write.", valueName: "name-and-file"))
    public var arguments: [String] = []

    @Option(help: ArgumentHelp("word2vec, word2vec-binary or glove (default: guessed from the file name).", valueName: "format"))
    public var format: VectorFileFormat?

    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        guard (1...2).contains(arguments.count) else {
            throw ValidationError("export takes a model name and a file, e.g. w2v export sample-skipgram vectors.txt (got \(arguments.count) arguments).")
        }
        if arguments.count == 2, let name = selection.name, name != arguments[0] {
            throw ValidationError("The model is named twice (\(arguments[0]) and --name \(name)); give it once.")
        }
        if arguments.last?.isEmpty ?? true { throw ValidationError("The output file path is empty.") }
    }

    /// The model named on the command line, if any (nil: the most recent one).
    public var modelName: String? { arguments.count == 2 ? arguments[0] : selection.name }
    /// The file to write.
    public var file: String { arguments.last ?? "" }
    /// The format to write.
    public var resolvedFormat: VectorFileFormat { format ?? .guess(fromPath: file) }

    public func run() throws { try StoreRunner.export(self) }
}

/// `w2v models`.
public struct Models: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "List the models in the store with their metadata.",
        discussion: """
        Examples:
          w2v models
          w2v models --store experiments.sqlite --json
        """
    )

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions

    public init() {}

    public func run() throws { try StoreRunner.models(self) }
}

/// `w2v info [NAME]`.
public struct Info: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Show a model's metadata: method, parameters, corpus, size, training time.",
        discussion: """
        Examples:
          w2v info
          w2v info sample-skipgram --json
        """
    )

    @Argument(help: "The model (default: --name, else the most recently stored one).")
    public var model: String?

    @OptionGroup public var output: OutputOptions
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        if let model, let name = selection.name, model != name {
            throw ValidationError("The model is named twice (\(model) and --name \(name)); give it once.")
        }
    }

    /// The model named on the command line, if any.
    public var modelName: String? { model ?? selection.name }

    public func run() throws { try StoreRunner.info(self) }
}
