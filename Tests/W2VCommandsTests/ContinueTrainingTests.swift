import Embeddings
import Foundation
import ModelStorage
import TensorCore
import Testing
import TextCorpus
import Word2Vec
@testable import W2VCommands

extension CommandLineTests {
    /// `w2v train MORE --continue MODEL` (issue 18).
    @Suite("Continuing a stored model")
    struct ContinueTrainingTests {
        static let flags = ["--dimension", "10", "--window", "3", "--epochs", "2", "--min-count", "3", "--threads", "1",
                            "--seed", "4", "--quiet"]

        /// A first corpus, and a second one with words the first never has ("zebra", "okapi").
        static func corpora(in workspace: Workspace) throws -> (first: String, second: String) {
            let first = try workspace.write("first.txt", TinyCorpus.text(sentences: 250, seed: 1))
            var more = TinyCorpus.text(sentences: 250, seed: 2)
            for i in 0..<60 { more += (i % 2 == 0 ? "king zebra queen okapi\n" : "okapi palace zebra crown\n") }
            more += "rareword once\n"
            let second = try workspace.write("second.txt", more)
            return (first, second)
        }

        func trainFirst(_ workspace: Workspace, _ first: String, model: String = "skipgram") throws {
            let result = try workspace.run(["train", first, "--model", model, "--name", "m", "--store", workspace.store] + Self.flags)
            #expect(result.status == 0, "\(result)")
        }

        @Test("new words join the vocabulary, counts add up, the result replaces the model with its lineage",
              arguments: ["skipgram", "cbow"])
        func continues(model method: String) throws {
            let workspace = try Workspace()
            let (first, second) = try Self.corpora(in: workspace)
            try trainFirst(workspace, first, model: method)
            let before = try VectorStore(path: workspace.store, mode: .readOnly).load("m")
            let result = try workspace.run(["train", second, "--continue", "m", "--epochs", "3", "--min-count", "3",
                                            "--threads", "1", "--store", workspace.store])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("Continued \"m\" (\(method), 10 dimensions) on \(second)"), "\(result)")
            #expect(result.stdout.contains("(2 new with at least 3 occurrences)"), "\(result)")
            let store = try VectorStore(path: workspace.store, mode: .readOnly)
            #expect(try store.models().map(\.name) == ["m"], "replaced, not added")
            let after = try store.load("m")
            #expect(Array(after.vectors.words.prefix(before.vectors.count)) == before.vectors.words, "old words keep their rows")
            #expect(Set(after.vectors.words.dropFirst(before.vectors.count)) == ["zebra", "okapi"])
            #expect(!after.vectors.words.contains("rareword"))
            let secondCorpus = try EncodedCorpus.load(contentsOf: second, options: CorpusOptions(minCount: 1))
            for word in ["king", "the", "zebra"] {
                let old = before.vectors.words.firstIndex(of: word).map { before.vectors.counts[$0] } ?? 0
                let new = secondCorpus.vocabulary.id(for: word).map { secondCorpus.vocabulary.counts[Int($0)] } ?? 0
                #expect(after.vectors.counts[after.vectors.words.firstIndex(of: word)!] == old + new, "count of \(word)")
            }
            #expect(after.vectors.vector(at: 0) != before.vectors.vector(at: 0), "old rows trained further")
            let output = try #require(try store.outputVectors(of: "m"))
            #expect(output.shape == [after.vectors.count, 10])
            let runs = try #require(after.metadata.trainingRuns)
            #expect(runs.map(\.corpus.path) == [first, second])
            #expect(runs.map(\.epochs) == [2, 3])
            #expect(runs.map(\.addedWords) == [before.vectors.count, 2])
            #expect(after.metadata.parameters["epochs"] == "3")
            #expect(after.metadata.parameters["architecture"] == (method == "cbow" ? "cbow" : "skipGram"))
            let info = try workspace.run(["info", "m", "--store", workspace.store])
            #expect(info.stdout.contains("training run 1") && info.stdout.contains("training run 2"), "\(info)")
            #expect(info.stdout.contains("+2 new words"), "\(info)")
            let json = try workspace.run(["info", "m", "--store", workspace.store, "--json"]).json()
            #expect((json["trainingRuns"] as? [[String: Any]])?.count == 2)
            #expect(json["outputWeightsStored"] as? Bool == true)
        }

        @Test("the command computes what the library's continueTraining computes (one thread, a seed)")
        func matchesTheLibrary() throws {
            let workspace = try Workspace()
            let (first, second) = try Self.corpora(in: workspace)
            try trainFirst(workspace, first)
            let stored = try VectorStore(path: workspace.store, mode: .readOnly).load("m")
            let output = try #require(try VectorStore(path: workspace.store, mode: .readOnly).outputVectors(of: "m"))
            var configuration = try #require(RecordedParameters.restore(Word2VecConfiguration.self, from: stored.metadata.parameters))
            configuration.epochs = 2
            configuration.seed = 8
            configuration.threads = 1
            configuration.minCount = 3
            var model = try Word2VecModel(configuration: configuration,
                                          vocabulary: Vocabulary(words: stored.vectors.words, counts: stored.vectors.counts),
                                          inputVectors: stored.vectors.vectors, outputVectors: output)
            try model.continueTraining(contentsOf: second, options: CorpusOptions(minCount: 3), configuration: configuration)
            let result = try workspace.run(["train", second, "--continue", "m", "--name", "m2", "--epochs", "2", "--seed", "8",
                                            "--threads", "1", "--min-count", "3", "--store", workspace.store, "--quiet"])
            #expect(result.status == 0, "\(result)")
            let store = try VectorStore(path: workspace.store, mode: .readOnly)
            let continued = try store.load("m2")
            #expect(continued.vectors.words == model.words)
            #expect(continued.vectors.vectors.scalars == model.inputVectors.scalars)
            #expect(try store.outputVectors(of: "m2") == model.outputVectors)
            #expect(try store.load("m").vectors == stored.vectors, "--name keeps the old model as it was")
        }

