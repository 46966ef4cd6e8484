import TensorCore

/// The state an LSTM carries between steps: hidden state h and memory cell c, each `[N, H]`.
public struct LSTMState: Sendable, Equatable {
    /// h, `[N, H]`.
    public var hidden: Tensor
    /// c, `[N, H]`.
    public var cell: Tensor

    public init(hidden: Tensor, cell: Tensor) {
        precondition(hidden.shape == cell.shape && hidden.rank == 2,
                     "An LSTM state needs hidden and cell matrices of one shape [N, H]; got \(hidden.shape) and \(cell.shape).")
        self.hidden = hidden
        self.cell = cell
    }

    /// The zero state for `batchSize` sequences of width `hiddenSize`.
    public static func zeros(batchSize: Int, hiddenSize: Int) -> LSTMState {
        LSTMState(hidden: Tensor(shape: [batchSize, hiddenSize]), cell: Tensor(shape: [batchSize, hiddenSize]))
    }
}

/// An LSTM over whole sequences (Hochreiter & Schmidhuber 1997; Saitoh 2, §6.3-6.4), with the
/// four gates from one fused product:
///
/// `A = x_t Wx + h_{t−1} Wh + b` (`[N, 4H]`, blocks f | g | i | o), `f = σ(A_f)`, `g = tanh(A_g)`,
/// `i = σ(A_i)`, `o = σ(A_o)`, `c_t = f ⊙ c_{t−1} + g ⊙ i`, `h_t = o ⊙ tanh(c_t)`.
///
/// - forward: xs `[N, T, D]` → hs `[N, T, H]`. x·Wx for all N·T rows is one sgemm
///   (`[N·T, D] x [D, 4H]`); each step adds h_{t−1}·Wh with one sgemm and runs the gate kernel.
/// - backward: dhs `[N, T, H]` → dxs `[N, T, D]`; the gradients of Wx, Wh and b are summed over
///   the T steps (dWx and dWh are one sgemm each over all steps). Backward stops at the first step
///   of the chunk (truncated BPTT); the gradient of the initial state is ``initialStateGradient``.
///
/// **State.** A forward pass starts from ``state`` (zeros when nil). When ``isStateful`` (a
/// language model reading a long corpus chunk by chunk) the final state of each forward pass
/// becomes the next pass's ``state``; otherwise ``state`` is left as it was (zeros, or what
/// ``setState(_:)`` gave, e.g. an encoder's final state for a decoder). ``finalState`` is the
/// state after the last step of the last forward pass (an encoder's output).
public final class TimeLSTM: Layer {
    /// Wx, `[D, 4H]`.
    public let inputWeight: Parameter
    /// Wh, `[H, 4H]`.
    public let hiddenWeight: Parameter
    /// b, `[4H]`.
    public let bias: Parameter
    /// Whether the final state of a forward pass carries over to the next one.
    public var isStateful: Bool
    /// The state the next forward pass starts from (nil: zeros).
    public private(set) var state: LSTMState?
    /// The state after the last step of the last forward pass.
    public private(set) var finalState: LSTMState?
    /// ∂L/∂(h0, c0) of the last backward pass: the gradient that would flow into the initial state
    /// (into an encoder, for a decoder started with ``setState(_:)``).
    public private(set) var initialStateGradient: LSTMState?

    private struct Cache {
        var xs: [Float], h0: [Float], c0: [Float]
        var gates: [Float], hs: [Float], cs: [Float], tanhCs: [Float], previousHidden: [Float]
        var batch: Int, time: Int
    }
    private var cache: Cache?

