import Foundation
import Synchronization
import TensorCore
import TextCorpus

/// What one training run did, for reports and benchmarks.
public struct Word2VecTrainingSummary: Sendable, Equatable, Codable {
    /// Raw corpus tokens (including out-of-vocabulary ones) times epochs.
    public var rawWords: Int
    /// In-vocabulary tokens read (before subsampling), summed over epochs.
    public var trainedWords: Int
    /// In-vocabulary tokens kept by subsampling (the ones actually trained on), summed over epochs.
    public var keptWords: Int
    /// Wall-clock seconds spent in the worker threads.
    public var trainingSeconds: Double
    /// `rawWords / trainingSeconds`.
    public var wordsPerSecond: Double
    /// Mean loss per prediction over the last reporting window (the last ~quarter second or less).
    public var finalLoss: Double
    /// Mean loss per prediction over the whole run.
    public var meanLoss: Double
    /// Mean loss per prediction of each epoch (summed over workers).
    public var epochLosses: [Double]
    /// Loss and learning rate per percent of training (unit `"percent"`): each point is the mean
    /// loss per prediction since the previous point and the learning rate when it was taken.
    /// Workers publish every ~10,000 words, so a small corpus has fewer than 100 points.
    public var history: TrainingHistory

    public init(rawWords: Int = 0, trainedWords: Int = 0, keptWords: Int = 0, trainingSeconds: Double = 0, wordsPerSecond: Double = 0,
                finalLoss: Double = 0, meanLoss: Double = 0, epochLosses: [Double] = [],
                history: TrainingHistory = TrainingHistory(unit: "percent")) {
        self.rawWords = rawWords
        self.trainedWords = trainedWords
        self.keptWords = keptWords
        self.trainingSeconds = trainingSeconds
        self.wordsPerSecond = wordsPerSecond
        self.finalLoss = finalLoss
        self.meanLoss = meanLoss
        self.epochLosses = epochLosses
        self.history = history
    }
}

/// Counters shared by the workers: words done (drives the learning-rate schedule), the loss
/// window for progress reports, and the stop request. Workers touch it every ~10,000 words.
final class TrainingCoordinator: Sendable {
    struct State {
        var trainedWords = 0
        var keptWords = 0
        var rawWords = 0
        var windowLoss = 0.0
        var windowPredictions = 0
        var totalLoss = 0.0
        var totalPredictions = 0
        var lastReport: ContinuousClock.Instant
        var lastReportLoss = 0.0
        var stopped = false
        /// The fraction of training done when a worker saw a NaN or infinite loss, if one did.
        var divergedAt: Double?
        var epochLoss: [Double] = []
        var epochPredictions: [Int] = []
        /// Loss since the last history point, and the next whole percent that makes a point.
        var historyLoss = 0.0
        var historyPredictions = 0
        var nextHistoryPercent = 1
        var history = TrainingHistory(unit: "percent")
    }

    let state: Mutex<State>
    let start: ContinuousClock.Instant

    init() {
        let now = ContinuousClock.now
        start = now
        state = Mutex(State(lastReport: now))
    }
}

/// Per-pair SGD with a linearly decaying learning rate over shared matrices, on `threads` workers
/// each owning a disjoint slice of the corpus (Hogwild). See ``TrainingKernel`` for the update.
struct TrainingEngine {
    let configuration: Word2VecConfiguration
    /// Corpus token ids; negative ids (out of vocabulary) are skipped.
    let ids: [Int32]
    /// `P(keep)` of each word id after subsampling (1 when subsampling is off).
    let keepProbabilities: [Float]
    let sampler: UnigramSampler
    /// In-vocabulary tokens per epoch (the schedule's denominator).
    let wordsPerEpoch: Int
    /// Id that ends a sentence (never trained on), or nil.
    let sentenceBoundary: Int32?

    static let syncInterval = 10_000
    static let reportInterval: Duration = .milliseconds(250)

