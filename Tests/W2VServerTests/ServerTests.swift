#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
import W2VCommands
@testable import W2VServer

/// The CLI's `--json` document for `arguments`, parsed.
private func cliJSON(_ arguments: [String], store: String) throws -> NSDictionary {
    let run = try W2VBinary.run(arguments + ["--store", store, "--json"])
    #expect(run.status == 0, "\(arguments): \(run.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? NSDictionary)
}

/// The CLI's message and hint (stderr without the "w2v: " prefix) for a failing command.
private func cliFailure(_ arguments: [String], store: String) throws -> (message: String, hint: String?) {
    let run = try W2VBinary.run(arguments + ["--store", store])
    #expect(run.status == 1, "\(arguments): \(run.stdout) \(run.stderr)")
    let lines = run.stderr.split(separator: "\n").map(String.init)
    let first = try #require(lines.first)
    return (String(first.dropFirst("w2v: ".count)), lines.count > 1 ? lines[1] : nil)
}

@Suite("w2v serve: the JSON API against the command line", .serialized)
struct APIMatchesCommandLineTests {
    @Test func everyEndpointReturnsTheCLIDocument() async throws {
        let fixture = try StoreFixture()
        let running = try await RunningServer.start(fixture)
        defer { Task { await running.stop() } }
        let cases: [(api: String, cli: [String])] = [
            ("/api/models", ["models"]),
            ("/api/info?name=royal", ["info", "royal"]),
            ("/api/info", ["info", "--name", "royal"]),
            ("/api/info?name=small", ["info", "small"]),
            ("/api/similar?word=king&n=4", ["similar", "king", "-n", "4", "--name", "royal"]),
            ("/api/similar?word=king", ["similar", "king", "--name", "royal"]),
            ("/api/similar?word=paris&n=3&restrict=12", ["similar", "paris", "-n", "3", "--restrict", "12", "--name", "royal"]),
            ("/api/similar?word=a&n=2&name=small", ["similar", "a", "-n", "2", "--name", "small"]),
            ("/api/analogy?a=man&b=king&c=woman&n=3", ["analogy", "man", "king", "woman", "-n", "3", "--name", "royal"]),
            ("/api/analogy?a=man&b=king&c=woman&n=3&method=mul", ["analogy", "man", "king", "woman", "-n", "3", "--method", "mul", "--name", "royal"]),
            ("/api/similarity?w1=king&w2=queen", ["similarity", "king", "queen", "--name", "royal"]),
            ("/api/doesnt-match?words=paris,rome,london,apple", ["doesnt-match", "paris", "rome", "london", "apple", "--name", "royal"]),
        ]
        for (path, arguments) in cases {
            let (status, served) = try await running.json(path)
            #expect(status == 200, "\(path): \(served)")
            let printed = try cliJSON(arguments, store: fixture.path)
            #expect(served == printed, "\(path) differs from w2v \(arguments.joined(separator: " ")) --json:\n\(served)\nvs\n\(printed)")
        }
        // The info document carries the training history.
        let info = try await running.json("/api/info?name=royal").object
        let history = try #require(info["trainingHistory"] as? NSDictionary)
        #expect((history["points"] as? [Any])?.count == 10)
    }

