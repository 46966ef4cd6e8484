import ArgumentParser
import Foundation
import LanguageModels
import ModelStorage
import TensorCore
import TextCorpus

/// The stored form of a language model: a network of kind "language-model" whose configuration
/// is the ``LanguageModelConfiguration`` as JSON.
enum LanguageModelArchive {
    static let kind = "language-model"

    static func network(_ model: RecurrentLanguageModel, history: TrainingHistory?, details: [String: String]) throws -> StoredNetwork {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configuration = String(decoding: try encoder.encode(model.configuration), as: UTF8.self)
        return StoredNetwork(kind: kind, configuration: configuration,
                             tensors: model.namedTensors.map { NamedTensor(name: $0.name, tensor: $0.tensor) },
                             words: model.vocabulary.words, counts: model.vocabulary.counts, history: history, details: details)
    }

    static func model(_ network: StoredNetwork, name: String) throws -> RecurrentLanguageModel {
        guard network.kind == kind else {
            throw StoreError.wrongKind(name: name, found: network.kind, expected: kind)
        }
        guard let configuration = try? JSONDecoder().decode(LanguageModelConfiguration.self, from: Data(network.configuration.utf8)) else {
            throw LanguageModelError.invalidArchive(reason: "its configuration is not valid JSON")
        }
        guard let words = network.words, let counts = network.counts, Set(words).count == words.count else {
            throw LanguageModelError.invalidArchive(reason: "its vocabulary is missing or has repeated words")
        }
        var tensors: [String: Tensor] = [:]
        for named in network.tensors { tensors[named.name] = named.tensor }
        return try RecurrentLanguageModel(configuration: configuration, vocabulary: Vocabulary(words: words, counts: counts),
                                          tensors: tensors)
    }
}

/// `--json` of `w2v lm train`.
struct LanguageModelTrainingReport: Codable {
    struct Epoch: Codable {
        var epoch: Int
        var train_perplexity: Double
        var valid_perplexity: Double?
        var words_per_second: Double
        var seconds: Double
    }
    var epochs: [Epoch]
    var valid_perplexity: Double?
}

/// `--json` of `w2v lm eval`.
struct LanguageModelEvaluationReport: Codable {
    var perplexity: Double
    var tokens: Int
}

/// `w2v lm ...`: read, train, store; load, measure, generate.
enum LanguageModelRunner {
    static func train(_ command: LanguageModelTrain) throws {
        let name = command.name
        let access = StoreAccess(command.storeOptions)
        let store = try access.openForWriting()
        var pretrained: StoredModel?
        if let embeddings = command.embeddings {
            do { pretrained = try store.load(embeddings) } catch { throw access.mapped(error) }
        }
        let configuration: LanguageModelConfiguration
        do {
            configuration = try command.resolvedConfiguration(pretrainedDimension: pretrained?.vectors.dimension)
        } catch let error as ValidationError {
            throw CommandFailure(CommandFailure.sentence(error.message))
        }
        if let threads = command.threads { OpenBLAS.threadCount = threads }
        let reporter = ProgressReporter(style: .automatic(quiet: command.quiet))
        Interrupt.install()
        defer { Interrupt.uninstall() }

        let start = monotonicSeconds()
        let model: RecurrentLanguageModel
        let result: LanguageModelTrainingResult
        let trainCount: Int
        var pretrainedRows: Int?
        do {
            let (vocabulary, trainIDs) = try LanguageModelCorpus.training(path: command.train, progress: { reporter.report($0) },
                                                                         cancellation: Interrupt.flag)
            reporter.finish()
            let validIDs = try LanguageModelCorpus.encode(path: command.valid, vocabulary: vocabulary,
                                                          progress: { reporter.report($0) }, cancellation: Interrupt.flag)
            reporter.finish()
            trainCount = trainIDs.count
            model = try RecurrentLanguageModel(configuration: configuration, vocabulary: vocabulary)
            if let vectors = pretrained {
                pretrainedRows = try model.initializeEmbedding(words: vectors.vectors.words, vectors: vectors.vectors.vectors)
                model.freezesEmbedding = command.freezeEmbeddings
            }
            result = try LanguageModelTrainer(configuration: configuration).train(
                model, training: trainIDs, validation: validIDs, progress: { reporter.report($0) },
                cancellation: Interrupt.flag,
                epochFinished: { epoch in
                    reporter.finish()
                    if !command.quiet {
                        StandardStreams.printError("epoch \(epoch.epoch): train perplexity \(formatFixed(epoch.trainPerplexity, decimals: 2)), "
                            + "valid perplexity \(epoch.validPerplexity.map { formatFixed($0, decimals: 2) } ?? "-"), "
                            + "\(formatCount(epoch.wordsPerSecond)) words/s, \(formatFixed(epoch.seconds, decimals: 1)) s")
                    }
                })
        } catch {
            reporter.finish()
            if Interrupt.wasInterrupted { throw ErrorHints.interrupted(storePath: access.path) }
            throw ErrorHints.failure(for: error, store: access) ?? CommandFailure(error)
        }
        reporter.finish()
        if result.wasCancelled && !command.keepPartial { throw ErrorHints.interrupted(storePath: access.path) }

        var details: [String: String] = [
            "corpus": command.train, "validation corpus": command.valid, "training tokens": "\(trainCount)",
            "training seconds": formatFixed(monotonicSeconds() - start, decimals: 1),
        ]
        if let best = result.bestValidPerplexity { details["valid perplexity"] = formatFixed(best, decimals: 2) }
        if let epoch = result.bestEpoch { details["best epoch"] = "\(epoch)" }
        if result.wasCancelled { details["partial"] = "stopped by Ctrl-C after \(result.epochs.count) epochs" }
        if let embeddings = command.embeddings {
            details["pretrained embeddings"] = "\(embeddings) (\(pretrainedRows ?? 0) words\(command.freezeEmbeddings ? ", frozen" : ""))"
        }
        do {
            try store.saveNetwork(try LanguageModelArchive.network(model, history: result.history, details: details), as: name)
        } catch {
            throw access.mapped(error)
        }

        if command.json {
            let report = LanguageModelTrainingReport(
                epochs: result.epochs.map { .init(epoch: $0.epoch, train_perplexity: $0.trainPerplexity, valid_perplexity: $0.validPerplexity,
                                                  words_per_second: $0.wordsPerSecond, seconds: $0.seconds) },
                valid_perplexity: result.bestValidPerplexity)
            StandardStreams.printLine(try JSONOutput.string(report))
            return
        }
        let lines = [
            "Trained language model \"\(name)\" (\(command.config): \(configuration.layers) x LSTM \(configuration.hiddenSize), embedding \(configuration.embeddingSize)\(configuration.tieWeights ? ", tied" : ""), \(grouped(model.parameterCount)) parameters) on \(command.train)",
            "  vocabulary   \(grouped(model.vocabularySize)) words",
            "  epochs       \(result.epochs.count)\(result.wasCancelled ? " (stopped early; best model kept)" : "")",
            "  valid ppl    \(result.bestValidPerplexity.map { formatFixed($0, decimals: 2) } ?? "-")\(result.bestEpoch.map { " (epoch \($0))" } ?? "")",
            "  stored in    \(access.path)",
            "Try: w2v lm generate --name \(shellQuoted(name)) --start \(shellQuoted(model.vocabulary.words.first { $0.count > 2 && $0.allSatisfy(\.isLetter) } ?? "the"))\(access.storeFlag)",
        ]
        StandardStreams.printLine(lines.joined(separator: "\n"))
    }

