import Embeddings
import Foundation
import TensorCore

/// What is known about how a stored model was made. Storage records it but never interprets
/// `method` or `parameters`: the store works the same for every way of making vectors.
public struct ModelMetadata: Sendable, Codable, Equatable {
    /// How the vectors were made, e.g. "skipgram", "cbow", "ppmi-svd", "imported".
    public var method: String
    /// Hyperparameters by name (e.g. "window": "5", "negative": "5"), as text.
    public var parameters: [String: String]
    /// The corpus the vectors were trained on, when there is one.
    public var corpus: CorpusDescription?
    /// When the model was made.
    public var createdAt: Date
    /// The w2v version that made it (`TensorCore.Toolkit.version`).
    public var toolkitVersion: String
    /// Wall-clock training time, when known.
    public var trainingSeconds: Double?
    /// Free-form notes (e.g. the file a model was imported from).
    public var notes: String?

    public init(method: String, parameters: [String: String] = [:], corpus: CorpusDescription? = nil,
                createdAt: Date = Date(), toolkitVersion: String = Toolkit.version,
                trainingSeconds: Double? = nil, notes: String? = nil) {
        self.method = method
        self.parameters = parameters
        self.corpus = corpus
        self.createdAt = createdAt
        self.toolkitVersion = toolkitVersion
        self.trainingSeconds = trainingSeconds
        self.notes = notes
    }
}

/// The corpus a model was trained on: where it was, how big, and a checksum that tells whether
/// the file has changed since.
public struct CorpusDescription: Sendable, Codable, Equatable {
    /// The path as given when training.
    public var path: String
    /// The file's size in bytes.
    public var sizeBytes: Int
    /// `"fnv1a64:"` followed by 16 lowercase hex digits of the FNV-1a 64-bit hash of the file's bytes.
    public var checksum: String
    /// The number of tokens the trainer read, when known.
    public var tokenCount: Int?

    public init(path: String, sizeBytes: Int, checksum: String, tokenCount: Int? = nil) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.checksum = checksum
        self.tokenCount = tokenCount
    }

    /// Describes the file at `path`, streaming it through a fixed 1 MiB buffer to compute its
    /// FNV-1a 64 checksum (h ← (h ⊕ byte) · 1099511628211, from h = 14695981039346656037).
    public static func describe(path: String, tokenCount: Int? = nil) throws(StoreError) -> CorpusDescription {
        let (size, hash) = try fnv1a64(path: path)
        return CorpusDescription(path: path, sizeBytes: size, checksum: "fnv1a64:" + hex16(hash),
                                 tokenCount: tokenCount)
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// A model's name, shape and metadata, as listed by ``VectorStore/models()``.
public struct ModelSummary: Sendable, Equatable {
    public var name: String
    public var method: String
    public var dimension: Int
    public var vocabularySize: Int
    public var createdAt: Date
    public var toolkitVersion: String
    public var metadata: ModelMetadata
}

/// A model loaded from the store.
public struct StoredModel: Sendable, Equatable {
    public var name: String
    public var vectors: WordVectors
    public var metadata: ModelMetadata
}
