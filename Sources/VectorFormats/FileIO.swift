// Kernel file: buffered reading of vector files and text-line number parsing over raw bytes.
//
// Shapes:
//   ByteReader.buffer  [capacity] bytes; bytes [0, end) are file bytes [bufferOffset, bufferOffset + end),
//                      `position` is the next unread byte in the buffer.
//   LineParser         a line of text as [UInt8] plus one NUL terminator; tokens are byte ranges.
//   parseFloats        writes tokens 1..<tokens.count as Float32 into scalars[start ..< start + D].
//   fastParseFloat     a decimal token of `count` bytes at `p` → Float32, or nil to defer to strtof.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CoreIO

/// Reads a vector file sequentially through a fixed-size buffer, so that files of any size
/// stream. Bytes come from the toolkit's one file-input type, `InputFile` (a leading UTF-8
/// byte-order mark skipped); a stream of unknown length (standard input, a FIFO) is first read
/// into memory, so that every reader knows the size it must check headers against.
final class ByteReader {
    let path: String
    /// The size of the file in bytes (a skipped byte-order mark included).
    let fileSize: Int
    private let input: InputFile
    private let buffer: UnsafeMutableRawBufferPointer
    private var position = 0
    private var end = 0
    private var bufferOffset: Int
    private var atEOF = false

    /// The file offset of the next unread byte.
    var offset: Int { bufferOffset + position }
    /// The bytes left after ``offset``.
    var remainingBytes: Int { max(0, fileSize - offset) }

    init(path: String, bufferSize: Int = 1 << 20) throws(VectorFormatError) {
        self.path = path
        var input: InputFile
        do {
            input = try InputFile(path: path, skippingByteOrderMark: true)
            if input.size == nil {
                let skipped = input.offset
                input = InputFile(bytes: try input.readAll(), path: path)
                bufferOffset = skipped
                fileSize = skipped + (input.size ?? 0)
            } else {
                bufferOffset = input.offset
                fileSize = input.size ?? 0
            }
        } catch {
            throw VectorFormatError(reading: error)
        }
        self.input = input
        // No bigger than the file needs (small files are common, and detection wants 64 KiB).
        buffer = .allocate(byteCount: max(min(bufferSize, fileSize + 1, 1 << 30), 1 << 16), alignment: 16)
    }

    /// A reader over bytes in memory (tests and fuzzing).
    init(bytes: [UInt8], path: String, bufferSize: Int = 1 << 20) {
        self.path = path
        input = InputFile(bytes: bytes, path: path, skippingByteOrderMark: true)
        bufferOffset = input.offset
        fileSize = bytes.count
        buffer = .allocate(byteCount: max(min(bufferSize, fileSize + 1), 1 << 16), alignment: 16)
    }

    deinit {
        buffer.deallocate()
    }

    /// Reads the next chunk; false at the end of the file.
    private func refill() throws(VectorFormatError) -> Bool {
        if atEOF { return false }
        bufferOffset += end
        position = 0
        end = 0
        let n: Int
        do { n = try input.read(into: buffer) } catch { throw VectorFormatError(reading: error) }
        if n == 0 { atEOF = true; return false }
        end = n
        return true
    }