    /// An LSTM with the given weights: `inputWeight` `[D, 4H]`, `hiddenWeight` `[H, 4H]`, `bias` `[4H]`.
    public init(inputWeight: Parameter, hiddenWeight: Parameter, bias: Parameter, stateful: Bool = false) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(hiddenWeight.value, "TimeLSTM's hidden weight")
            let h = hiddenWeight.value.shape[0]
            try Validate.matrix(hiddenWeight.value, rows: h, columns: 4 * h, "TimeLSTM's hidden weight")
            try Validate.matrix(inputWeight.value, columns: 4 * h, "TimeLSTM's input weight")
            try Validate.shape(bias.value, [4 * h], "TimeLSTM's bias")
        }
        self.inputWeight = inputWeight
        self.hiddenWeight = hiddenWeight
        self.bias = bias
        self.isStateful = stateful
    }

    /// An LSTM with fresh weights: Wx and Wh drawn with `initialization` (default: the book's
    /// `randn / √fanIn`), b zero.
    public convenience init<G: RandomNumberGenerator>(inputSize: Int, hiddenSize: Int, stateful: Bool = false,
                                                      initialization: WeightInitialization = .xavier,
                                                      name: String = "lstm", using generator: inout G) {
        let wx = initialization.matrix(fanIn: inputSize, fanOut: 4 * hiddenSize, using: &generator)
        let wh = initialization.matrix(fanIn: hiddenSize, fanOut: 4 * hiddenSize, using: &generator)
        self.init(inputWeight: Parameter(wx, name: name + ".Wx"), hiddenWeight: Parameter(wh, name: name + ".Wh"),
                  bias: Parameter(Tensor(shape: [4 * hiddenSize]), name: name + ".b"), stateful: stateful)
    }

    /// [Wx, Wh, b].
    public var parameters: [Parameter] { [inputWeight, hiddenWeight, bias] }
    /// D.
    public var inputSize: Int { inputWeight.value.shape[0] }
    /// H.
    public var hiddenSize: Int { hiddenWeight.value.shape[0] }

    /// Starts the next forward pass from `state` (`[N, H]` each; N must match the next batch).
    public func setState(_ state: LSTMState) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(state.hidden, columns: hiddenSize, "TimeLSTM.setState")
        }
        self.state = state
    }

    /// Forgets the carried state: the next forward pass starts from zeros.
    public func resetState() { state = nil }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in try Validate.sequence(input, width: inputSize, "TimeLSTM.forward") }
        let (n, t, d, h) = (input.shape[0], input.shape[1], inputSize, hiddenSize)
        let start = initialState(batch: n, "TimeLSTM.forward")
        let rows = n * t
        // lstmForward writes every element of these (gates by the bias fill, the rest per step).
        func buffer(_ count: Int) -> [Float] { RecurrentKernels.uninitialized(count: count) }
        var cache = Cache(xs: input.scalars, h0: start.hidden.scalars, c0: start.cell.scalars,
                          gates: buffer(rows * 4 * h), hs: buffer(rows * h), cs: buffer(rows * h),
                          tanhCs: buffer(rows * h), previousHidden: buffer(rows * h), batch: n, time: t)
        RecurrentKernels.lstmForward(xs: cache.xs, wx: inputWeight.value.scalars, wh: hiddenWeight.value.scalars,
                                     bias: bias.value.scalars, h0: cache.h0, c0: cache.c0,
                                     batch: n, time: t, input: d, hidden: h, gates: &cache.gates, hs: &cache.hs,
                                     cs: &cache.cs, tanhCs: &cache.tanhCs, previousHidden: &cache.previousHidden)
        let final = t == 0 ? start : LSTMState(hidden: Self.lastStep(cache.hs, batch: n, time: t, width: h),
                                               cell: Self.lastStep(cache.cs, batch: n, time: t, width: h))
        finalState = final
        if isStateful { state = final }
        let output = Tensor(shape: [n, t, h], scalars: cache.hs)
        self.cache = cache
        return output
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        backward(outputGradient, finalStateGradient: nil)
    }

    /// Backward with an extra gradient flowing into the final state (h_T, c_T), e.g. from a decoder
    /// that started from this encoder's ``finalState``. Returns dxs `[N, T, D]`; sets
    /// ``initialStateGradient``.
    public func backward(_ outputGradient: Tensor, finalStateGradient: LSTMState?) -> Tensor {
        let c = requireCached(cache, "TimeLSTM")
        let (n, t, d, h) = (c.batch, c.time, inputSize, hiddenSize)
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, [n, t, h], "TimeLSTM.backward")
            if let finalStateGradient {
                try Validate.shape(finalStateGradient.hidden, [n, h], "TimeLSTM.backward (final state gradient)")
            }
        }
        var dh = finalStateGradient?.hidden.scalars ?? [Float](repeating: 0, count: n * h)
        var dc = finalStateGradient?.cell.scalars ?? [Float](repeating: 0, count: n * h)
        var dGates = RecurrentKernels.uninitialized(count: n * t * 4 * h)  // every row written by lstmBackward
        RecurrentKernels.lstmBackward(dhs: outputGradient.scalars, gates: c.gates, cs: c.cs, tanhCs: c.tanhCs,
                                      c0: c.c0, wh: hiddenWeight.value.scalars, batch: n, time: t, hidden: h,
                                      dhNext: &dh, dcNext: &dc, dGates: &dGates)
        let rows = n * t
        RecurrentKernels.multiply(c.xs, dGates, into: &inputWeight.gradient.scalars, m: d, n: 4 * h, k: rows,
                                  transposeA: true, beta: 1)
        RecurrentKernels.multiply(c.previousHidden, dGates, into: &hiddenWeight.gradient.scalars, m: h, n: 4 * h,
                                  k: rows, transposeA: true, beta: 1)
        RecurrentKernels.addColumnSums(of: dGates, rows: rows, width: 4 * h, into: &bias.gradient.scalars)
        var dxs = RecurrentKernels.uninitialized(count: rows * d)  // beta 0: every element written
        RecurrentKernels.multiply(dGates, inputWeight.value.scalars, into: &dxs, m: rows, n: d, k: 4 * h,
                                  transposeB: true)
        initialStateGradient = LSTMState(hidden: Tensor(shape: [n, h], scalars: dh), cell: Tensor(shape: [n, h], scalars: dc))
        return Tensor(shape: [n, t, d], scalars: dxs)
    }

    private func initialState(batch n: Int, _ operation: String) -> LSTMState {
        guard let state else { return .zeros(batchSize: n, hiddenSize: hiddenSize) }
        require { () throws(NeuralNetworkError) in
            try Validate.shape(state.hidden, [n, hiddenSize], operation + " (the carried state; call resetState() when the batch size changes)")
        }
        return state
    }

    /// Step T−1 of a `[N, T, W]` buffer as an `[N, W]` matrix.
    static func lastStep(_ buffer: [Float], batch n: Int, time t: Int, width w: Int) -> Tensor {
        var out = [Float]()
        out.reserveCapacity(n * w)
        for b in 0..<n {
            let start = (b * t + t - 1) * w
            out.append(contentsOf: buffer[start..<(start + w)])
        }
        return Tensor(shape: [n, w], scalars: out)
    }
}

