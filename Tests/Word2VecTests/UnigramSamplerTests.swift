import Testing
import TensorCore
@testable import Word2Vec

@Suite("UnigramSampler")
struct UnigramSamplerTests {
    @Test("probabilities are count^power normalised")
    func probabilities() throws {
        let sampler = try UnigramSampler(counts: [1, 16, 0, 81], power: 0.5)
        // weights 1, 4, 0, 9 -> total 14
        let expected = [1.0 / 14, 4.0 / 14, 0, 9.0 / 14]
        for (p, e) in zip(sampler.probabilities, expected) { #expect(abs(p - e) < 1e-12) }
        #expect(sampler.vocabularySize == 4)
    }

    @Test("draws follow count^0.75 on a fixed seed", arguments: [0.75, 1.0, 0.0])
    func distribution(power: Double) throws {
        let counts = [1000, 400, 90, 30, 7, 1, 0, 250]
        let sampler = try UnigramSampler(counts: counts, power: power)
        var random = SplitMix64(seed: 42)
        var histogram = [Int](repeating: 0, count: counts.count)
        let draws = 200_000
        for _ in 0..<draws { histogram[Int(sampler.sample(using: &random))] += 1 }
        let weights = counts.map { $0 > 0 ? Double.pow(Double($0), power) : 0 }
        let total = weights.reduce(0, +)
        for i in counts.indices {
            let expected = weights[i] / total
            let observed = Double(histogram[i]) / Double(draws)
            // 5 standard deviations of a binomial proportion, plus a small absolute slack
            let tolerance = 5 * (expected * (1 - expected) / Double(draws)).squareRoot() + 1e-4
            #expect(abs(observed - expected) <= tolerance, "word \(i): observed \(observed), expected \(expected)")
        }
        #expect(histogram[6] == 0, "a word with count 0 must never be drawn")
    }

    @Test("seeded draws are reproducible")
    func reproducible() throws {
        let sampler = try UnigramSampler(counts: [5, 3, 2, 9, 1])
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        let first = (0..<100).map { _ in sampler.sample(using: &a) }
        let second = (0..<100).map { _ in sampler.sample(using: &b) }
        #expect(first == second)
        #expect(Set(first).count > 1)
    }

    @Test("negatives avoid their row's target")
    func negativesExcludeTarget() throws {
        let sampler = try UnigramSampler(counts: [100, 1, 1])
        var random = SplitMix64(seed: 3)
        let targets: [Int32] = [0, 1, 0, 2]
        let negatives = sampler.negatives(for: targets, count: 5, using: &random)
        #expect(negatives.count == 20)
        for (row, target) in targets.enumerated() {
            #expect(!negatives[(row * 5)..<(row * 5 + 5)].contains(target))
        }
    }

    @Test("a single-word vocabulary always draws that word")
    func singleWord() throws {
        let sampler = try UnigramSampler(counts: [3])
        var random = SplitMix64(seed: 1)
        #expect((0..<50).allSatisfy { _ in sampler.sample(using: &random) == 0 })
    }

    @Test("invalid inputs are errors")
    func errors() {
        #expect(throws: Word2VecError.emptyVocabulary(minCount: 1)) { try UnigramSampler(counts: []) }
        #expect(throws: Word2VecError.emptyVocabulary(minCount: 1)) { try UnigramSampler(counts: [0, 0]) }
        #expect(throws: Word2VecError.self) { try UnigramSampler(counts: [1, -2]) }
        #expect(throws: Word2VecError.self) { try UnigramSampler(counts: [1, 2], power: -1) }
        #expect(throws: Word2VecError.self) { try UnigramSampler(counts: [1, 2], power: .nan) }
    }
}
