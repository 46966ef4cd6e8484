// The model metadata as JSON in the `models.metadata` column.
import Foundation
import CSQLite

extension VectorStore {

    func encode(_ metadata: ModelMetadata) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(metadata), as: UTF8.self)
        } catch {
            throw .sqlite(code: SQLITE_MISUSE, message: "the metadata cannot be encoded: \(error)")
        }
    }

    func decode(_ json: String, model: String) throws(StoreError) -> ModelMetadata {
        let decoder = JSONDecoder()
        do {
            return try decoder.decode(ModelMetadata.self, from: Data(json.utf8))
        } catch {
            throw .corrupt(path: path, detail: "the metadata of model \"\(model)\" is not valid JSON")
        }
    }
}
