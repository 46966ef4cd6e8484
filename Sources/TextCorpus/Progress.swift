import Synchronization

/// A snapshot of a long-running job (reading a corpus, counting, training), reported through
/// a callback so that library code never prints. The command line turns it into a progress
/// line; library users may show it however they like.
public struct TrainingProgress: Sendable, Equatable {
    /// What is running, e.g. "vocabulary", "training", "counting", "ppmi", "svd".
    public var stage: String
    /// Completed fraction of the stage in `0...1`.
    public var fraction: Double
    /// Words (tokens) processed so far in this stage.
    public var processedWords: Int
    /// Throughput of the stage so far, in words per second (0 when not meaningful).
    public var wordsPerSecond: Double
    /// Seconds since the stage began.
    public var elapsedSeconds: Double
    /// The current learning rate, for stages that have one.
    public var learningRate: Double?
    /// Mean loss over the recent reporting window, for stages that have one.
    public var loss: Double?

    public init(stage: String, fraction: Double, processedWords: Int = 0, wordsPerSecond: Double = 0,
                elapsedSeconds: Double = 0, learningRate: Double? = nil, loss: Double? = nil) {
        self.stage = stage
        self.fraction = fraction
        self.processedWords = processedWords
        self.wordsPerSecond = wordsPerSecond
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