    @Test func errorsCarryTheCLIMessageAndA4xxStatus() async throws {
        let fixture = try StoreFixture()
        let running = try await RunningServer.start(fixture)
        defer { Task { await running.stop() } }

        let unknown = try await running.json("/api/similar?word=kingg")
        #expect(unknown.status == 404)
        let cliUnknown = try cliFailure(["similar", "kingg", "--name", "royal"], store: fixture.path)
        #expect(unknown.object["error"] as? String == cliUnknown.message)
        #expect(unknown.object["hint"] as? String == cliUnknown.hint)
        #expect((unknown.object["hint"] as? String)?.contains("king") == true, "suggestions")
        #expect(unknown.object["status"] as? Int == 404)

        let model = try await running.json("/api/similar?word=king&name=nope")
        #expect(model.status == 404)
        let cliModel = try cliFailure(["similar", "king", "--name", "nope"], store: fixture.path)
        #expect(model.object["error"] as? String == cliModel.message)
        #expect(model.object["hint"] as? String == cliModel.hint)
        #expect(try await running.json("/api/info?name=nope").status == 404)

        let analogyUnknown = try await running.json("/api/analogy?a=man&b=king&c=womn")
        #expect(analogyUnknown.status == 404)
        #expect(analogyUnknown.object["error"] as? String == (try cliFailure(["analogy", "man", "king", "womn", "--name", "royal"], store: fixture.path)).message)

        let badRequests = [
            "/api/similar", "/api/similar?word=", "/api/similar?word=king&n=0", "/api/similar?word=king&n=1001",
            "/api/similar?word=king&n=ten", "/api/similar?word=king&restrict=0", "/api/analogy?a=man&b=king",
            "/api/analogy?a=man&b=king&c=woman&method=div", "/api/similarity?w1=king", "/api/doesnt-match?words=a,b",
            "/api/doesnt-match?words=,,", "/api/projection", "/api/projection?words=king", "/api/projection?words=king,queen&method=umap",
            "/api/projection?words=king&neighbors=101", "/api/complete?n=5000",
            "/api/projection?words=" + (0..<1001).map { "w\($0)" }.joined(separator: ","),
            "/api/projection?words=king,queen,man,woman&neighbors=99&method=tsne",
        ]
        for path in badRequests {
            let (status, object) = try await running.json(path)
            #expect(status == 400, "\(path): \(object)")
            #expect((object["error"] as? String)?.isEmpty == false)
        }
        let missing = try await running.json("/api/similar")
        #expect(missing.object["error"] as? String == "The parameter word is missing.")
        #expect(missing.object["hint"] as? String == "For example: /api/similar?word=king")
    }

    @Test func projectionAndCompletion() async throws {
        let fixture = try StoreFixture()
        let running = try await RunningServer.start(fixture)
        defer { Task { await running.stop() } }
        let (status, projection) = try await running.json("/api/projection?words=king,apple&neighbors=3")
        #expect(status == 200)
        let points = try #require(projection["points"] as? [[String: Any]])
        #expect(points.count == 8)
        #expect(points.allSatisfy { $0["word"] is String && $0["x"] is Double && $0["y"] is Double && $0["group"] is String })
        #expect(points.filter { $0["query"] as? Bool == true }.compactMap { $0["word"] as? String } == ["king", "apple"])
        #expect(points.filter { $0["group"] as? String == "apple" }.count == 4)
        let variance = try #require(projection["explainedVariance"] as? [Double])
        #expect(variance.count == 2 && variance[0] >= variance[1] && variance[0] + variance[1] <= 1 + 1e-9)
        // Same document as the CLI's plot draws (QueryService), here checked against the library directly.
        let api = running.server.api
        let model = try await api.model(Parameters([]))
        let direct = try api.service.projection(of: ["king", "apple"], neighbors: 3, method: .pca, in: model)
        #expect(direct.points.map(\.word) == points.compactMap { $0["word"] as? String })

        let tsne = try await running.json("/api/projection?words=king,queen,apple,paris&method=tsne")
        #expect(tsne.status == 200 && tsne.object["explainedVariance"] == nil)

        let completion = try await running.json("/api/complete?prefix=kin&n=5").object
        #expect(completion["words"] as? [String] == ["king", "kingdom", "kingfisher"], "vocabulary order is frequency order")
        #expect(try await running.json("/api/complete?prefix=KIN&n=1").object["words"] as? [String] == ["king"])
        #expect(try await running.json("/api/complete?prefix=zzz").object["words"] as? [String] == [])
        #expect(try await running.json("/api/complete?n=3").object["words"] as? [String] == ["man", "woman", "king"])
    }

    @Test func pageAndUnknownPathsAndNoFileSystem() async throws {
        let fixture = try StoreFixture()
        let running = try await RunningServer.start(fixture)
        defer { Task { await running.stop() } }
        let page = try await running.get("/")
        #expect(page.status == 200 && page.type.hasPrefix("text/html"))
        let html = String(decoding: page.body, as: UTF8.self)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("/api/similar") && html.contains("/api/complete") && html.contains("/api/analogy"))
        // Offline: nothing is fetched from elsewhere (the SVG namespace is a name, not a download).
        #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"))
        #expect(try await running.get("/?word=king").status == 200)

