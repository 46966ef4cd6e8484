import TensorCore
import TextCorpus

// Fused word2vec kernels over raw buffers (the hot loop of every Hogwild worker).
//
// Shapes: `input` (W_in) and `output` (W_out) are row-major [vocabularySize, dimension];
// `hidden` and `hiddenGradient` are per-worker scratch rows [dimension]; `sentence` is
// [length] in-vocabulary word ids; `aliasTable` is [vocabularySize] alias-method entries;
// `sigmoid` and `softplus` are [SigmoidTable.size] lookup tables over [-6, 6].
//
// Negative-sampling update for hidden vector h, target row u_t and label y ∈ {1, 0}
// (Mikolov et al. 2013; the derivative of L = -log σ(h·u) or -log σ(-h·u)):
//   f = h·u_t,  g = (y − σ(f))·η,  ∂h += g·u_t,  u_t += g·h,  loss += softplus(−f) + (1 − y)·f
// Skip-gram: h = W_in[center], targets = context word + k negatives, then W_in[center] += ∂h.
// CBOW: h = mean of W_in[context], targets = center + k negatives, then W_in[c] += ∂h / |context|
// (exact gradient) or W_in[c] += ∂h (word2vec's and gensim's update, `spreadFullGradient`).

/// Raw views of everything one worker touches. Built once per worker; no allocation, closures,
/// or existentials inside.
struct TrainingKernel {
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>
    let dimension: Int
    let hidden: UnsafeMutablePointer<Float>
    let hiddenGradient: UnsafeMutablePointer<Float>
    let aliasTable: UnsafePointer<UnigramSampler.Entry>
    let vocabularySize: UInt64
    let negativeSamples: Int
    let sigmoid: UnsafePointer<Float>
    let softplus: UnsafePointer<Float>
    let exactSigmoid: Bool
    /// CBOW: add the whole ∂h to every context row (word2vec) instead of ∂h / count.
    let spreadFullGradient: Bool

    /// One negative draw by the alias method (see ``UnigramSampler/sample(using:)``).
    @inline(__always)
    func drawNegative(_ random: inout SplitMix64) -> Int32 {
        let r = random.next()
        let column = Int(truncatingIfNeeded: ((r >> 32) &* vocabularySize) >> 32)
        let entry = aliasTable[column]
        return UInt32(truncatingIfNeeded: r) < entry.threshold ? Int32(truncatingIfNeeded: column) : entry.alias
    }

    /// The negative-sampling update of `h` against output row `target` with label `y`
    /// (1 positive, 0 negative); accumulates `∂h` into `hiddenGradient` and returns the loss.
    @inline(__always)
    func update(_ h: UnsafeMutablePointer<Float>, target: Int32, label: Float, rate: Float) -> Float {
        let row = output + Int(target) &* dimension
        let n = dimension
        var f: Float = 0
        for j in 0..<n { f = Relaxed.multiplyAdd(h[j], row[j], f) }
        let s: Float
        var loss: Float
        if exactSigmoid {
            s = 1 / (1 + Float.exp(-f))
            loss = max(-f, 0) + Float.log(onePlus: Float.exp(-abs(f)))
        } else if f >= SigmoidTable.bound {
            s = 1
            loss = 0
        } else if f <= -SigmoidTable.bound {
            s = 0
            loss = -f
        } else {
            let cell = min(Int((f + SigmoidTable.bound) * SigmoidTable.cellsPerUnit), SigmoidTable.size - 1)
            s = sigmoid[cell]
            loss = softplus[cell]
        }
        if label == 0 { loss += f }
        let g = (label - s) * rate
        let e = hiddenGradient
        for j in 0..<n {
            e[j] = Relaxed.multiplyAdd(g, row[j], e[j])
            row[j] = Relaxed.multiplyAdd(g, h[j], row[j])
        }
        return loss
    }

    @inline(__always)
    func clearGradient() {
        hiddenGradient.update(repeating: 0, count: dimension)
    }

    /// Skip-gram: W_in[center] predicts `context` against `negativeSamples` drawn negatives
    /// (a draw equal to `context` is skipped, as in word2vec). Returns the pair's loss.
    @inline(__always)
    func skipGramPair(center: Int32, context: Int32, rate: Float, random: inout SplitMix64) -> Float {
        let h = input + Int(center) &* dimension
        clearGradient()
        var loss = update(h, target: context, label: 1, rate: rate)
        for _ in 0..<negativeSamples {
            let negative = drawNegative(&random)
            if negative == context { continue }
            loss += update(h, target: negative, label: 0, rate: rate)
        }
        for j in 0..<dimension { h[j] += hiddenGradient[j] }
        return loss
    }

    /// Skip-gram with given negatives (for checking against the reference layers).
    func skipGramPair(center: Int32, context: Int32, negatives: UnsafeBufferPointer<Int32>, rate: Float) -> Float {
        let h = input + Int(center) &* dimension
        clearGradient()
        var loss = update(h, target: context, label: 1, rate: rate)
        for negative in negatives where negative != context {
            loss += update(h, target: negative, label: 0, rate: rate)
        }
        for j in 0..<dimension { h[j] += hiddenGradient[j] }
        return loss
    }

