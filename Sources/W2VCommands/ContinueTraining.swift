import Embeddings
import Foundation
import ModelStorage
import TensorCore
import TextCorpus
import Word2Vec

/// `w2v train MORE --continue MODEL`: incremental training of a stored word2vec model, through
/// the library's ``Word2VecModel/continueTraining(contentsOf:options:configuration:progress:cancellation:)``.
extension TrainRunner {
    func continueTraining(_ modelName: String) throws {
        guard let corpusPath = command.corpus else {
            throw CommandFailure("--continue needs the new text to train on.", hint: "w2v train MORE.txt --continue \(shellQuoted(modelName))")
        }
        let access = StoreAccess(command.storeOptions)
        guard FileManager.default.fileExists(atPath: access.path) else {
            throw CommandFailure("There is no model store at \(access.path), so there is no model \"\(modelName)\" to continue.",
                                 hint: "Train one first: w2v train FILE --name \(shellQuoted(modelName))\(access.storeFlag)")
        }
        let store = try access.openForWriting()
        let stored: StoredModel
        let output: Tensor?
        do {
            stored = try store.load(modelName)
            output = try store.outputVectors(of: modelName)
        } catch {
            throw access.mapped(error)
        }
        let (configuration, corpusOptions) = try continuedSettings(stored, output: output, access: access)
        let newName = command.name ?? modelName
        let reporter = ProgressReporter(style: .automatic(quiet: command.quiet))
        Interrupt.install()
        defer { Interrupt.uninstall() }

        let clock = ContinuousClock()
        let start = clock.now
        var model: Word2VecModel
        let source: CorpusSource
        do {
            model = try Word2VecModel(configuration: configuration,
                                      vocabulary: Vocabulary(words: stored.vectors.words, counts: stored.vectors.counts),
                                      inputVectors: stored.vectors.vectors, outputVectors: output!)
            source = try model.continueTraining(contentsOf: corpusPath, options: corpusOptions, configuration: configuration,
                                                progress: { reporter.report($0) }, cancellation: Interrupt.flag)
        } catch {
            reporter.finish()
            if Interrupt.wasInterrupted { throw ErrorHints.interrupted(storePath: access.path) }
            throw ErrorHints.failure(for: error, store: access) ?? CommandFailure(error)
        }
        reporter.finish()
        if Interrupt.wasInterrupted { throw ErrorHints.interrupted(storePath: access.path) }
        let seconds = (clock.now - start).seconds

        let tokens = model.lastTraining.rawWords / max(1, configuration.epochs)
        let description = CorpusDescription(source, tokenCount: tokens)
        let added = model.vocabulary.count - stored.vectors.count
        var runs = stored.metadata.trainingRuns ?? stored.metadata.corpus.map { corpus in
            [TrainingRun(corpus: corpus, epochs: stored.metadata.parameters["epochs"].flatMap { Int($0) },
                         learningRate: stored.metadata.parameters["learningRate"].flatMap { Double($0) },
                         vocabularySize: stored.vectors.count, trainingSeconds: stored.metadata.trainingSeconds,
                         date: stored.metadata.createdAt)]
        } ?? []
        runs.append(TrainingRun(corpus: description, epochs: configuration.epochs,
                                learningRate: Double(configuration.startingLearningRate),
                                vocabularySize: model.vocabulary.count, addedWords: added, trainingSeconds: seconds))
        var parameters = RecordedParameters.flatten(corpusOptions)
        parameters.merge(RecordedParameters.flatten(configuration)) { _, new in new }
        parameters["learningRate"] = "\(configuration.startingLearningRate)"
        let totalSeconds = runs.compactMap(\.trainingSeconds).reduce(0, +)
        // The history is the latest run's (loss and learning rate per percent of it).
        let metadata = ModelMetadata(method: stored.metadata.method, parameters: parameters, corpus: description,
                                     trainingSeconds: totalSeconds, notes: stored.metadata.notes,
                                     trainingHistory: model.lastTraining.history, trainingRuns: runs)
        do {
            // One transaction: the old model stays whole until the new one is committed.
            try store.save(model.wordVectors(), as: newName, metadata: metadata, replace: true,
                           outputVectors: model.outputVectors)
        } catch {
            throw access.mapped(error)
        }
        let rate = seconds > 0 ? Double(model.lastTraining.rawWords) / seconds : 0
        let lines = [
            "Continued \"\(modelName)\"\(newName == modelName ? "" : " as \"\(newName)\"") (\(stored.metadata.method), \(model.dimension) dimensions) on \(corpusPath == "-" ? "standard input" : corpusPath)",
            "  vocabulary  \(grouped(model.vocabulary.count)) words (\(grouped(added)) new with at least \(configuration.minCount) occurrences)",
            "  corpus      \(grouped(tokens)) words" + (configuration.epochs > 1 ? " x \(configuration.epochs) epochs" : ""),
            "  time        \(formatFixed(seconds, decimals: 1)) s (\(formatCount(rate)) words/s)",
            "  lineage     \(runs.count) training runs (w2v info \(shellQuoted(newName))\(access.storeFlag))",
            "  stored in   \(access.path)",
        ]
        StandardStreams.printLine(lines.joined(separator: "\n"))
    }

    /// The stored model's own settings, with the new run's epochs, learning rate, min-count,
    /// threads and seed; refuses models that cannot be continued and options that would change
    /// what the model is.
    func continuedSettings(_ stored: StoredModel, output: Tensor?, access: StoreAccess) throws
        -> (Word2VecConfiguration, CorpusOptions) {
        let name = stored.name
        let method = stored.metadata.method
        switch method {
        case ModelKind.skipgram.rawValue, ModelKind.cbow.rawValue:
            break
        case ModelKind.ppmiSVD.rawValue:
            throw CommandFailure(
                "\"\(name)\" is a PPMI-SVD model, which cannot be trained further: count-based vectors come from the co-occurrence counts of the whole corpus at once (PPMI, then SVD), so new text means recomputing them from scratch. Only inference-based models (skip-gram, CBOW) learn incrementally.",
                hint: "Train it again on all the text, e.g. with the old and the new files in one directory: w2v train DIR --model ppmi-svd --name \(shellQuoted(name))\(access.storeFlag)")
        case "imported":
            throw CommandFailure(
                "\"\(name)\" holds imported vectors, which cannot be trained further: a vector file keeps the word vectors but not the output weights and counts that training needs.",
                hint: "Continue a model trained by w2v (w2v train FILE --model skipgram), or train a new one.")
        default:
            throw CommandFailure("\"\(name)\" is a \(method) model; only skip-gram and CBOW models can be trained further.",
                                 hint: "Choose a skip-gram or CBOW model (see w2v models\(access.storeFlag)).")
        }
        guard output != nil else {
            throw CommandFailure(
                "\"\(name)\" was stored without its output weights (by a w2v from before models could be continued), so it cannot be trained further.",
                hint: "Train it again once (w2v train CORPUS --model \(method) --name \(shellQuoted(name))\(access.storeFlag)); models stored from now on keep them.")
        }
        let parameters = stored.metadata.parameters
        guard var configuration = RecordedParameters.restore(Word2VecConfiguration.self, from: parameters),
              var options = RecordedParameters.restore(CorpusOptions.self, from: parameters) else {
            throw CommandFailure(
                "The settings recorded with \"\(name)\" are not those this w2v records, so it cannot be trained further with the same settings.",
                hint: "Train it again once with this w2v (w2v train CORPUS --model \(method) --name \(shellQuoted(name))\(access.storeFlag)).")
        }
        guard configuration.dimension == stored.vectors.dimension else {
            throw CommandFailure("The settings recorded with \"\(name)\" say \(configuration.dimension) dimensions, but its vectors have \(stored.vectors.dimension).",
                                 hint: "Train it again once (w2v train CORPUS --name \(shellQuoted(name))\(access.storeFlag)).")
        }
        try refuseChanges(to: configuration, options: options, name: name)
        configuration.epochs = command.epochs
        configuration.minCount = command.minCount
        configuration.threads = command.resolvedThreads
        configuration.seed = command.seed
        if let alpha = command.alpha { configuration.learningRate = Float(alpha) }
        options.minCount = command.minCount
        if let limit = command.maxVocabularySize { options.maxVocabularySize = limit }
        return (configuration, options)
    }

    /// A flag that would change what the model is (its architecture, shape, window, ...) is an
    /// error rather than silently ignored; a flag left at its default keeps the model's value.
    func refuseChanges(to configuration: Word2VecConfiguration, options: CorpusOptions, name: String) throws {
        let defaults = try Train.parse([])
        var changed: [String] = []
        let architecture: ModelKind = configuration.architecture == .cbow ? .cbow : .skipgram
        if command.model != defaults.model && command.model != architecture { changed.append("--model (it is \(architecture.rawValue))") }
        if command.dimension != defaults.dimension && command.dimension != configuration.dimension {
            changed.append("--dimension (it has \(configuration.dimension))")
        }
        if let window = command.window, window != configuration.windowSize { changed.append("--window (it uses \(configuration.windowSize))") }
        if command.negative != defaults.negative && command.negative != configuration.negativeSamples {
            changed.append("--negative (it uses \(configuration.negativeSamples))")
        }
        if command.sample != defaults.sample && command.sample != configuration.sample { changed.append("--sample (it uses \(configuration.sample))") }
        if let update = command.update, update != configuration.skipGramUpdate {
            changed.append("--update (it uses \(configuration.skipGramUpdate.argument))")
        }
        if command.lowercase && !options.lowercase { changed.append("--lowercase (its corpus was not lower-cased)") }
        guard changed.isEmpty else {
            throw CommandFailure("A continued model keeps its settings, so these options cannot change \"\(name)\": \(changed.joined(separator: ", ")).",
                                 hint: "Leave them out, or train a new model with them: w2v train CORPUS --name NEW ...")
        }
    }
}
