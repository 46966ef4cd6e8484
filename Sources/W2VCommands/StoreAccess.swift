import Embeddings
import Foundation
import ModelStorage

/// Opening the model store and picking a model, with errors that say what to run.
struct StoreAccess: Sendable {
    let options: StoreOptions
    let path: String

    init(_ options: StoreOptions) {
        self.options = options
        self.path = options.storePath()
    }

    /// ` --store FILE` when the user chose a store explicitly, for commands quoted in hints.
    var storeFlag: String { options.store.map { " --store \(shellQuoted($0))" } ?? "" }

    /// Opens an existing store for reading.
    func openForReading() throws -> VectorStore {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("There is no model store at \(path).",
                                 hint: "Create one with: w2v train\(storeFlag)   (or choose one with --store FILE or $W2V_STORE)")
        }
        do {
            return try VectorStore(path: path, mode: .readOnly)
        } catch {
            throw ErrorHints.failure(for: error, store: self) ?? CommandFailure(error)
        }
    }

    /// Opens the store for writing, creating it when missing.
    func openForWriting() throws -> VectorStore {
        do {
            return try VectorStore(path: path, mode: .readWrite)
        } catch {
            throw ErrorHints.failure(for: error, store: self) ?? CommandFailure(error)
        }
    }

    /// The model to use: `name`, else the most recently stored one.
    func modelName(_ name: String?, in store: VectorStore) throws -> String {
        if let name { return name }
        let latest: String?
        do { latest = try store.latestModelName() } catch { throw mapped(error) }
        guard let latest else {
            throw CommandFailure("The store \(path) holds no models yet.",
                                 hint: "Train one with: w2v train\(storeFlag)   (or import one with: w2v import FILE\(storeFlag))")
        }
        return latest
    }

    /// Loads `name` (or the most recent model) from an existing store.
    func loadModel(_ name: String?) throws -> StoredModel {
        let store = try openForReading()
        let chosen = try modelName(name, in: store)
        do { return try store.load(chosen) } catch { throw mapped(error) }
    }

    /// A store error with a hint that fits this store.
    func mapped(_ error: any Error) -> CommandFailure {
        ErrorHints.failure(for: error, store: self) ?? CommandFailure(error)
    }
}

/// `word` quoted for a POSIX shell when it needs it.
func shellQuoted(_ word: String) -> String {
    let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:+,@%")
    if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
