import TensorCore

/// A trainable tensor and the gradient of the loss with respect to it.
///
/// `Parameter` is a reference type on purpose: its identity is what layers share. CBOW reads
/// the same input matrix `W_in` through one ``Embedding`` per context position; all of them hold
/// the same `Parameter`, accumulate into the same gradient, and the optimizer updates it once
/// (optimizers and gradient helpers de-duplicate parameters by identity). Everything else in the
/// module is a value or a layer.
///
/// Gradients come in two forms that may be mixed:
/// - a dense ``gradient`` with the shape of ``value`` (Affine, MatMul, BatchNorm...), allocated
///   the first time something accumulates into it;
/// - a ``sparseGradient`` of touched rows (Embedding, EmbeddingDot), so that one training step
///   costs O(touched rows x dimension), never O(vocabularySize x dimension).
///
/// Layers *accumulate* into gradients; call ``zeroGradient()`` (or `parameters.zeroGradients()`)
/// before each backward pass. Not thread-safe: one training thread owns a parameter.
public final class Parameter {
    /// A name for messages and debugging, e.g. "W_in" or "affine1.weight".
    public let name: String
    /// The shape of ``value``, fixed at creation (gradients and optimizer state depend on it).
    public let shape: [Int]
    /// The current value. It may be changed in place or replaced, but keeps its ``shape``.
    public var value: Tensor {
        didSet {
            if value.shape != shape {
                preconditionFailure(NeuralNetworkError.shapeMismatch(
                    operation: "Setting \(name).value", expected: "\(shape)", actual: value.shape).description)
            }
        }
    }
    /// The sparse row gradient (empty unless a row-sparse layer accumulated into it).
    public private(set) var sparseGradient: SparseRowGradient
    /// Whether something accumulated into the dense ``gradient`` since the last ``zeroGradient()``.
    public private(set) var hasDenseGradient = false
    private var denseStorage: Tensor?

    /// A parameter holding `value`, with zero gradients.
    ///
    /// A rank-2 value (`[V, D]`) can also take sparse row gradients.
    public init(_ value: Tensor, name: String = "parameter") {
        self.name = name
        self.shape = value.shape
        self.value = value
        self.sparseGradient = SparseRowGradient(rowCount: value.rank == 2 ? value.shape[0] : 0,
                                                width: value.rank == 2 ? value.shape[1] : 0)
    }

    /// The dense gradient ∂L/∂value, shaped like ``value``.
    ///
    /// Reading it before anything was accumulated densely returns zeros. Mutating it (e.g.
    /// `gradient.add(g)`) allocates the storage on first use and marks the dense gradient as set.
    /// The sparse rows are *not* included; ``densifiedGradient()`` gives the sum of both.
    public var gradient: Tensor {
        get { hasDenseGradient ? denseStorage! : Tensor(shape: shape) }
        _modify {
            // Invariant: the storage is all zeros whenever `hasDenseGradient` is false.
            if denseStorage == nil { denseStorage = Tensor(shape: shape) }
            hasDenseGradient = true
            yield &denseStorage!
        }
        set {
            require { () throws(NeuralNetworkError) in try Validate.shape(newValue, shape, "Setting \(name).gradient") }
            denseStorage = newValue
            hasDenseGradient = true
        }
    }

    /// Whether any gradient (dense or sparse) was accumulated since the last ``zeroGradient()``.
    public var hasGradient: Bool { hasDenseGradient || !sparseGradient.isEmpty }

    /// `gradient += delta` (shapes must match).
    public func accumulateGradient(_ delta: Tensor) {
        require { () throws(NeuralNetworkError) in try Validate.shape(delta, shape, "\(name).accumulateGradient") }
        gradient.add(delta)
    }

    /// Adds row `k` of `rows` (`[ids.count, D]`) to the gradient of row `ids[k]` of this
    /// `[V, D]` parameter, keeping the gradient sparse. Repeated ids accumulate.
    public func accumulateRowGradients(ids: [Int], rows: Tensor) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(value, "\(name).accumulateRowGradients (the parameter)")
        }
        sparseGradient.accumulate(rowIDs: ids, rows: rows)  // validates rows and ids
    }

    /// Clears both gradients. O(touched rows) for a sparse gradient.
    public func zeroGradient() {
        if hasDenseGradient { denseStorage!.fill(0) }
        hasDenseGradient = false
        sparseGradient.removeAll()
    }

    /// The total gradient (dense plus scattered sparse rows) as one dense tensor. O(V x D):
    /// for tests, gradient checks and small parameters, not for training steps.
    public func densifiedGradient() -> Tensor {
        var total = gradient
        if !sparseGradient.isEmpty { total.scatterAddRows(sparseGradient.rowIDs, sparseGradient.rows) }
        return total
    }

    /// Scales every accumulated gradient entry (dense and sparse) by `factor`.
    public func scaleGradient(by factor: Float) {
        if hasDenseGradient { denseStorage!.scale(by: factor) }
        sparseGradient.scale(by: factor)
    }

    /// Folds the sparse rows into the dense gradient when both are present, so that every
    /// consumer sees each gradient entry exactly once.
    func consolidateGradient() {
        guard hasDenseGradient, !sparseGradient.isEmpty else { return }
        let ids = sparseGradient.rowIDs, rows = sparseGradient.rows
        gradient.scatterAddRows(ids, rows)
        sparseGradient.removeAll()
    }

    /// The gradient as "rows" for the optimizer kernels, after ``consolidateGradient()``:
    /// a dense gradient is one row of `value.count` elements with id 0; a sparse gradient is its
    /// touched rows of width D. Either way element `j` of row `k` belongs to
    /// `value.scalars[rowIDs[k] * width + j]`. Nil when there is no gradient.
    func gradientRows() -> GradientRows? {
        consolidateGradient()
        if hasDenseGradient {
            return GradientRows(rowIDs: [0], width: value.count, values: denseStorage!.scalars)
        }
        if !sparseGradient.isEmpty {
            return GradientRows(rowIDs: sparseGradient.rowIDs, width: sparseGradient.width,
                                values: sparseGradient.storage)
        }
        return nil
    }

    /// Adds `rate * value` to the gradient entries that are present (all of a dense gradient,
    /// the touched rows of a sparse one).
    func addScaledValueToGradient(_ rate: Float) {
        consolidateGradient()
        if hasDenseGradient {
            denseStorage!.add(value, scaledBy: rate)
        } else if !sparseGradient.isEmpty {
            sparseGradient.addScaledRows(of: value, rate)
        }
    }

    /// The sum of squares of all gradient entries (after consolidation), in Double.
    func gradientSquaredNorm() -> Double {
        guard let rows = gradientRows() else { return 0 }
        return Kernels.sumOfSquares(rows.values)
    }
}