        for path in ["/nope", "/api", "/api/", "/api/similarx?word=king", "/index.htm", "/etc/passwd", "/%2e%2e/%2e%2e/etc/passwd"] {
            let (status, object) = try await running.json(path)
            #expect(status == 404, "\(path)")
            #expect((object["error"] as? String)?.hasPrefix("There is no page") == true)
        }
        // Dot segments sent as they are (a URL client would remove them) never reach the file system.
        for target in ["/../../../../etc/passwd", "/api/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "//etc/passwd"] {
            let answer = await running.raw("GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 404"), "\(target): \(answer.prefix(80))")
            #expect(!answer.contains("root:"))
        }
        let post = await running.raw("POST /api/similar?word=king HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(post.hasPrefix("HTTP/1.1 405"), "\(post.prefix(80))")
        let rebinding = await running.raw("GET /api/models HTTP/1.1\r\nHost: attacker.example:8080\r\nConnection: close\r\n\r\n")
        #expect(rebinding.hasPrefix("HTTP/1.1 403"), "\(rebinding.prefix(80))")
        let localhost = await running.raw("GET /api/models HTTP/1.1\r\nHost: localhost:\(running.port)\r\nConnection: close\r\n\r\n")
        #expect(localhost.hasPrefix("HTTP/1.1 200"))
        let head = await running.raw("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        #expect(head.hasPrefix("HTTP/1.1 200") && !head.contains("<!doctype"), "\(head.prefix(200))")
    }

    @Test func concurrentRequestsLoadEachModelOnce() async throws {
        let fixture = try StoreFixture()
        let running = try await RunningServer.start(fixture)
        defer { Task { await running.stop() } }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<24 {
                group.addTask {
                    try await running.get(i % 2 == 0 ? "/api/similar?word=king&n=3" : "/api/similar?word=a&n=1&name=small").status
                }
            }
            for try await status in group { #expect(status == 200) }
        }
        #expect(running.server.api.modelLoads == 2)
    }

    /// Requests that arrive together share one matrix product; their answers are the sequential ones.
    @Test func batchedAnswersMatchSingleOnes() async throws {
        let fixture = try StoreFixture()
        let api = try EmbeddingAPI(storeOptions: fixture.storeOptions())
        let batcher = try await api.batcher(Parameters([]))
        let model = batcher.model
        let words = StoreFixture.words + ["unknownword", "king"]
        let alone = words.map { try? api.service.similar($0, count: 4, in: model) }
        // Many at once, so that some wait for a running pass and are answered together.
        var together: [String: WordScoreList?] = [:]
        for _ in 0..<20 {
            let answers = await withTaskGroup(of: (Int, WordScoreList?).self) { group in
                for (i, word) in words.enumerated() {
                    group.addTask { (i, try? await batcher.similar(word, count: 4, restrictTo: nil)) }
                }
                var collected: [(Int, WordScoreList?)] = []
                for await answer in group { collected.append(answer) }
                return collected
            }
            for (i, list) in answers {
                #expect((list == nil) == (alone[i] == nil), "\(words[i])")
                if let list, let single = alone[i] {
                    #expect(list.results.map(\.word) == single.results.map(\.word), "\(words[i])")
                    #expect(zip(list.results, single.results).allSatisfy { abs($0.similarity - $1.similarity) < 1e-5 })
                }
                together[words[i]] = list
            }
        }
        #expect(together["unknownword"]! == nil)
        // Whether requests overlap is up to the scheduler (on a loaded machine they may not), so
        // the shared pass itself is checked directly: one product for all the known words.
        let known = words.indices.filter { alone[$0] != nil }.map { words[$0] }
        let shared = try api.service.similar(eachOf: known, count: 4, in: model)
        for (word, list) in zip(known, shared) {
            let single = try #require(alone[words.firstIndex(of: word)!])
            #expect(list.results.map(\.word) == single.results.map(\.word), "\(word)")
            #expect(zip(list.results, single.results).allSatisfy { abs($0.similarity - $1.similarity) < 1e-5 })
        }
        await #expect(throws: CommandFailure.self) { try await batcher.similar("unknownword", count: 3, restrictTo: nil) }
    }
}

