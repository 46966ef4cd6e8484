#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

extension CommandLineTests {
    /// Runs the built `w2v` binary on a tiny generated corpus: train -> query -> eval -> export ->
    /// import, and every user error the issue lists. Small dimensions and few epochs keep the
    /// whole suite to a few seconds in debug builds.
    @Suite("w2v end to end", .serialized)
    struct EndToEndTests {
        static let trainFlags = TrainedTiny.flags

        @Test func trainPrintsASummaryAndProgress() throws {
            let workspace = try Workspace()
            let corpus = try workspace.write("tiny.txt", TinyCorpus.text())
            let result = try workspace.run(["train", corpus] + Self.trainFlags, environment: ["W2V_STORE": workspace.store])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("Trained \"tiny-\(TrainedTiny.model)\" (\(TrainedTiny.model), 12 dimensions) on \(corpus)"))
            #expect(result.stdout.contains("stored in   \(workspace.store)"))
            #expect(result.stdout.contains("words/s"))
            // stderr is a pipe: plain progress lines, no carriage returns.
            #expect(!result.stderr.isEmpty)
            #expect(!result.stderr.contains("\r"))
            #expect(result.stderr.contains("%"))
            #expect(FileManager.default.fileExists(atPath: workspace.store))
            // --quiet: no progress at all.
            let quiet = try workspace.run(["train", corpus, "--quiet", "--name", "q"] + Self.trainFlags,
                                          environment: ["W2V_STORE": workspace.store])
            #expect(quiet.status == 0, "\(quiet)")
            #expect(quiet.stderr.isEmpty, "\(quiet)")
        }

        @Test func queriesAnswerFromTheLatestModel() throws {
            let workspace = try TrainedTiny.copy()
            let env = ["W2V_STORE": workspace.store]

            let similar = try workspace.run(["similar", "king", "-n", "5", "--json"], environment: env)
            #expect(similar.status == 0, "\(similar)")
            let results = try #require(try similar.json()["results"] as? [[String: Any]])
            #expect(results.count == 5)
            let words = results.compactMap { $0["word"] as? String }
            let scores = results.compactMap { $0["similarity"] as? Double }
            #expect(words.count == 5 && scores.count == 5)
            #expect(!words.contains("king"))
            #expect(scores == scores.sorted(by: >))
            #expect(scores.allSatisfy { (-1.0001...1.0001).contains($0) })

            let table = try workspace.run(["similar", "king", "-n", "3"], environment: env)
            #expect(table.status == 0)
            let lines = table.stdout.split(separator: "\n")
            #expect(lines.count == 5)
            #expect(lines.first?.hasPrefix("#  word") == true)
            #expect(lines[2].hasPrefix("1  \(words[0])"))

            let analogy = try workspace.run(["analogy", "man", "king", "woman", "-n", "3", "--json"], environment: env)
            #expect(analogy.status == 0, "\(analogy)")
            let answers = try #require(try analogy.json()["results"] as? [[String: Any]]).compactMap { $0["word"] as? String }
            #expect(answers.count == 3)
            #expect(Set(answers).isDisjoint(with: ["man", "king", "woman"]))
            let mul = try workspace.run(["analogy", "man", "king", "woman", "--method", "mul", "-n", "2"], environment: env)
            #expect(mul.status == 0, "\(mul)")

            let similarity = try workspace.run(["similarity", "king", "queen", "--json"], environment: env)
            #expect(similarity.status == 0, "\(similarity)")
            let value = try #require(try similarity.json()["similarity"] as? Double)
            #expect((-1.0001...1.0001).contains(value))
            let self_ = try workspace.run(["similarity", "paris", "paris", "--json"], environment: env)
            #expect(abs((try self_.json()["similarity"] as? Double ?? 0) - 1) < 1e-4)

            let odd = try workspace.run(["doesnt-match", "paris", "rome", "tokyo", "kitchen"], environment: env)
            #expect(odd.status == 0, "\(odd)")
            #expect(["paris", "rome", "tokyo", "kitchen"].contains(odd.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
        }

