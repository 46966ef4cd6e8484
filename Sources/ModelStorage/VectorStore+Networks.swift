// Kernel file (tensor BLOBs): named Float32 tensors of stored networks are bound from and read
// into Tensor storage through raw buffers.
//
// Shapes: a tensor of shape [d0, d1, ...] is one BLOB of 4·Π dᵢ bytes, row-major, little-endian;
//         its shape is stored beside it as a JSON array of integers.
import CSQLite
import Foundation
import TensorCore

/// A named tensor of a stored network (e.g. `"lstm0.Wx"`, `[100, 400]`).
public struct NamedTensor: Sendable, Equatable {
    public var name: String
    public var tensor: Tensor
    public init(name: String, tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }
}

/// A neural network stored beside the word vectors: a language model, and in the same shape a
/// seq2seq or vision model. The store never learns how to run it: it keeps the network's kind,
/// its configuration (JSON written by the module that owns the kind), its tensors by name, an
/// optional vocabulary and the training history.
public struct StoredNetwork: Sendable, Equatable {
    /// What the network is, e.g. `"language-model"`; the owning module checks it when loading.
    public var kind: String
    /// The configuration as JSON text (opaque to the store).
    public var configuration: String
    /// The tensors, in the owner's order (names are unique).
    public var tensors: [NamedTensor]
    /// The words of the vocabulary by id, when the network has one.
    public var words: [String]?
    /// The count of each word, when the network has a vocabulary.
    public var counts: [Int]?
    /// Loss, learning rate and validation figures per epoch.
    public var history: TrainingHistory?
    /// Facts about the run, e.g. `"corpus"`, `"test_perplexity"` (strings, as in ModelMetadata).
    public var details: [String: String]
    public var createdAt: Date
    public var toolkitVersion: String

    public init(kind: String, configuration: String, tensors: [NamedTensor], words: [String]? = nil, counts: [Int]? = nil,
                history: TrainingHistory? = nil, details: [String: String] = [:], createdAt: Date = Date(),
                toolkitVersion: String = Toolkit.version) {
        self.kind = kind
        self.configuration = configuration
        self.tensors = tensors
        self.words = words
        self.counts = counts
        self.history = history
        self.details = details
        self.createdAt = createdAt
        self.toolkitVersion = toolkitVersion
    }

    /// The number of scalars over all tensors.
    public var parameterCount: Int { tensors.reduce(0) { $0 + $1.tensor.count } }
}

/// One line of `w2v models` for a network: everything but the tensors.
public struct NetworkSummary: Sendable, Equatable {
    public var name: String
    public var kind: String
    public var configuration: String
    public var vocabularySize: Int?
    public var parameterCount: Int
    public var history: TrainingHistory?
    public var details: [String: String]
    public var createdAt: Date
    public var toolkitVersion: String
}

extension VectorStore {
    /// The kind word vectors are reported as when a network command is given a vector model.
    public static let wordVectorsKind = "word vectors"

