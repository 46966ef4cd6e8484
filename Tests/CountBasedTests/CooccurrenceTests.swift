import Testing
import CountBased
import TensorCore

/// Brute-force reference: a dense matrix from explicit pairs, as the peer script does it.
func referenceCounts(_ ids: [Int32], vocabularySize v: Int, window: Int, weighted: Bool) -> Tensor {
    var m = Tensor(shape: [v, v])
    for d in 1...window {
        let w: Float = weighted ? 1 / Float(d) : 1
        for i in 0..<max(0, ids.count - d) {
            let (x, y) = (ids[i], ids[i + d])
            guard x >= 0, y >= 0 else { continue }
            m[Int(x), Int(y)] += w
            m[Int(y), Int(x)] += w
        }
    }
    return m
}

@Suite("Co-occurrence counting")
struct CooccurrenceTests {
    @Test("symmetric window counts and 1/d weighting on a tiny sequence")
    func tiny() throws {
        let plain = try CooccurrenceCounter(windowSize: 2).count(ids: [0, 1, 2], vocabularySize: 3)
        #expect(plain.dense() == Tensor([[0, 1, 1], [1, 0, 1], [1, 1, 0]]))
        let weighted = try CooccurrenceCounter(windowSize: 2, distanceWeighting: true).count(ids: [0, 1, 2], vocabularySize: 3)
        #expect(weighted.dense() == Tensor([[0, 1, 0.5], [1, 0, 1], [0.5, 1, 0]]))
        let repeated = try CooccurrenceCounter(windowSize: 1).count(ids: [0, 0], vocabularySize: 1)
        #expect(repeated.dense() == Tensor([[2]]))
    }

    @Test("out-of-vocabulary tokens occupy window slots but produce no counts")
    func outOfVocabulary() throws {
        let narrow = try CooccurrenceCounter(windowSize: 1).count(ids: [0, -1, 1], vocabularySize: 2)
        #expect(narrow.nonzeroCount == 0)
        let wide = try CooccurrenceCounter(windowSize: 2).count(ids: [0, -1, 1], vocabularySize: 2)
        #expect(wide.dense() == Tensor([[0, 1], [1, 0]]))
    }

    @Test("random corpora match the brute-force reference on 1 and 2 threads",
          arguments: [(1, false), (2, false), (3, true), (5, true)])
    func randomCorpora(window: Int, weighted: Bool) throws {
        var rng = SplitMix64(seed: UInt64(window))
        let v = 23
        let ids = (0..<3_000).map { _ in Int32(min(rng.nextIndex(below: v + 2), rng.nextIndex(below: v + 2))) - 2 }
            .map { max($0, -1) }
        let reference = referenceCounts(ids, vocabularySize: v, window: window, weighted: weighted)
        for threads in [1, 2] {
            let counts = try CooccurrenceCounter(windowSize: window, distanceWeighting: weighted, threads: threads)
                .count(ids: ids, vocabularySize: v)
            let dense = counts.dense()
            for k in 0..<dense.count { #expect(abs(dense.scalars[k] - reference.scalars[k]) < 1e-3) }
            #expect(counts.nonzeroCount == reference.scalars.filter { $0 != 0 }.count)
        }
    }

    @Test("words that never occur give empty rows; a window below 1 is an error")
    func emptyRowsAndErrors() throws {
        let counts = try CooccurrenceCounter(windowSize: 1).count(ids: [0, 2, 0], vocabularySize: 4)
        #expect(counts.rowOffsets == [0, 1, 1, 2, 2])
        #expect(throws: CountBasedError.invalidConfiguration(reason: "the window size must be at least 1, but it is 0")) {
            try CooccurrenceCounter(windowSize: 0).count(ids: [0], vocabularySize: 1)
        }
    }

    @Test("PPMI of counts with empty rows and columns has no NaN and keeps them empty")
    func ppmiZeroRows() throws {
        let counts = try CooccurrenceCounter(windowSize: 1).count(ids: [0, 2, 0, 2, 3, 0], vocabularySize: 5)
        for smoothing in [1.0, 0.75] {
            let ppmi = PPMITransform(contextSmoothing: smoothing).apply(to: counts)
            #expect(ppmi.values.allSatisfy { $0.isFinite && $0 > 0 })
            #expect(ppmi.rowOffsets[1] == ppmi.rowOffsets[2])   // word 1 never occurs
            #expect(ppmi.rowOffsets[4] == ppmi.rowOffsets[5])   // word 4 never occurs
            #expect(!ppmi.columnIndices.contains(1) && !ppmi.columnIndices.contains(4))
        }
    }
}
