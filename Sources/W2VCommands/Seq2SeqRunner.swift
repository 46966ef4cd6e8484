import CoreIO
import Foundation
import ModelStorage
import Plotting
import Seq2Seq
import TensorCore

/// The stored form of a seq2seq model: a network of kind "seq2seq" whose configuration is the
/// ``Seq2SeqConfiguration`` as JSON and whose vocabulary is its symbols (one character each).
enum Seq2SeqArchive {
    static let kind = "seq2seq"

    static func network(_ model: Seq2SeqModel, symbolCounts: [Int], history: TrainingHistory?,
                        details: [String: String]) throws -> StoredNetwork {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configuration = String(decoding: try encoder.encode(model.configuration), as: UTF8.self)
        return StoredNetwork(kind: kind, configuration: configuration,
                             tensors: model.namedTensors.map { NamedTensor(name: $0.name, tensor: $0.tensor) },
                             words: model.vocabulary.strings, counts: symbolCounts, history: history, details: details)
    }

    static func model(_ network: StoredNetwork, name: String) throws -> Seq2SeqModel {
        guard network.kind == kind else { throw StoreError.wrongKind(name: name, found: network.kind, expected: kind) }
        guard let configuration = try? JSONDecoder().decode(Seq2SeqConfiguration.self, from: Data(network.configuration.utf8)) else {
            throw Seq2SeqError.invalidArchive(reason: "its configuration is not valid JSON")
        }
        guard let words = network.words else { throw Seq2SeqError.invalidArchive(reason: "its symbols are missing") }
        var tensors: [String: Tensor] = [:]
        for named in network.tensors { tensors[named.name] = named.tensor }
        return try Seq2SeqModel(configuration: configuration, vocabulary: try SymbolVocabulary(strings: words), tensors: tensors)
    }
}

/// `--json` of `w2v seq2seq train` (keys as the issue's contract).
struct Seq2SeqTrainingReport: Codable {
    struct Epoch: Codable {
        var epoch: Int
        var loss: Double
        var test_accuracy: Double
        var seconds: Double
    }
    var test_accuracy: Double
    var epochs: [Epoch]
}

/// `--json` of `w2v seq2seq eval`.
struct Seq2SeqEvaluationReport: Codable {
    var accuracy: Double
    var examples: Int
}

/// `w2v seq2seq ...`: read, train, store; load, score, predict; generate data.
enum Seq2SeqRunner {
    static func train(_ command: Seq2SeqTrain) throws {
        let access = StoreAccess(command.storeOptions)
        let store = try access.openForWriting()
        if let threads = command.threads { OpenBLAS.threadCount = threads }
        let reporter = ProgressReporter(style: .automatic(quiet: command.quiet))
        Interrupt.install()
        defer { Interrupt.uninstall() }
        let start = monotonicSeconds()
        let model: Seq2SeqModel
        let result: Seq2SeqTrainingResult
        let examples: [Seq2SeqExample]
        let split: (training: [Seq2SeqExample], test: [Seq2SeqExample])
        do {
            examples = try Seq2SeqData.read(path: command.file)
            split = try Seq2SeqData.split(examples, seed: command.seed, path: command.file)
            let vocabulary = SymbolVocabulary(examples: examples)
            let questionWidth = examples.map(\.question.count).max()!, answerWidth = max(1, examples.map(\.answer.count).max()!)
            let configuration = Seq2SeqConfiguration(architecture: command.model, reversesInput: command.reverse,
                                                     embeddingSize: command.embedding, hiddenSize: command.hidden,
                                                     questionWidth: max(1, questionWidth), answerWidth: answerWidth, seed: command.seed)
            model = try Seq2SeqModel(configuration: configuration, vocabulary: vocabulary)
            let training = try EncodedExamples(split.training, vocabulary: vocabulary, questionWidth: configuration.questionWidth,
                                               answerWidth: answerWidth)
            let test = try EncodedExamples(split.test, vocabulary: vocabulary, questionWidth: configuration.questionWidth,
                                           answerWidth: answerWidth)
            let options = Seq2SeqTrainingOptions(epochs: command.resolvedEpochs, batchSize: command.batch, seed: command.seed)
            result = try Seq2SeqTrainer(options: options).train(
                model, training: training, test: test, progress: { reporter.report($0) }, cancellation: Interrupt.flag,
                epochFinished: { epoch in
                    reporter.finish()
                    if !command.quiet {
                        StandardStreams.printError("epoch \(epoch.epoch): loss \(formatFixed(epoch.loss, decimals: 4)), test accuracy "
                            + "\(formatFixed((epoch.testAccuracy ?? 0) * 100, decimals: 2))%, \(formatFixed(epoch.seconds, decimals: 1)) s")
                    }
                })
        } catch {
            reporter.finish()
            if Interrupt.wasInterrupted { throw ErrorHints.interrupted(storePath: access.path) }
            throw ErrorHints.failure(for: error, store: access) ?? CommandFailure(error)
        }
        reporter.finish()
        if result.wasCancelled { throw ErrorHints.interrupted(storePath: access.path) }

        var counts = [Int](repeating: 0, count: model.vocabulary.count)
        for example in examples {
            for symbol in example.question + example.answer { counts[model.vocabulary.id(of: symbol)!] += 1 }
        }
        let accuracy = result.testAccuracy ?? 0
        let details: [String: String] = [
            "data": command.file, "training examples": "\(split.training.count)", "test examples": "\(split.test.count)",
            "test accuracy": formatFixed(accuracy, decimals: 4), "training seconds": formatFixed(monotonicSeconds() - start, decimals: 1),
        ]
        do {
            try store.saveNetwork(try Seq2SeqArchive.network(model, symbolCounts: counts, history: result.history, details: details),
                                  as: command.name)
        } catch {
            throw access.mapped(error)
        }
        if command.json {
            let report = Seq2SeqTrainingReport(
                test_accuracy: accuracy,
                epochs: result.epochs.map { .init(epoch: $0.epoch, loss: $0.loss, test_accuracy: $0.testAccuracy ?? 0, seconds: $0.seconds) })
            StandardStreams.printLine(try JSONOutput.string(report))
            return
        }
        let c = model.configuration
        let sample = split.test.first.map { String($0.question.reversed().drop(while: { $0 == " " }).reversed()) } ?? ""
        StandardStreams.printLine([
            "Trained seq2seq model \"\(command.name)\" (\(c.architecture.rawValue)\(c.reversesInput ? ", reversed input" : ""), embedding \(c.embeddingSize), hidden \(c.hiddenSize), \(grouped(model.parameterCount)) parameters) on \(command.file)",
            "  examples       \(grouped(split.training.count)) training, \(grouped(split.test.count)) held out",
            "  symbols        \(model.vocabulary.count); widths \(c.questionWidth) in, \(c.answerWidth) out",
            "  epochs         \(result.epochs.count)",
            "  test accuracy  \(formatFixed(accuracy * 100, decimals: 2))%",
            "  stored in      \(access.path)",
            "Try: w2v seq2seq predict \(shellQuoted(sample)) --name \(shellQuoted(command.name))\(access.storeFlag)",
        ].joined(separator: "\n"))
    }

