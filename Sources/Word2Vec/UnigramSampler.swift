import TensorCore

/// Draws negative samples from the smoothed unigram distribution `P(w) = count(w)^α / Σ_v count(v)^α`
/// (Mikolov et al. 2013, "Distributed Representations of Words and Phrases"; α = 0.75).
///
/// Uses Walker's alias method in Vose's O(V) construction: one table entry per word (a 32-bit
/// acceptance threshold and a 32-bit alias, 8 bytes per word), and one 64-bit random number per
/// draw in O(1) — the high 32 bits pick a column, the low 32 bits decide between the column and
/// its alias. This replaces word2vec's 100-million-entry table (400 MB) with `8·V` bytes.
public struct UnigramSampler: Sendable {
    /// One column of the alias table: draw `column` when `coin < threshold`, else `alias`.
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var threshold: UInt32
        @usableFromInline var alias: Int32
    }

    /// The exponent α applied to the counts.
    public let power: Double
    /// `P(w)` for every word id (sums to 1).
    public let probabilities: [Double]
    @usableFromInline let entries: [Entry]

    /// The number of words the sampler draws from.
    public var vocabularySize: Int { entries.count }

    /// A sampler over ids `0..<counts.count` with `P(w) ∝ counts[w]^power`.
    ///
    /// Words with count 0 are never drawn. Throws when there is no word with a positive count or
    /// a count is negative, or when `power` is not finite and non-negative.
    public init(counts: [Int], power: Double = 0.75) throws(Word2VecError) {
        guard power.isFinite, power >= 0 else {
            throw .invalidHyperparameter(name: "noisePower", value: "\(power)", requirement: "must be a finite number ≥ 0")
        }
        if let negative = counts.first(where: { $0 < 0 }) {
            throw .invalidHyperparameter(name: "count", value: "\(negative)", requirement: "must not be negative")
        }
        guard counts.contains(where: { $0 > 0 }) else { throw .emptyVocabulary(minCount: 1) }
        precondition(counts.count <= Int(Int32.max), "A vocabulary this large cannot be indexed with 32-bit ids.")
        let weights = counts.map { $0 > 0 ? Double.pow(Double($0), power) : 0 }
        let total = weights.reduce(0, +)
        let probabilities = weights.map { $0 / total }
        self.power = power
        self.probabilities = probabilities
        self.entries = UnigramSampler.aliasTable(probabilities)
    }

    /// Vose's alias-table construction: scale probabilities by `n`, then repeatedly pair a column
    /// below 1 with one above 1, which donates the missing mass as the alias.
    private static func aliasTable(_ probabilities: [Double]) -> [Entry] {
        let n = probabilities.count
        var scaled = probabilities.map { $0 * Double(n) }
        var entries = [Entry](repeating: Entry(threshold: 0, alias: 0), count: n)
        var small: [Int] = []
        var large: [Int] = []
        small.reserveCapacity(n)
        large.reserveCapacity(n)
        for (i, p) in scaled.enumerated() {
            if p < 1 { small.append(i) } else { large.append(i) }
        }
        let scale = 4_294_967_296.0  // 2^32
        while let s = small.last, let l = large.last {
            small.removeLast()
            entries[s] = Entry(threshold: UInt32(min(scaled[s] * scale, scale - 1)), alias: Int32(l))
            scaled[l] = (scaled[l] + scaled[s]) - 1
            if scaled[l] < 1 {
                large.removeLast()
                small.append(l)
            }
        }
        // Whatever remains has (up to rounding) probability exactly 1: always keep the column.
        for i in large + small {
            entries[i] = Entry(threshold: UInt32.max, alias: Int32(i))
        }
        return entries
    }

    /// One word id drawn from `P`, in O(1) with one 64-bit random number.
    @inlinable
    public func sample<G: RandomNumberGenerator>(using generator: inout G) -> Int32 {
        let r = generator.next()
        let column = Int(truncatingIfNeeded: ((r >> 32) &* UInt64(entries.count)) >> 32)
        let entry = entries[column]
        return UInt32(truncatingIfNeeded: r) < entry.threshold ? Int32(truncatingIfNeeded: column) : entry.alias
    }

    /// `count` negative ids for each of `targets`, row-major `[targets.count, count]`.
    ///
    /// A draw equal to its row's target is redrawn (up to 32 times), so negatives differ from the
    /// positive word whenever the vocabulary has another word to offer.
    public func negatives<G: RandomNumberGenerator>(for targets: [Int32], count: Int, using generator: inout G) -> [Int32] {
        var result = [Int32]()
        result.reserveCapacity(targets.count * count)
        for target in targets {
            for _ in 0..<count {
                var drawn = sample(using: &generator)
                var attempts = 0
                while drawn == target && attempts < 32 {
                    drawn = sample(using: &generator)
                    attempts += 1
                }
                result.append(drawn)
            }
        }
        return result
    }
}