    /// Runs every epoch on `matrices`; reports progress from the worker threads.
    func run(_ matrices: SharedMatrices, progress: (@Sendable (TrainingProgress) -> Void)?,
             cancellation: CancellationFlag?) throws(Word2VecError) -> Word2VecTrainingSummary {
        let coordinator = TrainingCoordinator()
        coordinator.state.withLock {
            $0.epochLoss = [Double](repeating: 0, count: configuration.epochs)
            $0.epochPredictions = [Int](repeating: 0, count: configuration.epochs)
        }
        let threads = min(configuration.threads, max(ids.count, 1))
        var seeds = SplitMix64(seed: configuration.seed ^ 0x5752_3256_5345_4544)
        let workerSeeds = (0..<threads).map { _ in seeds.next() }
        let table = SigmoidTable()
        if threads == 1 {
            worker(0, of: 1, seed: workerSeeds[0], matrices: matrices, table: table, coordinator: coordinator,
                   progress: progress, cancellation: cancellation)
        } else {
            let group = DispatchGroup()
            for t in 0..<threads {
                group.enter()
                let seed = workerSeeds[t]
                let thread = Thread { [self] in
                    worker(t, of: threads, seed: seed, matrices: matrices, table: table, coordinator: coordinator,
                           progress: progress, cancellation: cancellation)
                    group.leave()
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
            group.wait()
        }
        let seconds = Self.seconds(since: coordinator.start)
        let totalWords = configuration.epochs * wordsPerEpoch
        let final = coordinator.state.withLock { s -> TrainingCoordinator.State in
            // The last point covers whatever the workers published after the last whole percent.
            if s.historyPredictions > 0 || s.history.points.last?.position != 100 {
                Self.recordHistoryPoint(&s, percent: 100, start: configuration.startingLearningRate,
                                        floorFraction: configuration.minLearningRateFraction, totalWords: totalWords,
                                        since: coordinator.start)
            }
            return s
        }
        if let fraction = final.divergedAt {
            throw .diverged(fraction: fraction, learningRate: configuration.startingLearningRate)
        }
        if final.stopped { throw .cancelled }
        let windowMean = final.windowPredictions > 0 ? final.windowLoss / Double(final.windowPredictions) : final.lastReportLoss
        if let progress {
            progress(TrainingProgress(
                stage: "training", fraction: 1, processedWords: final.rawWords,
                wordsPerSecond: seconds > 0 ? Double(final.rawWords) / seconds : 0, elapsedSeconds: seconds,
                learningRate: Double(Self.learningRate(start: configuration.startingLearningRate,
                                                       floorFraction: configuration.minLearningRateFraction,
                                                       done: final.trainedWords, total: totalWords)),
                loss: windowMean))
        }
        return Word2VecTrainingSummary(
            rawWords: final.rawWords, trainedWords: final.trainedWords, keptWords: final.keptWords, trainingSeconds: seconds,
            wordsPerSecond: seconds > 0 ? Double(final.rawWords) / seconds : 0,
            finalLoss: windowMean,
            meanLoss: final.totalPredictions > 0 ? final.totalLoss / Double(final.totalPredictions) : 0,
            epochLosses: zip(final.epochLoss, final.epochPredictions).map { $1 > 0 ? $0 / Double($1) : 0 },
            history: final.history)
    }

    /// Appends a history point at `percent` with the loss since the previous point and the
    /// schedule's learning rate, then starts the next interval.
    static func recordHistoryPoint(_ s: inout TrainingCoordinator.State, percent: Int, start: Float, floorFraction: Float,
                                   totalWords: Int, since begin: ContinuousClock.Instant) {
        let rate = learningRate(start: start, floorFraction: floorFraction, done: s.trainedWords, total: totalWords)
        let loss = s.historyPredictions > 0 ? s.historyLoss / Double(s.historyPredictions) : s.history.points.last?.loss
        s.history.append(TrainingHistory.Point(position: Double(percent), loss: loss, learningRate: Double(rate),
                                               elapsedSeconds: seconds(since: begin)))
        s.historyLoss = 0
        s.historyPredictions = 0
        s.nextHistoryPercent = percent + 1
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// The learning rate after `done` of `total` words: `η₀·(1 − done/(total+1))`, floored at `η₀·fraction`.
    static func learningRate(start: Float, floorFraction: Float, done: Int, total: Int) -> Float {
        let rate = start * Float(1 - Double(done) / Double(total + 1))
        return max(rate, start * floorFraction)
    }

    private func worker(_ index: Int, of threads: Int, seed: UInt64, matrices: SharedMatrices, table: SigmoidTable,
                        coordinator: TrainingCoordinator, progress: (@Sendable (TrainingProgress) -> Void)?,
                        cancellation: CancellationFlag?) {
        let configuration = self.configuration
        let windowSize = configuration.windowSize
        let maxLength = configuration.maxSentenceLength
        let skipGram = configuration.architecture == .skipGram
        let startRate = configuration.startingLearningRate
        let floorFraction = configuration.minLearningRateFraction
        let epochs = configuration.epochs
        let totalWords = epochs * wordsPerEpoch
        let boundary = sentenceBoundary ?? Int32.min
        let subsample = configuration.sample > 0
        let sliceStart = ids.count * index / threads
        let sliceEnd = ids.count * (index + 1) / threads
        var random = SplitMix64(seed: seed)

        let hogBatch = skipGram && configuration.skipGramUpdate == .hogBatch
        var sentences = SentenceGatherer(ids: ids, keepProbabilities: keepProbabilities, boundary: boundary,
                                         subsample: subsample, maximumLength: maxLength)
        var sentence: [Int32] = []
        sentence.reserveCapacity(maxLength)

        var rate = startRate
        var localWords = 0, localRaw = 0, localPredictions = 0, localKept = 0
        var localLoss = 0.0
        var stop = false
        var publishedLoss = 0.0, publishedPredictions = 0
        var epochLoss = [Double](repeating: 0, count: epochs)
        var epochPredictions = [Int](repeating: 0, count: epochs)

        // Publishes local counters; returns false when training must stop.
        func synchronize() -> Bool {
            var report: TrainingProgress?
            let (done, stopped) = coordinator.state.withLock { s -> (Int, Bool) in
                s.trainedWords += localWords
                s.keptWords += localKept
                s.rawWords += localRaw
                s.windowLoss += localLoss
                s.windowPredictions += localPredictions
                s.totalLoss += localLoss
                s.totalPredictions += localPredictions
                s.historyLoss += localLoss
                s.historyPredictions += localPredictions
                let percent = min(100, 100 * s.trainedWords / max(totalWords, 1))
                if percent >= s.nextHistoryPercent, s.historyPredictions > 0 {
                    TrainingEngine.recordHistoryPoint(&s, percent: percent, start: startRate, floorFraction: floorFraction,
                                                      totalWords: totalWords, since: coordinator.start)
                }
                if cancellation?.isCancelled == true { s.stopped = true }
                // A diverging run stops everyone at once: its weights are already garbage.
                if !localLoss.isFinite && s.divergedAt == nil {
                    s.divergedAt = min(1, Double(s.trainedWords) / Double(max(totalWords, 1)))
                    s.stopped = true
                }
                if let _ = progress {
                    let now = ContinuousClock.now
                    if now - s.lastReport >= TrainingEngine.reportInterval {
                        let elapsed = TrainingEngine.seconds(since: coordinator.start)
                        let mean = s.windowPredictions > 0 ? s.windowLoss / Double(s.windowPredictions) : s.lastReportLoss
                        let current = TrainingEngine.learningRate(start: startRate, floorFraction: floorFraction,
                                                                  done: s.trainedWords, total: totalWords)
                        report = TrainingProgress(
                            stage: "training", fraction: min(1, Double(s.trainedWords) / Double(max(totalWords, 1))),
                            processedWords: s.rawWords, wordsPerSecond: elapsed > 0 ? Double(s.rawWords) / elapsed : 0,
                            elapsedSeconds: elapsed, learningRate: Double(current), loss: mean)
                        s.lastReport = now
                        s.lastReportLoss = mean
                        s.windowLoss = 0
                        s.windowPredictions = 0
                    }
                }
                return (s.trainedWords, s.stopped)
            }
            publishedLoss += localLoss
            publishedPredictions += localPredictions
            localWords = 0
            localKept = 0
            localRaw = 0
            localLoss = 0
            localPredictions = 0
            rate = TrainingEngine.learningRate(start: startRate, floorFraction: floorFraction, done: done, total: totalWords)
            if let report, let progress { progress(report) }
            return !stopped
        }

        TrainingKernel.with(matrices, sampler: sampler, negativeSamples: configuration.negativeSamples,
                            sigmoid: configuration.sigmoid, cbowContextUpdate: configuration.cbowContextUpdate,
                            windowSize: windowSize) { kernel in
            var unsynchronized = 0
            for epoch in 0..<epochs where !stop {
                let lossBefore = publishedLoss + localLoss
                let predictionsBefore = publishedPredictions + localPredictions
                defer {
                    epochLoss[epoch] = publishedLoss + localLoss - lossBefore
                    epochPredictions[epoch] = publishedPredictions + localPredictions - predictionsBefore
                }
                sentences.restart(from: sliceStart, to: sliceEnd)
                while !sentences.isFinished {
                    // Safe Swift gathers the ids (subsampling, unknown words, boundaries); the kernel consumes them.
                    let (wordsRead, tokensRead) = sentences.next(into: &sentence, random: &random)
                    kernel.trainSentence(sentence, windowSize: windowSize, skipGram: skipGram, hogBatch: hogBatch,
                                         rate: rate, random: &random, loss: &localLoss, predictions: &localPredictions)
                    localWords &+= wordsRead
                    localKept &+= sentence.count
                    localRaw &+= tokensRead
                    unsynchronized &+= wordsRead
                    if unsynchronized >= TrainingEngine.syncInterval {
                        unsynchronized = 0
                        if !synchronize() {
                            stop = true
                            break
                        }
                    }
                }
            }
            _ = synchronize()
            coordinator.state.withLock { s in
                for e in 0..<epochs {
                    s.epochLoss[e] += epochLoss[e]
                    s.epochPredictions[e] += epochPredictions[e]
                }
            }
        }
    }
}

/// Cuts a worker's slice of the corpus into sentences of kept word ids, in safe Swift (the
/// kernels then run over the gathered ids): out-of-vocabulary tokens (negative ids) are
/// skipped, a sentence ends at `boundary` or after `maximumLength` kept words, and with
/// `subsample` a word is kept with probability `keepProbabilities[id]` (Mikolov et al. 2013),
/// one uniform draw per in-vocabulary token as word2vec does.
struct SentenceGatherer {
    let ids: [Int32]
    let keepProbabilities: [Float]
    let boundary: Int32
    let subsample: Bool
    let maximumLength: Int
    private var position = 0
    private var end = 0

    init(ids: [Int32], keepProbabilities: [Float], boundary: Int32, subsample: Bool, maximumLength: Int) {
        self.ids = ids
        self.keepProbabilities = keepProbabilities
        self.boundary = boundary
        self.subsample = subsample
        self.maximumLength = maximumLength
    }

    /// Starts again at token `start` of a slice ending before `end`.
    mutating func restart(from start: Int, to end: Int) {
        position = start
        self.end = end
    }

    /// Whether the slice has been read to its end.
    var isFinished: Bool { position >= end }

    /// Replaces `sentence` with the next sentence's kept ids; returns the in-vocabulary words
    /// read (before subsampling) and the tokens consumed (all of them, markers and unknown ones too).
    mutating func next(into sentence: inout [Int32], random: inout SplitMix64) -> (words: Int, tokens: Int) {
        sentence.removeAll(keepingCapacity: true)
        let start = position
        var words = 0
        while position < end && sentence.count < maximumLength {
            let word = ids[position]
            position += 1
            if word < 0 { continue }
            if word == boundary { break }
            words += 1
            if subsample {
                let p = keepProbabilities[Int(word)]
                if p < 1 && p < random.nextUnitFloat() { continue }
            }
            sentence.append(word)
        }
        return (words, position - start)
    }
}