    /// Loads the mean of the context rows into `hidden`.
    @inline(__always)
    func loadContextMean(_ context: UnsafePointer<Int32>, count: Int) {
        let h = hidden
        h.update(repeating: 0, count: dimension)
        for c in 0..<count {
            let row = input + Int(context[c]) &* dimension
            for j in 0..<dimension { h[j] += row[j] }
        }
        let scale = 1 / Float(count)
        for j in 0..<dimension { h[j] *= scale }
    }

    /// Spreads `∂h / count` (the gradient of the mean) or `∂h` over the context rows.
    @inline(__always)
    func storeContextGradient(_ context: UnsafePointer<Int32>, count: Int) {
        let e = hiddenGradient
        if !spreadFullGradient {
            let scale = 1 / Float(count)
            for j in 0..<dimension { e[j] *= scale }
        }
        for c in 0..<count {
            let row = input + Int(context[c]) &* dimension
            for j in 0..<dimension { row[j] += e[j] }
        }
    }

    /// CBOW: the mean of W_in over `context` (count ≥ 1) predicts `center` against drawn negatives.
    @inline(__always)
    func cbowWindow(context: UnsafePointer<Int32>, count: Int, center: Int32, rate: Float,
                    random: inout SplitMix64) -> Float {
        loadContextMean(context, count: count)
        clearGradient()
        var loss = update(hidden, target: center, label: 1, rate: rate)
        for _ in 0..<negativeSamples {
            let negative = drawNegative(&random)
            if negative == center { continue }
            loss += update(hidden, target: negative, label: 0, rate: rate)
        }
        storeContextGradient(context, count: count)
        return loss
    }

    /// CBOW with given negatives (for checking against the reference layers).
    func cbowWindow(context: UnsafeBufferPointer<Int32>, center: Int32, negatives: UnsafeBufferPointer<Int32>,
                    rate: Float) -> Float {
        loadContextMean(context.baseAddress!, count: context.count)
        clearGradient()
        var loss = update(hidden, target: center, label: 1, rate: rate)
        for negative in negatives where negative != center {
            loss += update(hidden, target: negative, label: 0, rate: rate)
        }
        storeContextGradient(context.baseAddress!, count: context.count)
        return loss
    }

    /// Trains on every position of `sentence` with a dynamic window drawn from `1...windowSize`;
    /// `contextScratch` holds at least `2·windowSize` ids. Adds the loss and the number of
    /// predictions (pairs for skip-gram, windows for CBOW) to the accumulators.
    @inline(__always)
    func trainSentence(_ sentence: UnsafePointer<Int32>, length: Int, windowSize: Int, skipGram: Bool,
                       rate: Float, contextScratch: UnsafeMutablePointer<Int32>, random: inout SplitMix64,
                       loss: inout Double, predictions: inout Int) {
        for position in 0..<length {
            let reach = dynamicWindowSize(maximum: windowSize, using: &random)
            let low = max(0, position &- reach)
            let high = min(length &- 1, position &+ reach)
            let word = sentence[position]
            if skipGram {
                var sentenceLoss: Float = 0
                var c = low
                while c <= high {
                    if c != position {
                        sentenceLoss += skipGramPair(center: word, context: sentence[c], rate: rate, random: &random)
                        predictions &+= 1
                    }
                    c &+= 1
                }
                loss += Double(sentenceLoss)
            } else {
                var count = 0
                var c = low
                while c <= high {
                    if c != position {
                        contextScratch[count] = sentence[c]
                        count &+= 1
                    }
                    c &+= 1
                }
                if count == 0 { continue }
                loss += Double(cbowWindow(context: contextScratch, count: count, center: word, rate: rate, random: &random))
                predictions &+= 1
            }
        }
    }
}

extension TrainingKernel {
    /// Runs `body` with a kernel over `matrices`, keeping the tables and scratch rows alive.
    static func with<R>(_ matrices: SharedMatrices, sampler: UnigramSampler, negativeSamples: Int,
                        sigmoid evaluation: SigmoidEvaluation, cbowContextUpdate: CBOWContextUpdate = .exactGradient,
                        _ body: (TrainingKernel) -> R) -> R {
        let dimension = matrices.dimension
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 2 * dimension)
        scratch.initialize(repeating: 0, count: 2 * dimension)
        defer { scratch.deallocate() }
        let table = SigmoidTable()
        return sampler.entries.withUnsafeBufferPointer { alias in
            table.sigmoid.withUnsafeBufferPointer { sigmoid in
                table.softplusOfNegative.withUnsafeBufferPointer { softplus in
                    body(TrainingKernel(
                        input: matrices.input, output: matrices.output, dimension: dimension,
                        hidden: scratch, hiddenGradient: scratch + dimension,
                        aliasTable: alias.baseAddress!, vocabularySize: UInt64(alias.count),
                        negativeSamples: negativeSamples, sigmoid: sigmoid.baseAddress!,
                        softplus: softplus.baseAddress!, exactSigmoid: evaluation == .exact,
                        spreadFullGradient: cbowContextUpdate == .word2vec))
                }
            }
        }
    }
}