/// A tanh RNN over whole sequences (Elman 1990; Saitoh 2, §5.3): `h_t = tanh(x_t Wx + h_{t−1} Wh + b)`.
///
/// - forward: xs `[N, T, D]` → hs `[N, T, H]`; x·Wx for all steps is one sgemm, each step one more.
/// - backward: dhs `[N, T, H]` → dxs `[N, T, D]`; dWx, dWh, db summed over the T steps (the seed:
///   "the final weight gradient is the sum over the T RNN layers"), truncated at the chunk start;
///   ∂L/∂h0 is ``initialStateGradient``.
///
/// State works as for ``TimeLSTM`` (``isStateful``, ``setState(_:)``, ``resetState()``, ``finalState``).
public final class TimeRNN: Layer {
    /// Wx, `[D, H]`.
    public let inputWeight: Parameter
    /// Wh, `[H, H]`.
    public let hiddenWeight: Parameter
    /// b, `[H]`.
    public let bias: Parameter
    /// Whether the final hidden state carries over to the next forward pass.
    public var isStateful: Bool
    /// The hidden state `[N, H]` the next forward pass starts from (nil: zeros).
    public private(set) var state: Tensor?
    /// h_T of the last forward pass.
    public private(set) var finalState: Tensor?
    /// ∂L/∂h0 of the last backward pass.
    public private(set) var initialStateGradient: Tensor?

    private var cache: (xs: [Float], hs: [Float], previousHidden: [Float], batch: Int, time: Int)?

