#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing

extension CommandLineTests {
    /// `w2v lm train|eval|generate` on a tiny corpus, the contract's JSON keys, both kinds in
    /// `models` / `info`, and the errors the issue lists.
    @Suite("w2v lm", .serialized)
    struct LanguageModelCommandTests {
        static let corpus = (0..<60).map { i in ["the cat sat on the mat", "a dog ran to the park", "the bird sang in the tree"][i % 3] }
            .joined(separator: "\n") + "\n"
        static let small = ["--embedding", "8", "--hidden", "8", "--time", "5", "--batch", "2", "--epochs", "2", "--lr", "1", "--quiet"]

        func trained() throws -> Workspace {
            let workspace = try Workspace()
            let train = try workspace.write("train.txt", Self.corpus)
            let valid = try workspace.write("valid.txt", "the cat ran in the park\nthe dog sat on the mat\n")
            let result = try workspace.run(["lm", "train", train, "--valid", valid, "--name", "tiny-lm", "--store", workspace.store] + Self.small)
            #expect(result.status == 0, "\(result)")
            return workspace
        }

        @Test func trainEvalGenerateAndList() throws {
            let workspace = try Workspace()
            let train = try workspace.write("train.txt", Self.corpus)
            let valid = try workspace.write("valid.txt", "the cat ran in the park\nthe dog sat on the mat zebra\n")
            let store = ["--store", workspace.store]
            let result = try workspace.run(["lm", "train", train, "--valid", valid, "--name", "tiny-lm", "--json"] + Self.small + store)
            #expect(result.status == 0, "\(result)")
            let json = try result.json()
            let epochs = try #require(json["epochs"] as? [[String: Any]])
            #expect(epochs.count == 2)
            #expect(Set(epochs[0].keys) == ["epoch", "train_perplexity", "valid_perplexity", "words_per_second", "seconds"])
            #expect(json["valid_perplexity"] is Double)

            let eval = try workspace.run(["lm", "eval", valid, "--name", "tiny-lm", "--json"] + store)
            #expect(eval.status == 0, "\(eval)")
            let evalJSON = try eval.json()
            #expect(Set(evalJSON.keys) == ["perplexity", "tokens"])
            #expect((evalJSON["perplexity"] as? Double ?? 0) > 1)

            let generate = ["lm", "generate", "--name", "tiny-lm", "--start", "the cat", "-n", "12", "--seed", "5"] + store
            let first = try workspace.run(generate), second = try workspace.run(generate)
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout == second.stdout, "seeded generation repeats")
            #expect(first.stdout.hasPrefix("the cat"))
            #expect(!first.stdout.contains("<unk>") && !first.stdout.contains("<eos>"))
            let greedy = try workspace.run(["lm", "generate", "--name", "tiny-lm", "--start", "the", "--greedy", "-n", "5"] + store)
            #expect(greedy.status == 0, "\(greedy)")

            // Both kinds listed; info shows configuration and history.
            let vectors = try workspace.run(["train", train, "--min-count", "1", "--dimension", "4", "--epochs", "1", "--name", "vec", "--quiet"] + store)
            #expect(vectors.status == 0, "\(vectors)")
            let models = try workspace.run(["models"] + store)
            #expect(models.stdout.contains("tiny-lm") && models.stdout.contains("language-model") && models.stdout.contains("vec"))
            let modelsJSON = try workspace.run(["models", "--json"] + store).json()
            #expect((modelsJSON["networks"] as? [[String: Any]])?.first?["name"] as? String == "tiny-lm")
            let info = try workspace.run(["info", "tiny-lm"] + store)
            #expect(info.status == 0, "\(info)")
            #expect(info.stdout.contains("hiddenSize") && info.stdout.contains("valid ppl") && info.stdout.contains("language-model"))
            // The parameter count is one row (the summary's), not repeated from the training details.
            #expect(info.stdout.split(separator: "\n").filter { $0.hasPrefix("parameters ") }.count == 1, "\(info.stdout)")
            let infoJSON = try workspace.run(["info", "tiny-lm", "--json"] + store).json()
            #expect((infoJSON["history"] as? [String: Any])?["unit"] as? String == "epoch")

            // A word-vector command given the LM, and an LM command given word vectors.
            let similar = try workspace.run(["similar", "cat", "--name", "tiny-lm"] + store)
            #expect(similar.status == 1)
            #expect(similar.stderr.contains("is a language model, not word vectors"), "\(similar)")
            let wrong = try workspace.run(["lm", "generate", "--name", "vec", "--start", "the"] + store)
            #expect(wrong.status == 1)
            #expect(wrong.stderr.contains("\"vec\" is word vectors, not a language model"), "\(wrong)")
            // The name is taken by the other kind.
            let clash = try workspace.run(["lm", "train", train, "--valid", valid, "--name", "vec"] + Self.small + store)
            #expect(clash.status == 1 && clash.stderr.contains("already names word vectors"), "\(clash)")
        }

