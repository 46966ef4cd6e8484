// The one place where word2vec's Hogwild workers share mutable memory.
//
// Shapes: `input` and `output` are row-major `[rows, dimension]` Float32 matrices (W_in, W_out),
// allocated 64-byte aligned and owned by this object for its lifetime.

/// The input and output embedding matrices shared by all training threads.
///
/// Hogwild (Recht, Re, Wright & Niu 2011): workers read and write rows of these matrices
/// concurrently without locks. Collisions are rare (two threads touching the same row at the
/// same moment) and only lose or mix an update, which stochastic gradient descent tolerates;
/// this is exactly what word2vec's C implementation does. Swift cannot prove that safe, hence
/// `@unchecked Sendable`: the rules are that only the training kernels write through these
/// pointers, only while `Word2VecTrainer` is running workers, and that the trainer copies the
/// matrices out into `Tensor`s after every worker has joined.
final class SharedMatrices: @unchecked Sendable {
    let rows: Int
    let dimension: Int
    let input: UnsafeMutablePointer<Float>
    let output: UnsafeMutablePointer<Float>

    /// Matrices initialised from row-major `[rows, dimension]` scalars.
    init(input inputScalars: [Float], output outputScalars: [Float], rows: Int, dimension: Int) {
        precondition(inputScalars.count == rows * dimension && outputScalars.count == rows * dimension,
                     "Shared matrices need \(rows) × \(dimension) scalars each.")
        self.rows = rows
        self.dimension = dimension
        let count = max(rows * dimension, 1)
        input = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
        output = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
        input.initialize(repeating: 0, count: count)
        output.initialize(repeating: 0, count: count)
        inputScalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { input.update(from: base, count: source.count) }
        }
        outputScalars.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { output.update(from: base, count: source.count) }
        }
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// A copy of the input matrix's scalars.
    func inputScalars() -> [Float] { Array(UnsafeBufferPointer(start: input, count: rows * dimension)) }
    /// A copy of the output matrix's scalars.
    func outputScalars() -> [Float] { Array(UnsafeBufferPointer(start: output, count: rows * dimension)) }
}
