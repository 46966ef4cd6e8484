import CoreIO
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
    /// Loss and learning rate as training went on, when the trainer recorded them (stored under
    /// the JSON key ``TensorCore/TrainingHistory/metadataKey``; absent in older stores).
    public var trainingHistory: TrainingHistory?
    /// Every training run that made the model, oldest first: the first run, then each
    /// continuation on more text (`w2v train MORE --continue MODEL`). Nil for models stored
    /// before runs were recorded (their one run is ``corpus``).
    public var trainingRuns: [TrainingRun]?

    public init(method: String, parameters: [String: String] = [:], corpus: CorpusDescription? = nil,
                createdAt: Date = Date(), toolkitVersion: String = Toolkit.version,
                trainingSeconds: Double? = nil, notes: String? = nil, trainingHistory: TrainingHistory? = nil,
                trainingRuns: [TrainingRun]? = nil) {
        self.method = method
        self.parameters = parameters
        self.corpus = corpus
        self.createdAt = createdAt
        self.toolkitVersion = toolkitVersion
        self.trainingSeconds = trainingSeconds
        self.notes = notes
        self.trainingHistory = trainingHistory
        self.trainingRuns = trainingRuns
    }
}

/// One training run of a model: the corpus it read and how long it trained on it.
public struct TrainingRun: Sendable, Codable, Equatable {
    /// The corpus of the run.
    public var corpus: CorpusDescription
    /// Passes over the corpus (nil for methods without epochs, e.g. PPMI-SVD).
    public var epochs: Int?
    /// The starting learning rate, for methods that have one.
    public var learningRate: Double?
    /// The vocabulary's size after the run.
    public var vocabularySize: Int?
    /// How many words the run added to the vocabulary (0 for the first run's counting, nil when unknown).
    public var addedWords: Int?
    /// Wall-clock seconds of the run.
    public var trainingSeconds: Double?
    /// When the run ended.
    public var date: Date

    public init(corpus: CorpusDescription, epochs: Int? = nil, learningRate: Double? = nil, vocabularySize: Int? = nil,
                addedWords: Int? = nil, trainingSeconds: Double? = nil, date: Date = Date()) {
        self.corpus = corpus
        self.epochs = epochs
        self.learningRate = learningRate
        self.vocabularySize = vocabularySize
        self.addedWords = addedWords
        self.trainingSeconds = trainingSeconds
        self.date = date
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
    /// What the path held: "text", "gzip", "xz" or "directory" (nil in models stored before
    /// compressed corpora were read, which were all text). For gzip, xz and directories
    /// ``sizeBytes`` and ``checksum`` are those of the text read (decompressed, the files one
    /// after another).
    public var format: String?
    /// The size of the compressed file itself, for gzip and xz.
    public var compressedSizeBytes: Int?
    /// For a directory, each file read, in the order read.
    public var files: [CorpusDescription]?

    public init(path: String, sizeBytes: Int, checksum: String, tokenCount: Int? = nil, format: String? = nil,
                compressedSizeBytes: Int? = nil, files: [CorpusDescription]? = nil) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.checksum = checksum
        self.tokenCount = tokenCount
        self.format = format
        self.compressedSizeBytes = compressedSizeBytes
        self.files = files
    }

    /// Describes the file at `path`, streaming it through a fixed 1 MiB buffer to compute its
    /// FNV-1a 64 checksum (h ← (h ⊕ byte) · 1099511628211, from h = 14695981039346656037).
    /// A trainer that has just read the corpus should describe it from that pass instead
    /// (``init(path:sizeBytes:checksum:tokenCount:)`` with the reader's byte count and hash), so
    /// that standard input or a FIFO is described by the bytes really read.
    public static func describe(path: String, tokenCount: Int? = nil) throws(StoreError) -> CorpusDescription {
        do {
            let input = try InputFile(path: path)
            try input.skipToEnd()
            return CorpusDescription(path: path, sizeBytes: input.bytesRead, checksum: checksumText(input.checksum),
                                     tokenCount: tokenCount)
        } catch {
            if case .notFound = error { throw .fileNotFound(path: path) }
            throw .cannotRead(path: path, reason: error.reason)
        }
    }

    /// `"fnv1a64:"` and the 16 hex digits of `hash`, the form of ``checksum``.
    public static func checksumText(_ hash: UInt64) -> String {
        "fnv1a64:" + hex16(hash)
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
    /// What is wrong with the model's stored record, when something is (its metadata does not
    /// decode, say); nil for a sound model. Listing still shows a damaged model.
    public var damage: String? = nil
}

/// A model loaded from the store.
public struct StoredModel: Sendable, Equatable {
    public var name: String
    public var vectors: WordVectors
    public var metadata: ModelMetadata
}
