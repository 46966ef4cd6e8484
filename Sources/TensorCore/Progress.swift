#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A snapshot of a long-running job — reading a corpus, counting, training, an SVD, reading or
/// writing a vector file, saving a model — reported through a callback so that library code
/// never prints. Every long operation of the toolkit reports this one type (and stops early on
/// a ``CancellationFlag``); the command line turns it into a progress line, library users may
/// show it however they like.
public struct ProgressReport: Sendable, Equatable {
    /// What is running, e.g. "reading", "training", "counting", "ppmi", "svd", "saving".
    public var stage: String
    /// Completed fraction of the stage in `0...1` (0 while unknown, e.g. reading a stream).
    public var fraction: Double
    /// Items processed so far in this stage: words (tokens) unless ``unit`` says otherwise.
    public var processedWords: Int
    /// Throughput of the stage so far, in ``unit``s per second (0 when not meaningful).
    public var wordsPerSecond: Double
    /// What ``processedWords`` and ``wordsPerSecond`` count: "words" (the default), or e.g.
    /// "products" for an SVD's matrix products, "vectors" for a vector file.
    public var unit: String
    /// Seconds since the stage began.
    public var elapsedSeconds: Double
    /// The current learning rate, for stages that have one.
    public var learningRate: Double?
    /// Mean loss over the recent reporting window, for stages that have one.
    public var loss: Double?
    /// The perplexity exp(loss) of a language model's recent training, for stages that have one.
    public var perplexity: Double?

    public init(stage: String, fraction: Double, processedWords: Int = 0, wordsPerSecond: Double = 0,
                elapsedSeconds: Double = 0, learningRate: Double? = nil, loss: Double? = nil, unit: String = "words") {
        self.stage = stage
        self.fraction = fraction
        self.processedWords = processedWords
        self.wordsPerSecond = wordsPerSecond
        self.unit = unit
        self.elapsedSeconds = elapsedSeconds
        self.learningRate = learningRate
        self.loss = loss
    }

    /// Estimated seconds left, from the elapsed time and completed fraction (nil before any progress).
    public var estimatedSecondsRemaining: Double? {
        guard fraction > 0, fraction <= 1 else { return nil }
        return elapsedSeconds * (1 - fraction) / fraction
    }
}

/// A thread-safe flag that asks a long-running job to stop early (Ctrl-C in the command line).
///
/// Jobs poll ``isCancelled`` between batches and throw their module's `cancelled` error, so
/// nothing half-finished is returned. A reference type because the flag's identity is shared
/// between the requester and the worker threads.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Whether ``cancel()`` has been called.
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Requests cancellation; safe from any thread (and from a signal handler's dispatch source).
    public func cancel() { flag.store(true, ordering: .relaxed) }
}

/// The name progress reports had before every long operation used them (training was first).
public typealias TrainingProgress = ProgressReport

/// Seconds on a monotonic clock (for progress reports and rates; never goes back).
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
