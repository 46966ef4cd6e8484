import ArgumentParser
import W2V

/// Dense linear-algebra kernels: sgemm GFLOP/s and the time of a dense SVD.
struct KernelsSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "sgemm GFLOP/s (1024x1024) and dense SVD time (2000x2000), with the OpenBLAS core in use."
    )

    @Option(help: "Matrix size for sgemm.") var gemmSize = 1024
    @Option(help: "Matrix size for the dense SVD.") var svdSize = 2000
    @Option(help: "sgemm repetitions (the best is reported).") var repetitions = 5

    func run() throws {
        print(environmentHeader())
        var rng = SplitMix64(seed: 1)
        let n = gemmSize
        let a = Tensor.randomUniform(shape: [n, n], in: -1...1, using: &rng)
        let b = Tensor.randomUniform(shape: [n, n], in: -1...1, using: &rng)
        _ = Tensor.matmul(a, b)  // warm-up
        var best = Double.infinity
        for _ in 0..<repetitions {
            let (_, seconds) = measure { Tensor.matmul(a, b) }
            best = min(best, seconds)
        }
        let gflops = 2 * Double(n * n * n) / best / 1e9
        let m = Tensor.randomNormal(shape: [svdSize, svdSize], using: &rng)
        let (_, svdSeconds) = try measure { try LinearAlgebra.svd(m) }
        print(markdownTable(["kernel", "size", "result"], [
            ["sgemm", "\(n)x\(n)", "\(format(gflops, 1)) GFLOP/s (best of \(repetitions): \(format(best * 1000, 1)) ms)"],
            ["sgesdd (thin SVD)", "\(svdSize)x\(svdSize)", "\(format(svdSeconds, 2)) s"],
        ]))
    }
}
