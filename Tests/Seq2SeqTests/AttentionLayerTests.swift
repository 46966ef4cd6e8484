import NeuralNetwork
import Seq2Seq
import TensorCore
import Testing

private func random(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    return Tensor.randomNormal(shape: shape, using: &generator)
}

private func dot(_ a: Tensor, _ b: Tensor) -> Double {
    zip(a.scalars, b.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
}

@Suite("Attention layers")
struct AttentionLayerTests {
    @Test func attentionWeightGradients() {
        let layer = AttentionWeight()
        let hs = random([2, 4, 3], seed: 1), h = random([2, 3], seed: 2), r = random([2, 4], seed: 3)
        let result = GradientCheck.compare(inputs: [hs, h], parameters: [],
                                           objective: { dot(layer.forward(encoderStates: $0[0], decoderState: $0[1]), r) },
                                           analytic: { xs in
                                               _ = layer.forward(encoderStates: xs[0], decoderState: xs[1])
                                               let (dhs, dh) = layer.backward(r)
                                               return [dhs, dh]
                                           })
        #expect(result.maxRelativeError < 1e-2, "\(result)")
    }

    @Test func weightsSumToOnePerRow() {
        let a = AttentionWeight().forward(encoderStates: random([3, 5, 4], seed: 4), decoderState: random([3, 4], seed: 5))
        for n in 0..<3 {
            let total = (0..<5).reduce(Float(0)) { $0 + a[n, $1] }
            #expect(abs(total - 1) < 1e-5)
            #expect((0..<5).allSatisfy { a[n, $0] > 0 })
        }
    }

    @Test func weightSumGradients() {
        let layer = WeightSum()
        let hs = random([2, 4, 3], seed: 6), a = random([2, 4], seed: 7), r = random([2, 3], seed: 8)
        let result = GradientCheck.compare(inputs: [hs, a], parameters: [],
                                           objective: { dot(layer.forward(encoderStates: $0[0], weights: $0[1]), r) },
                                           analytic: { xs in
                                               _ = layer.forward(encoderStates: xs[0], weights: xs[1])
                                               let (dhs, da) = layer.backward(r)
                                               return [dhs, da]
                                           })
        #expect(result.maxRelativeError < 1e-2, "\(result)")
    }

    @Test func weightSumIsTheWeightedSum() {
        let hs = Tensor(shape: [1, 2, 2], scalars: [1, 2, 3, 4]), a = Tensor([[0.25, 0.75]])
        #expect(WeightSum().forward(encoderStates: hs, weights: a) == Tensor([[2.5, 3.5]]))
    }

    @Test func attentionGradients() {
        let layer = Attention()
        let hs = random([2, 5, 3], seed: 9), h = random([2, 3], seed: 10), r = random([2, 3], seed: 11)
        let result = GradientCheck.compare(inputs: [hs, h], parameters: [],
                                           objective: { dot(layer.forward(encoderStates: $0[0], decoderState: $0[1]), r) },
                                           analytic: { xs in
                                               _ = layer.forward(encoderStates: xs[0], decoderState: xs[1])
                                               let (dhs, dh) = layer.backward(r)
                                               return [dhs, dh]
                                           })
        #expect(result.maxRelativeError < 1e-2, "\(result)")
    }

    @Test func timeAttentionGradientsAndWeights() {
        let layer = TimeAttention()
        let encoder = random([2, 4, 3], seed: 12), decoder = random([2, 3, 3], seed: 13), r = random([2, 3, 3], seed: 14)
        let result = GradientCheck.compare(inputs: [encoder, decoder], parameters: [],
                                           objective: { dot(layer.forward(encoderStates: $0[0], decoderStates: $0[1]), r) },
                                           analytic: { xs in
                                               _ = layer.forward(encoderStates: xs[0], decoderStates: xs[1])
                                               let (de, dd) = layer.backward(r)
                                               return [de, dd]
                                           })
        #expect(result.maxRelativeError < 1e-2, "\(result)")
        _ = layer.forward(encoderStates: encoder, decoderStates: decoder)
        let weights = layer.weights!
        #expect(weights.shape == [2, 3, 4])
        for row in 0..<6 {
            #expect(abs(weights.scalars[(row * 4)..<(row * 4 + 4)].reduce(0, +) - 1) < 1e-5)
        }
    }

    @Test func sequenceTensorHelpersInvertEachOther() {
        let a = random([2, 3, 2], seed: 15), b = random([2, 3, 4], seed: 16)
        let joined = SequenceTensors.concatenate(a, b)
        #expect(joined.shape == [2, 3, 6])
        let (a2, b2) = SequenceTensors.split(joined, firstWidth: 2)
        #expect(a2 == a && b2 == b)
        let h = random([2, 3], seed: 17)
        let repeated = SequenceTensors.repeated(h, time: 4)
        #expect(SequenceTensors.step(repeated, 2) == h)
        #expect(SequenceTensors.sumOverTime(repeated).isApproximatelyEqual(to: h * 4))
    }
}
