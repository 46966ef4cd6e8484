#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

/// Headless Chromium, when installed (`.ci/run` installs Debian's `chromium`).
enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium with `arguments` and returns its standard output; ends it after
    /// `timeout` seconds if it has not stopped by itself.
    static func run(_ arguments: [String], profile: URL, timeout: Double = 90) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        // --no-sandbox: tests run as root in CI; the page is our own, served on the loopback.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                             "--user-data-dir=\(profile.path)"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        let output = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            let thread = Thread {
                let data = out.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: data)
            }
            thread.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { process.terminate() }
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                finished.wait()
                continuation.resume()
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

@Suite("w2v serve in a real browser", .serialized, .enabled(if: Chromium.path != nil), .timeLimit(.minutes(5)))
struct BrowserTests {
    /// Loads `/?word=king` (the page searches it as if typed), and finds the neighbours and the
    /// projection in the DOM the page built; then takes a screenshot into the temporary folder.
    @Test func thePageSearchesAWordAndShowsItsNeighbours() async throws {
        let fixture = try StoreFixture()
        let running = try await RunningServer.start(fixture)
        defer { Task { await running.stop() } }
        let profile = fixture.directory.appendingPathComponent("chromium-profile")
        let url = "http://127.0.0.1:\(running.port)/?word=king"

        let dom = try await Chromium.run(["--virtual-time-budget=20000", "--dump-dom", url], profile: profile)
        #expect(dom.contains("data-state=\"ready\""), "the page did not finish its search: \(dom.prefix(400))")
        let neighbours = try #require(dom.range(of: "<ol id=\"neighbors\"").map { dom[$0.lowerBound...] }
            .flatMap { part in part.range(of: "</ol>").map { String(part[..<$0.lowerBound]) } }, "no neighbour list")
        // The fixture's nearest words to king are the other royals.
        for word in ["queen", "prince"] { #expect(neighbours.contains("data-word=\"\(word)\""), "\(word) missing") }
        #expect(neighbours.components(separatedBy: "<li").count - 1 == 10, "ten neighbours by default")
        #expect(dom.components(separatedBy: "<circle").count - 1 == 11, "king and its ten neighbours in the projection")
        #expect(dom.contains("royal"), "the model picker lists the model")
        #expect(dom.contains("skipgram, 16 words"), "the model's info")

        let unknown = try await Chromium.run(["--virtual-time-budget=20000", "--dump-dom",
                                              "http://127.0.0.1:\(running.port)/?word=kingg"], profile: profile)
        #expect(unknown.contains("is not in the vocabulary"), "the error is shown")
        #expect(unknown.contains("Did you mean"))

        let screenshot = fixture.directory.appendingPathComponent("w2v-serve.png")
        _ = try await Chromium.run(["--virtual-time-budget=20000", "--window-size=1200,800", "--hide-scrollbars",
                                    "--screenshot=\(screenshot.path)", url], profile: profile)
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 10_000, "\(png.count) bytes")
        // Kept for a person to look at when W2V_SCREENSHOT_DIR is set.
        if let keep = ProcessInfo.processInfo.environment["W2V_SCREENSHOT_DIR"] {
            try? png.write(to: URL(fileURLWithPath: keep).appendingPathComponent("w2v-serve.png"))
        }
    }
}
