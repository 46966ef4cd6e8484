import CoreIO
import CountBased
import Embeddings
import Evaluation
import Foundation
import ModelStorage
import TensorCore
import TextCorpus
import Word2Vec

/// `w2v tune`: the seed's hyperparameter search (set ranges, sample at random, train, score on
/// validation data, narrow the ranges, repeat), with the test data scored once at the end.
struct TuneRunner {
    let command: Tune

    /// The data a model is scored on.
    enum Benchmark {
        case analogies(AnalogyTestSet)
        case wordPairs(WordPairSet)

        /// An analogy file's first line that is not blank is a `: section` header; anything else is read as word pairs.
        init(path: String) throws {
            do {
                let text = try InputFile(path: path, skippingByteOrderMark: true).readAll(limit: 64 << 20)
                let firstLine = String(decoding: text, as: UTF8.self).split(whereSeparator: \.isNewline)
                    .first { !$0.allSatisfy(\.isWhitespace) }
                if firstLine?.trimmingCharacters(in: .whitespaces).hasPrefix(":") == true {
                    self = .analogies(try AnalogyTestSet(contentsOfFile: path))
                } else {
                    self = .wordPairs(try WordPairSet(contentsOfFile: path))
                }
            } catch let error as FileError {
                throw CommandFailure(error.problem, hint: "Give an analogy file (questions-words format) or a word-pair file (word1 word2 score).")
            } catch {
                throw EvaluationRunner.benchmarkFailure(error)
            }
        }

        var measure: String {
            switch self {
            case .analogies: return "analogy accuracy"
            case .wordPairs: return "Spearman correlation"
            }
        }

        /// The score of `vectors`: analogy accuracy over the answered questions, or Spearman's ρ.
        func score(_ vectors: WordVectors, file: String) throws -> Double {
            do {
                switch self {
                case let .analogies(set):
                    let result = try vectors.evaluateAnalogies(set)
                    guard result.answered > 0 else { throw TuneRunner.noUsableQuestions(file, total: set.questionCount) }
                    return result.accuracy
                case let .wordPairs(set):
                    let result = try vectors.evaluateWordPairs(set)
                    guard result.spearman.isFinite else { throw TuneRunner.noUsableQuestions(file, total: set.pairs.count) }
                    return result.spearman
                }
            } catch let failure as CommandFailure {
                throw failure
            } catch {
                if let error = error as? EvaluationError, case .noPairsInVocabulary = error {
                    throw TuneRunner.noUsableQuestions(file, total: nil)
                }
                throw EvaluationRunner.benchmarkFailure(error)
            }
        }
    }

    static func noUsableQuestions(_ file: String, total: Int?) -> CommandFailure {
        CommandFailure("None of the \(total.map { "\($0) " } ?? "")questions in \(file) can be asked of this corpus's vocabulary: each needs all its words to be in it.",
                       hint: "Use validation data in the corpus's language and case (--lowercase for mixed case), or a lower --min-count.")
    }

    /// One trained and scored setting.
    struct Trial: Codable, Equatable {
        var round: Int
        var parameters: [String: Double]
        var score: Double
        var seconds: Double
    }

