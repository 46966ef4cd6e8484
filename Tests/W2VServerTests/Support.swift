#if canImport(Glibc)
import Glibc
#endif
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Embeddings
import ModelStorage
import TensorCore
import Testing
import W2VCommands
@testable import W2VServer

/// The built `w2v` executable (the test target depends on it, so SwiftPM builds it first).
enum W2VBinary {
    static let url: URL? = {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = URL(fileURLWithPath: exe).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("w2v"))
                directory = directory.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/w2v"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `w2v arguments` to the end.
    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try #require(url, "the w2v executable was not built")
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "W2V_STORE")
        environment["OPENBLAS_NUM_THREADS"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A store in a temporary directory with two hand-made models: "royal" (planted structure:
/// royalty, fruit and places, with a training history) and "small".
final class StoreFixture: @unchecked Sendable {
    let directory: URL
    var path: String { directory.appendingPathComponent("serve.sqlite").path }

    static let words = ["man", "woman", "king", "queen", "prince", "princess", "apple", "orange", "pear", "banana",
                        "paris", "rome", "london", "berlin", "kingdom", "kingfisher"]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("w2v-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try VectorStore(path: path, mode: .readWrite)
        // Axes: [male, female, royal, fruit, city, young] plus seeded noise.
        let base: [[Float]] = [
            [2, 0, 0, 0, 0, 0], [0, 2, 0, 0, 0, 0], [1, 0, 2, 0, 0, 0], [0, 1, 2, 0, 0, 0], [1, 0, 2, 0, 0, 1], [0, 1, 2, 0, 0, 1],
            [0, 0, 0, 3, 0, 0], [0, 0, 0, 3, 0, 0.5], [0, 0, 0, 3, 0.2, 0], [0, 0, 0, 3, 0, 0.3],
            [0, 0, 0, 0, 3, 0], [0, 0, 0.3, 0, 3, 0], [0, 0, 0, 0, 3, 0.4], [0, 0.2, 0, 0, 3, 0],
            [0.5, 0, 1.5, 0, 0.5, 0], [0.3, 0, 0.2, 0.4, 0, 0.2],
        ]
        var random = SplitMix64(seed: 11)
        let rows = base.map { row in row.map { $0 + random.nextUnitFloat() * 0.2 - 0.1 } }
        let counts = (0..<Self.words.count).map { 1000 - 50 * $0 }
        let royal = try WordVectors(words: Self.words, vectors: Tensor(rows), counts: counts)
        var history = TrainingHistory(unit: "percent")
        for percent in stride(from: 10, through: 100, by: 10) {
            history.append(.init(position: Double(percent), loss: 3 - Double(percent) / 50, learningRate: 0.025 * (1 - Double(percent) / 101)))
        }
        try store.save(royal, as: "royal", metadata: ModelMetadata(method: "skipgram", parameters: ["window": "5"],
                                                                   trainingSeconds: 1.5, trainingHistory: history))
        let small = try WordVectors(words: ["a", "b", "c", "d"], vectors: Tensor([[1, 0], [0, 1], [1, 1], [-1, 0.5]]))
        try store.save(small, as: "small", metadata: ModelMetadata(method: "imported"))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func storeOptions() throws -> StoreOptions {
        try StoreOptions.parse(["--store", path])
    }
}

/// A running server on a free loopback port, stopped by ``stop()``.
struct RunningServer {
    let server: W2VServer
    let port: Int

    static func start(_ fixture: StoreFixture, name: String? = "royal") async throws -> RunningServer {
        let api = try EmbeddingAPI(storeOptions: fixture.storeOptions(), modelName: name)
        let server = try W2VServer(api: api, host: "127.0.0.1", port: 0)
        let port = try await urgently { try await server.start() }
        return RunningServer(server: server, port: port)
    }

    func stop() async { await server.stop(timeout: 0.5) }

    /// `GET path` (with its query already encoded): status, content type and body.
    func get(_ pathAndQuery: String) async throws -> (status: Int, type: String, body: Data) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(pathAndQuery)"))
        var request = URLRequest(url: url)
        request.timeoutInterval = 120
        let finished = request
        let (data, response) = try await urgently { try await URLSession.shared.data(for: finished) }
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", data)
    }

    /// `GET` and the body parsed as JSON.
    func json(_ pathAndQuery: String) async throws -> (status: Int, object: NSDictionary) {
        let (status, type, body) = try await get(pathAndQuery)
        #expect(type.hasPrefix("application/json"), "\(pathAndQuery): \(type)")
        let object = try #require(try JSONSerialization.jsonObject(with: body) as? NSDictionary, "\(pathAndQuery)")
        return (status, object)
    }

    /// Sends `request` verbatim on a new connection and returns everything the server answers
    /// (for requests a URL client would rewrite, such as `GET /../etc/passwd`). Runs on its own
    /// thread so that the blocking socket never holds a concurrency thread.
    func raw(_ request: String) async -> String {
        let port = self.port
        return await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: RawHTTP.exchange(request, port: port))
            }
            thread.start()
        }
    }
}

enum RawHTTP {
    /// Connects to 127.0.0.1:`port`, writes `request`, reads until the server closes or 5 s pass.
    static func exchange(_ request: String, port: Int) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "" }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            received += buffer[0..<n]
            if let text = String(bytes: received, encoding: .utf8), let headerEnd = text.range(of: "\r\n\r\n") {
                let header = text[..<headerEnd.lowerBound].lowercased()
                if let line = header.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)),
                   text.utf8.count - text.utf8.distance(from: text.startIndex, to: headerEnd.upperBound) >= length {
                    break
                }
            }
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// Runs `body` at high priority. Swift Testing queues every test of the run on the cooperative
/// threads (two on a two-core machine); at the default priority a server's or a client's next
/// step waited behind all of them, past the server's start-up timeout.
func urgently<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await Task(priority: .high) { try await body() }.value
}