        @Test func evaluationReportsTheContractKeys() throws {
            let workspace = try TrainedTiny.copy()
            let questions = try workspace.write("questions.txt", TinyCorpus.questions)
            let pairs = try workspace.write("pairs.tsv", TinyCorpus.pairsFile)
            let env = ["W2V_STORE": workspace.store]

            let analogy = try workspace.run(["eval", "analogy", questions, "--json"], environment: env)
            #expect(analogy.status == 0, "\(analogy)")
            let report = try analogy.json()
            for key in ["accuracy", "semantic", "syntactic"] {
                let fraction = try #require(report[key] as? Double, "missing \(key)")
                #expect((0...1).contains(fraction))
            }
            #expect(report["total"] as? Int == 9)
            #expect(report["answered"] as? Int == 8)  // "kings"/"queens" are not in the corpus
            let sections = try #require(report["sections"] as? [[String: Any]])
            #expect(sections.compactMap { $0["name"] as? String } == ["capital-common-countries", "family", "gram8-plural"])

            let table = try workspace.run(["eval", "analogy", questions, "--restrict", "0", "--method", "mul"], environment: env)
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains("semantic"))
            #expect(table.stdout.contains("syntactic"))
            #expect(table.stdout.contains("coverage 88.9%"))

            let similarity = try workspace.run(["eval", "similarity", pairs, "--json"], environment: env)
            #expect(similarity.status == 0, "\(similarity)")
            let correlation = try similarity.json()
            #expect(correlation["pairs"] as? Int == 5)
            let oov = try #require(correlation["oov"] as? Double)
            #expect(abs(oov - 1.0 / 6.0) < 1e-9)
            for key in ["spearman", "pearson"] {
                let r = try #require(correlation[key] as? Double, "missing \(key)")
                #expect((-1...1).contains(r))
            }
            let plain = try workspace.run(["eval", "similarity", pairs], environment: env)
            #expect(plain.stdout.contains("spearman") && plain.stdout.contains("5 of 6"))
        }

        @Test(arguments: ["word2vec", "word2vec-binary", "glove"])
        func exportThenImportRoundTrips(format: String) throws {
            let workspace = try TrainedTiny.copy()
            let env = ["W2V_STORE": workspace.store]
            let file = workspace.path("vectors.\(format == "word2vec-binary" ? "bin" : "txt")")

            let export = try workspace.run(["export", "tiny", file, "--format", format], environment: env)
            #expect(export.status == 0, "\(export)")
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(!data.isEmpty)
            if format != "glove" {
                let header = String(decoding: data.prefix { $0 != 0x0A }, as: UTF8.self).split(separator: " ")
                #expect(header.count == 2 && header[1] == "12")
            }

            let imported = try workspace.run(["import", file, "--format", format, "--name", "back"], environment: env)
            #expect(imported.status == 0, "\(imported)")
            #expect(imported.stdout.contains("as \"back\""))

            // The same neighbours and similarities from the original and the re-imported model.
            let original = try workspace.run(["similar", "queen", "--name", "tiny", "--json"], environment: env)
            let roundTrip = try workspace.run(["similar", "queen", "--name", "back", "--json"], environment: env)
            #expect(original.status == 0 && roundTrip.status == 0)
            #expect(original.stdout == roundTrip.stdout)

            let models = try workspace.run(["models", "--json"], environment: env)
            let listed = try #require(try models.json()["models"] as? [[String: Any]])
            #expect(Set(listed.compactMap { $0["name"] as? String }) == ["tiny", "back"])
            // The import is now the most recent model.
            let info = try workspace.run(["info", "--json"], environment: env)
            #expect(try info.json()["name"] as? String == "back")
            #expect(try info.json()["method"] as? String == "imported")
        }

        @Test func modelsAndInfoShowMetadata() throws {
            let workspace = try TrainedTiny.copy()
            let env = ["W2V_STORE": workspace.store]
            let models = try workspace.run(["models"], environment: env)
            #expect(models.status == 0, "\(models)")
            #expect(models.stdout.contains("tiny"))
            #expect(models.stdout.contains(TrainedTiny.model))
            let info = try workspace.run(["info", "tiny", "--json"], environment: env)
            #expect(info.status == 0, "\(info)")
            let details = try info.json()
            #expect(details["dimension"] as? Int == 12)
            #expect(details["method"] as? String == TrainedTiny.model)
            let parameters = try #require(details["parameters"] as? [String: String])
            #expect(parameters["windowSize"] == "3")
            #expect(parameters["epochs"] == "2")
            #expect(parameters["skipGramUpdate"] == (TrainedTiny.model == "skipgram" ? "hogBatch" : nil))
            let corpus = try #require(details["corpus"] as? [String: Any])
            #expect((corpus["path"] as? String)?.hasSuffix("tiny.txt") == true)
            let text = try workspace.run(["info"], environment: env)
            #expect(text.stdout.contains("window") && text.stdout.contains("tiny.txt"))
        }

        @Test(arguments: ["cbow", "ppmi-svd"])
        func otherMethodsTrainAndAnswer(model: String) throws {
            let workspace = try TrainedTiny.copy()
            let train = try workspace.run(["train", workspace.path("tiny.txt"), "--model", model, "--dimension", "8",
                                           "--epochs", "1", "--min-count", "2", "--threads", "1", "--store", workspace.store, "--quiet"])
            #expect(train.status == 0, "\(train)")
            #expect(train.stdout.contains("Trained \"tiny-\(model)\" (\(model), 8 dimensions)"))
            let similar = try workspace.run(["similar", "paris", "-n", "3", "--json"], environment: ["W2V_STORE": workspace.store])
            #expect(similar.status == 0, "\(similar)")
            #expect((try similar.json()["results"] as? [Any])?.count == 3)
            let info = try workspace.run(["info", "--json", "--store", workspace.store])
            #expect(try info.json()["method"] as? String == model)
        }

        @Test func perPairSkipGramTrainsAndIsRecorded() throws {
            let workspace = try TrainedTiny.copy()
            let train = try workspace.run(["train", workspace.path("tiny.txt"), "--update", "per-pair", "--name", "batched",
                                           "--dimension", "8", "--epochs", "1", "--min-count", "2", "--threads", "1",
                                           "--store", workspace.store, "--quiet"])
            #expect(train.status == 0, "\(train)")
            let similar = try workspace.run(["similar", "paris", "-n", "3", "--json"], environment: ["W2V_STORE": workspace.store])
            #expect((try similar.json()["results"] as? [Any])?.count == 3)
            let info = try workspace.run(["info", "batched", "--json", "--store", workspace.store])
            let parameters = try #require(try info.json()["parameters"] as? [String: String])
            #expect(parameters["skipGramUpdate"] == "perPair")
        }

        @Test func defaultStoreIsInTheWorkingDirectory() throws {
            let workspace = try Workspace()
            let corpus = try workspace.write("tiny.txt", TinyCorpus.text(sentences: 200))
            let result = try workspace.run(["train", corpus, "--quiet"] + Self.trainFlags)
            #expect(result.status == 0, "\(result)")
            #expect(FileManager.default.fileExists(atPath: workspace.path("w2v.sqlite")))
        }
    }
}