    /// `--json`: `{"trials": [...], "best": {"parameters", "score", "test_score"}}`.
    struct Report: Codable, Equatable {
        struct Best: Codable, Equatable {
            var parameters: [String: Double]
            var score: Double
            var testScore: Double?
            enum CodingKeys: String, CodingKey {
                case parameters, score
                case testScore = "test_score"
            }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(parameters, forKey: .parameters)
                try container.encode(score, forKey: .score)
                try container.encode(testScore, forKey: .testScore)  // null without --test
            }
        }
        var trials: [Trial]
        var best: Best
    }

    /// The best trial's model, kept to be stored.
    struct Candidate {
        var trial: Trial
        var vectors: WordVectors
        var outputVectors: Tensor?
        var configuration: [String: String]
    }

    func run() throws {
        let space: SearchSpace
        do { space = try command.searchSpace() } catch { throw CommandFailure(error.description) }
        let validation = try Benchmark(path: command.validation)
        let test = try command.test.map { try Benchmark(path: $0) }
        let access = StoreAccess(command.storeOptions)
        let store = try access.openForWriting()
        let reporter = ProgressReporter(style: .automatic(quiet: command.quiet))
        Interrupt.install()
        defer { Interrupt.uninstall() }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = command.budget.flatMap(parseDuration).map { start + .milliseconds(Int64($0 * 1000)) }

        let options = CorpusOptions(lowercase: command.lowercase, minCount: command.minCount)
        let corpus: EncodedCorpus
        let source: CorpusSource
        do {
            (corpus, source) = try EncodedCorpus.loadWithSource(contentsOf: command.corpus, options: options,
                                                                progress: { reporter.report($0) }, cancellation: Interrupt.flag)
        } catch {
            reporter.finish()
            throw ErrorHints.failure(for: error, store: access) ?? CommandFailure(error)
        }
        reporter.finish()
        try checkUsable(validation, file: command.validation, corpus: corpus)
        if let test, let file = command.test { try checkUsable(test, file: file, corpus: corpus) }
        if command.model == .ppmiSVD, let dimension = space.ranges.first(where: { $0.name == "dimension" }),
           Int(dimension.upper) >= corpus.vocabulary.count {
            throw CommandFailure("The dimension range goes up to \(shortestNumber(dimension.upper)), but PPMI-SVD needs fewer dimensions than the \(corpus.vocabulary.count) words of the vocabulary.",
                                 hint: "Search dimension=\(min(50, max(1, corpus.vocabulary.count - 1)))..\(max(1, corpus.vocabulary.count - 1)) or less.")
        }

        let table = TrialTable(names: space.ranges.map(\.name) + (command.epochs != nil ? ["epochs"] : []),
                               measure: validation.measure)
        if !command.output.json { StandardStreams.printLine(table.header) }
        var random = SplitMix64(seed: command.seed ^ 0x7475_6E65)  // "tune"
        var current = space
        var trials: [Trial] = []
        var best: Candidate?
        var stoppedByBudget = false
        let total = command.trials * command.rounds
        search: for round in 1...command.rounds {
            for _ in 0..<command.trials {
                if let deadline, clock.now >= deadline { stoppedByBudget = true; break search }
                var values = current.sample(&random)
                if let epochs = command.epochs { values["epochs"] = Double(epochs) }
                let flag = CancellationFlag()
                let watcher = Watcher(flag: flag, deadline: deadline, clock: clock)
                watcher.start()
                let trialStart = clock.now
                let number = trials.count + 1
                let trained: (WordVectors, Tensor?, [String: String])
                do {
                    trained = try train(corpus, values, cancellation: flag) { progress in
                        var progress = progress
                        progress.stage = "trial \(number)/\(total) \(progress.stage)"
                        reporter.report(progress)
                    }
                } catch {
                    watcher.stop()
                    reporter.finish()
                    if Interrupt.wasInterrupted { throw ErrorHints.interrupted(storePath: access.path) }
                    if flag.isCancelled { stoppedByBudget = true; break search }
                    throw ErrorHints.failure(for: error, store: access) ?? CommandFailure(error)
                }
                watcher.stop()
                reporter.finish()
                let score = try validation.score(trained.0, file: command.validation)
                let trial = Trial(round: round, parameters: values, score: score, seconds: (clock.now - trialStart).seconds)
                trials.append(trial)
                if !command.output.json { StandardStreams.printLine(table.row(trial, number: number)) }
                if best == nil || score > best!.trial.score {
                    best = Candidate(trial: trial, vectors: trained.0, outputVectors: trained.1, configuration: trained.2)
                }
            }
            if let best { current = current.narrowed(around: best.trial.parameters, within: space) }
        }
        guard let best else {
            throw CommandFailure("The --budget of \(command.budget ?? "") ran out before any trial finished; nothing was stored.",
                                 hint: "Give a larger --budget, or make trials cheaper (--epochs 1, a smaller dimension range).")
        }
        let testScore = try test.map { try $0.score(best.vectors, file: command.test!) }
        let seconds = (clock.now - start).seconds

        var parameters = RecordedParameters.flatten(options)
        parameters.merge(best.configuration) { _, new in new }
        let description = CorpusDescription(source, tokenCount: corpus.tokenCount)
        let notes = "Tuned by w2v tune: the best of \(trials.count) trials (\(validation.measure) \(formatFixed(best.trial.score, decimals: 4)) on \(command.validation)"
            + (testScore.map { "; test \(formatFixed($0, decimals: 4)) on \(command.test!)" } ?? "") + ")."
        let run = TrainingRun(corpus: description, epochs: best.trial.parameters["epochs"].map { Int($0) } ?? (command.model == .ppmiSVD ? nil : 5),
                              learningRate: parameters["learningRate"].flatMap { Double($0) },
                              vocabularySize: best.vectors.count, addedWords: best.vectors.count, trainingSeconds: best.trial.seconds)
        let metadata = ModelMetadata(method: command.model.rawValue, parameters: parameters, corpus: description,
                                     trainingSeconds: best.trial.seconds, notes: notes, trainingRuns: [run])
        do {
            try store.save(best.vectors, as: command.name, metadata: metadata, replace: true, outputVectors: best.outputVectors)
        } catch {
            throw access.mapped(error)
        }

        if command.output.json {
            let report = Report(trials: trials, best: .init(parameters: best.trial.parameters, score: best.trial.score, testScore: testScore))
            StandardStreams.printLine(try JSONOutput.string(report))
            return
        }
        var lines = [
            "",
            "Best of \(trials.count) trials\(stoppedByBudget ? " (stopped by the --budget)" : ""): "
                + table.settings(best.trial.parameters) + " (round \(best.trial.round))",
            "  validation  \(validation.measure) \(formatFixed(best.trial.score, decimals: 4)) on \(command.validation)",
        ]
        if let testScore, let file = command.test {
            lines.append("  test        \(test!.measure) \(formatFixed(testScore, decimals: 4)) on \(file) (scored once, for the best only)")
        }
        lines.append("  time        \(formatFixed(seconds, decimals: 1)) s")
        lines.append("  stored as   \"\(command.name)\" in \(access.path)")
        StandardStreams.printLine(lines.joined(separator: "\n"))
    }

    /// Fails before any training when no validation question can be asked of the corpus's words.
    func checkUsable(_ benchmark: Benchmark, file: String, corpus: EncodedCorpus) throws {
        var random = SplitMix64(seed: 1)
        let words = corpus.vocabulary.words
        let probe = try WordVectors(words: words, vectors: Tensor(shape: [words.count, 2], scalars: (0..<(2 * words.count)).map { _ in
            random.nextUnitFloat() + 0.1
        }), counts: corpus.vocabulary.counts)
        _ = try benchmark.score(probe, file: file)
    }

    /// Trains one setting; returns the vectors, word2vec's output weights and the configuration's recorded fields.
    func train(_ corpus: EncodedCorpus, _ values: [String: Double], cancellation: CancellationFlag,
               progress: @escaping @Sendable (TrainingProgress) -> Void) throws -> (WordVectors, Tensor?, [String: String]) {
        let threads = command.threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
        func int(_ name: String, _ fallback: Int) -> Int { values[name].map { Int($0.rounded()) } ?? fallback }
        switch command.model {
        case .skipgram, .cbow:
            let configuration = Word2VecConfiguration(
                architecture: command.model == .cbow ? .cbow : .skipGram, dimension: int("dimension", 100),
                windowSize: int("window", 5), negativeSamples: int("negative", 5), minCount: command.minCount,
                sample: values["sample"] ?? 1e-3, epochs: int("epochs", 5), threads: threads,
                learningRate: values["alpha"].map { Float($0) }, seed: command.seed)
            let model = try Word2VecTrainer(configuration: configuration).train(corpus: corpus, progress: progress, cancellation: cancellation)
            var recorded = RecordedParameters.flatten(configuration)
            recorded["learningRate"] = "\(configuration.startingLearningRate)"
            return (model.wordVectors(), model.outputVectors, recorded)
        case .ppmiSVD:
            var configuration = PPMISVDConfiguration()
            configuration.windowSize = int("window", 2)
            configuration.dimension = int("dimension", 300)
            configuration.contextSmoothing = values["cds"] ?? 0.75
            configuration.eigenvalueWeight = values["eig"] ?? 0.5
            configuration.shift = values["shift"] ?? 1
            configuration.addContextVectors = true
            configuration.seed = command.seed
            configuration.threads = threads
            let vectors = try PPMISVDTrainer(configuration: configuration).train(corpus: corpus, progress: progress, cancellation: cancellation)
            return (vectors, nil, RecordedParameters.flatten(configuration))
        }
    }
}

