import Foundation
import NeuralNetwork
import TensorCore

// Attention (Saitoh, "Deep Learning from Scratch 2", §8.1; Bahdanau, Cho & Bengio 2015, with the
// dot-product score of Luong, Pham & Manning 2015). Shapes: encoder states hs `[N, T, H]`, one
// decoder state h `[N, H]`, weights a `[N, T]`, context c `[N, H]`.

/// The attention weights of one decoder state over all encoder states (Saitoh 2, §8.1.4).
///
/// - forward: hs `[N, T, H]`, h `[N, H]` → `s[n, t] = Σ_j hs[n, t, j] · h[n, j]`,
///   `a[n, :] = softmax(s[n, :])` over the encoder time axis, `[N, T]` (each row sums to 1).
/// - backward: da `[N, T]` → `ds = a ⊙ (da − Σ_t a ⊙ da)`, `dhs[n, t, :] = ds[n, t] · h[n, :]`,
///   `dh[n, :] = Σ_t ds[n, t] · hs[n, t, :]`.
public final class AttentionWeight {
    private var cache: (hs: Tensor, h: Tensor, a: [Float])?

    public init() {}

    /// a `[N, T]`, the softmax over t of hs[n, t] · h[n].
    public func forward(encoderStates hs: Tensor, decoderState h: Tensor) -> Tensor {
        precondition(hs.rank == 3 && h.rank == 2 && h.shape == [hs.shape[0], hs.shape[2]],
                     "AttentionWeight.forward needs hs [N, T, H] and h [N, H]; got \(hs.shape) and \(h.shape).")
        let (n, t, width) = (hs.shape[0], hs.shape[1], hs.shape[2])
        var a = [Float](repeating: 0, count: n * t)
        for b in 0..<n {
            var largest = -Float.infinity
            for s in 0..<t {
                var dot: Float = 0
                let row = (b * t + s) * width, hRow = b * width
                for j in 0..<width { dot += hs.scalars[row + j] * h.scalars[hRow + j] }
                a[b * t + s] = dot
                largest = max(largest, dot)
            }
            var total: Float = 0
            for s in 0..<t {
                let e = exp(a[b * t + s] - largest)
                a[b * t + s] = e
                total += e
            }
            for s in 0..<t { a[b * t + s] /= total }
        }
        cache = (hs, h, a)
        return Tensor(shape: [n, t], scalars: a)
    }

    /// (dhs `[N, T, H]`, dh `[N, H]`) from da `[N, T]`.
    public func backward(_ weightGradient: Tensor) -> (encoderStates: Tensor, decoderState: Tensor) {
        guard let (hs, h, a) = cache else { preconditionFailure("AttentionWeight.backward was called before forward.") }
        let (n, t, width) = (hs.shape[0], hs.shape[1], hs.shape[2])
        precondition(weightGradient.shape == [n, t], "AttentionWeight.backward needs [\(n), \(t)]; got \(weightGradient.shape).")
        var dhs = [Float](repeating: 0, count: n * t * width)
        var dh = [Float](repeating: 0, count: n * width)
        for b in 0..<n {
            var weighted: Float = 0
            for s in 0..<t { weighted += a[b * t + s] * weightGradient.scalars[b * t + s] }
            for s in 0..<t {
                let ds = a[b * t + s] * (weightGradient.scalars[b * t + s] - weighted)
                let row = (b * t + s) * width, hRow = b * width
                for j in 0..<width {
                    dhs[row + j] = ds * h.scalars[hRow + j]
                    dh[hRow + j] += ds * hs.scalars[row + j]
                }
            }
        }
        return (Tensor(shape: hs.shape, scalars: dhs), Tensor(shape: h.shape, scalars: dh))
    }
}

/// The context vector: the encoder states weighted by attention (Saitoh 2, §8.1.3).
///
/// - forward: hs `[N, T, H]`, a `[N, T]` → `c[n, :] = Σ_t a[n, t] · hs[n, t, :]`, `[N, H]`.
/// - backward: dc `[N, H]` → `dhs[n, t, :] = a[n, t] · dc[n, :]`, `da[n, t] = hs[n, t, :] · dc[n, :]`.
public final class WeightSum {
    private var cache: (hs: Tensor, a: Tensor)?

    public init() {}

    /// c `[N, H]`.
    public func forward(encoderStates hs: Tensor, weights a: Tensor) -> Tensor {
        precondition(hs.rank == 3 && a.shape == [hs.shape[0], hs.shape[1]],
                     "WeightSum.forward needs hs [N, T, H] and a [N, T]; got \(hs.shape) and \(a.shape).")
        let (n, t, width) = (hs.shape[0], hs.shape[1], hs.shape[2])
        var c = [Float](repeating: 0, count: n * width)
        for b in 0..<n {
            for s in 0..<t {
                let weight = a.scalars[b * t + s], row = (b * t + s) * width, cRow = b * width
                for j in 0..<width { c[cRow + j] += weight * hs.scalars[row + j] }
            }
        }
        cache = (hs, a)
        return Tensor(shape: [n, width], scalars: c)
    }