    /// The first `count` bytes of the file (fewer if it is shorter), without consuming them.
    /// Call only before anything has been consumed; `count` must fit the buffer.
    func head(_ count: Int) throws(VectorFormatError) -> [UInt8] {
        precondition(position == 0 && count <= buffer.count, "ByteReader.head must come first and fit the buffer.")
        while end < count && !atEOF {
            let n: Int
            do {
                n = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end..<count]))
            } catch { throw VectorFormatError(reading: error) }
            if n == 0 { atEOF = true } else { end += n }
        }
        return Array(UnsafeRawBufferPointer(rebasing: buffer[0..<min(end, count)]))
    }

    /// Replaces `line` with the bytes up to (not including) the next `\n`. Returns false when
    /// the file has no more bytes. The last line need not end with `\n`.
    func readLine(into line: inout [UInt8]) throws(VectorFormatError) -> Bool {
        line.removeAll(keepingCapacity: true)
        var sawBytes = false
        while true {
            if position == end {
                if try !refill() { return sawBytes }
            }
            let base = buffer.baseAddress! + position
            let available = end - position
            if let newline = memchr(base, 0x0A, available) {
                let length = UnsafeRawPointer(newline) - UnsafeRawPointer(base)
                line.append(contentsOf: UnsafeRawBufferPointer(start: base, count: length))
                position += length + 1
                return true
            }
            line.append(contentsOf: UnsafeRawBufferPointer(start: base, count: available))
            position = end
            sawBytes = true
        }
    }

    /// The next byte without consuming it, or nil at the end of the file.
    func peekByte() throws(VectorFormatError) -> UInt8? {
        if position == end {
            if try !refill() { return nil }
        }
        return buffer[position]
    }

    /// Consumes one byte (call only after `peekByte()` returned non-nil).
    func skipByte() { position += 1 }

    /// Appends bytes to `word` up to (not including) the next `terminator`, which is consumed.
    /// Returns false if the file ends first, or if more than `limit` bytes were appended.
    func readUntil(_ terminator: UInt8, into word: inout [UInt8], limit: Int) throws(VectorFormatError) -> Bool {
        while true {
            if position == end {
                if try !refill() { return false }
            }
            let base = buffer.baseAddress! + position
            let available = end - position
            if let hit = memchr(base, Int32(terminator), available) {
                let length = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                word.append(contentsOf: UnsafeRawBufferPointer(start: base, count: length))
                position += length + 1
                return word.count <= limit
            }
            word.append(contentsOf: UnsafeRawBufferPointer(start: base, count: available))
            position = end
            if word.count > limit { return false }
        }
    }

    /// Copies up to `count` bytes into `destination`; returns how many were copied (less than
    /// `count` only at the end of the file).
    func readBytes(into destination: UnsafeMutableRawPointer, count: Int) throws(VectorFormatError) -> Int {
        var copied = 0
        while copied < count {
            if position == end {
                if try !refill() { break }
            }
            let n = min(count - copied, end - position)
            (destination + copied).copyMemory(from: buffer.baseAddress! + position, byteCount: n)
            position += n
            copied += n
        }
        return copied
    }
}

/// Splits a text line into whitespace-separated tokens (space, tab, carriage return) and
/// parses numbers in place.
struct LineParser {
    /// The line's bytes followed by one NUL.
    private(set) var bytes: [UInt8] = []
    /// Byte ranges of the tokens.
    private(set) var tokens: [Range<Int>] = []

    /// Takes a new line (without its `\n`) and tokenizes it.
    mutating func load(_ line: [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: line)
        bytes.append(0)
        tokens.removeAll(keepingCapacity: true)
        let n = line.count
        bytes.withUnsafeBufferPointer { b in
            var i = 0
            while i < n {
                while i < n && isSeparator(b[i]) { i += 1 }
                if i == n { break }
                let start = i
                while i < n && !isSeparator(b[i]) { i += 1 }
                tokens.append(start..<i)
            }
        }
    }

