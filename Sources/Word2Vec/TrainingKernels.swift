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
// HogBatch skip-gram (Ji et al. 2016), per window of C context words and m = 1 + k targets
// (the center first, then k negatives shared by the window), all from the values before the step:
//   X = W_in[context] [C, D], O = W_out[targets] [m, D], G = (Y − σ(X·Oᵀ))·η [C, m],
//   ΔX = G·O (into `windowUpdates`), O += Gᵀ·X, X += ΔX.
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
    /// HogBatch scratch: `[2·windowSize, dimension]` input-row updates ΔX.
    let windowUpdates: UnsafeMutablePointer<Float>
    /// HogBatch scratch: `[2·windowSize, negativeSamples + 1]` scaled gradients G.
    let windowGradients: UnsafeMutablePointer<Float>
    /// `[2·windowSize]` context ids of the current window.
    let contextScratch: UnsafeMutablePointer<Int32>
    /// `[negativeSamples + 1]` target ids of the current update: the positive (context word for
    /// skip-gram pairs, center word for HogBatch and CBOW), then the negatives.
    let windowTargets: UnsafeMutablePointer<Int32>

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
        let (s, loss) = sigmoidAndLoss(f, label: label)
        let g = (label - s) * rate
        let e = hiddenGradient
        for j in 0..<n {
            e[j] = Relaxed.multiplyAdd(g, row[j], e[j])
            row[j] = Relaxed.multiplyAdd(g, h[j], row[j])
        }
        return loss
    }

    /// `σ(f)` and the loss `softplus(−f) + (1 − y)·f` of label `y`, from the table or exactly.
    @inline(__always)
    func sigmoidAndLoss(_ f: Float, label: Float) -> (sigmoid: Float, loss: Float) {
        let s: Float
        var loss: Float
        if exactSigmoid {
            s = 1 / (1 + Float.exp(-f))
            loss = max(-f, 0) + Float.log(onePlus: Float.exp(-abs(f)))
        } else if f >= SigmoidTable.bound {
            s = 1
            loss = 0
        } else if f > -SigmoidTable.bound {
            let cell = min(Int((f + SigmoidTable.bound) * SigmoidTable.cellsPerUnit), SigmoidTable.size - 1)
            s = sigmoid[cell]
            loss = softplus[cell]
        } else {
            // f ≤ −bound, or NaN (a diverged run): no table lookup, and a NaN loss the engine sees.
            s = 0
            loss = -f
        }
        if label == 0 { loss += f }
        return (s, loss)
    }

    @inline(__always)
    func clearGradient() {
        hiddenGradient.update(repeating: 0, count: dimension)
    }

    /// Fills the target buffer with `positive` and `negativeSamples` drawn negatives (a draw
    /// equal to `positive` is skipped, as in word2vec); returns the number of targets. The
    /// updates below read their targets from this buffer, so the engine (drawn negatives) and
    /// the reference tests (``setTargets(positive:negatives:)``) run the same update code.
    @inline(__always)
    func drawTargets(positive: Int32, random: inout SplitMix64) -> Int {
        windowTargets[0] = positive
        var targets = 1
        for _ in 0..<negativeSamples {
            let negative = drawNegative(&random)
            if negative == positive { continue }
            windowTargets[targets] = negative
            targets &+= 1
        }
        return targets
    }

    /// Fills the target buffer with `positive` and the given negatives (those equal to
    /// `positive` skipped, as drawn ones are); returns the number of targets. For checking the
    /// kernels against the reference layers on known negatives.
    func setTargets(positive: Int32, negatives: [Int32]) -> Int {
        precondition(negatives.count <= negativeSamples,
                     "The kernel holds at most \(negativeSamples) negatives; got \(negatives.count).")
        windowTargets[0] = positive
        var targets = 1
        for negative in negatives where negative != positive {
            windowTargets[targets] = negative
            targets &+= 1
        }
        return targets
    }

    /// Skip-gram: W_in[center] predicts the targets in the buffer (the context word, then the
    /// negatives; see ``drawTargets(positive:random:)``). Returns the pair's loss.
    @inline(__always)
    func skipGramPair(center: Int32, targetCount: Int, rate: Float) -> Float {
        let h = input + Int(center) &* dimension
        let loss = updateTargets(h, targetCount: targetCount, rate: rate)
        for j in 0..<dimension { h[j] += hiddenGradient[j] }
        return loss
    }

    /// The negative-sampling step shared by skip-gram and CBOW: `h` (one W_in row, or the
    /// context mean) against the first target with label 1 and the next `targetCount − 1` with
    /// label 0. Clears ∂h, updates the targets' W_out rows, leaves ∂h in `hiddenGradient` for
    /// the caller to apply. Returns the summed loss.
    @inline(__always)
    func updateTargets(_ h: UnsafeMutablePointer<Float>, targetCount: Int, rate: Float) -> Float {
        clearGradient()
        var loss = update(h, target: windowTargets[0], label: 1, rate: rate)
        var t = 1
        while t < targetCount {
            loss += update(h, target: windowTargets[t], label: 0, rate: rate)
            t &+= 1
        }
        return loss
    }

    /// HogBatch skip-gram for one window (Ji, Satish, Li & Dubey 2016): the W_in rows of the
    /// `count` context words (1...2·windowSize) each predict the targets in the buffer (the
    /// center word, then one set of negatives for the whole window, label 1 for the first and 0
    /// for the rest); see the formulas at the top of the file. Returns the summed loss of the
    /// `count` pairs.
    @inline(__always)
    func skipGramWindow(context: UnsafePointer<Int32>, count: Int, targetCount m: Int, rate: Float) -> Float {
        let n = dimension
        var loss: Float = 0
        // G = (Y − σ(X·Oᵀ))·η
        for i in 0..<count {
            let x = input + Int(context[i]) &* n
            for t in 0..<m {
                let o = output + Int(windowTargets[t]) &* n
                var f: Float = 0
                for j in 0..<n { f = Relaxed.multiplyAdd(x[j], o[j], f) }
                let label: Float = t == 0 ? 1 : 0
                let (s, pairLoss) = sigmoidAndLoss(f, label: label)
                loss += pairLoss
                windowGradients[i &* m &+ t] = (label - s) * rate
            }
        }
        // ΔX = G·O, from the old O.
        for i in 0..<count {
            let e = windowUpdates + i &* n
            let g = windowGradients + i &* m
            var o = output + Int(windowTargets[0]) &* n
            for j in 0..<n { e[j] = g[0] * o[j] }
            var t = 1
            while t < m {
                o = output + Int(windowTargets[t]) &* n
                let gt = g[t]
                for j in 0..<n { e[j] = Relaxed.multiplyAdd(gt, o[j], e[j]) }
                t &+= 1
            }
        }
        // O += Gᵀ·X, from the old X; then X += ΔX.
        for t in 0..<m {
            let o = output + Int(windowTargets[t]) &* n
            for i in 0..<count {
                let g = windowGradients[i &* m &+ t]
                let x = input + Int(context[i]) &* n
                for j in 0..<n { o[j] = Relaxed.multiplyAdd(g, x[j], o[j]) }
            }
        }
        for i in 0..<count {
            let x = input + Int(context[i]) &* n
            let e = windowUpdates + i &* n
            for j in 0..<n { x[j] += e[j] }
        }
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

    /// CBOW: the mean of W_in over `context` (count ≥ 1) predicts the targets in the buffer (the
    /// center word, then the negatives). Returns the window's loss.
    @inline(__always)
    func cbowWindow(context: UnsafePointer<Int32>, count: Int, targetCount: Int, rate: Float) -> Float {
        loadContextMean(context, count: count)
        let loss = updateTargets(hidden, targetCount: targetCount, rate: rate)
        storeContextGradient(context, count: count)
        return loss
    }

    /// ``trainSentence(_:length:windowSize:skipGram:hogBatch:rate:contextScratch:random:loss:predictions:)``
    /// over ids gathered in an array (the engine's entry point), with the kernel's own context scratch.
    @inline(__always)
    func trainSentence(_ sentence: [Int32], windowSize: Int, skipGram: Bool, hogBatch: Bool, rate: Float,
                       random: inout SplitMix64, loss: inout Double, predictions: inout Int) {
        sentence.withUnsafeBufferPointer { words in
            guard let base = words.baseAddress else { return }
            trainSentence(base, length: words.count, windowSize: windowSize, skipGram: skipGram, hogBatch: hogBatch,
                          rate: rate, contextScratch: contextScratch, random: &random, loss: &loss,
                          predictions: &predictions)
        }
    }

    /// Trains on every position of `sentence` with a dynamic window drawn from `1...windowSize`;
    /// `contextScratch` holds at least `2·windowSize` ids. Adds the loss and the number of
    /// predictions (pairs for skip-gram, windows for CBOW) to the accumulators.
    @inline(__always)
    func trainSentence(_ sentence: UnsafePointer<Int32>, length: Int, windowSize: Int, skipGram: Bool,
                       hogBatch: Bool, rate: Float, contextScratch: UnsafeMutablePointer<Int32>,
                       random: inout SplitMix64, loss: inout Double, predictions: inout Int) {
        for position in 0..<length {
            let reach = dynamicWindowSize(maximum: windowSize, using: &random)
            let low = max(0, position &- reach)
            let high = min(length &- 1, position &+ reach)
            let word = sentence[position]
            if skipGram && !hogBatch {
                var sentenceLoss: Float = 0
                var c = low
                while c <= high {
                    if c != position {
                        let targets = drawTargets(positive: sentence[c], random: &random)
                        sentenceLoss += skipGramPair(center: word, targetCount: targets, rate: rate)
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
                let targets = drawTargets(positive: word, random: &random)
                if skipGram {
                    loss += Double(skipGramWindow(context: contextScratch, count: count, targetCount: targets, rate: rate))
                    predictions &+= count
                } else {
                    loss += Double(cbowWindow(context: contextScratch, count: count, targetCount: targets, rate: rate))
                    predictions &+= 1
                }
            }
        }
    }
}

/// The scratch memory of one worker's kernel: the hidden row and its gradient, the HogBatch
/// matrices and the context id buffer. Allocated once per worker, freed by `deallocate()`.
struct KernelScratch {
    let hidden: UnsafeMutablePointer<Float>
    let windowUpdates: UnsafeMutablePointer<Float>
    let windowGradients: UnsafeMutablePointer<Float>
    let windowTargets: UnsafeMutablePointer<Int32>
    let context: UnsafeMutablePointer<Int32>

    init(dimension: Int, windowSize: Int, negativeSamples: Int) {
        let contexts = 2 * windowSize
        hidden = .allocate(capacity: 2 * dimension)
        hidden.initialize(repeating: 0, count: 2 * dimension)
        windowUpdates = .allocate(capacity: contexts * dimension)
        windowUpdates.initialize(repeating: 0, count: contexts * dimension)
        windowGradients = .allocate(capacity: contexts * (negativeSamples + 1))
        windowGradients.initialize(repeating: 0, count: contexts * (negativeSamples + 1))
        windowTargets = .allocate(capacity: negativeSamples + 1)
        windowTargets.initialize(repeating: 0, count: negativeSamples + 1)
        context = .allocate(capacity: contexts)
        context.initialize(repeating: 0, count: contexts)
    }

    func deallocate() {
        hidden.deallocate()
        windowUpdates.deallocate()
        windowGradients.deallocate()
        windowTargets.deallocate()
        context.deallocate()
    }
}

extension TrainingKernel {
    /// A kernel over `matrices` with the given tables and scratch.
    init(matrices: SharedMatrices, scratch: KernelScratch, alias: UnsafeBufferPointer<UnigramSampler.Entry>,
         negativeSamples: Int, sigmoid: UnsafePointer<Float>, softplus: UnsafePointer<Float>,
         evaluation: SigmoidEvaluation, cbowContextUpdate: CBOWContextUpdate) {
        self.init(input: matrices.input, output: matrices.output, dimension: matrices.dimension,
                  hidden: scratch.hidden, hiddenGradient: scratch.hidden + matrices.dimension,
                  aliasTable: alias.baseAddress!, vocabularySize: UInt64(alias.count),
                  negativeSamples: negativeSamples, sigmoid: sigmoid, softplus: softplus,
                  exactSigmoid: evaluation == .exact, spreadFullGradient: cbowContextUpdate == .word2vec,
                  windowUpdates: scratch.windowUpdates, windowGradients: scratch.windowGradients,
                  contextScratch: scratch.context, windowTargets: scratch.windowTargets)
    }

    /// Runs `body` with a kernel over `matrices` (windows up to `windowSize`), keeping the tables
    /// and scratch rows alive.
    static func with<R>(_ matrices: SharedMatrices, sampler: UnigramSampler, negativeSamples: Int,
                        sigmoid evaluation: SigmoidEvaluation, cbowContextUpdate: CBOWContextUpdate = .exactGradient,
                        windowSize: Int = 8, _ body: (TrainingKernel) -> R) -> R {
        let scratch = KernelScratch(dimension: matrices.dimension, windowSize: windowSize, negativeSamples: negativeSamples)
        defer { scratch.deallocate() }
        let table = SigmoidTable()
        return sampler.entries.withUnsafeBufferPointer { alias in
            table.sigmoid.withUnsafeBufferPointer { sigmoid in
                table.softplusOfNegative.withUnsafeBufferPointer { softplus in
                    body(TrainingKernel(matrices: matrices, scratch: scratch, alias: alias,
                                        negativeSamples: negativeSamples, sigmoid: sigmoid.baseAddress!,
                                        softplus: softplus.baseAddress!, evaluation: evaluation,
                                        cbowContextUpdate: cbowContextUpdate))
                }
            }
        }
    }
}