    public init(inputWeight: Parameter, hiddenWeight: Parameter, bias: Parameter, stateful: Bool = false) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(hiddenWeight.value, "TimeRNN's hidden weight")
            let h = hiddenWeight.value.shape[0]
            try Validate.matrix(hiddenWeight.value, rows: h, columns: h, "TimeRNN's hidden weight")
            try Validate.matrix(inputWeight.value, columns: h, "TimeRNN's input weight")
            try Validate.shape(bias.value, [h], "TimeRNN's bias")
        }
        self.inputWeight = inputWeight
        self.hiddenWeight = hiddenWeight
        self.bias = bias
        self.isStateful = stateful
    }

    /// Fresh weights drawn with `initialization` (the book: `randn / √fanIn`), zero bias.
    public convenience init<G: RandomNumberGenerator>(inputSize: Int, hiddenSize: Int, stateful: Bool = false,
                                                      initialization: WeightInitialization = .xavier,
                                                      name: String = "rnn", using generator: inout G) {
        self.init(inputWeight: Parameter(initialization.matrix(fanIn: inputSize, fanOut: hiddenSize, using: &generator),
                                         name: name + ".Wx"),
                  hiddenWeight: Parameter(initialization.matrix(fanIn: hiddenSize, fanOut: hiddenSize, using: &generator),
                                          name: name + ".Wh"),
                  bias: Parameter(Tensor(shape: [hiddenSize]), name: name + ".b"), stateful: stateful)
    }

    /// [Wx, Wh, b].
    public var parameters: [Parameter] { [inputWeight, hiddenWeight, bias] }
    /// D.
    public var inputSize: Int { inputWeight.value.shape[0] }
    /// H.
    public var hiddenSize: Int { hiddenWeight.value.shape[0] }

    /// Starts the next forward pass from hidden state `hidden` (`[N, H]`).
    public func setState(_ hidden: Tensor) {
        require { () throws(NeuralNetworkError) in try Validate.matrix(hidden, columns: hiddenSize, "TimeRNN.setState") }
        state = hidden
    }

    /// Forgets the carried state.
    public func resetState() { state = nil }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in try Validate.sequence(input, width: inputSize, "TimeRNN.forward") }
        let (n, t, h) = (input.shape[0], input.shape[1], hiddenSize)
        let start = state ?? Tensor(shape: [n, h])
        require { () throws(NeuralNetworkError) in
            try Validate.shape(start, [n, h], "TimeRNN.forward (the carried state; call resetState() when the batch size changes)")
        }
        var hs = [Float](repeating: 0, count: n * t * h), previous = [Float](repeating: 0, count: n * t * h)
        RecurrentKernels.rnnForward(xs: input.scalars, wx: inputWeight.value.scalars, wh: hiddenWeight.value.scalars,
                                    bias: bias.value.scalars, h0: start.scalars, batch: n, time: t, input: inputSize,
                                    hidden: h, hs: &hs, previousHidden: &previous)
        let final = t == 0 ? start : TimeLSTM.lastStep(hs, batch: n, time: t, width: h)
        finalState = final
        if isStateful { state = final }
        cache = (input.scalars, hs, previous, n, t)
        return Tensor(shape: [n, t, h], scalars: hs)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor { backward(outputGradient, finalStateGradient: nil) }

    /// Backward with an extra gradient `[N, H]` flowing into h_T; sets ``initialStateGradient``.
    public func backward(_ outputGradient: Tensor, finalStateGradient: Tensor?) -> Tensor {
        let c = requireCached(cache, "TimeRNN")
        let (n, t, d, h) = (c.batch, c.time, inputSize, hiddenSize)
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, [n, t, h], "TimeRNN.backward")
            if let finalStateGradient { try Validate.shape(finalStateGradient, [n, h], "TimeRNN.backward (final state gradient)") }
        }
        var dh = finalStateGradient?.scalars ?? [Float](repeating: 0, count: n * h)
        var dPre = [Float](repeating: 0, count: n * t * h)
        RecurrentKernels.rnnBackward(dhs: outputGradient.scalars, hs: c.hs, wh: hiddenWeight.value.scalars,
                                     batch: n, time: t, hidden: h, dhNext: &dh, dPre: &dPre)
        let rows = n * t
        RecurrentKernels.multiply(c.xs, dPre, into: &inputWeight.gradient.scalars, m: d, n: h, k: rows,
                                  transposeA: true, beta: 1)
        RecurrentKernels.multiply(c.previousHidden, dPre, into: &hiddenWeight.gradient.scalars, m: h, n: h, k: rows,
                                  transposeA: true, beta: 1)
        RecurrentKernels.addColumnSums(of: dPre, rows: rows, width: h, into: &bias.gradient.scalars)
        var dxs = [Float](repeating: 0, count: rows * d)
        RecurrentKernels.multiply(dPre, inputWeight.value.scalars, into: &dxs, m: rows, n: d, k: h, transposeB: true)
        initialStateGradient = Tensor(shape: [n, h], scalars: dh)
        return Tensor(shape: [n, t, d], scalars: dxs)
    }
}
