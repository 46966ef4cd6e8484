import ArgumentParser
import Foundation
import Seq2Seq

/// `w2v seq2seq train|eval|predict|generate`: encoder-decoder models over symbol sequences.
public struct Seq2SeqCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Train, evaluate and run seq2seq models (encoder-decoder, Peeky, attention) on question_answer files.",
        discussion: """
        A data file has one example a line, question_answer: the first "_" separates the input from the output, both padded with spaces to a fixed width; every character (a space too) is a symbol.

        Examples:
          w2v seq2seq generate addition --output addition.txt
          w2v seq2seq train addition.txt --model peeky --reverse --name addition
          w2v seq2seq predict 16+75 --name addition
          w2v seq2seq generate dates --output dates.txt
          w2v seq2seq train dates.txt --model attention --epochs 2 --name dates
          w2v seq2seq predict 27.09.1994 --name dates --attention-svg attention.svg

        Quote a question that holds spaces: w2v seq2seq predict "September 27, 1994" --name dates
        """,
        subcommands: [Seq2SeqTrain.self, Seq2SeqEvaluate.self, Seq2SeqPredict.self, Seq2SeqGenerate.self]
    )

    public init() {}
}

extension Seq2SeqArchitecture: ExpressibleByArgument {}
extension Seq2SeqCorpus: ExpressibleByArgument {}

/// `w2v seq2seq train FILE --model baseline|peeky|attention [--reverse] ... --name NAME`.
public struct Seq2SeqTrain: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a seq2seq model on 90% of a question_answer file and report exact-match accuracy on the other 10%.",
        discussion: """
        The split is a shuffle seeded by --seed. The symbols are every character of FILE; the question and answer widths are the longest of FILE. Defaults follow the book: embedding 16, hidden 128 (256 for attention), batch 128, Adam (learning rate 0.001), gradients clipped to norm 5, 25 epochs (10 for attention). --json prints {"test_accuracy": x, "epochs": [{"epoch", "loss", "test_accuracy", "seconds"}]}. Ctrl-C stops cleanly and stores nothing.

        Examples:
          w2v seq2seq train addition.txt --model peeky --reverse --name addition
          w2v seq2seq train dates.txt --model attention --epochs 2 --name dates --json
        """
    )

    @Argument(help: ArgumentHelp("A question_answer file (UTF-8, one example a line).", valueName: "file"))
    public var file: String
    @Option(help: "baseline, peeky or attention.") public var model: Seq2SeqArchitecture = .baseline
    @Flag(help: "Feed the questions to the encoder reversed.") public var reverse = false
    @Option(parsing: .unconditional, help: "Embedding size.") public var embedding = 16
    @Option(parsing: .unconditional, help: "Hidden size (default 128, 256 for attention).") public var hidden: Int?
    @Option(parsing: .unconditional, help: "Examples per mini-batch.") public var batch = 128
    @Option(parsing: .unconditional, help: "Passes over the training examples (default 25, 10 for attention).") public var epochs: Int?
    @Option(parsing: .unconditional, help: "Random seed (split, initial weights, shuffles).") public var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: ArgumentHelp("BLAS threads (default: all cores).", valueName: "n")) public var threads: Int?
    @Flag(help: "Print the figures as one JSON document.") public var json = false
    @Flag(help: "No progress output.") public var quiet = false
    @Option(help: ArgumentHelp("The name to store the model under (replacing a seq2seq model of that name).", valueName: "name"))
    public var name: String
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions

    public init() {}

    public var resolvedEpochs: Int { epochs ?? (model == .attention ? 10 : 25) }

    public func validate() throws {
        try validateModelName(name)
        if file.isEmpty { throw ValidationError("The data file path is empty; give a question_answer file.") }
        try check(embedding, in: 1...8_192, "--embedding")
        if let hidden { try check(hidden, in: 1...8_192, "--hidden") }
        try check(batch, in: 1...1_000_000, "--batch")
        try check(resolvedEpochs, in: 1...100_000, "--epochs")
        if let threads { try check(threads, in: 1...1_024, "--threads") }
    }

    public func run() throws { try Seq2SeqRunner.train(self) }
}

/// `w2v seq2seq eval FILE --name NAME [--json]`.
public struct Seq2SeqEvaluate: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Exact-match accuracy of a stored seq2seq model on every line of a question_answer file.",
        discussion: """
        An answer counts when every symbol of the model's answer width matches (padding included). --json prints {"accuracy": x, "examples": n}.

        Examples:
          w2v seq2seq generate addition --seed 2 --lines 5000 --output addition-fresh.txt
          w2v seq2seq eval addition-fresh.txt --name addition
        """
    )

    @Argument(help: ArgumentHelp("A question_answer file.", valueName: "file")) public var file: String
    @Flag(help: "Print {\"accuracy\": x, \"examples\": n}.") public var json = false
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func run() throws { try Seq2SeqRunner.evaluate(self) }
}

/// `w2v seq2seq predict "TEXT" --name NAME [--attention-svg FILE]`.
public struct Seq2SeqPredict: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "The answer of a stored seq2seq model to one question.",
        discussion: """
        The question is padded with spaces to the model's width; the answer is printed without its padding. --attention-svg (attention models) writes the attention weights as a heat map: input symbols across, output symbols down, darker where an output step looked.

        Examples:
          w2v seq2seq predict 16+75 --name addition
          w2v seq2seq predict 1994-09-27 --name dates --attention-svg attention.svg

        Quote a question that holds spaces: w2v seq2seq predict "Tuesday, September 27, 1994" --name dates
        """
    )

    @Argument(help: ArgumentHelp("The question.", valueName: "text")) public var text: String
    @Option(name: .customLong("attention-svg"), help: ArgumentHelp("Write the attention heat map to this SVG file.", valueName: "file"))
    public var attentionSVG: String?
    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        if let attentionSVG, attentionSVG.isEmpty { throw ValidationError("--attention-svg needs a file path, e.g. --attention-svg attention.svg.") }
    }

    public func run() throws { try Seq2SeqRunner.predict(self) }
}

/// `w2v seq2seq generate addition|dates [--lines N] [--seed N] [--output FILE]`.
public struct Seq2SeqGenerate: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the book's addition or dates task as a question_answer file (seeded, distinct questions).",
        discussion: """
        addition: a+b with a, b in 0...999, question padded to 7, answer to 4 ("16+75  _91  "). dates: a date from 1970-01-01 to 2029-12-31 in one of 13 formats ("September 27, 1994", "9/27/94", "27.09.1994", ...) padded to 29, answer YYYY-MM-DD. The same --seed gives the same file.

        Examples:
          w2v seq2seq generate addition --output addition.txt
          w2v seq2seq generate dates --lines 5000 --seed 2 --output dates-fresh.txt
        """
    )

    @Argument(help: "addition or dates.") public var task: Seq2SeqCorpus
    @Option(parsing: .unconditional, help: "Lines to write.") public var lines = Seq2SeqCorpus.defaultLineCount
    @Option(parsing: .unconditional, help: "Random seed.") public var seed: UInt64 = 1
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The file to write (default: standard output).", valueName: "file"))
    public var output: String = "-"

    public init() {}

    public func validate() throws {
        try check(lines, in: 1...task.distinctQuestions, "--lines")
        if output.isEmpty { throw ValidationError("--output needs a file path, or - for standard output.") }
    }

    public func run() throws { try Seq2SeqRunner.generate(self) }
}