        @Test func badInputGetsClearErrors() throws {
            let workspace = try Workspace()
            let train = try workspace.write("train.txt", Self.corpus)
            let empty = try workspace.write("empty.txt", "\n  \n")
            let unknown = try workspace.write("unknown.txt", "zebra yak\nquux\n")
            let store = ["--store", workspace.store]
            func run(_ arguments: [String]) throws -> RunResult { try workspace.run(["lm"] + arguments + store) }

            let config = try run(["train", train, "--valid", train, "--name", "x", "--config", "huge"])
            #expect(config.status == 64 && config.stderr.contains("no language-model configuration named \"huge\""), "\(config)")
            let time = try run(["train", train, "--valid", train, "--name", "x", "--time", "0"])
            #expect(time.status == 64 && time.stderr.contains("time size must be between 1"), "\(time)")
            let noName = try run(["train", train, "--valid", train])
            #expect(noName.status == 64 && noName.stderr.contains("--name"), "\(noName)")
            let emptyTrain = try run(["train", empty, "--valid", train, "--name", "x"] + Self.small)
            #expect(emptyTrain.status == 1 && emptyTrain.stderr.contains("contains no words"), "\(emptyTrain)")
            let onlyUnknown = try run(["train", train, "--valid", unknown, "--name", "x"] + Self.small)
            #expect(onlyUnknown.status == 1 && onlyUnknown.stderr.contains("outside the training vocabulary"), "\(onlyUnknown)")
            let missing = try run(["train", workspace.path("nope.txt"), "--valid", train, "--name", "x"] + Self.small)
            #expect(missing.status == 1 && missing.stderr.contains("does not exist"), "\(missing)")
            let stored = try run(["eval", train, "--name", "x"])
            #expect(stored.status == 1, "nothing was stored by the failed runs: \(stored)")
            let noModel = try run(["generate", "--start", "the"])
            #expect(noModel.status == 1, "\(noModel)")
        }

        @Test func generationErrorsNameTheProblem() throws {
            let workspace = try trained()
            let store = ["--store", workspace.store]
            let unknownStart = try workspace.run(["lm", "generate", "--name", "tiny-lm", "--start", "zebra"] + store)
            #expect(unknownStart.status == 1 && unknownStart.stderr.contains("\"zebra\" is not in the model's vocabulary"), "\(unknownStart)")
            let badTemperature = try workspace.run(["lm", "generate", "--name", "tiny-lm", "--start", "the", "--temperature", "0"] + store)
            #expect(badTemperature.status == 64, "\(badTemperature)")
            let onlyUnknown = try workspace.run(["lm", "eval", workspace.write("u.txt", "zebra\n"), "--name", "tiny-lm"] + store)
            #expect(onlyUnknown.status == 1 && onlyUnknown.stderr.contains("outside the training vocabulary"), "\(onlyUnknown)")
        }

        /// Starts `lm train` for many epochs, waits until stderr contains `marker`, sends SIGINT.
        func interruptedTraining(_ workspace: Workspace, extra: [String], marker: String) throws -> (status: Int32, stderr: String) {
            let train = try workspace.write("train.txt", Self.corpus)
            let process = try workspace.makeProcess(["lm", "train", train, "--valid", train, "--name", "long", "--store", workspace.store,
                                                     "--embedding", "8", "--hidden", "8", "--time", "5", "--batch", "2", "--epochs", "100000"] + extra)
            let err = Pipe()
            process.standardError = err
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            var seen = Data()
            while !String(decoding: seen, as: UTF8.self).contains(marker) {
                let chunk = err.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                seen.append(chunk)
            }
            kill(process.processIdentifier, SIGINT)
            seen.append(err.fileHandleForReading.readDataToEndOfFile())
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: seen, as: UTF8.self))
        }

        @Test func ctrlCStoresNothingUnlessKeepPartial() throws {
            let workspace = try Workspace()
            let stopped = try interruptedTraining(workspace, extra: [], marker: "%")
            #expect(stopped.status == 130, "\(stopped.stderr)")
            #expect(stopped.stderr.contains("Interrupted; nothing was stored."))
            let none = try workspace.run(["models", "--json", "--store", workspace.store])
            #expect((try? none.json()["networks"] as? [[String: Any]])??.isEmpty ?? true, "\(none)")

            let kept = try interruptedTraining(workspace, extra: ["--keep-partial"], marker: "epoch 1: train perplexity")
            #expect(kept.status == 0, "\(kept.stderr)")
            let info = try workspace.run(["info", "long", "--json", "--store", workspace.store])
            #expect(info.status == 0, "\(info)")
            let details = try #require(try info.json()["details"] as? [String: String])
            #expect(details["partial"]?.contains("stopped by Ctrl-C") == true, "\(details)")
        }
    }
}