    /// The seq2seq model `name` (or the most recent one) from an existing store.
    static func load(_ options: StoreOptions, name requested: String?) throws -> Seq2SeqModel {
        let access = StoreAccess(options)
        let store = try access.openForReading()
        let name: String
        if let requested {
            name = requested
        } else {
            let networks: [NetworkSummary]
            do { networks = try store.networks() } catch { throw access.mapped(error) }
            guard let latest = networks.first(where: { $0.kind == Seq2SeqArchive.kind }) else {
                throw CommandFailure("The store \(access.path) holds no seq2seq models.",
                                     hint: "Train one with: w2v seq2seq train FILE --model peeky --name NAME\(access.storeFlag)")
            }
            name = latest.name
        }
        do {
            return try Seq2SeqArchive.model(try store.loadNetwork(name), name: name)
        } catch let error as StoreError {
            if case let .wrongKind(_, found, _) = error {
                throw CommandFailure(StoreError.wrongKind(name: name, found: found, expected: Seq2SeqArchive.kind).problem,
                                     hint: "seq2seq commands need a model trained with w2v seq2seq train; see the models with: w2v models\(access.storeFlag)")
            }
            throw access.mapped(error)
        }
    }

    static func evaluate(_ command: Seq2SeqEvaluate) throws {
        let model = try load(command.storeOptions, name: command.selection.name)
        let measured: (accuracy: Double, examples: Int)
        do {
            measured = try model.accuracy(try Seq2SeqData.read(path: command.file))
        } catch {
            throw ErrorHints.failure(for: error) ?? CommandFailure(error)
        }
        if command.json {
            StandardStreams.printLine(try JSONOutput.string(Seq2SeqEvaluationReport(accuracy: measured.accuracy, examples: measured.examples)))
        } else {
            StandardStreams.printLine("accuracy \(formatFixed(measured.accuracy * 100, decimals: 2))% (exact match) over \(grouped(measured.examples)) examples of \(command.file)")
        }
    }

    static func predict(_ command: Seq2SeqPredict) throws {
        let model = try load(command.storeOptions, name: command.selection.name)
        if command.attentionSVG != nil && model.configuration.architecture != .attention {
            throw CommandFailure("--attention-svg needs an attention model; this one is \(model.configuration.architecture.rawValue).",
                                 hint: "Train one with: w2v seq2seq train FILE --model attention --name NAME")
        }
        let prediction: (answer: String, attention: Tensor?)
        do { prediction = try model.predict(command.text) } catch { throw CommandFailure(error) }
        if let path = command.attentionSVG, let weights = prediction.attention {
            let c = model.configuration
            let inputs = Array(command.text).map(String.init) + Array(repeating: " ", count: c.questionWidth - command.text.count)
            let outputs = prediction.answer.map(String.init) + Array(repeating: " ", count: c.answerWidth - prediction.answer.count)
            let rows = (0..<weights.shape[0]).map { t in (0..<weights.shape[1]).map { Double(weights[t, $0]) } }
            do {
                try AttentionHeatMap.document(inputs: inputs, outputs: outputs, weights: rows,
                                              title: "Attention: \(command.text) → \(prediction.answer)").write(to: path)
            } catch { throw CommandFailure(error) }
        }
        StandardStreams.printLine(prediction.answer)
    }

    static func generate(_ command: Seq2SeqGenerate) throws {
        let text = command.task.lines(count: command.lines, seed: command.seed).joined(separator: "\n") + "\n"
        if command.output == "-" {
            StandardStreams.write(text, to: 1)
            return
        }
        do {
            let file = try OutputFile(path: command.output)
            try file.write(text)
            try file.commit()
        } catch { throw CommandFailure(error) }
        StandardStreams.printError("wrote \(grouped(command.lines)) \(command.task.rawValue) lines to \(command.output)")
    }
}
