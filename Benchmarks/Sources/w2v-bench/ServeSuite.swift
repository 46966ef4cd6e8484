#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import W2V
import W2VCommands
import W2VServer

/// `w2v serve` under load, on the loopback only: p50 latency of /api/similar from one client,
/// requests/s from N parallel keep-alive clients, and resident memory before and after.
struct ServeSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Load test of w2v serve's /api/similar on 127.0.0.1 (default: a random 84,000 x 100 model; bounded in time)."
    )

    @Option(help: "Words in the random model.") var words = 84_000
    @Option(help: "Dimension of the random model.") var dimension = 100
    @Option(help: "A store to serve instead of a random model (with --name).") var store: String?
    @Option(help: "The model of --store to serve.") var name: String?
    @Option(help: "Sequential requests timed from one client (latency).") var latencyRequests = 1_000
    @Option(help: "Requests of each load round, spread over the clients.") var requests = 10_000
    @Option(help: "Parallel clients (one keep-alive connection each).") var clients = 8
    @Option(help: "Load rounds (memory is read after each).") var rounds = 2
    @Option(help: "Neighbours per request (n=).") var count = 10
    @Option(help: "Stop any phase after this many seconds.") var seconds = 60.0
    @Option(help: "The endpoint loaded: similar, or similarity (one dot product: the server's own overhead).") var endpoint = "similar"

    func run() throws {
        print(environmentHeader())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("w2v-bench-serve-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var arguments: [String]
        var vocabulary: [String]
        if let store {
            arguments = ["--store", store] + (name.map { ["--name", $0] } ?? [])
            let opened = try VectorStore(path: store, mode: .readOnly)
            let model = try opened.load(name ?? (try opened.latestModelName() ?? ""))
            vocabulary = model.vectors.words
        } else {
            let path = directory.appendingPathComponent("bench.sqlite").path
            var random = SplitMix64(seed: 42)
            let tensor = Tensor(shape: [words, dimension]) { random.nextUnitFloat() * 2 - 1 }
            vocabulary = (0..<words).map { "w\($0)" }
            let vectors = try WordVectors(words: vocabulary, vectors: tensor)
            try VectorStore(path: path, mode: .readWrite).save(vectors, as: "random", metadata: ModelMetadata(method: "random"))
            arguments = ["--store", path, "--name", "random"]
        }
        let api = try EmbeddingAPI(storeOptions: StoreOptions.parse(arguments))
        let server = try W2VServer(api: api, host: "127.0.0.1", port: 0)
        let port = try blockingAwait { try await server.start() }
        defer { blockingAwait { await server.stop(timeout: 1) } }
        print("serving \(api.defaultModel) (\(vocabulary.count) words) on 127.0.0.1:\(port); OpenBLAS \(OpenBLAS.threadCount) threads")

        var random = SplitMix64(seed: 7)
        let count = self.count
        func pick() -> String {
            vocabulary[random.nextIndex(below: vocabulary.count)].addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "w0"
        }
        let similarity = endpoint == "similarity"
        let targets = (0..<4096).map { _ in
            similarity ? "/api/similarity?w1=\(pick())&w2=\(pick())" : "/api/similar?word=\(pick())&n=\(count)"
        }
        let label = similarity ? "/api/similarity" : "/api/similar n=\(count)"
        let target: @Sendable (Int) -> String = { targets[$0 % targets.count] }

        // Warm-up: the first request loads the model.
        let warm = try LoopbackClient(port: port)
        let (_, loadSeconds) = try measure { try warm.get(target(0)) }
        let rssLoaded = currentRSSMiB()

        // Latency: one client, one request at a time.
        var latencies: [Double] = []
        let latencyCPU = processCPUSeconds()
        let latencyDeadline = Date().addingTimeInterval(seconds)
        for i in 0..<latencyRequests where Date() < latencyDeadline {
            let (status, elapsed) = try measure { try warm.get(target(i)) }
            guard status == 200 else { throw ValidationError("status \(status) for \(target(i))") }
            latencies.append(elapsed)
        }
        latencies.sort()
        let latencyCPUPerRequest = (processCPUSeconds() - latencyCPU) / Double(max(latencies.count, 1))

        // Throughput: `clients` threads on their own connections, `requests` in all per round.
        var rows: [[String]] = [
            ["first request (loads the model)", "1", "\(format(loadSeconds * 1000, 1)) ms", "-", "\(format(rssLoaded, 1)) MiB"],
            ["\(label), 1 client, sequential", "\(latencies.count)",
             "p50 \(format(percentile(latencies, 0.5) * 1000, 2)) ms, p90 \(format(percentile(latencies, 0.9) * 1000, 2)) ms, p99 \(format(percentile(latencies, 0.99) * 1000, 2)) ms",
             "\(format(Double(latencies.count) / latencies.reduce(0, +), 0))/s (CPU \(format(latencyCPUPerRequest * 1e6, 0)) µs/request)",
             "\(format(currentRSSMiB(), 1)) MiB"],
        ]
        for round in 1...max(1, rounds) {
            let cpuBefore = processCPUSeconds()
            let result = try loadRound(port: port, target: target)
            let cpu = processCPUSeconds() - cpuBefore
            rows.append(["\(label), \(clients) clients, round \(round)", "\(result.completed)",
                         "p50 \(format(percentile(result.latencies, 0.5) * 1000, 2)) ms, p99 \(format(percentile(result.latencies, 0.99) * 1000, 2)) ms",
                         "\(format(Double(result.completed) / result.wall, 0))/s (CPU \(format(cpu * 1e6 / Double(max(result.completed, 1)), 0)) µs/request)",
                         "\(format(currentRSSMiB(), 1)) MiB"])
        }
        print("requests answered in a shared pass (batched): \(api.batchedRequests)")
        print("load average at the end: \(loadAverage()); peak RSS \(format(peakRSSMiB(), 1)) MiB (server and clients share this process)")
        print(markdownTable(["phase", "requests", "latency", "throughput", "RSS after"], rows))
    }

    /// `requests` GETs from `clients` threads, stopped at the time limit.
    func loadRound(port: Int, target: @escaping @Sendable (Int) -> String) throws -> (completed: Int, wall: Double, latencies: [Double]) {
        let next = LockedCounter()
        let results = LockedResults()
        let deadline = Date().addingTimeInterval(seconds)
        let total = requests
        let group = DispatchGroup()
        let start = Date()
        for _ in 0..<clients {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                guard let client = try? LoopbackClient(port: port) else { results.fail("cannot connect"); return }
                var mine: [Double] = []
                while Date() < deadline {
                    let i = next.take()
                    if i >= total { break }
                    let began = Date()
                    guard let status = try? client.get(target(i)), status == 200 else { results.fail("request \(i) failed"); return }
                    mine.append(Date().timeIntervalSince(began))
                }
                results.add(mine)
            }
            thread.start()
        }
        group.wait()
        let wall = Date().timeIntervalSince(start)
        if let failure = results.failure { throw ValidationError(failure) }
        let latencies = results.latencies.sorted()
        return (latencies.count, wall, latencies)
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

/// Resident set size now (VmRSS), in MiB.
func currentRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return (line.split(separator: " ").compactMap { Double($0) }.first ?? .nan) / 1024
    }
    return .nan
}

