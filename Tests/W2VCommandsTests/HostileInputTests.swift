#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import ModelStorage

extension CommandLineTests {
    /// The classes of failure found when w2v was tried as an attacker would (issue 12), through the
    /// binary users run: every one of these lost data, crashed, hung or answered wrongly before.
    @Suite("w2v under hostile input", .serialized)
    struct HostileInputTests {
        /// A small word2vec text file of `words` x `dimension` seeded values.
        static func vectorText(words: Int = 40, dimension: Int = 8, seed: UInt64 = 1) -> String {
            var state = seed
            var lines = ["\(words) \(dimension)"]
            for w in 0..<words {
                let values = (0..<dimension).map { _ -> String in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return String(Float(Int(state >> 40) % 2000 - 1000) / 1000)
                }
                lines.append("w\(w) " + values.joined(separator: " "))
            }
            return lines.joined(separator: "\n") + "\n"
        }

        /// Expects a clean failure: a non-zero exit (not a signal), a `w2v:` message, no backtrace.
        func expectCleanFailure(_ result: RunResult, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status != 0, "\(result)", sourceLocation: sourceLocation)
            #expect(result.stderr.hasPrefix("w2v: ") || result.stderr.hasPrefix("Error: "), "\(result)", sourceLocation: sourceLocation)
            #expect(result.stderr.contains(fragment), "\(result)", sourceLocation: sourceLocation)
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Backtrace"), "\(result)",
                    sourceLocation: sourceLocation)
        }

        func modelNames(_ workspace: Workspace, store: String) throws -> Set<String> {
            let listing = try workspace.run(["models", "--store", store, "--json"])
            #expect(listing.status == 0, "\(listing)")
            let models = try #require(try listing.json()["models"] as? [[String: Any]])
            return Set(models.compactMap { $0["name"] as? String })
        }

        // MARK: Data loss

        /// N processes writing different models into one store at once: every write lands (before,
        /// one model went missing in about half of the rounds while every process reported success).
        @Test func concurrentWritersNeverLoseAModel() throws {
            let workspace = try Workspace()
            let vectors = try workspace.write("v.txt", Self.vectorText())
            for writers in 2...8 {
                // Eight writers creating a new store is where opening raced with another process's
                // schema commit ("not a w2v vector store", about 1 round in 20): more rounds there.
                for round in 0..<(writers == 8 ? 15 : 3) {
                    let store = workspace.path("concurrent-\(writers)-\(round).sqlite")
                    let names = (0..<writers).map { "model\($0)" }
                    let logs = names.map { workspace.path("\($0)-\(writers)-\(round).err") }
                    let processes = try zip(names, logs).map { name, log -> Process in
                        let process = try workspace.makeProcess(["import", vectors, "--name", name, "--store", store])
                        FileManager.default.createFile(atPath: log, contents: nil)
                        process.standardOutput = FileHandle.nullDevice
                        process.standardError = FileHandle(forWritingAtPath: log)
                        return process
                    }
                    for process in processes { try process.run() }
                    for process in processes { process.waitUntilExit() }
                    let errors = try logs.map { try String(contentsOfFile: $0, encoding: .utf8) }.joined()
                    #expect(processes.allSatisfy { $0.terminationReason == .exit && $0.terminationStatus == 0 }, "\(errors)")
                    #expect(try modelNames(workspace, store: store) == Set(names), "\(writers) writers, round \(round)")
                }
            }
        }

        @Test func concurrentTrainingRunsAndReadersAllSucceed() throws {
            let workspace = try TrainedTiny.copy()
            let corpus = workspace.path("tiny.txt")
            let names = ["t1", "t2", "t3"]
            let trainers = try names.map { name -> Process in
                let process = try workspace.makeProcess(["train", corpus, "--name", name, "--store", workspace.store, "--quiet"]
                                                        + TrainedTiny.flags)
                process.standardOutput = FileHandle.nullDevice
                return process
            }
            for process in trainers { try process.run() }
            // Readers while the writers run.
            for _ in 0..<3 {
                let similar = try workspace.run(["similar", "king", "--name", "tiny", "--store", workspace.store])
                #expect(similar.status == 0, "\(similar)")
            }
            for process in trainers { process.waitUntilExit() }
            #expect(trainers.allSatisfy { $0.terminationStatus == 0 })
            #expect(try modelNames(workspace, store: workspace.store) == Set(names + ["tiny"]))
        }

        /// Export never writes onto the store (through any path) nor turns a special file into a
        /// regular one; a symbolic link is followed.
        @Test func exportRefusesTheStoreAndSpecialFiles() throws {
            let workspace = try TrainedTiny.copy()
            let store = workspace.store
            #expect(symlink(store, workspace.path("alias.txt")) == 0)
            #expect(link(store, workspace.path("hard.txt")) == 0)
            #expect(mkfifo(workspace.path("pipe"), 0o600) == 0)
            try FileManager.default.createDirectory(atPath: workspace.path("dir"), withIntermediateDirectories: true)
            var targets: [(String, String)] = [
                (store, "it is the model store being exported from"),
                ("./test.sqlite", "it is the model store being exported from"),
                (workspace.path("alias.txt"), "it is the model store being exported from"),
                (workspace.path("hard.txt"), "it is the model store being exported from"),
                (workspace.path("pipe"), "it is a named pipe (FIFO), not a regular file"),
                (workspace.path("dir"), "it is a directory, not a file"),
            ]
            // A character device of our own (the null device's numbers), never a system one.
            if mknod(workspace.path("device"), S_IFCHR | 0o600, dev_t((1 << 8) | 3)) == 0 {
                targets.append((workspace.path("device"), "it is a character device, not a regular file"))
            }
            for (target, reason) in targets {
                let result = try workspace.run(["export", "tiny", target, "--store", store])
                expectCleanFailure(result, "Refusing to write a vector file to \(target): \(reason)")
            }
            // The store is intact and the special files are what they were.
            #expect(try modelNames(workspace, store: store) == ["tiny"])
            var info = stat()
            #expect(stat(workspace.path("pipe"), &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
            // A link to a regular file is followed: the target is replaced, the link stays.
            try workspace.write("real.txt", "old")
            #expect(symlink("real.txt", workspace.path("link.txt")) == 0)
            let exported = try workspace.run(["export", "tiny", workspace.path("link.txt"), "--store", store])
            #expect(exported.status == 0, "\(exported)")
            #expect(try String(contentsOfFile: workspace.path("real.txt"), encoding: .utf8).hasPrefix("16 12\n") == false)
            #expect(try String(contentsOfFile: workspace.path("real.txt"), encoding: .utf8).contains(" 12\n"))
            #expect(lstat(workspace.path("link.txt"), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        }

        /// One model's damaged metadata does not make `w2v models` fail for the whole store.
        @Test func aDamagedModelIsListedAsDamagedWithTheOthers() throws {
            let workspace = try TrainedTiny.copy()
            let vectors = try workspace.write("v.txt", Self.vectorText())
            #expect(try workspace.run(["import", vectors, "--name", "good", "--store", workspace.store]).status == 0)
            try Connection(path: workspace.store, readOnly: false).execute("UPDATE models SET metadata = '{oops' WHERE name = 'tiny'")
            let table = try workspace.run(["models", "--store", workspace.store])
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains("good") && table.stdout.contains("DAMAGED: its metadata is not valid JSON"), "\(table)")
            let json = try workspace.run(["models", "--store", workspace.store, "--json"])
            let models = try #require(try json.json()["models"] as? [[String: Any]])
            #expect(models.first { $0["name"] as? String == "tiny" }?["damage"] as? String == "its metadata is not valid JSON")
            expectCleanFailure(try workspace.run(["info", "tiny", "--store", workspace.store]), "is damaged")
            #expect(try workspace.run(["similar", "w1", "--name", "good", "--store", workspace.store]).status == 0)
        }

        // MARK: Crashes

        @Test(arguments: ["1 99999999999\n", "1 99999999999\nw 1 2\n", "2310707 4552730556\nw 0.5\n"])
        func headersClaimingHugeSizesAreCleanErrors(header: String) throws {
            let workspace = try Workspace()
            let path = try workspace.write("huge.txt", bytes: Array(header.utf8) + [UInt8](repeating: 0x31, count: 130_000))
            for format in [[], ["--format", "word2vec"], ["--format", "word2vec-binary"]] {
                let result = try workspace.run(["import", path, "--store", workspace.store] + format)
                expectCleanFailure(result, "Cannot import")
            }
            #expect(!FileManager.default.fileExists(atPath: workspace.store), "a bad file leaves no store behind")
        }

        @Test(arguments: [["--alpha", "1"], ["--alpha", "0.5"], ["--negative", "700"], ["--window", "1000"],
                          ["--alpha", "1", "--model", "cbow"], ["--alpha", "1", "--update", "per-pair"]])
        func divergingTrainingStopsWithAClearError(options: [String]) throws {
            let workspace = try TrainedTiny.copy()
            let result = try workspace.run(["train", workspace.path("tiny.txt"), "--store", workspace.store, "--name", "boom",
                                            "--quiet", "--epochs", "3", "--min-count", "1", "--dimension", "12", "--threads", "1"] + options)
            expectCleanFailure(result, "Training diverged")
            #expect(result.stderr.contains("Lower --alpha"))
            #expect(try modelNames(workspace, store: workspace.store) == ["tiny"], "nothing was stored")
        }

        // MARK: Hangs and wrong answers

        @Test func aCorpusFromStandardInputIsReadOnceAndRecorded() throws {
            let workspace = try Workspace()
            let text = TinyCorpus.text()
            let result = try workspace.run(["train", "-", "--store", workspace.store, "--quiet"] + TrainedTiny.flags,
                                           standardInput: Data(text.utf8))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("on standard input"))
            let info = try workspace.run(["info", "stdin-skipgram", "--store", workspace.store, "--json"])
            let corpus = try #require(try info.json()["corpus"] as? [String: Any])
            #expect(corpus["sizeBytes"] as? Int == text.utf8.count)
            var hash: UInt64 = 14_695_981_039_346_656_037
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
            let hex = String(hash, radix: 16)
            #expect(corpus["checksum"] as? String == "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex)
            let empty = try workspace.run(["train", "-", "--store", workspace.store, "--quiet"], standardInput: Data())
            expectCleanFailure(empty, "standard input contains no words")
        }

        @Test func aFIFOCorpusTrainsInsteadOfHanging() throws {
            let workspace = try Workspace()
            let fifo = workspace.path("corpus.fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let text = TinyCorpus.text()
            let writer = Thread {
                let handle = FileHandle(forWritingAtPath: fifo)!
                handle.write(Data(text.utf8))
                try? handle.close()
            }
            writer.start()
            let result = try workspace.run(["train", fifo, "--store", workspace.store, "--quiet", "--name", "f"] + TrainedTiny.flags)
            #expect(result.status == 0, "\(result)")
            let info = try workspace.run(["info", "f", "--store", workspace.store, "--json"])
            #expect((try info.json()["corpus"] as? [String: Any])?["sizeBytes"] as? Int == text.utf8.count)
        }

        @Test(arguments: [
            ("2 3\nw0 1 2 3\nw1 4 5\n", "Line 3 has 2 numbers after the word"),
            ("2 3\nw0 1 2 3\nw1 4 5 6 7\n", "Line 3 has 4 numbers after the word"),
            ("2 2\nw0 nan 1\nw1 1 2\n", "Line 2 holds \"nan\""),
            ("2 2\nw0 1e50 1\nw1 1 2\n", "Line 2 holds \"1e50\""),
            ("2 2\nw0 x y\nw1 1 2\n", "Line 2 holds \"x\""),
            ("2 2\nnew\tyork 1 2\nw1 1 2\n", "Line 2 has 3 numbers after the word"),
            ("3 -1\nw0 1\n", "Line 1 should be a word2vec header"),
            ("0 5\n", "holds no vectors"),
        ])
        func malformedTextFilesAreNeverImportedAsBinary(text: String, message: String) throws {
            let workspace = try Workspace()
            let path = try workspace.write("bad.txt", text)
            let result = try workspace.run(["import", path, "--store", workspace.store])
            expectCleanFailure(result, message.prefix(1).lowercased() + message.dropFirst())
            let problem = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
            #expect(!problem.contains("binary"), "no talk of the binary format for a text file: \(result)")
        }

        @Test func zeroAndNaNVectorsGiveAClearErrorEverywhere() throws {
            let workspace = try Workspace()
            let path = try workspace.write("z.txt", "3 2\nzero 0 0\na 1 0\nb 0 1\n")
            #expect(try workspace.run(["import", path, "--store", workspace.store]).status == 0)
            for query in [["similar", "zero"], ["similarity", "zero", "a"], ["analogy", "a", "b", "zero"],
                          ["doesnt-match", "a", "b", "zero"]] {
                let result = try workspace.run(query + ["--store", workspace.store])
                expectCleanFailure(result, "The vector of \"zero\" has zero length")
            }
        }

        @Test func aReadOnlyStoreInAReadOnlyDirectoryCanBeQueried() throws {
            let workspace = try TrainedTiny.copy()
            let shared = workspace.path("shared")
            try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: workspace.store, toPath: shared + "/models.sqlite")
            // The binary must be reachable by the unprivileged user the query runs as.
            let binary = workspace.path("w2v")
            try FileManager.default.copyItem(atPath: try #require(W2VBinary.url).path, toPath: binary)
            for path in [workspace.directory.path, binary] { chmod(path, 0o755) }
            chmod(shared + "/models.sqlite", 0o444)
            chmod(shared, 0o555)
            defer { chmod(shared, 0o755) }
            var prefix: [String] = []
            if getuid() == 0 {
                // Root writes anywhere: drop to nobody, as a user of a shared model directory.
                guard FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else {
                    Issue.record("running as root needs setpriv (util-linux) to test an unwritable directory")
                    return
                }
                prefix = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                chmod(NSTemporaryDirectory(), 0o1777)
            }
            for query in [["similar", "king", "-n", "3"], ["models"], ["info", "tiny"], ["similarity", "king", "queen"]] {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: prefix.first ?? binary)
                process.arguments = Array(prefix.dropFirst()) + (prefix.isEmpty ? [] : [binary]) + query
                    + ["--store", shared + "/models.sqlite"]
                process.currentDirectoryURL = URL(fileURLWithPath: "/")
                let err = Pipe(), out = Pipe()
                process.standardError = err
                process.standardOutput = out
                try process.run()
                let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                _ = out.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "\(query): \(errText)")
            }
            #expect(!FileManager.default.fileExists(atPath: shared + "/models.sqlite-wal"))
        }

        @Test func similarityWithOnePairIsNullNotNaN() throws {
            let workspace = try TrainedTiny.copy()
            let pairs = try workspace.write("one.tsv", "king\tqueen\t9\nunicorn\tdragon\t5\n")
            let json = try workspace.run(["eval", "similarity", pairs, "--store", workspace.store, "--json"])
            #expect(json.status == 0, "\(json)")
            #expect(json.stdout.contains("\"spearman\":null") || json.stdout.contains("\"spearman\" : null"), "\(json)")
            #expect(try json.json()["note"] as? String == "only 1 pair could be scored; a correlation needs at least 2")
            let table = try workspace.run(["eval", "similarity", pairs, "--store", workspace.store])
            #expect(table.stdout.contains("undefined"), "\(table)")
        }

        @Test func aByteOrderMarkIsNotPartOfTheFirstWord() throws {
            let workspace = try Workspace()
            let corpus = try workspace.write("bom.txt", bytes: [0xEF, 0xBB, 0xBF] + Array(("king " + TinyCorpus.text()).utf8))
            let result = try workspace.run(["train", corpus, "--store", workspace.store, "--quiet", "--name", "b"] + TrainedTiny.flags)
            #expect(result.status == 0, "\(result)")
            let vectors = try workspace.write("bom.vec", bytes: [0xEF, 0xBB, 0xBF] + Array(Self.vectorText().utf8))
            #expect(try workspace.run(["import", vectors, "--store", workspace.store, "--name", "v"]).status == 0)
            #expect(try workspace.run(["similar", "w0", "--store", workspace.store, "--name", "v"]).status == 0)
        }

        @Test(arguments: [["train", "--min-count", "-1"], ["similar", "king", "-n", "-1"], ["train", "--dimension", "-3"],
                          ["eval", "analogy", "q.txt", "--restrict", "-2"]])
        func negativeNumbersGetTheRangeMessage(arguments: [String]) throws {
            let workspace = try Workspace()
            let result = try workspace.run(arguments)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("must be") && !result.stderr.contains("Missing value"), "\(result)")
        }

        @Test func hintsFitTheFailure() throws {
            let workspace = try Workspace()
            let directory = try workspace.run(["import", workspace.directory.path, "--store", workspace.store])
            expectCleanFailure(directory, "it is a directory, not a file")
            #expect(!directory.stderr.contains("Check that it is a word2vec"), "\(directory)")
            let path = try workspace.write("v.txt", Self.vectorText())
            #expect(try workspace.run(["import", path, "--store", workspace.store]).status == 0)
            let unknown = try workspace.run(["similar", "qqqqqqqq", "--store", workspace.store])
            expectCleanFailure(unknown, "is not in the vocabulary")
            #expect(unknown.stderr.contains("imported vectors") && !unknown.stderr.contains("--min-count"), "\(unknown)")
            let missing = try workspace.run(["eval", "analogy", "questions-words.txt", "--store", workspace.store])
            expectCleanFailure(missing, "There is no evaluation file at questions-words.txt.")
            #expect(missing.stderr.contains("../shared/data/eval/"), "\(missing)")
        }

        /// The README's first command must run where `sudo` does not exist (root shells, containers).
        @Test func theReadmeSetupCommandDoesNotNeedSudo() throws {
            let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("README.md")
            let text = try String(contentsOf: readme, encoding: .utf8)
            let block = try #require(text.components(separatedBy: "```sh\n").dropFirst().first)
            let first = try #require(block.split(separator: "\n").first.map(String.init))
            #expect(!first.hasPrefix("sudo "), Comment(rawValue: first))
            let prefix = try #require(first.components(separatedBy: "; ").first)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", prefix + "; printf '%s' \"$S\""]
            process.environment = ["PATH": "/usr/bin:/bin"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            process.waitUntilExit()
            let value = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(value == (getuid() == 0 ? "" : "sudo"), "as root the command runs apt-get directly")
        }
    }
}