@Suite("w2v serve: starting and stopping", .serialized)
struct ServerLifecycleTests {
    @Test func portInUseAndBadHostsAreClearErrors() async throws {
        let fixture = try StoreFixture()
        let running = try await RunningServer.start(fixture)
        defer { Task { await running.stop() } }
        let api = try EmbeddingAPI(storeOptions: fixture.storeOptions(), modelName: "royal")
        let second = try W2VServer(api: api, host: "127.0.0.1", port: UInt16(running.port))
        await #expect(throws: ServerError.portInUse(host: "127.0.0.1", port: running.port)) { try await second.start() }
        #expect(throws: ServerError.invalidHost("example.com")) { try W2VServer(api: api, host: "example.com", port: 0) }
        #expect(throws: ServerError.invalidHost("300.1.1.1")) { try W2VServer(api: api, host: "300.1.1.1", port: 0) }
        #expect(W2VServer.isLoopback("127.0.0.1") && W2VServer.isLoopback("::1") && W2VServer.isLoopback("localhost"))
        #expect(!W2VServer.isLoopback("0.0.0.0") && !W2VServer.isLoopback("192.168.1.2"))
        #expect(APIHTTPHandler.isLocalHostHeader("[::1]:8080") && APIHTTPHandler.isLocalHostHeader("127.0.0.1"))
        #expect(!APIHTTPHandler.isLocalHostHeader("127.0.0.1.evil.example:80") && !APIHTTPHandler.isLocalHostHeader("evil.example"))
        #expect(APIHTTPHandler.isLocalHostHeader("localhost:1") && APIHTTPHandler.isLocalHostHeader("127.1.2.3:9"))
        #expect(!W2VServer.isLoopback("127.0.0.1.evil.example"))
    }

    @Test func storeProblemsAreClearErrors() throws {
        let fixture = try StoreFixture()
        #expect(throws: CommandFailure.self) { try EmbeddingAPI(storeOptions: StoreOptions.parse(["--store", fixture.path + ".missing"])) }
        #expect(throws: CommandFailure.self) { try EmbeddingAPI(storeOptions: fixture.storeOptions(), modelName: "nope") }
        let missing = try W2VBinary.run(["serve", "--store", fixture.path + ".missing", "--port", "0"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("w2v: There is no model store at"), "\(missing.stderr)")
        let notAStore = fixture.directory.appendingPathComponent("text.sqlite").path
        try Data("not a database, just text\n".utf8).write(to: URL(fileURLWithPath: notAStore))
        let bad = try W2VBinary.run(["serve", "--store", notAStore, "--port", "0"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("w2v: "), "\(bad.stderr)")
        let badPort = try W2VBinary.run(["serve", "--store", fixture.path, "--port", "70000"])
        #expect(badPort.status == 64)
    }

    /// The real command: prints its address, answers, and stops cleanly on Ctrl-C (SIGINT).
    @Test func serveStopsCleanlyOnInterrupt() async throws {
        let fixture = try StoreFixture()
        let process = Process()
        process.executableURL = try #require(W2VBinary.url)
        process.arguments = ["serve", "--store", fixture.path, "--port", "0"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // The first line names the address: "Serving "small" from ... at http://127.0.0.1:PORT/ ...".
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("Serving \"small\" from \(fixture.path) at http://127.0.0.1:"), "\(text)")
        let port = try #require(text.split(separator: ":").last.flatMap { Int($0.prefix { $0.isNumber }) })
        let running = RunningServer(server: try W2VServer(api: EmbeddingAPI(storeOptions: fixture.storeOptions(), modelName: "royal"), port: 0), port: port)
        #expect(try await running.get("/api/models").status == 200)
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(!process.isRunning, "w2v serve did not stop within 10 s of SIGINT")
        if !process.isRunning { #expect(process.terminationStatus == 0) }
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(stderr.contains("server stopped"), "\(stderr)")
    }
}
