import ArgumentParser
import W2V

/// The Convolution layer's speed next to the plain sgemm it is built on, in one session.
struct ConvolutionSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conv",
        abstract: "Convolution forward/backward GFLOP/s (im2col + sgemm) beside the same-sized sgemm and the kernels suite's square sgemm."
    )

    @Option(help: "Repetitions of each measurement (the best is reported).") var repetitions = 5
    @Option(help: "Size of the square sgemm reference (the kernels suite's).") var gemmSize = 1024

    /// N, C, H (= W), FN, F (= FH = FW), padding; stride 1.
    static let shapes: [(n: Int, c: Int, h: Int, fn: Int, f: Int, p: Int)] = [
        (100, 1, 8, 30, 3, 1),    // SimpleConvNet on a digits mini-batch of 100
        (32, 16, 32, 32, 3, 1),
        (16, 64, 16, 64, 3, 1),
        (8, 3, 64, 64, 5, 2),
    ]

    func run() throws {
        print(environmentHeader())
        var rng = SplitMix64(seed: 1)
        let a = Tensor.randomUniform(shape: [gemmSize, gemmSize], in: -1...1, using: &rng)
        let b = Tensor.randomUniform(shape: [gemmSize, gemmSize], in: -1...1, using: &rng)
        _ = Tensor.matmul(a, b)
        let squareSeconds = best { _ = Tensor.matmul(a, b) }
        let squareGFLOPs = 2 * Double(gemmSize * gemmSize * gemmSize) / squareSeconds / 1e9

        var rows: [[String]] = []
        for s in Self.shapes {
            let layer = Convolution(filterCount: s.fn, channels: s.c, filterHeight: s.f, filterWidth: s.f,
                                    padding: s.p, using: &rng)
            let x = Tensor.randomNormal(shape: [s.n, s.c, s.h, s.h], using: &rng)
            let y = layer.forward(x, training: true)
            let dy = Tensor.randomNormal(shape: y.shape, using: &rng)
            let (oh, ow) = (y.shape[2], y.shape[3])
            // Forward: one [N·OH·OW, C·F·F] x [C·F·F, FN] product; backward: two of the same size.
            let m = s.n * oh * ow, k = s.c * s.f * s.f
            let flops = 2 * Double(m * k * s.fn)
            let forward = best { _ = layer.forward(x, training: true) }
            let backward = best { _ = layer.backward(dy) }
            let columns = Tensor.randomNormal(shape: [m, k], using: &rng)
            let filters = Tensor.randomNormal(shape: [s.fn, k], using: &rng)
            let gemm = best { _ = Tensor.matmul(columns, filters, transposeRight: true) }
            rows.append([
                "x[\(s.n),\(s.c),\(s.h),\(s.h)] W[\(s.fn),\(s.c),\(s.f),\(s.f)] P\(s.p)",
                "\(m)x\(k)x\(s.fn)",
                "\(format(forward * 1000, 2)) ms, \(format(flops / forward / 1e9, 1))",
                "\(format(gemm * 1000, 2)) ms, \(format(flops / gemm / 1e9, 1))",
                "\(format(backward * 1000, 2)) ms, \(format(2 * flops / backward / 1e9, 1))",
                format(squareGFLOPs, 1),
            ])
        }
        print(markdownTable(["shape (stride 1)", "sgemm m x k x n", "forward (GFLOP/s)", "its sgemm alone (GFLOP/s)",
                             "backward (GFLOP/s)", "sgemm \(gemmSize)² GFLOP/s"], rows))
        print("best of \(repetitions); forward = im2col + sgemm + NCHW layout with bias; backward = layout + 2 sgemm + col2im + bias sum")
    }

    private func best(_ body: () -> Void) -> Double {
        body()  // warm-up
        var fastest = Double.infinity
        for _ in 0..<repetitions { fastest = min(fastest, measure(body).1) }
        return fastest
    }
}
