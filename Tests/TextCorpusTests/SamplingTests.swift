import Foundation
import Testing
import TensorCore
import TextCorpus

@Suite("Subsampling and dynamic windows")
struct SamplingTests {
    @Test("keep probability is word2vec's (sqrt(f/t) + 1) * t/f, capped at 1")
    func keepProbability() {
        // Total 10_000: f = 0.5, 0.01, 0.0001.
        let sampler = Subsampler(counts: [5_000, 100, 1, 4_899], threshold: 1e-3)
        let f0 = 0.5, t = 1e-3
        #expect(abs(Double(sampler.keepProbability(of: 0)) - ((f0 / t).squareRoot() + 1) * t / f0) < 1e-6)
        #expect(abs(Double(sampler.keepProbability(of: 1)) - ((0.01 / t).squareRoot() + 1) * t / 0.01) < 1e-6)
        #expect(sampler.keepProbability(of: 2) == 1)
        #expect(sampler.keepProbability(of: -1) == 0)
    }

    @Test("a threshold of zero or below keeps everything", arguments: [0.0, -1.0])
    func disabled(threshold: Double) {
        let sampler = Subsampler(counts: [1_000_000, 1], threshold: threshold)
        var rng = SplitMix64(seed: 1)
        #expect(sampler.keepProbability(of: 0) == 1)
        #expect((0..<1000).allSatisfy { _ in sampler.keeps(0, using: &rng) })
    }

    @Test("keeps is seeded and matches the keep probability in frequency; OOV is never kept")
    func keepsFrequency() {
        let sampler = Subsampler(counts: [9_000, 1_000], threshold: 1e-2)
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        let first = (0..<20_000).map { _ in sampler.keeps(0, using: &a) }
        let second = (0..<20_000).map { _ in sampler.keeps(0, using: &b) }
        #expect(first == second)
        let rate = Double(first.filter { $0 }.count) / 20_000
        // p = (sqrt(0.9/0.01) + 1) * 0.01 / 0.9 = 0.11652; binomial sd = 0.0023.
        #expect(abs(rate - Double(sampler.keepProbability(of: 0))) < 0.012)
        #expect(!sampler.keeps(-1, using: &a))
    }

    @Test("dynamic window sizes are uniform in 1...maximum and seeded", arguments: [1, 2, 5])
    func dynamicWindow(maximum: Int) {
        var rng = SplitMix64(seed: 3)
        var seen = [Int](repeating: 0, count: maximum + 1)
        for _ in 0..<5_000 {
            let size = dynamicWindowSize(maximum: maximum, using: &rng)
            #expect((1...maximum).contains(size))
            seen[size] += 1
        }
        for size in 1...maximum { #expect(abs(Double(seen[size]) / 5_000 - 1 / Double(maximum)) < 0.05) }
        var x = SplitMix64(seed: 9), y = SplitMix64(seed: 9)
        #expect((0..<50).map { _ in dynamicWindowSize(maximum: maximum, using: &x) }
            == (0..<50).map { _ in dynamicWindowSize(maximum: maximum, using: &y) })
    }
}