/// Runs `body` on the concurrency pool and waits for it on this thread.
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let box = LockedBox<Result<T, any Error>>()
    Task {
        do { box.set(.success(try await body())) } catch { box.set(.failure(error)) }
        semaphore.signal()
    }
    semaphore.wait()
    return try box.get()!.get()
}

func blockingAwait(_ body: @escaping @Sendable () async -> Void) {
    _ = try? blockingAwait { () async throws -> Int in await body(); return 0 }
}

final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    func set(_ newValue: T) { lock.lock(); value = newValue; lock.unlock() }
    func get() -> T? { lock.lock(); defer { lock.unlock() }; return value }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func take() -> Int { lock.lock(); defer { value += 1; lock.unlock() }; return value }
}

final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var latencies: [Double] = []
    private(set) var failure: String?
    func add(_ values: [Double]) { lock.lock(); latencies += values; lock.unlock() }
    func fail(_ message: String) { lock.lock(); if failure == nil { failure = message }; lock.unlock() }
}

/// A blocking HTTP/1.1 client on one keep-alive connection to 127.0.0.1 (never another host).
final class LoopbackClient {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ValidationError("socket() failed") }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw ValidationError("cannot connect to 127.0.0.1:\(port)") }
    }

    deinit { close(fd) }

    /// GET `target`; returns the status after reading the whole body.
    func get(_ target: String) throws -> Int {
        let request = Array("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ValidationError("send failed") }
            sent += n
        }
        // Headers, then Content-Length bytes of body.
        var headerEnd: Int? = nil
        while headerEnd == nil {
            try fill()
            headerEnd = find([13, 10, 13, 10])
        }
        let header = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        let status = Int(header.split(separator: " ").dropFirst().first ?? "") ?? 0
        var length = 0
        for line in header.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        let bodyStart = headerEnd! + 4
        while buffer.count < bodyStart + length { try fill() }
        buffer.removeFirst(bodyStart + length)
        return status
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { throw ValidationError("connection closed") }
        buffer += chunk[0..<n]
    }

    private func find(_ pattern: [UInt8]) -> Int? {
        guard buffer.count >= pattern.count else { return nil }
        for i in 0...(buffer.count - pattern.count) where buffer[i] == pattern[0] && Array(buffer[i..<(i + pattern.count)]) == pattern {
            return i
        }
        return nil
    }
}
