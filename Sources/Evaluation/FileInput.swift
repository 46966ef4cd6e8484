import CoreIO

/// Reads a whole UTF-8 text file (an evaluation set is small) through the toolkit's one
/// file-input type, skipping a leading byte-order mark.
func readText(_ path: String) throws(EvaluationError) -> String {
    let data: [UInt8]
    do {
        data = try InputFile(path: path, skippingByteOrderMark: true).readAll(limit: maximumEvaluationFileBytes)
    } catch {
        if case .notFound = error { throw .fileNotFound(path: path) }
        throw .unreadableFile(path: path, reason: error.reason)
    }
    guard let text = String(validating: data, as: UTF8.self) else { throw .notUTF8(path: path) }
    return text
}

/// The largest evaluation file read (the Google analogy set is 600 KB).
let maximumEvaluationFileBytes = 1 << 30