/// Cancels a trial when the budget's deadline passes or Ctrl-C is pressed.
final class Watcher: @unchecked Sendable {
    let flag: CancellationFlag
    let deadline: ContinuousClock.Instant?
    let clock: ContinuousClock
    private let done = CancellationFlag()
    private var thread: Thread?

    init(flag: CancellationFlag, deadline: ContinuousClock.Instant?, clock: ContinuousClock) {
        self.flag = flag
        self.deadline = deadline
        self.clock = clock
    }

    func start() {
        let thread = Thread { [self] in
            while !done.isCancelled {
                if Interrupt.wasInterrupted || deadline.map({ clock.now >= $0 }) == true {
                    flag.cancel()
                    return
                }
                usleep(20_000)
            }
        }
        self.thread = thread
        thread.start()
    }

    func stop() { done.cancel() }
}

/// The trial table, printed a row at a time as trials finish.
struct TrialTable {
    let names: [String]
    let measure: String

    private var columns: [String] { ["trial", "round"] + names + ["score", "seconds"] }
    private func width(_ title: String) -> Int { max(title.count, 9) }

    var header: String {
        let titles = columns.map { pad($0, width($0)) }.joined(separator: "  ")
        let rule = columns.map { String(repeating: "-", count: width($0)) }.joined(separator: "  ")
        return "score: \(measure) on the validation data\n" + titles + "\n" + rule
    }

    func row(_ trial: TuneRunner.Trial, number: Int) -> String {
        var cells: [String] = []
        for column in columns {
            let text: String
            switch column {
            case "trial": text = "\(number)"
            case "round": text = "\(trial.round)"
            case "score": text = formatFixed(trial.score, decimals: 4)
            case "seconds": text = formatFixed(trial.seconds, decimals: 1)
            default: text = trial.parameters[column].map(TrialTable.value) ?? "-"
            }
            cells.append(pad(text, width(column)))
        }
        return cells.joined(separator: "  ")
    }

    func settings(_ values: [String: Double]) -> String {
        names.compactMap { name in values[name].map { "\(name)=\(TrialTable.value($0))" } }.joined(separator: " ")
    }

    static func value(_ x: Double) -> String {
        if x == x.rounded() && abs(x) < 1e9 { return String(Int(x)) }
        if abs(x) < 1e-3 { return String(format: "%.2e", x) }
        return String(format: "%.4g", x)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
