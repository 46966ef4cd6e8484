// Kernel file: the store's BLOB layouts — incremental blob I/O of vector blocks straight into
// Tensor storage, and the packed vocabulary.
//
// Shapes: a vector block BLOB holds rows [block·R, min((block+1)·R, V)) of a [V, D] Float32
//         matrix, row-major, little-endian: byte offset of (row r, column c) within its block is
//         4·((r − block·R)·D + c). packed_words: per word a UInt32 LE byte length, then its UTF-8;
//         packed_counts: V Int64 LE.
import CSQLite

extension Connection {
    /// Reads `byteCount` bytes at `offset` of column `column` of row `rowID` of `table` into
    /// `destination` through an incremental blob handle (no intermediate copy).
    func readBlob(table: String, column: String, rowID: Int64, offset: Int, byteCount: Int,
                  into destination: UnsafeMutableRawPointer) throws(StoreError) {
        var blob: OpaquePointer?
        var rc = sqlite3_blob_open(handle, "main", table, column, rowID, 0, &blob)
        guard rc == SQLITE_OK, let blob else { throw error(rc) }
        defer { sqlite3_blob_close(blob) }
        guard Int(sqlite3_blob_bytes(blob)) >= offset + byteCount else {
            throw .corrupt(path: path, detail: "a vector block is shorter than its model's shape requires")
        }
        rc = sqlite3_blob_read(blob, destination, Int32(byteCount), Int32(offset))
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    /// Reads whole blobs of consecutive rows into consecutive regions of `destination`.
    /// `rows` gives each row id and the exact byte count it must have.
    func readBlobs(table: String, column: String, rows: [(rowID: Int64, byteCount: Int)],
                   into destination: UnsafeMutableRawPointer) throws(StoreError) {
        guard let first = rows.first else { return }
        var blob: OpaquePointer?
        var rc = sqlite3_blob_open(handle, "main", table, column, first.rowID, 0, &blob)
        guard rc == SQLITE_OK, let blob else { throw error(rc) }
        defer { sqlite3_blob_close(blob) }
        var offset = 0
        for (index, row) in rows.enumerated() {
            if index > 0 {
                rc = sqlite3_blob_reopen(blob, row.rowID)
                guard rc == SQLITE_OK else { throw error(rc) }
            }
            guard Int(sqlite3_blob_bytes(blob)) == row.byteCount else {
                throw .corrupt(path: path, detail: "vector block \(index) has \(sqlite3_blob_bytes(blob)) bytes "
                               + "instead of \(row.byteCount)")
            }
            rc = sqlite3_blob_read(blob, destination + offset, Int32(row.byteCount), 0)
            guard rc == SQLITE_OK else { throw error(rc) }
            offset += row.byteCount
        }
    }
}

/// The vocabulary packed into two BLOBs: words as (UInt32 little-endian byte length, UTF-8 bytes)
/// pairs, counts as Int64 little-endian.
enum VocabularyPacking {
    static func packWords(_ words: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.reduce(0) { $0 + 4 + $1.utf8.count })
        for word in words {
            let length = UInt32(word.utf8.count)
            bytes.append(UInt8(length & 0xFF))
            bytes.append(UInt8((length >> 8) & 0xFF))
            bytes.append(UInt8((length >> 16) & 0xFF))
            bytes.append(UInt8(length >> 24))
            bytes.append(contentsOf: word.utf8)
        }
        return bytes
    }

    static func packCounts(_ counts: [Int]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 8 * counts.count)
        bytes.withUnsafeMutableBytes { out in
            for (i, count) in counts.enumerated() {
                out.storeBytes(of: Int64(count).littleEndian, toByteOffset: 8 * i, as: Int64.self)
            }
        }
        return bytes
    }

    /// The words, or nil if the bytes do not hold exactly `count` well-formed entries.
    static func unpackWords(_ bytes: UnsafeRawBufferPointer, count: Int) -> [String]? {
        // Each entry takes at least 4 bytes: a count the bytes cannot hold is damage, not a size to reserve.
        guard count >= 0, count <= bytes.count / 4 else { return nil }
        var words: [String] = []
        words.reserveCapacity(count)
        var offset = 0
        while offset < bytes.count {
            guard offset + 4 <= bytes.count, words.count < count else { return nil }
            let length = Int(UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
                             | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24)
            offset += 4
            guard length <= bytes.count - offset,
                  let word = String(validating: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + length)]),
                                    as: UTF8.self) else { return nil }
            words.append(word)
            offset += length
        }
        return words.count == count ? words : nil
    }

    static func unpackCounts(_ bytes: UnsafeRawBufferPointer, count: Int) -> [Int]? {
        guard count >= 0, count <= bytes.count / 8, bytes.count == 8 * count else { return nil }
        return (0..<count).map { Int(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
    }
}
