import ArgumentParser
import Foundation
import W2V
#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds used by the calling thread so far (immune to other processes on a busy machine).
private func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Wall-clock and CPU seconds of `body`.
private func measureBoth<T>(_ body: () throws -> T) rethrows -> (T, wall: Double, cpu: Double) {
    let cpu0 = threadCPUSeconds()
    let (value, wall) = try measure(body)
    return (value, wall, threadCPUSeconds() - cpu0)
}

/// The SQLite store and the vector file formats: save/load of a random V x D model, single-word
/// lookup latency, and import/export speed of word2vec binary and text files.
struct StoreSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Store save/load (71,000 x 100 by default), word lookup latency, vector file import/export."
    )

    @Option(help: "Words in the random model.") var words = 71_000
    @Option(help: "Dimension of the random model.") var dimension = 100
    @Option(help: "Repetitions of save and load (the median is reported).") var repetitions = 5
    @Option(help: "Single-word lookups to time.") var lookups = 5_000
    @Option(help: "Directory for the temporary store and files (default: a new temporary directory).")
    var directory: String?

    func run() throws {
        print(environmentHeader())
        let folder = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("w2v-store-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: folder) } }

        var rng = SplitMix64(seed: 42)
        let tensor = Tensor.randomNormal(shape: [words, dimension], using: &rng)
        let names = (0..<words).map { "word\($0)" }
        let vectors = try WordVectors(words: names, vectors: tensor, counts: (0..<words).map { words - $0 })
        let metadata = ModelMetadata(method: "imported", parameters: ["seed": "42"])
        let megabytes = Double(words * dimension * 4) / 1e6
        var rows: [[String]] = []

        // Save: the first save creates the model, later ones replace it.
        let storePath = folder + "/bench.w2v"
        var saveTimes: [Double] = [], saveCPU: [Double] = []
        for _ in 0..<repetitions {
            let store = try VectorStore(path: storePath)
            let (_, wall, cpu) = try measureBoth { try store.save(vectors, as: "bench", metadata: metadata) }
            saveTimes.append(wall)
            saveCPU.append(cpu)
        }
        rows.append(["save \(words) x \(dimension) (one transaction, replacing)", ms(saveTimes), ms(saveCPU),
                     "\(format(megabytes / median(saveTimes), 0)) MB/s of vectors"])

        // Load on a fresh connection each time (what the command line does), and on a warm one.
        var openLoadTimes: [Double] = [], openLoadCPU: [Double] = []
        var loaded: StoredModel? = nil
        for _ in 0..<repetitions {
            let (model, wall, cpu) = try measureBoth { try VectorStore(path: storePath, mode: .readOnly).load("bench") }
            openLoadTimes.append(wall)
            openLoadCPU.append(cpu)
            loaded = model
        }
        precondition(loaded?.vectors == vectors, "the loaded model differs from the saved one")
        let warm = try VectorStore(path: storePath, mode: .readOnly)
        _ = try warm.load("bench")
        var loadTimes: [Double] = [], loadCPU: [Double] = []
        for _ in 0..<repetitions {
            let (_, wall, cpu) = try measureBoth { try warm.load("bench") }
            loadTimes.append(wall)
            loadCPU.append(cpu)
        }
        rows.append(["open + load \(words) x \(dimension)", ms(openLoadTimes), ms(openLoadCPU),
                     "fresh connection each"])
        var openTimes: [Double] = [], openCPU: [Double] = []
        for _ in 0..<repetitions {
            let (_, wall, cpu) = try measureBoth { try VectorStore(path: storePath, mode: .readOnly) }
            openTimes.append(wall)
            openCPU.append(cpu)
        }
        rows.append(["open (read-only, with checks)", ms(openTimes), ms(openCPU), "header, schema version, truncation"])
        rows.append(["load on an open connection", ms(loadTimes), ms(loadCPU),
                     "\(format(megabytes / median(loadTimes), 0)) MB/s of vectors"])
        // The part of a load spent in Embeddings (word index and unit vectors), for comparison.
        var initTimes: [Double] = [], initCPU: [Double] = []
        for _ in 0..<repetitions {
            let (_, wall, cpu) = try measureBoth {
                try WordVectors(words: names, vectors: tensor, counts: vectors.counts)
            }
            initTimes.append(wall)
            initCPU.append(cpu)
        }
        rows.append(["of which WordVectors.init (word index, unit vectors)", ms(initTimes), ms(initCPU),
                     "Embeddings' share of every load and import"])

        // Single-word lookups without loading the model.
        var lookupTimes: [Double] = [], lookupCPU: [Double] = []
        lookupTimes.reserveCapacity(lookups)
        for _ in 0..<lookups {
            let id = rng.nextIndex(below: words)
            let (vector, wall, cpu) = try measureBoth { try warm.vector(for: names[id], in: "bench") }
            precondition(vector == vectors.vector(at: id), "lookup returned the wrong vector")
            lookupTimes.append(wall)
            lookupCPU.append(cpu)
        }
        lookupTimes.sort()
        let (_, firstWall, firstCPU) = try measureBoth {
            try VectorStore(path: storePath, mode: .readOnly).vector(for: names[words / 2], in: "bench")
        }
        rows.append(["vector(for:in:) lookup", "\(format(median(lookupTimes) * 1e6, 1)) µs",
                     "\(format(median(lookupCPU) * 1e6, 1)) µs",
                     "median of \(lookups) random words; wall p99 \(format(lookupTimes[lookups * 99 / 100] * 1e6, 1)) µs"])
        rows.append(["open + one lookup", ms([firstWall]), ms([firstCPU]), "fresh connection"])
        let storeSize = (try FileManager.default.attributesOfItem(atPath: storePath)[.size] as? Int) ?? 0
        rows.append(["store file size", "\(format(Double(storeSize) / 1e6, 1)) MB", "", "after \(repetitions) replacements"])

        // Vector files.
        for format in [VectorFileFormat.word2vecBinary, .word2vecText] {
            let path = folder + "/bench.\(format.rawValue)"
            let (_, exportSeconds, exportCPU) = try measureBoth { try VectorFileWriter.write(vectors, to: path, format: format) }
            let size = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
            let (back, importSeconds, importCPU) = try measureBoth { try VectorFileReader.read(contentsOf: path, format: format) }
            precondition(back.words == vectors.words && back.vectors == vectors.vectors, "\(format) round trip differs")
            rows.append(["export \(format.rawValue)", ms([exportSeconds]), ms([exportCPU]),
                         "\(self.format(size, 1)) MB, \(self.format(size / exportSeconds, 0)) MB/s"])
            rows.append(["import \(format.rawValue)", ms([importSeconds]), ms([importCPU]),
                         "\(self.format(size / importSeconds, 0)) MB/s, bit-exact round trip"])
        }

        let real = defaultDataPath("vectors/googlenews-subset-347x300.w2v.txt")
        if FileManager.default.fileExists(atPath: real) {
            let (model, wall, cpu) = try measureBoth { try VectorFileReader.read(contentsOf: real) }
            rows.append(["import googlenews-subset-347x300.w2v.txt", ms([wall]), ms([cpu]),
                         "\(model.count) x \(model.dimension)"])
        } else {
            rows.append(["import googlenews-subset-347x300.w2v.txt", "skipped", "", "\(real) is absent"])
        }
        print("load average \(loadAverage()) (wall times include waiting for the CPU; CPU times do not)")
        print(markdownTable(["operation", "wall (median)", "CPU (median)", "notes"], rows))
    }

    private func format(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }

    private func ms(_ seconds: [Double]) -> String { "\(format(median(seconds) * 1000, 1)) ms" }

    private func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3)
            .joined(separator: " ") ?? "unknown"
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