    @inline(__always)
    private func isSeparator(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// The bytes of token `index`.
    func tokenBytes(_ index: Int) -> ArraySlice<UInt8> { bytes[tokens[index]] }

    /// Token `index` as text (invalid UTF-8 repaired, for messages).
    func tokenText(_ index: Int) -> String { String(decoding: tokenBytes(index), as: UTF8.self) }

    /// Whether token `index` is written as an integer (an optional sign, then digits), however large.
    func looksLikeInteger(_ index: Int) -> Bool {
        var token = tokenBytes(index)
        if let first = token.first, first == 0x2D || first == 0x2B { token = token.dropFirst() }
        return !token.isEmpty && token.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// Token `index` as a non-negative decimal integer, or nil.
    func integer(_ index: Int) -> Int? {
        let token = tokenBytes(index)
        guard !token.isEmpty, token.count <= 18, token.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return token.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    /// Parses tokens `1 ..< tokens.count` as Float32 (correctly rounded by `strtof`) into
    /// `scalars[start...]`, which must have room. Returns the index of the first token that is
    /// not a finite number, or nil when all parsed.
    mutating func parseFloats(into scalars: UnsafeMutablePointer<Float>) -> Int? {
        let tokens = self.tokens
        guard tokens.count > 1 else { return nil }
        return bytes.withUnsafeMutableBufferPointer { b -> Int? in
            let base = b.baseAddress!
            for t in 1..<tokens.count {
                let range = tokens[t]
                let saved = base[range.upperBound]
                base[range.upperBound] = 0
                if let value = fastParseFloat(base + range.lowerBound, range.count) {
                    scalars[t - 1] = value
                    continue
                }
                var endPointer: UnsafeMutablePointer<CChar>? = nil
                let start = UnsafeMutableRawPointer(base + range.lowerBound).assumingMemoryBound(to: CChar.self)
                let value = strtof(start, &endPointer)
                base[range.upperBound] = saved
                guard let endPointer, UnsafeMutableRawPointer(endPointer) == UnsafeMutableRawPointer(base + range.upperBound),
                      value.isFinite else { return t }
                scalars[t - 1] = value
            }
            return nil
        }
    }
}

/// 10^0 ... 10^22, all exactly representable in Double.
private let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Parses a plain decimal token (`[+-]digits[.digits][e[+-]digits]`) to the correctly rounded
/// Float32, or returns nil when the token needs `strtof` (other syntax, too many digits, a large
/// exponent, or a value whose Double approximation sits exactly on a Float32 rounding midpoint).
///
/// Why it is exact (Clinger's fast path, then one more rounding): with mantissa m < 2^53 and
/// |e| ≤ 22, both m and 10^|e| are exact Doubles, so x = m · 10^e (or m / 10^−e) is the correctly
/// rounded Double of the decimal value v. Float32 rounding midpoints are Doubles, so rounding to
/// the nearest Double never carries v across one; unless x lands exactly on a midpoint (checked:
/// the 29 low significand bits are 1000…0), Float(x) is the correctly rounded Float32 of v.
/// Values here are within 1e-22 ... 9e37, the normal Float32 range.
@inline(__always)
func fastParseFloat(_ p: UnsafePointer<UInt8>, _ count: Int) -> Float? {
    var i = 0
    var negative = false
    if i < count && (p[i] == 0x2D || p[i] == 0x2B) {
        negative = p[i] == 0x2D
        i += 1
    }
    var mantissa: UInt64 = 0
    var significantDigits = 0
    var exponent = 0
    var sawDigit = false
    while i < count, p[i] &- 0x30 < 10 {
        let digit = UInt64(p[i] &- 0x30)
        if mantissa != 0 || digit != 0 { significantDigits += 1 }
        mantissa = mantissa &* 10 &+ digit
        sawDigit = true
        i += 1
    }
    if i < count && p[i] == 0x2E {
        i += 1
        while i < count, p[i] &- 0x30 < 10 {
            let digit = UInt64(p[i] &- 0x30)
            if mantissa != 0 || digit != 0 { significantDigits += 1 }
            mantissa = mantissa &* 10 &+ digit
            exponent -= 1
            sawDigit = true
            i += 1
        }
    }
    guard sawDigit, significantDigits <= 18 else { return nil }
    if i < count && (p[i] == 0x65 || p[i] == 0x45) {
        i += 1
        var exponentNegative = false
        if i < count && (p[i] == 0x2D || p[i] == 0x2B) {
            exponentNegative = p[i] == 0x2D
            i += 1
        }
        var written = 0
        var sawExponentDigit = false
        while i < count, p[i] &- 0x30 < 10 {
            written = written * 10 + Int(p[i] &- 0x30)
            if written > 10_000 { return nil }
            sawExponentDigit = true
            i += 1
        }
        guard sawExponentDigit else { return nil }
        exponent += exponentNegative ? -written : written
    }
    guard i == count else { return nil }
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    guard mantissa < (1 << 53), exponent >= -22, exponent <= 22 else { return nil }
    let x = exponent < 0 ? Double(mantissa) / exactPowersOfTen[-exponent] : Double(mantissa) * exactPowersOfTen[exponent]
    if x.bitPattern & 0x1FFF_FFFF == 0x1000_0000 { return nil }
    let value = Float(x)
    guard value.isFinite else { return nil }
    return negative ? -value : value
}