    /// Saves `network` under `name` in one transaction (replacing a network of that name when
    /// `replace`). Names are shared with word-vector models: a vector model of that name is
    /// ``StoreError/nameTakenByOtherKind(name:kind:)``.
    public func saveNetwork(_ network: StoredNetwork, as name: String, replace: Bool = true) throws(StoreError) {
        try VectorStore.validate(name: name)
        try requireWritable()
        if let words = network.words, let counts = network.counts, words.count != counts.count {
            throw .sqlite(code: SQLITE_MISUSE, message: "a network's vocabulary needs one count per word")
        }
        let historyJSON = try network.history.map { history throws(StoreError) in try encodeJSON(history) }
        let detailsJSON = try encodeJSON(network.details)
        try locked { () throws(StoreError) in
            try connection.transaction(immediate: true) { () throws(StoreError) in
                if try modelID(name) != nil { throw .nameTakenByOtherKind(name: name, kind: VectorStore.wordVectorsKind) }
                if let existing = try networkRow(name) {
                    guard replace else { throw .modelExists(name: name) }
                    try deleteNetworkRows(existing.id)
                }
                let insert = try connection.prepare("""
                    INSERT INTO networks(name, kind, created_at, toolkit_version, configuration, history, details,
                                         vocabulary_size, packed_words, packed_counts)
                    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                    """)
                try insert.bind(1, name)
                try insert.bind(2, network.kind)
                try insert.bind(3, network.createdAt.timeIntervalSince1970)
                try insert.bind(4, network.toolkitVersion)
                try insert.bind(5, network.configuration)
                if let historyJSON { try insert.bind(6, historyJSON) }
                try insert.bind(7, detailsJSON)
                if let words = network.words { try insert.bind(8, words.count) }
                let packedWords = network.words.map(VocabularyPacking.packWords) ?? []
                let packedCounts = network.counts.map(VocabularyPacking.packCounts) ?? []
                let failure: StoreError? = packedWords.withUnsafeBytes { wordBytes in
                    packedCounts.withUnsafeBytes { countBytes in
                        do throws(StoreError) {
                            if network.words != nil {
                                try insert.bindBorrowed(9, wordBytes)
                                try insert.bindBorrowed(10, countBytes)
                            }
                            try insert.run()
                        } catch { return error }
                        return nil
                    }
                }
                if let failure { throw failure }
                let id = Int(connection.lastInsertRowID)
                let insertTensor = try connection.prepare(
                    "INSERT INTO network_tensors(network_id, position, name, shape, data) VALUES (?1, ?2, ?3, ?4, ?5)")
                try insertTensor.bind(1, id)
                for (position, named) in network.tensors.enumerated() {
                    try insertTensor.bind(2, position)
                    try insertTensor.bind(3, named.name)
                    try insertTensor.bind(4, "[" + named.tensor.shape.map(String.init).joined(separator: ",") + "]")
                    #if _endian(big)
                    let scalars = named.tensor.scalars.map { Float(bitPattern: $0.bitPattern.littleEndian) }
                    #else
                    let scalars = named.tensor.scalars
                    #endif
                    let tensorFailure: StoreError? = scalars.withUnsafeBytes { bytes in
                        do throws(StoreError) {
                            try insertTensor.bindBorrowed(5, bytes)
                            try insertTensor.run()
                        } catch { return error }
                        return nil
                    }
                    if let tensorFailure {
                        if case .sqlite(let code, _) = tensorFailure, code & 0xFF == SQLITE_CONSTRAINT {
                            throw .sqlite(code: code, message: "the tensor name \"\(named.name)\" appears twice")
                        }
                        throw tensorFailure
                    }
                }
            }
        }
    }

    /// Loads the network `name` with its tensors.
    /// - Throws: ``StoreError/wrongKind(name:found:expected:)`` when `name` is a word-vector model,
    ///   ``StoreError/modelNotFound(name:available:)`` when there is no model of that name.
    public func loadNetwork(_ name: String) throws(StoreError) -> StoredNetwork {
        try locked { () throws(StoreError) in
            guard let row = try networkRow(name) else {
                if try modelID(name) != nil { throw .wrongKind(name: name, found: VectorStore.wordVectorsKind, expected: "a network") }
                throw try notFound(name)
            }
            let statement = try connection.prepare("""
                SELECT kind, created_at, toolkit_version, configuration, history, details, vocabulary_size,
                       packed_words, packed_counts FROM networks WHERE id = ?1
                """)
            defer { statement.reset() }
            try statement.bind(1, row.id)
            guard try statement.step() else { throw try notFound(name) }
            var network = StoredNetwork(kind: statement.string(0), configuration: statement.string(3), tensors: [],
                                        createdAt: Date(timeIntervalSince1970: statement.double(1)),
                                        toolkitVersion: statement.string(2))
            if !statement.isNull(4) { network.history = try decodeJSON(TrainingHistory.self, statement.string(4), name) }
            network.details = try decodeJSON([String: String].self, statement.string(5), name)
            if !statement.isNull(6) {
                let count = statement.int(6)
                guard !statement.isNull(7), !statement.isNull(8),
                      let words = VocabularyPacking.unpackWords(statement.blob(7), count: count),
                      let counts = VocabularyPacking.unpackCounts(statement.blob(8), count: count) else {
                    throw .corrupt(path: path, detail: "the packed vocabulary of network \"\(name)\" is damaged")
                }
                network.words = words
                network.counts = counts
            }
            network.tensors = try tensors(of: row.id, name: name)
            return network
        }
    }

