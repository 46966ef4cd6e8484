import ArgumentParser
import Foundation
import W2V

/// Query latency: mostSimilar (one sgemv + heap top-k), analogies, and batches with sgemm.
struct QueriesSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queries",
        abstract: "Latency of mostSimilar / analogy on in-memory vectors (default: 71,000 x 100 random), single and batched."
    )

    @Option(help: "Vocabulary size of the random vectors.") var words = 71_000
    @Option(help: "Dimension of the random vectors.") var dimension = 100
    @Option(help: "Queries in a batch.") var batch = 1_000
    @Option(help: "Single queries timed (median and best are reported).") var singles = 200
    @Option(help: "A word2vec (text or binary) or GloVe file to use instead of random vectors.") var vectors: String?

    func run() throws {
        print(environmentHeader())
        let (v, loadSeconds) = try measure { () throws -> WordVectors in
            if let vectors { return try VectorFileReader.read(contentsOf: vectors) }
            var rng = SplitMix64(seed: 42)
            let tensor = Tensor(shape: [words, dimension]) { rng.nextUnitFloat() * 2 - 1 }
            return try WordVectors(words: (0..<words).map { "w\($0)" }, vectors: tensor)
        }
        var rng = SplitMix64(seed: 7)
        let probes = (0..<max(singles, batch)).map { _ in v.words[rng.nextIndex(below: v.count)] }
        func timeSingles(_ body: (Int) throws -> Void) rethrows -> (median: Double, best: Double, cpu: Double) {
            try body(0)  // warm-up
            var times: [Double] = []
            let cpuStart = processCPUSeconds()
            for i in 0..<singles { times.append(try measure { try body(i) }.1) }
            let cpu = (processCPUSeconds() - cpuStart) / Double(singles)
            times.sort()
            return (times[times.count / 2], times[0], cpu)
        }
        func ms(_ t: (median: Double, best: Double, cpu: Double)) -> String {
            "median \(format(t.median * 1000, 3)) ms, best \(format(t.best * 1000, 3)) ms; CPU \(format(t.cpu * 1000, 3)) ms"
        }
        func timeBatch<T>(_ body: () throws -> T) rethrows -> String {
            let cpuStart = processCPUSeconds()
            let (_, seconds) = try measure(body)
            return "\(format(seconds, 3)) s (\(format(seconds * 1e6 / Double(batch), 1)) µs/query); CPU \(format(processCPUSeconds() - cpuStart, 3)) s"
        }
        let single = try timeSingles { _ = try v.mostSimilar(to: probes[$0], count: 10) }
        let restricted = try timeSingles { _ = try v.mostSimilar(to: probes[$0], count: 10, restrictTo: 30_000) }
        let add = try timeSingles { _ = try v.analogy(probes[$0], isTo: probes[($0 + 1) % singles], as: probes[($0 + 2) % singles], count: 10) }
        let mul = try timeSingles { _ = try v.analogy(probes[$0], isTo: probes[($0 + 1) % singles], as: probes[($0 + 2) % singles], count: 10, method: .multiply) }
        let batchWords = Array(probes.prefix(batch))
        _ = try v.mostSimilar(toEach: Array(batchWords.prefix(10)), count: 10)  // warm-up
        let batchTime = try timeBatch { try v.mostSimilar(toEach: batchWords, count: 10) }
        let questions = (0..<batch).map { i in
            AnalogyQuery(a: v.id(for: batchWords[i])!, b: v.id(for: batchWords[(i + 1) % batch])!, c: v.id(for: batchWords[(i + 2) % batch])!)
        }
        let batchAdd = try timeBatch { try v.analogies(questions, count: 10) }
        let batchMul = try timeBatch { try v.analogies(questions, count: 10, method: .multiply) }
        let shape = "\(v.count) x \(v.dimension)"
        print("load average at the end: \(loadAverage()) (CPU = user + system time of all threads; on a busy machine wall time exceeds it)")
        print(markdownTable(["query", "vectors", "time"], [
            ["load / generate + normalise", shape, "\(format(loadSeconds, 3)) s"],
            ["mostSimilar(to:count: 10)", shape, ms(single)],
            ["mostSimilar(to:count: 10, restrictTo: 30000)", shape, ms(restricted)],
            ["analogy (3CosAdd)", shape, ms(add)],
            ["analogy (3CosMul)", shape, ms(mul)],
            ["mostSimilar(toEach:) batch of \(batch) (sgemm)", shape, batchTime],
            ["analogies batch of \(batch), 3CosAdd (sgemm)", shape, batchAdd],
            ["analogies batch of \(batch), 3CosMul (sgemm)", shape, batchMul],
        ]))
    }
}

/// User + system CPU seconds of this process (all threads) so far.
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The 1-minute load average from /proc/loadavg ("?" where unavailable).
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
}