    /// The language model `name` (or the most recent one) from an existing store.
    static func load(_ options: StoreOptions, name requested: String?) throws -> (model: RecurrentLanguageModel, name: String) {
        let access = StoreAccess(options)
        let store = try access.openForReading()
        let name: String
        if let given = requested {
            name = given
        } else {
            let networks: [NetworkSummary]
            do { networks = try store.networks() } catch { throw access.mapped(error) }
            guard let latest = networks.first(where: { $0.kind == LanguageModelArchive.kind }) else {
                throw CommandFailure("The store \(access.path) holds no language models.",
                                     hint: "Train one with: w2v lm train TRAIN --valid VALID --name NAME\(access.storeFlag)")
            }
            name = latest.name
        }
        do {
            return (try LanguageModelArchive.model(try store.loadNetwork(name), name: name), name)
        } catch let error as StoreError {
            if case .wrongKind = error {
                throw CommandFailure(StoreError.wrongKind(name: name, found: VectorStore.wordVectorsKind, expected: LanguageModelArchive.kind).problem,
                                     hint: "Language-model commands need a model trained with w2v lm train; see the models with: w2v models\(access.storeFlag)")
            }
            throw access.mapped(error)
        }
    }

    static func evaluate(_ command: LanguageModelEvaluate) throws {
        let (model, _) = try load(command.storeOptions, name: command.selection.name)
        let reporter = ProgressReporter(style: .automatic(quiet: command.quiet))
        Interrupt.install()
        defer { Interrupt.uninstall() }
        let measured: (perplexity: Double, tokens: Int)?
        do {
            let ids = try LanguageModelCorpus.encode(path: command.test, vocabulary: model.vocabulary,
                                                     progress: { reporter.report($0) }, cancellation: Interrupt.flag)
            measured = try LanguageModelTrainer.evaluate(model, ids: ids, batchSize: model.configuration.batchSize,
                                                         timeSize: model.configuration.timeSize,
                                                         progress: { reporter.report($0) }, cancellation: Interrupt.flag)
        } catch {
            reporter.finish()
            if Interrupt.wasInterrupted { throw CommandFailure("Interrupted.", exitCode: CommandFailure.interruptedExitCode) }
            throw ErrorHints.failure(for: error) ?? CommandFailure(error)
        }
        reporter.finish()
        guard let measured else { throw CommandFailure("Interrupted.", exitCode: CommandFailure.interruptedExitCode) }
        if command.json {
            StandardStreams.printLine(try JSONOutput.string(LanguageModelEvaluationReport(perplexity: measured.perplexity, tokens: measured.tokens)))
        } else {
            StandardStreams.printLine("perplexity \(formatFixed(measured.perplexity, decimals: 2)) over \(grouped(measured.tokens)) tokens of \(command.test)")
        }
    }

    static func generate(_ command: LanguageModelGenerate) throws {
        let (model, _) = try load(command.storeOptions, name: command.selection.name)
        let startWords = command.start.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        let strategy: GenerationStrategy = command.greedy ? .greedy
            : .sampling(temperature: Float(command.temperature), topK: command.topK)
        let generator = TextGenerator(strategy: strategy,
                                      stopWords: command.stop.isEmpty ? [LanguageModelCorpus.unknownWord] : command.stop,
                                      seed: command.seed)
        let words: [String]
        do { words = try generator.generate(model, start: startWords, count: command.count) } catch {
            throw ErrorHints.failure(for: error) ?? CommandFailure(error)
        }
        var text = ""
        for word in startWords + words {
            if word == LanguageModelCorpus.endOfSentence {
                text += "\n"
            } else {
                if !text.isEmpty && !text.hasSuffix("\n") { text += " " }
                text += word
            }
        }
        StandardStreams.printLine(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }
}