extension CommandLineTests {
    /// Every user error: one or two lines on stderr that name the problem and the fix, a non-zero
    /// status, never a crash.
    @Suite("w2v errors", .serialized)
    struct EndToEndErrorTests {
        func expectCleanFailure(_ result: RunResult, status: Int32 = 1, _ fragments: [String],
                                sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(result.status == status, "\(result)", sourceLocation: sourceLocation)
            #expect((1...2).contains(result.stderrLines.count), "\(result)", sourceLocation: sourceLocation)
            #expect(result.stderr.hasPrefix("w2v: "), "\(result)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(result.stderr.contains(fragment), "missing \"\(fragment)\" in \(result)", sourceLocation: sourceLocation)
            }
            #expect(!result.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
            #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        }

        @Test func missingCorpus() throws {
            let workspace = try Workspace()
            let result = try workspace.run(["train", "no-such-file.txt", "--quiet"])
            expectCleanFailure(result, ["no-such-file.txt", "does not exist", "w2v train without a corpus"])
            #expect(!FileManager.default.fileExists(atPath: workspace.path("w2v.sqlite.tmp")))
        }

        @Test func emptyCorpus() throws {
            let workspace = try Workspace()
            let corpus = try workspace.write("empty.txt", "  \n\n ")
            expectCleanFailure(try workspace.run(["train", corpus, "--quiet"]), ["contains no words"])
        }

        @Test func invalidUTF8Corpus() throws {
            let workspace = try Workspace()
            let corpus = try workspace.write("latin1.txt", bytes: Array("caf".utf8) + [0xE9] + Array(" au lait\n".utf8))
            expectCleanFailure(try workspace.run(["train", corpus, "--quiet"]), ["not valid UTF-8", "byte offset 3", "iconv"])
        }

        @Test func corpusIsAnEmptyDirectory() throws {
            let workspace = try Workspace()
            let empty = workspace.path("empty")
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
            expectCleanFailure(try workspace.run(["train", empty, "--quiet"]), ["directory", "holds no files to read", "Put the corpus's text files"])
        }

        @Test func tooFewWordsForMinCount() throws {
            let workspace = try Workspace()
            let corpus = try workspace.write("short.txt", "one two three\n")
            expectCleanFailure(try workspace.run(["train", corpus, "--quiet"]), ["No word occurs at least 5 times", "--min-count 1"])
        }

        @Test func noStore() throws {
            let workspace = try Workspace()
            expectCleanFailure(try workspace.run(["similar", "king"]), ["There is no model store at w2v.sqlite", "w2v train"])
            expectCleanFailure(try workspace.run(["models", "--store", "other.sqlite"]),
                               ["There is no model store at other.sqlite", "w2v train --store other.sqlite"])
            expectCleanFailure(try workspace.run(["eval", "analogy", "q.txt"], environment: ["W2V_STORE": "env.sqlite"]),
                               ["q.txt"])
        }

