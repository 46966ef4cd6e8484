import Embeddings
import Foundation
import TensorCore
import Testing
@testable import ModelStorage

/// word2vec's output weights kept with a model, so that it can be trained further (issue 18; schema 3).
@Suite("Output weights")
struct OutputVectorsTests {
    let directory: String
    init() throws { directory = try makeTemporaryDirectory() }

    @Test("saved output weights load back bit-exact; models saved without them have none")
    func roundTrip() throws {
        let path = directory + "/out.w2v"
        let vectors = try randomVectors(words: 3_000, dimension: 31, seed: 4)  // several blocks
        var rng = SplitMix64(seed: 9)
        let output = Tensor.randomNormal(shape: [3_000, 31], using: &rng)
        do {
            let store = try VectorStore(path: path)
            try store.save(vectors, as: "with", metadata: metadata(), outputVectors: output)
            try store.save(vectors, as: "without", metadata: metadata())
        }
        let store = try VectorStore(path: path, mode: .readOnly)
        #expect(try store.outputVectors(of: "with") == output)
        #expect(try store.load("with").vectors == vectors)
        #expect(try store.hasOutputVectors("with"))
        #expect(try store.outputVectors(of: "without") == nil)
        #expect(try !store.hasOutputVectors("without"))
        #expect(throws: StoreError.modelNotFound(name: "none", available: ["without", "with"])) {
            try store.outputVectors(of: "none")
        }
    }

    @Test("replacing or deleting a model replaces or deletes its output weights in the same transaction")
    func replaceAndDelete() throws {
        let store = try VectorStore(path: directory + "/replace.w2v")
        let vectors = try randomVectors(words: 50, dimension: 4, seed: 1)
        try store.save(vectors, as: "m", metadata: metadata(), outputVectors: vectors.vectors)
        try store.save(vectors, as: "m", metadata: metadata(), replace: true)
        #expect(try store.outputVectors(of: "m") == nil)
        var rng = SplitMix64(seed: 2)
        let output = Tensor.randomNormal(shape: [50, 4], using: &rng)
        try store.save(vectors, as: "m", metadata: metadata(), replace: true, outputVectors: output)
        #expect(try store.outputVectors(of: "m") == output)
        try store.delete("m")
        try store.save(vectors, as: "other", metadata: metadata())
        #expect(try store.outputVectors(of: "other") == nil, "no rows left behind by the deleted model")
    }

    @Test("output weights of another shape are refused and nothing is stored")
    func shapeMismatch() throws {
        let store = try VectorStore(path: directory + "/shape.w2v")
        let vectors = try randomVectors(words: 10, dimension: 4, seed: 1)
        #expect(throws: StoreError.invalidMatrix(reason: "the output weights have shape [10, 5], the vectors [10, 4]")) {
            try store.save(vectors, as: "m", metadata: metadata(), outputVectors: Tensor(shape: [10, 5], repeating: 0))
        }
        #expect(try store.models().isEmpty)
    }

    @Test("a schema-3 store is read in place read-only (no output weights) and migrated when written; older ones are not")
    func schemaThreeStore() throws {
        let path = directory + "/v3.w2v"
        let vectors = try randomVectors(words: 20, dimension: 3, seed: 5)
        do {
            let store = try VectorStore(path: path)
            try store.save(vectors, as: "old", metadata: metadata())
        }
        // Back to schema 3: the output-weight table did not exist yet.
        try Connection(path: path, readOnly: false).execute("DROP TABLE output_blocks; PRAGMA user_version = 3")
        let reader = try VectorStore(path: path, mode: .readOnly)
        #expect(try reader.load("old").vectors == vectors)
        #expect(try reader.outputVectors(of: "old") == nil)
        #expect(try !reader.hasOutputVectors("old"))
        let writer = try VectorStore(path: path)
        try writer.save(vectors, as: "new", metadata: metadata(), outputVectors: vectors.vectors)
        #expect(try VectorStore(path: path, mode: .readOnly).outputVectors(of: "new") == vectors.vectors)
        let connection = try Connection(path: path, readOnly: true)
        let version = try connection.prepare("PRAGMA user_version")
        #expect(try version.step() && version.int(0) == VectorStore.schemaVersion)
        version.reset()
        // A schema-2 store (no networks either) still needs a writable open first.
        try Connection(path: path, readOnly: false).execute(
            "DROP TABLE output_blocks; DROP TABLE network_tensors; DROP TABLE networks; PRAGMA user_version = 2")
        #expect(throws: StoreError.olderSchema(found: 2, supported: VectorStore.schemaVersion)) {
            try VectorStore(path: path, mode: .readOnly)
        }
    }
}
