import Foundation
import Testing

/// The built `w2v` executable: next to the test bundle (`.build/<config>/w2v`), which SwiftPM
/// builds first because the test target depends on it.
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
}

/// What one run of `w2v` did.
struct RunResult: CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }
    var description: String { "status \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }

    /// Parses stdout as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        return try #require(object as? [String: Any], "stdout is not a JSON object: \(stdout)")
    }
}

/// A scratch directory with a store, removed when the value goes away.
final class Workspace: @unchecked Sendable {
    let directory: URL
    var store: String { directory.appendingPathComponent("test.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("w2v-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A new workspace with a copy of `other`'s files (its store and corpus).
    convenience init(copying other: Workspace) throws {
        try self.init()
        for name in try FileManager.default.contentsOfDirectory(atPath: other.directory.path) {
            try FileManager.default.copyItem(atPath: other.path(name), toPath: path(name))
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
        return path(name)
    }

    /// Runs `w2v arguments` in this directory with `W2V_STORE` unset (plus `environment`).
    func run(_ arguments: [String], environment: [String: String] = [:], standardInput: Data? = nil) throws -> RunResult {
        let process = try makeProcess(arguments, environment: environment)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = standardInput.map { _ in Pipe() }
        if let input { process.standardInput = input }
        try process.run()
        if let input, let standardInput {
            DispatchQueue.global().async {
                input.fileHandleForWriting.write(standardInput)
                try? input.fileHandleForWriting.close()
            }
        }
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }

    func makeProcess(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let binary = try #require(W2VBinary.url, "the w2v executable was not built next to the tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "W2V_STORE")
        env["OPENBLAS_NUM_THREADS"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        return process
    }
}

/// A tiny corpus with the same planted structure as corpora/sample.txt (deterministic).
enum TinyCorpus {
    static let pairs = [("man", "woman", "street"), ("king", "queen", "palace"), ("prince", "princess", "palace"),
                        ("father", "mother", "home"), ("boy", "girl", "school"), ("uncle", "aunt", "farm")]
    static let places = ["street": ["road", "market"], "palace": ["throne", "crown"], "home": ["kitchen", "garden"],
                         "school": ["lesson", "teacher"], "farm": ["field", "barn"]]
    static let countries = [("france", "paris"), ("italy", "rome"), ("spain", "madrid"), ("japan", "tokyo"),
                            ("egypt", "cairo"), ("greece", "athens")]

    /// About `sentences` sentences of 6-9 words.
    static func text(sentences: Int = 800, seed: UInt64 = 7) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines: [String] = []
        for _ in 0..<sentences {
            switch next(3) {
            case 0, 1:
                let (male, female, domain) = pairs[next(pairs.count)]
                let female_ = next(2) == 1
                let person = female_ ? female : male
                let (subject, possessive) = female_ ? ("she", "her") : ("he", "his")
                let place = places[domain]![next(2)]
                switch next(3) {
                case 0: lines.append("the \(person) went to the \(domain) and \(subject) saw the \(place)")
                case 1: lines.append("\(subject) is the \(person) of the \(domain) with \(possessive) \(place)")
                default: lines.append("the \(male) and the \(female) love the \(place) of the \(domain)")
                }
            default:
                let (country, capital) = countries[next(countries.count)]
                let (other, _) = countries[next(countries.count)]
                switch next(3) {
                case 0: lines.append("\(capital) is the capital city of \(country)")
                case 1: lines.append("we flew from \(capital) in \(country) to \(other)")
                default: lines.append("the streets of \(capital) are the pride of \(country)")
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let questions = """
        : capital-common-countries
        paris france rome italy
        rome italy tokyo japan
        tokyo japan cairo egypt
        cairo egypt athens greece
        : family
        man woman king queen
        king queen prince princess
        father mother uncle aunt
        boy girl father mother
        : gram8-plural
        king kings queen queens

        """

    static let pairsFile = """
        # word1\tword2\tscore
        king\tqueen\t9.0
        paris\trome\t7.5
        man\twoman\t8.0
        king\tkitchen\t2.0
        tokyo\tbarn\t0.5
        unicorn\tdragon\t5.0

        """
}

/// The tiny corpus trained once (skip-gram, 12 dimensions, 2 epochs, one thread) into
/// `test.sqlite` as `tiny`; tests that change the store work on a copy.
enum TrainedTiny {
    /// The method of the shared model.
    static let model = "skipgram"
    static let flags = ["--model", model, "--dimension", "12", "--window", "3", "--epochs", "2", "--min-count", "2",
                        "--threads", "1", "--seed", "3"]

    static let shared: Result<Workspace, any Error> = Result {
        let workspace = try Workspace()
        let corpus = try workspace.write("tiny.txt", TinyCorpus.text())
        let result = try workspace.run(["train", corpus, "--store", workspace.store, "--name", "tiny", "--quiet"] + flags)
        guard result.status == 0 else { throw TrainingFailed(result: result) }
        return workspace
    }

    /// A private copy of the trained workspace.
    static func copy() throws -> Workspace { try Workspace(copying: shared.get()) }

    struct TrainingFailed: Error, CustomStringConvertible {
        var result: RunResult
        var description: String { "training the tiny corpus failed: \(result)" }
    }
}

/// Every suite that runs the `w2v` executable, one test at a time across all of them. A test
/// waiting for a child process holds one of Swift's cooperative threads (as many as cores: two
/// on the CI machine); several such suites waiting at once left no thread for the other tests,
/// and the in-process server's tasks timed out. `.serialized` applies to the nested suites too.
@Suite(.serialized) enum CommandLineTests {}