        @Test("a PPMI-SVD model is refused with the reason and the command to use instead; nothing changes")
        func ppmiIsRefused() throws {
            let workspace = try Workspace()
            let (first, second) = try Self.corpora(in: workspace)
            let trained = try workspace.run(["train", first, "--model", "ppmi-svd", "--name", "p", "--dimension", "5",
                                             "--store", workspace.store, "--quiet"])
            #expect(trained.status == 0, "\(trained)")
            let before = try VectorStore(path: workspace.store, mode: .readOnly).load("p")
            let result = try workspace.run(["train", second, "--continue", "p", "--store", workspace.store, "--quiet"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("\"p\" is a PPMI-SVD model, which cannot be trained further"), "\(result)")
            #expect(result.stderr.contains("recomputing them from scratch"), "\(result)")
            #expect(result.stderr.contains("w2v train DIR --model ppmi-svd --name p"), "\(result)")
            #expect(try VectorStore(path: workspace.store, mode: .readOnly).load("p") == before)
        }

        @Test("a missing model, a missing store, imported vectors, a model without output weights and changed settings are clear errors")
        func errors() throws {
            let workspace = try Workspace()
            let (first, second) = try Self.corpora(in: workspace)
            let noStore = try workspace.run(["train", second, "--continue", "m", "--store", workspace.store, "--quiet"])
            #expect(noStore.status == 1 && noStore.stderr.contains("There is no model store at"), "\(noStore)")
            #expect(!FileManager.default.fileExists(atPath: workspace.store), "no store is created by a failed --continue")
            try trainFirst(workspace, first)
            let missing = try workspace.run(["train", second, "--continue", "nope", "--store", workspace.store, "--quiet"])
            #expect(missing.status == 1 && missing.stderr.contains("There is no model named \"nope\""), "\(missing)")
            #expect(missing.stderr.contains("Available: m"), "\(missing)")
            // Imported vectors.
            let vectorFile = try workspace.write("v.txt", "2 3\nking 1 0 0\nqueen 0 1 0\n")
            #expect(try workspace.run(["import", vectorFile, "--name", "imp", "--store", workspace.store]).status == 0)
            let imported = try workspace.run(["train", second, "--continue", "imp", "--store", workspace.store, "--quiet"])
            #expect(imported.status == 1 && imported.stderr.contains("\"imp\" holds imported vectors, which cannot be trained further"),
                    "\(imported)")
            // A skip-gram model stored without its output weights (as every model was before schema 3).
            let stored = try VectorStore(path: workspace.store, mode: .readOnly).load("m")
            try VectorStore(path: workspace.store).save(stored.vectors, as: "old", metadata: stored.metadata)
            let old = try workspace.run(["train", second, "--continue", "old", "--store", workspace.store, "--quiet"])
            #expect(old.status == 1 && old.stderr.contains("\"old\" was stored without its output weights"), "\(old)")
            #expect(old.stderr.contains("Train it again once"), "\(old)")
            // Settings that would change the model.
            let changed = try workspace.run(["train", second, "--continue", "m", "--dimension", "50", "--model", "cbow",
                                             "--store", workspace.store, "--quiet"])
            #expect(changed.status == 1, "\(changed)")
            #expect(changed.stderr.contains("--model (it is skipgram), --dimension (it has 10)"), "\(changed)")
            // A corrupt new corpus: the model is untouched.
            try workspace.write("bad.txt", bytes: [0x61, 0x20, 0xFF, 0x0A])
            let bad = try workspace.run(["train", "bad.txt", "--continue", "m", "--store", workspace.store, "--quiet"])
            #expect(bad.status == 1 && bad.stderr.contains("not valid UTF-8"), "\(bad)")
            #expect(try VectorStore(path: workspace.store, mode: .readOnly).load("m") == stored)
            // No corpus at all.
            let noCorpus = try workspace.run(["train", "--continue", "m", "--store", workspace.store])
            #expect(noCorpus.status == 64 && noCorpus.stderr.contains("--continue needs the new text to train on"), "\(noCorpus)")
        }

        @Test("recorded parameters restore the configuration they were recorded from")
        func restoreParameters() throws {
            let configuration = Word2VecConfiguration(architecture: .cbow, dimension: 37, windowSize: 7, negativeSamples: 9,
                                                      minCount: 2, sample: 1e-4, epochs: 3, threads: 1, learningRate: 0.031,
                                                      seed: 12, endOfSentenceMarker: "0", skipGramUpdate: .perPair)
            let restored = RecordedParameters.restore(Word2VecConfiguration.self, from: RecordedParameters.flatten(configuration))
            #expect(restored == configuration)
            let options = CorpusOptions(lowercase: true, endOfSentenceMarker: "<eos>", minCount: 3, maxVocabularySize: 1000)
            #expect(RecordedParameters.restore(CorpusOptions.self, from: RecordedParameters.flatten(options)) == options)
            #expect(RecordedParameters.restore(Word2VecConfiguration.self, from: ["window": "5", "negative": "5"]) == nil,
                    "parameters recorded under other names do not make a configuration")
        }
    }
}
