// File input for the evaluation sets: the only unsafe code of the Evaluation module (a POSIX
// read loop). Shapes: a 64 KiB byte buffer filled by read(2) and appended to the file's bytes.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a whole UTF-8 text file.
func readText(_ path: String) throws(EvaluationError) -> String {
    let data: [UInt8]
    do {
        data = try readBytes(path)
    } catch {
        throw .unreadableFile(path: path, reason: error.reason)
    }
    guard let text = String(validating: data, as: UTF8.self) else { throw .notUTF8(path: path) }
    return text
}

struct FileReadFailure: Error {
    var reason: String
}

/// The bytes of a file, read with POSIX calls (no Foundation needed in this module).
private func readBytes(_ path: String) throws(FileReadFailure) -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw FileReadFailure(reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { throw FileReadFailure(reason: String(cString: strerror(errno))) }
        if n == 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return bytes
}
