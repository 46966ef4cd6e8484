import Testing
import TensorCore
@testable import Word2Vec

/// The fused kernels against the negative-sampling formulas written out in Double.
@Suite("Training kernels")
struct KernelTests {
    static let dimension = 6
    static let rows = 5

    static func matrices(seed: UInt64) -> (input: [Float], output: [Float]) {
        var random = SplitMix64(seed: seed)
        let n = rows * dimension
        return ((0..<n).map { _ in random.nextUnitFloat() - 0.5 }, (0..<n).map { _ in random.nextUnitFloat() - 0.5 })
    }

    static func sigmoid(_ x: Double) -> Double { 1 / (1 + Double.exp(-x)) }

    /// Reference: h predicts `targets` with `labels`; returns loss, ∂h and the updated output rows.
    static func reference(h: [Double], output: inout [[Double]], targets: [Int], labels: [Double], rate: Double)
        -> (loss: Double, gradient: [Double]) {
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: h.count)
        for (t, y) in zip(targets, labels) {
            let f = zip(h, output[t]).map(*).reduce(0, +)
            loss += y == 1 ? -Double.log(sigmoid(f)) : -Double.log(1 - sigmoid(f))
            let g = (y - sigmoid(f)) * rate
            for j in h.indices { gradient[j] += g * output[t][j] }
            for j in h.indices { output[t][j] += g * h[j] }
        }
        return (loss, gradient)
    }

    @Test("a skip-gram pair updates W_in[center] and W_out rows as the formulas say")
    func skipGramPair() throws {
        let (input, output) = Self.matrices(seed: 11)
        let d = Self.dimension
        let shared = SharedMatrices(input: input, output: output, rows: Self.rows, dimension: d)
        let sampler = try UnigramSampler(counts: [1, 1, 1, 1, 1])
        let negatives: [Int32] = [3, 0, 4]
        let loss = TrainingKernel.with(shared, sampler: sampler, negativeSamples: 3, sigmoid: .exact) { kernel in
            kernel.skipGramPair(center: 2, targetCount: kernel.setTargets(positive: 1, negatives: negatives), rate: 0.3)
        }
        var outRows = (0..<Self.rows).map { r in (0..<d).map { Double(output[r * d + $0]) } }
        let h = (0..<d).map { Double(input[2 * d + $0]) }
        let expected = Self.reference(h: h, output: &outRows, targets: [1, 3, 0, 4], labels: [1, 0, 0, 0], rate: 0.3)
        #expect(abs(Double(loss) - expected.loss) < 1e-5)
        let newInput = shared.inputScalars(), newOutput = shared.outputScalars()
        for j in 0..<d {
            #expect(abs(Double(newInput[2 * d + j]) - (h[j] + expected.gradient[j])) < 1e-6)
        }
        for r in 0..<Self.rows where r != 2 {
            for j in 0..<d { #expect(newInput[r * d + j] == input[r * d + j]) }
        }
        for r in 0..<Self.rows {
            for j in 0..<d { #expect(abs(Double(newOutput[r * d + j]) - outRows[r][j]) < 1e-6) }
        }
    }

    @Test("a CBOW window averages the context and spreads the gradient of the mean")
    func cbowWindow() throws {
        let (input, output) = Self.matrices(seed: 5)
        let d = Self.dimension
        let shared = SharedMatrices(input: input, output: output, rows: Self.rows, dimension: d)
        let sampler = try UnigramSampler(counts: [1, 1, 1, 1, 1])
        let context: [Int32] = [0, 3, 4]
        let negatives: [Int32] = [2, 0]
        let loss = TrainingKernel.with(shared, sampler: sampler, negativeSamples: 2, sigmoid: .exact,
                                       cbowContextUpdate: .exactGradient) { kernel in
            context.withUnsafeBufferPointer { c in
                kernel.cbowWindow(context: c.baseAddress!, count: c.count, targetCount: kernel.setTargets(positive: 1, negatives: negatives), rate: 0.5)
            }
        }
        var outRows = (0..<Self.rows).map { r in (0..<d).map { Double(output[r * d + $0]) } }
        let h = (0..<d).map { j in context.map { Double(input[Int($0) * d + j]) }.reduce(0, +) / 3 }
        let expected = Self.reference(h: h, output: &outRows, targets: [1, 2, 0], labels: [1, 0, 0], rate: 0.5)
        #expect(abs(Double(loss) - expected.loss) < 1e-5)
        let newInput = shared.inputScalars()
        for r in 0..<Self.rows {
            for j in 0..<d {
                let delta = context.contains(Int32(r)) ? expected.gradient[j] / 3 : 0
                #expect(abs(Double(newInput[r * d + j]) - (Double(input[r * d + j]) + delta)) < 1e-6)
            }
        }
    }

    @Test("a negative equal to the positive word is skipped")
    func skipsPositiveAmongNegatives() throws {
        let (input, output) = Self.matrices(seed: 2)
        let a = SharedMatrices(input: input, output: output, rows: Self.rows, dimension: Self.dimension)
        let b = SharedMatrices(input: input, output: output, rows: Self.rows, dimension: Self.dimension)
        let sampler = try UnigramSampler(counts: [1, 1, 1, 1, 1])
        let withDuplicate: [Int32] = [1, 3], without: [Int32] = [3]
        let la = TrainingKernel.with(a, sampler: sampler, negativeSamples: 2, sigmoid: .exact) { k in
            k.skipGramPair(center: 0, targetCount: k.setTargets(positive: 1, negatives: withDuplicate), rate: 0.1)
        }
        let lb = TrainingKernel.with(b, sampler: sampler, negativeSamples: 1, sigmoid: .exact) { k in
            k.skipGramPair(center: 0, targetCount: k.setTargets(positive: 1, negatives: without), rate: 0.1)
        }
        #expect(la == lb)
        #expect(a.inputScalars() == b.inputScalars() && a.outputScalars() == b.outputScalars())
    }

    /// σ from the table is off by at most σ'·(half a cell) ≤ 0.25·6/1024 ≈ 0.0015, so each update
    /// `g·x` moves by at most 0.0015·|x|: rows here are at most 2 (input) and 0.5 (output) in size.
    @Test("the sigmoid table stays within its resolution of the exact update")
    func tableAgreesWithExact() throws {
        let (input, output) = Self.matrices(seed: 9)
        let scaledInput = input.map { $0 * 4 }  // larger dot products, across many table cells
        let exact = SharedMatrices(input: scaledInput, output: output, rows: Self.rows, dimension: Self.dimension)
        let table = SharedMatrices(input: scaledInput, output: output, rows: Self.rows, dimension: Self.dimension)
        let sampler = try UnigramSampler(counts: [1, 1, 1, 1, 1])
        let negatives: [Int32] = [0, 2, 3]
        var losses: [Float] = []
        for (shared, mode) in [(exact, SigmoidEvaluation.exact), (table, .table)] {
            losses.append(TrainingKernel.with(shared, sampler: sampler, negativeSamples: 3, sigmoid: mode) { k in
                k.skipGramPair(center: 4, targetCount: k.setTargets(positive: 1, negatives: negatives), rate: 1)
            })
        }
        #expect(abs(losses[0] - losses[1]) < 0.01)
        for (x, y) in zip(exact.outputScalars(), table.outputScalars()) { #expect(abs(x - y) < 0.0015 * 2 + 1e-5) }
        for (x, y) in zip(exact.inputScalars(), table.inputScalars()) { #expect(abs(x - y) < 4 * 0.0015 * 0.5 + 1e-5) }
    }

    @Test("the table matches σ at cell midpoints and saturates outside ±6")
    func sigmoidTable() {
        let table = SigmoidTable()
        #expect(table.sigmoid.count == SigmoidTable.size)
        for i in stride(from: 0, to: SigmoidTable.size, by: 37) {
            let x = -6 + (Double(i) + 0.5) * 12 / Double(SigmoidTable.size)
            #expect(abs(Double(table.sigmoid[i]) - Self.sigmoid(x)) < 1e-6)
            #expect(abs(Double(table.softplusOfNegative[i]) + Double.log(Self.sigmoid(x))) < 1e-5)
        }
        #expect(table.sigmoid.first! < 0.003 && table.sigmoid.last! > 0.997)
    }
}