    func tensors(of id: Int, name: String) throws(StoreError) -> [NamedTensor] {
        let statement = try connection.prepare(
            "SELECT name, shape, data FROM network_tensors WHERE network_id = ?1 ORDER BY position")
        defer { statement.reset() }
        try statement.bind(1, id)
        var result: [NamedTensor] = []
        while try statement.step() {
            let tensorName = statement.string(0)
            let shapeText = statement.string(1)
            guard let shape = try? JSONDecoder().decode([Int].self, from: Data(shapeText.utf8)),
                  shape.allSatisfy({ $0 >= 0 }) else {
                throw .corrupt(path: path, detail: "tensor \"\(tensorName)\" of network \"\(name)\" has an impossible shape")
            }
            var count = 1
            for extent in shape {
                guard let product = VectorStore.checkedProduct(count, extent) else {
                    throw .corrupt(path: path, detail: "tensor \"\(tensorName)\" of network \"\(name)\" has an impossible shape")
                }
                count = product
            }
            let blob = statement.blob(2)
            guard let bytes = VectorStore.checkedProduct(count, 4), blob.count == bytes else {
                throw .corrupt(path: path, detail: "tensor \"\(tensorName)\" of network \"\(name)\" holds \(blob.count) bytes, not 4 per element of \(shape)")
            }
            var scalars = [Float](repeating: 0, count: count)
            scalars.withUnsafeMutableBytes { destination in
                if let source = blob.baseAddress, count > 0 { destination.baseAddress!.copyMemory(from: source, byteCount: bytes) }
            }
            #if _endian(big)
            scalars = scalars.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) }
            #endif
            result.append(NamedTensor(name: tensorName, tensor: Tensor(shape: shape, scalars: scalars)))
        }
        return result
    }

    /// Every stored network, newest first (without tensors).
    public func networks() throws(StoreError) -> [NetworkSummary] {
        try locked { () throws(StoreError) in
            let statement = try connection.prepare("""
                SELECT n.name, n.kind, n.configuration, n.vocabulary_size, n.history, n.details, n.created_at,
                       n.toolkit_version, (SELECT coalesce(sum(length(data)), 0) / 4 FROM network_tensors WHERE network_id = n.id)
                FROM networks n ORDER BY n.created_at DESC, n.id DESC
                """)
            defer { statement.reset() }
            var result: [NetworkSummary] = []
            while try statement.step() {
                let name = statement.string(0)
                let history = statement.isNull(4) ? nil : try decodeJSON(TrainingHistory.self, statement.string(4), name)
                result.append(NetworkSummary(
                    name: name, kind: statement.string(1), configuration: statement.string(2),
                    vocabularySize: statement.isNull(3) ? nil : statement.int(3), parameterCount: statement.int(8),
                    history: history, details: try decodeJSON([String: String].self, statement.string(5), name),
                    createdAt: Date(timeIntervalSince1970: statement.double(6)), toolkitVersion: statement.string(7)))
            }
            return result
        }
    }

    /// Removes the network `name` (one transaction).
    public func deleteNetwork(_ name: String) throws(StoreError) {
        try requireWritable()
        try locked { () throws(StoreError) in
            try connection.transaction(immediate: true) { () throws(StoreError) in
                guard let row = try networkRow(name) else { throw try notFound(name) }
                try deleteNetworkRows(row.id)
            }
        }
    }

    /// The kind of the network called `name`, or nil when there is none.
    func networkKind(_ name: String) throws(StoreError) -> String? { try networkRow(name)?.kind }

    func networkRow(_ name: String) throws(StoreError) -> (id: Int, kind: String)? {
        let statement = try connection.prepare("SELECT id, kind FROM networks WHERE name = ?1")
        defer { statement.reset() }
        try statement.bind(1, name)
        return try statement.step() ? (statement.int(0), statement.string(1)) : nil
    }

    func deleteNetworkRows(_ id: Int) throws(StoreError) {
        for sql in ["DELETE FROM network_tensors WHERE network_id = ?1", "DELETE FROM networks WHERE id = ?1"] {
            let statement = try connection.prepare(sql)
            try statement.bind(1, id)
            try statement.run()
        }
    }

    func encodeJSON<T: Encodable>(_ value: T) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw .sqlite(code: SQLITE_MISUSE, message: "the network's record cannot be encoded: \(error)")
        }
    }

    func decodeJSON<T: Decodable>(_ type: T.Type, _ json: String, _ name: String) throws(StoreError) -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(T.self, from: Data(json.utf8))
        } catch {
            throw .corrupt(path: path, detail: "the record of network \"\(name)\" is not valid JSON")
        }
    }
}
