import TensorCore

/// Frequent-word subsampling (Mikolov et al. 2013, "Distributed Representations of Words and
/// Phrases and their Compositionality"), in the form of the word2vec C tool.
///
/// A token of a word with relative frequency `f = count / totalCount` is kept with probability
///
///     P(keep) = min(1, (sqrt(f / t) + 1) * t / f)
///
/// where `t` is the ``threshold`` (default 1e-3). Words rarer than about `t` are always kept;
/// very frequent words ("the", "of") are mostly dropped, which speeds training and improves
/// vectors of rarer words. A threshold `<= 0` disables subsampling (everything is kept).
public struct Subsampler: Sendable, Equatable {
    /// The threshold `t`.
    public let threshold: Double
    /// `P(keep)` per word id.
    public let keepProbabilities: [Float]

    /// A subsampler for the words with these corpus counts (one per id, e.g. ``Vocabulary/counts``).
    public init(counts: [Int], threshold: Double = 1e-3) {
        self.threshold = threshold
        let total = Double(counts.reduce(0, +))
        keepProbabilities = counts.map { count in
            guard threshold > 0, count > 0, total > 0 else { return 1 }
            let f = Double(count) / total
            return Float(min(1, ((f / threshold).squareRoot() + 1) * threshold / f))
        }
    }

    /// `P(keep)` of word `id`; 0 for out-of-vocabulary tokens (id < 0).
    @inline(__always)
    public func keepProbability(of id: Int32) -> Float {
        id < 0 ? 0 : keepProbabilities[Int(id)]
    }

    /// Draws whether to keep one token of word `id`. Out-of-vocabulary tokens (id < 0) are never
    /// kept; words with `P(keep) = 1` are kept without consuming a random number.
    @inline(__always)
    public func keeps(_ id: Int32, using rng: inout SplitMix64) -> Bool {
        if id < 0 { return false }
        let p = keepProbabilities[Int(id)]
        if p >= 1 { return true }
        return rng.nextUnitFloat() < p
    }
}

/// A dynamic ("randomly shrunk") context window size, uniform in `1...maximum`.
///
/// word2vec draws `b = rand() % window` and uses `window - b` context words on each side, which
/// weights a context word at distance `d` by `(maximum - d + 1) / maximum` in expectation.
/// `maximum` must be at least 1.
@inline(__always)
public func dynamicWindowSize(maximum: Int, using rng: inout SplitMix64) -> Int {
    precondition(maximum >= 1, "A context window must be at least 1 word wide; got \(maximum).")
    return 1 + rng.nextIndex(below: maximum)
}