    /// (dhs `[N, T, H]`, da `[N, T]`) from dc `[N, H]`.
    public func backward(_ contextGradient: Tensor) -> (encoderStates: Tensor, weights: Tensor) {
        guard let (hs, a) = cache else { preconditionFailure("WeightSum.backward was called before forward.") }
        let (n, t, width) = (hs.shape[0], hs.shape[1], hs.shape[2])
        precondition(contextGradient.shape == [n, width], "WeightSum.backward needs [\(n), \(width)]; got \(contextGradient.shape).")
        var dhs = [Float](repeating: 0, count: n * t * width)
        var da = [Float](repeating: 0, count: n * t)
        for b in 0..<n {
            for s in 0..<t {
                let weight = a.scalars[b * t + s], row = (b * t + s) * width, cRow = b * width
                var dot: Float = 0
                for j in 0..<width {
                    let dc = contextGradient.scalars[cRow + j]
                    dhs[row + j] = weight * dc
                    dot += hs.scalars[row + j] * dc
                }
                da[b * t + s] = dot
            }
        }
        return (Tensor(shape: hs.shape, scalars: dhs), Tensor(shape: a.shape, scalars: da))
    }
}

/// Attention for one decoder state: ``AttentionWeight`` then ``WeightSum`` (Saitoh 2, §8.1.5).
///
/// - forward: hs `[N, T, H]`, h `[N, H]` → context c `[N, H]`; ``weights`` keeps a `[N, T]`.
/// - backward: dc → (dhs = dhs_sum + dhs_weight, dh).
public final class Attention {
    private let weightLayer = AttentionWeight()
    private let sumLayer = WeightSum()
    /// a `[N, T]` of the last forward pass.
    public private(set) var weights: Tensor?

    public init() {}

    public func forward(encoderStates hs: Tensor, decoderState h: Tensor) -> Tensor {
        let a = weightLayer.forward(encoderStates: hs, decoderState: h)
        weights = a
        return sumLayer.forward(encoderStates: hs, weights: a)
    }

    public func backward(_ contextGradient: Tensor) -> (encoderStates: Tensor, decoderState: Tensor) {
        let (dhsSum, da) = sumLayer.backward(contextGradient)
        let (dhsWeight, dh) = weightLayer.backward(da)
        return (dhsSum + dhsWeight, dh)
    }
}

/// ``Attention`` at every decoder step (Saitoh 2, §8.1.6, TimeAttention).
///
/// - forward: encoder states hs_enc `[N, Te, H]`, decoder states hs_dec `[N, Td, H]` → contexts
///   `[N, Td, H]` (step t attends with hs_dec[:, t]); ``weights`` keeps `[N, Td, Te]`.
/// - backward: dcs `[N, Td, H]` → (dhs_enc summed over the Td steps, dhs_dec).
public final class TimeAttention {
    private var steps: [Attention] = []
    private var shapes: (encoder: [Int], decoder: [Int])?
    /// The attention weights of the last forward pass, `[N, Td, Te]` (each `[n, t, :]` sums to 1).
    public private(set) var weights: Tensor?

    public init() {}

    public func forward(encoderStates: Tensor, decoderStates: Tensor) -> Tensor {
        precondition(encoderStates.rank == 3 && decoderStates.rank == 3 && encoderStates.shape[0] == decoderStates.shape[0]
                     && encoderStates.shape[2] == decoderStates.shape[2],
                     "TimeAttention.forward needs [N, Te, H] and [N, Td, H]; got \(encoderStates.shape) and \(decoderStates.shape).")
        let (n, te, td, width) = (encoderStates.shape[0], encoderStates.shape[1], decoderStates.shape[1], encoderStates.shape[2])
        steps = (0..<td).map { _ in Attention() }
        var contexts = [Float](repeating: 0, count: n * td * width)
        var allWeights = [Float](repeating: 0, count: n * td * te)
        for t in 0..<td {
            let c = steps[t].forward(encoderStates: encoderStates, decoderState: SequenceTensors.step(decoderStates, t))
            SequenceTensors.setStep(&contexts, t, from: c, time: td)
            let a = steps[t].weights!
            for b in 0..<n {
                for s in 0..<te { allWeights[(b * td + t) * te + s] = a.scalars[b * te + s] }
            }
        }
        shapes = (encoderStates.shape, decoderStates.shape)
        weights = Tensor(shape: [n, td, te], scalars: allWeights)
        return Tensor(shape: [n, td, width], scalars: contexts)
    }

    public func backward(_ contextGradients: Tensor) -> (encoderStates: Tensor, decoderStates: Tensor) {
        guard let shapes else { preconditionFailure("TimeAttention.backward was called before forward.") }
        precondition(contextGradients.shape == shapes.decoder,
                     "TimeAttention.backward needs \(shapes.decoder); got \(contextGradients.shape).")
        var dEncoder = Tensor(shape: shapes.encoder)
        var dDecoder = [Float](repeating: 0, count: contextGradients.count)
        let td = shapes.decoder[1]
        for t in 0..<td {
            let (dhs, dh) = steps[t].backward(SequenceTensors.step(contextGradients, t))
            dEncoder.add(dhs)
            SequenceTensors.setStep(&dDecoder, t, from: dh, time: td)
        }
        return (dEncoder, Tensor(shape: shapes.decoder, scalars: dDecoder))
    }
}
