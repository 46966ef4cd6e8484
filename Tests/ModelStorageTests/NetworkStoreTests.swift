import CSQLite
import Foundation
import TensorCore
import Testing
@testable import ModelStorage

func sampleNetwork(seed: UInt64 = 1) -> StoredNetwork {
    var rng = SplitMix64(seed: seed)
    var history = TrainingHistory(unit: "epoch")
    history.append(.init(position: 1, loss: 5.1, learningRate: 20, validation: ["valid_perplexity": 160.5], elapsedSeconds: 10))
    return StoredNetwork(
        kind: "language-model", configuration: #"{"layers":1}"#,
        tensors: [NamedTensor(name: "embedding", tensor: Tensor.randomNormal(shape: [4, 3], using: &rng)),
                  NamedTensor(name: "lstm0.b", tensor: Tensor.randomNormal(shape: [12], using: &rng)),
                  NamedTensor(name: "empty", tensor: Tensor(shape: [0, 5]))],
        words: ["a", "café", "<eos>", "<unk>"], counts: [3, 2, 1, 0], history: history,
        details: ["test_perplexity": "140.2"], createdAt: Date(timeIntervalSince1970: 1_800_000_000.5))
}

@Suite("Stored networks")
struct NetworkStoreTests {
    @Test func roundTripsBitExactly() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try VectorStore(path: directory + "/s.sqlite")
        let network = sampleNetwork()
        try store.saveNetwork(network, as: "lm")
        let loaded = try VectorStore(path: directory + "/s.sqlite", mode: .readOnly).loadNetwork("lm")
        #expect(loaded == network)
        let summaries = try store.networks()
        #expect(summaries.count == 1 && summaries[0].name == "lm" && summaries[0].kind == "language-model")
        #expect(summaries[0].parameterCount == 24 && summaries[0].vocabularySize == 4)
        #expect(summaries[0].history == network.history)
        // Replacing keeps one network; refusing to replace is an error.
        try store.saveNetwork(sampleNetwork(seed: 2), as: "lm")
        #expect(try store.networks().count == 1)
        #expect(try store.loadNetwork("lm") == sampleNetwork(seed: 2))
        #expect(throws: StoreError.modelExists(name: "lm")) { try store.saveNetwork(network, as: "lm", replace: false) }
        try store.deleteNetwork("lm")
        #expect(try store.networks().isEmpty)
        // No vocabulary, no history.
        try store.saveNetwork(StoredNetwork(kind: "cnn", configuration: "{}", tensors: []), as: "cnn")
        let bare = try store.loadNetwork("cnn")
        #expect(bare.words == nil && bare.history == nil && bare.tensors.isEmpty)
    }

    @Test func namesAreSharedWithWordVectors() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try VectorStore(path: directory + "/s.sqlite")
        try store.save(try randomVectors(words: 5, dimension: 3, seed: 1), as: "vectors", metadata: metadata())
        try store.saveNetwork(sampleNetwork(), as: "lm")
        #expect(throws: StoreError.wrongKind(name: "lm", found: "language-model", expected: "word vectors")) {
            try store.load("lm")
        }
        #expect(throws: StoreError.wrongKind(name: "vectors", found: "word vectors", expected: "a network")) {
            try store.loadNetwork("vectors")
        }
        #expect(throws: StoreError.nameTakenByOtherKind(name: "vectors", kind: "word vectors")) {
            try store.saveNetwork(sampleNetwork(), as: "vectors")
        }
        #expect(throws: StoreError.nameTakenByOtherKind(name: "lm", kind: "language-model")) {
            try store.save(try randomVectors(words: 5, dimension: 3, seed: 1), as: "lm", metadata: metadata())
        }
        #expect(throws: StoreError.modelNotFound(name: "nope", available: ["vectors", "lm"])) { try store.loadNetwork("nope") }
        #expect(try store.latestModelName() == "vectors", "queries default to word vectors")
        #expect(StoreError.wrongKind(name: "lm", found: "language-model", expected: "word vectors").description
                == "The model \"lm\" is a language model, not word vectors.")
        #expect(StoreError.nameTakenByOtherKind(name: "v", kind: "word vectors").problem.hasSuffix("nothing was stored."))
    }

    @Test func storesOfSchemaTwoAreMigrated() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/old.sqlite"
        let vectors = try randomVectors(words: 5, dimension: 3, seed: 4)
        do {
            let store = try VectorStore(path: path)
            try store.save(vectors, as: "old", metadata: metadata())
        }
        do {  // turn it back into a schema-2 store
            let connection = try Connection(path: path, readOnly: false)
            try connection.execute("DROP TABLE output_blocks; DROP TABLE network_tensors; DROP TABLE networks; PRAGMA user_version = 2")
        }
        #expect(throws: StoreError.olderSchema(found: 2, supported: VectorStore.schemaVersion)) { try VectorStore(path: path, mode: .readOnly) }
        let store = try VectorStore(path: path)
        #expect(try store.load("old").vectors == vectors)
        try store.saveNetwork(sampleNetwork(), as: "lm")
        #expect(try store.loadNetwork("lm") == sampleNetwork())
    }

    @Test func damagedTensorsAreReported() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/s.sqlite"
        try VectorStore(path: path).saveNetwork(sampleNetwork(), as: "lm")
        try Connection(path: path, readOnly: false).execute("UPDATE network_tensors SET data = x'00' WHERE name = 'embedding'")
        expectCorrupt(path) { _ = try VectorStore(path: path).loadNetwork("lm") }
        try Connection(path: path, readOnly: false).execute("UPDATE network_tensors SET shape = '[-1]' WHERE name = 'lstm0.b'")
        expectCorrupt(path) { _ = try VectorStore(path: path).loadNetwork("lm") }
    }
}