        @Test func badStoreFiles() throws {
            let workspace = try Workspace()
            let notAStore = try workspace.write("notes.sqlite", "just some text\n")
            expectCleanFailure(try workspace.run(["models", "--store", notAStore]), ["is not a w2v vector store", "--store FILE"])
            let corpus = try workspace.write("tiny.txt", TinyCorpus.text(sentences: 100))
            // The store is opened before training, so a bad path fails at once.
            expectCleanFailure(try workspace.run(["train", corpus, "--store", workspace.path("missing/dir/x.sqlite"), "--quiet"]),
                               ["cannot be opened", "directory exists"])
        }

        @Test func unknownWordSuggestsSpellings() throws {
            let workspace = try TrainedTiny.copy()
            let result = try workspace.run(["similar", "queem", "--store", workspace.store])
            expectCleanFailure(result, ["\"queem\" is not in the vocabulary of model \"tiny\"", "Did you mean: queen"])
            let nothingClose = try workspace.run(["similarity", "king", "xylophone", "--store", workspace.store])
            expectCleanFailure(nothingClose, ["\"xylophone\" is not in the vocabulary", "Check the spelling"])
            let analogy = try workspace.run(["analogy", "man", "king", "wman", "--store", workspace.store])
            expectCleanFailure(analogy, ["\"wman\"", "woman"])
        }

        @Test func unknownModel() throws {
            let workspace = try TrainedTiny.copy()
            let result = try workspace.run(["similar", "king", "--store", workspace.store, "--name", "nope"])
            expectCleanFailure(result, ["There is no model named \"nope\"", "Available: tiny"])
            expectCleanFailure(try workspace.run(["export", "nope", "out.txt", "--store", workspace.store]), ["\"nope\""])
            #expect(!FileManager.default.fileExists(atPath: workspace.path("out.txt")))
        }

        @Test func malformedVectorFile() throws {
            let workspace = try Workspace()
            let file = try workspace.write("broken.txt", "3 4\nking 0.1 0.2 0.3 0.4\nqueen 0.1 oops 0.3 0.4\n")
            expectCleanFailure(try workspace.run(["import", file, "--format", "word2vec"]), ["broken.txt", "line 3"])
            // Nothing was stored; the store was not even created.
            expectCleanFailure(try workspace.run(["models"]), ["There is no model store at w2v.sqlite", "w2v train"])
            expectCleanFailure(try workspace.run(["import", "missing.vec"]), ["missing.vec"])
        }

        @Test func missingBenchmarkFile() throws {
            let workspace = try TrainedTiny.copy()
            expectCleanFailure(try workspace.run(["eval", "similarity", "nope.tsv", "--store", workspace.store]), ["nope.tsv"])
        }

        @Test func usageErrorsExitWith64() throws {
            let workspace = try Workspace()
            let result = try workspace.run(["train", "--dimension", "0"])
            #expect(result.status == 64)
            #expect(result.stderr.contains("--dimension must be between 1 and 10000 (got 0)."))
            let help = try workspace.run(["analogy", "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("w2v analogy man king woman"))
        }

        /// Ctrl-C during training: exit status 130, a one-line notice, nothing new stored, earlier
        /// models intact and the store readable.
        @Test func interruptedTrainingLeavesTheStoreIntact() throws {
            let workspace = try TrainedTiny.copy()
            let corpus = workspace.path("tiny.txt")
            // Enough epochs that training could not finish before the signal arrives.
            let process = try workspace.makeProcess(["train", corpus, "--store", workspace.store, "--name", "long",
                                                     "--epochs", "10000", "--dimension", "12", "--min-count", "2", "--threads", "1"])
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            // Wait for the first progress line, then interrupt.
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains("%") {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            kill(process.processIdentifier, SIGINT)
            seen.append(err.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            let stderr = String(decoding: seen, as: UTF8.self)
            #expect(process.terminationStatus == 130, "\(stderr)")
            #expect(stderr.contains("Interrupted; nothing was stored."))
            #expect(stderr.contains("The models already in \(workspace.store) are unchanged."))

            let models = try workspace.run(["models", "--json", "--store", workspace.store])
            #expect(models.status == 0, "\(models)")
            let names = try #require(try models.json()["models"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            #expect(names == ["tiny"])
            let similar = try workspace.run(["similar", "king", "--store", workspace.store])
            #expect(similar.status == 0, "\(similar)")
        }
    }
}
