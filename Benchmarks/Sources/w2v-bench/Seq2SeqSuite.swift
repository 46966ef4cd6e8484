import ArgumentParser
import Foundation
import Seq2Seq
import W2V

/// The seed book's seq2seq experiments on freshly generated addition and dates files: held-out
/// exact-match accuracy per epoch and training time, plus accuracy on a file generated with another seed.
struct Seq2SeqSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Train seq2seq models on generated addition/dates data: held-out accuracy per epoch, seconds, fresh-seed accuracy.",
        discussion: """
        Experiments (--experiment, repeatable; default the first four): addition-baseline, addition-reversed,
        addition-peeky-reversed, dates-attention-reversed (the book's ch. 8 script reverses the dates too), dates-attention. Each generates --lines lines with seed 1 (90/10 split), trains with the book's settings
        (embedding 16, hidden 128 / 256 for attention, batch 128, Adam 0.001, clip 5) and scores a file of --fresh lines
        generated with seed 2. Compare with: python3 Benchmarks/seq2seq_torch.py (PyTorch CPU, the same addition model).
        """
    )

    @Option(name: .customLong("experiment"), help: "addition-baseline, addition-reversed, addition-peeky-reversed, dates-attention-reversed or dates-attention.")
    var experiments: [String] = []
    @Option(help: "Epochs for the addition experiments.") var additionEpochs = 25
    @Option(help: "Epochs for the dates experiment.") var datesEpochs = 3
    @Option(help: "Lines generated per task.") var lines = Seq2SeqCorpus.defaultLineCount
    @Option(help: "Lines of the fresh-seed file.") var fresh = 5000
    @Option(help: "Hidden size override (default: the book's).") var hidden: Int?
    @Option(help: "Stop an experiment's training after this many minutes.") var maxMinutes: Double?
    @Option(help: "OpenBLAS threads.") var threads = 2

    func run() throws {
        print(environmentHeader())
        OpenBLAS.threadCount = threads
        let all = ["addition-baseline", "addition-reversed", "addition-peeky-reversed", "dates-attention-reversed", "dates-attention"]
        var summary: [[String]] = []
        for name in experiments.isEmpty ? Array(all.prefix(4)) : experiments {
            guard all.contains(name) else { throw ValidationError("unknown experiment \(name); known: \(all.joined(separator: ", "))") }
            let corpus: Seq2SeqCorpus = name.hasPrefix("dates") ? .dates : .addition
            let architecture: Seq2SeqArchitecture = name.contains("peeky") ? .peeky : name.contains("attention") ? .attention : .baseline
            let reverse = name.contains("reversed")
            let epochs = corpus == .dates ? datesEpochs : additionEpochs
            let examples = try Seq2SeqData.parse(corpus.lines(count: lines, seed: 1).joined(separator: "\n"), path: "\(corpus)")
            let (training, test) = try Seq2SeqData.split(examples, seed: 1)
            let vocabulary = SymbolVocabulary(examples: examples)
            let configuration = Seq2SeqConfiguration(architecture: architecture, reversesInput: reverse, hiddenSize: hidden,
                                                     questionWidth: corpus.questionWidth, answerWidth: corpus.answerWidth, seed: 1)
            let model = try Seq2SeqModel(configuration: configuration, vocabulary: vocabulary)
            let trainSet = try EncodedExamples(training, vocabulary: vocabulary, questionWidth: corpus.questionWidth, answerWidth: corpus.answerWidth)
            let testSet = try EncodedExamples(test, vocabulary: vocabulary, questionWidth: corpus.questionWidth, answerWidth: corpus.answerWidth)
            print("\(name): \(training.count) train / \(test.count) test lines, vocabulary \(vocabulary.count), \(architecture.rawValue)\(reverse ? " reversed" : ""), hidden \(configuration.hiddenSize), \(model.parameterCount) parameters, \(epochs) epochs")
            let cancel = CancellationFlag()
            let deadline = maxMinutes.map { monotonicSeconds() + $0 * 60 }
            var lastPrint = 0.0
            let (result, seconds) = try measure {
                try Seq2SeqTrainer(options: Seq2SeqTrainingOptions(epochs: epochs, seed: 1)).train(
                    model, training: trainSet, test: testSet,
                    progress: { report in
                        if let deadline, monotonicSeconds() > deadline { cancel.cancel() }
                        if report.elapsedSeconds - lastPrint > 30 {
                            lastPrint = report.elapsedSeconds
                            FileHandle.standardError.write(Data("\(report.stage) \(format(report.fraction * 100, 1))% loss \(format(report.loss ?? .nan, 4)) \(Int(report.wordsPerSecond)) examples/s\n".utf8))
                        }
                    },
                    cancellation: cancel,
                    epochFinished: { e in
                        print("  epoch \(e.epoch): loss \(format(e.loss, 4)), test accuracy \(format((e.testAccuracy ?? 0) * 100, 2))%, \(format(e.seconds, 1)) s")
                    })
            }
            let freshExamples = try Seq2SeqData.parse(corpus.lines(count: fresh, seed: 2).joined(separator: "\n"), path: "fresh")
            let freshAccuracy = try model.accuracy(freshExamples).accuracy
            let done = result.epochs.count
            print("  \(name): test accuracy \(format((result.testAccuracy ?? 0) * 100, 2))%, fresh seed-2 accuracy \(format(freshAccuracy * 100, 2))%, \(done) epochs\(result.wasCancelled ? " (stopped by --max-minutes)" : ""), \(format(seconds, 1)) s, \(format(seconds / Double(max(done, 1)), 1)) s/epoch")
            summary.append([name, "\(configuration.hiddenSize)", "\(done)", format((result.testAccuracy ?? 0) * 100, 2),
                            format(freshAccuracy * 100, 2), format(seconds, 0), format(seconds / Double(max(done, 1)), 1)])
        }
        print(markdownTable(["experiment", "hidden", "epochs", "held-out acc %", "fresh-seed acc %", "train s", "s/epoch"], summary))
        print("peak RSS \(format(peakRSSMiB(), 0)) MiB")
    }
}