extension Parameter: CustomStringConvertible {
    public var description: String { "Parameter(\(name), shape: \(value.shape))" }
}

/// A gradient as touched rows, the common currency of the optimizer kernels.
struct GradientRows {
    var rowIDs: [Int]
    var width: Int
    var values: [Float]
}

/// The gradient of a `[V, D]` matrix parameter restricted to the rows that were touched.
///
/// Rows are coalesced as they arrive: each touched row id appears once in ``rowIDs`` (in order of
/// first touch) and its row holds the sum of everything accumulated into it. A slot table of V
/// `Int32`s, allocated on first use, maps a row id to its slot in O(1); clearing costs
/// O(touched rows). Nothing here is ever O(V x D).
public struct SparseRowGradient: Sendable {
    /// V, the number of rows of the parameter.
    public let rowCount: Int
    /// D, the width of a row.
    public let width: Int
    /// The distinct touched row ids, in order of first touch.
    public private(set) var rowIDs: [Int] = []
    /// `rowIDs.count * width` gradient values, row `k` belonging to row id `rowIDs[k]`.
    var storage: [Float] = []
    private var slots: [Int32] = []

    /// An empty gradient for a `[rowCount, width]` parameter.
    public init(rowCount: Int, width: Int) {
        self.rowCount = rowCount
        self.width = width
    }

    /// Whether no row has been touched.
    public var isEmpty: Bool { rowIDs.isEmpty }
    /// The number of distinct touched rows.
    public var touchedRowCount: Int { rowIDs.count }
    /// The touched rows' gradients as a `[touchedRowCount, width]` matrix, row `k` for `rowIDs[k]`.
    public var rows: Tensor { Tensor(shape: [rowIDs.count, width], scalars: storage) }

    /// The gradient of row id `id` (zeros when untouched).
    public func row(_ id: Int) -> [Float] {
        guard !slots.isEmpty, id >= 0, id < rowCount, slots[id] >= 0 else { return [Float](repeating: 0, count: width) }
        let start = Int(slots[id]) * width
        return Array(storage[start..<(start + width)])
    }

    /// Adds row `k` of `rows` into row id `ids[k]` (ids must be in range; repeated ids accumulate).
    public mutating func accumulate(rowIDs ids: [Int], rows: Tensor) {
        require { () throws(NeuralNetworkError) in
            try Validate.matrix(rows, rows: ids.count, columns: width, "SparseRowGradient.accumulate")
            try Validate.ids(ids, rowCount: rowCount, "SparseRowGradient.accumulate")
        }
        if slots.isEmpty { slots = [Int32](repeating: -1, count: rowCount) }
        var targetSlots = [Int](repeating: 0, count: ids.count)
        for (k, id) in ids.enumerated() {
            var slot = slots[id]
            if slot < 0 {
                slot = Int32(rowIDs.count)
                slots[id] = slot
                rowIDs.append(id)
            }
            targetSlots[k] = Int(slot)
        }
        let needed = rowIDs.count * width
        if storage.count < needed { storage.append(contentsOf: repeatElement(0, count: needed - storage.count)) }
        Kernels.addRows(rows.scalars, intoSlots: targetSlots, of: &storage, width: width)
    }

    /// Forgets every touched row (keeps capacity), in O(touched rows).
    public mutating func removeAll() {
        for id in rowIDs { slots[id] = -1 }
        rowIDs.removeAll(keepingCapacity: true)
        storage.removeAll(keepingCapacity: true)
    }

    /// Multiplies every touched row by `factor`.
    public mutating func scale(by factor: Float) {
        Kernels.scale(&storage, by: factor)
    }

    /// The gradient as a dense `[rowCount, width]` matrix (O(V x D); for tests).
    public func densified() -> Tensor {
        var dense = Tensor(shape: [rowCount, width])
        if !isEmpty { dense.scatterAddRows(rowIDs, rows) }
        return dense
    }

    /// `row(id) += rate * value.row(id)` for every touched id (lazy L2 weight decay).
    mutating func addScaledRows(of value: Tensor, _ rate: Float) {
        Kernels.addScaledRows(of: value.scalars, rowIDs: rowIDs, width: width, rate, into: &storage)
    }
}
