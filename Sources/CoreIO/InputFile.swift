// Kernel file: the one POSIX read loop of the toolkit, with its errno-to-message mapping.
//
// Shapes: `read(into:)` fills a caller's raw buffer [0, n) with the next n bytes of the source
//         (a file descriptor, or bytes held in memory); `pending` holds the at most 3 bytes read
//         ahead while looking for a UTF-8 byte-order mark, handed out before the descriptor's.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte source read once from start to end: a file by path, standard input (`-`), a FIFO or
/// device, or bytes held in memory.
///
/// Every module that reads files reads them through this type, so that they all behave the
/// same: `EINTR` is retried, errors carry one errno-to-message mapping (``FileError``), a
/// directory is refused at open, standard input and FIFOs are read in one pass (never opened
/// twice), and a leading UTF-8 byte-order mark can be skipped. The FNV-1a 64 checksum and the
/// byte count of everything read (BOM included) are kept as a side effect, so a corpus that
/// arrives through a pipe is described by the same single pass that read it.
///
/// A reference type because it owns a file descriptor (closed on deinit; standard input is
/// never closed).
public final class InputFile {
    /// The path that means standard input.
    public static let standardInputPath = "-"

    /// What the bytes come from.
    public enum Kind: Sendable, Equatable {
        /// A regular file whose size is known when it is opened.
        case regularFile(size: Int)
        /// A stream of unknown length: standard input, a pipe, a FIFO, a character device, a socket.
        case stream
        /// Bytes held in memory.
        case memory
    }

    /// The path as given (`-` for standard input).
    public let path: String
    /// The source's kind.
    public let kind: Kind
    /// The number of bytes taken from the source so far (the byte-order mark included; a few
    /// bytes may have been read ahead, see ``offset``).
    public private(set) var bytesRead = 0
    /// Whether a leading UTF-8 byte-order mark was found and skipped.
    public private(set) var skippedByteOrderMark = false

    private let descriptor: Int32
    private let closesDescriptor: Bool
    private var memory: [UInt8]
    private var memoryPosition = 0
    private var pending: [UInt8] = []
    private var hash = FNV1a64()
    private var atEnd = false

    /// Opens `path` for reading (`-` is standard input).
    ///
    /// - Parameter skippingByteOrderMark: drop a leading `EF BB BF` (the UTF-8 BOM some editors
    ///   write) so that it never becomes part of the first word or header. Reading ahead for it
    ///   waits for the first 3 bytes of a stream.
    /// - Throws: ``FileError``: no such file, permission denied, a directory, another
    ///   `open(2)`/`fstat(2)` failure.
    public init(path: String, skippingByteOrderMark: Bool = false) throws(FileError) {
        self.path = path
        memory = []
        if path == Self.standardInputPath {
            descriptor = STDIN_FILENO
            closesDescriptor = false
        } else {
            var fd: Int32
            repeat { fd = open(path, O_RDONLY | O_CLOEXEC) } while fd < 0 && errno == EINTR
            if fd < 0 { throw FileError(path: path, errorNumber: errno) }
            descriptor = fd
            closesDescriptor = true
        }
        var info = stat()
        if fstat(descriptor, &info) != 0 {
            let code = errno
            if closesDescriptor { close(descriptor) }
            throw FileError(path: path, errorNumber: code)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            if closesDescriptor { close(descriptor) }
            throw .isDirectory(path: path)
        case S_IFREG:
            kind = .regularFile(size: Int(info.st_size))
        default:
            kind = .stream
        }
        if skippingByteOrderMark { try lookForByteOrderMark() }
    }

    /// A source that reads `bytes` (for tests, fuzzing and text already in memory); `path` names
    /// it in messages.
    public init(bytes: [UInt8], path: String, skippingByteOrderMark: Bool = false) {
        self.path = path
        kind = .memory
        descriptor = -1
        closesDescriptor = false
        memory = bytes
        if skippingByteOrderMark {
            // Memory reads cannot fail.
            try? lookForByteOrderMark()
        }
    }

    deinit {
        if closesDescriptor { close(descriptor) }
    }

    /// A name for messages: the path, or "standard input".
    public var displayName: String { path == Self.standardInputPath ? "standard input" : path }

    /// The source's size in bytes when it is known in advance (regular files and memory).
    public var size: Int? {
        switch kind {
        case let .regularFile(size): return size
        case .memory: return memory.count
        case .stream: return nil
        }
    }

    /// The offset in the source of the next byte ``read(into:)`` returns: the bytes handed out
    /// so far plus a skipped byte-order mark.
    public var offset: Int { bytesRead - pending.count }

    /// The FNV-1a 64 hash of the bytes read so far (``bytesRead`` of them, BOM included).
    public var checksum: UInt64 { hash.value }

    /// Reads the next bytes into `buffer`; returns how many (0 only at the end of the source).
    /// `EINTR` is retried; any other failure is a ``FileError/readFailed(path:reason:)``.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        if !pending.isEmpty {
            let n = min(pending.count, buffer.count)
            pending.withUnsafeBytes { base.copyMemory(from: $0.baseAddress!, byteCount: n) }
            pending.removeFirst(n)
            return n
        }
        let n = try rawRead(base, buffer.count)
        if n > 0 { account(UnsafeRawBufferPointer(start: base, count: n)) }
        return n
    }

    /// Reads until `buffer` is full or the source ends; returns how many bytes were read.
    public func readFully(into buffer: UnsafeMutableRawBufferPointer) throws(FileError) -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    /// Reads the rest of the source without keeping it: afterwards ``bytesRead`` and ``checksum``
    /// describe the whole file (a corpus's size and FNV-1a 64 hash, in one bounded pass).
    public func skipToEnd() throws(FileError) {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { chunk.deallocate() }
        while try read(into: chunk) > 0 {}
    }

    /// The rest of the source. More than `limit` bytes is an error (``FileError/tooLarge(path:limit:)``),
    /// so that a small-file reader never takes in an unbounded stream.
    public func readAll(limit: Int = Int.max) throws(FileError) -> [UInt8] {
        try collectAll(path: path, limit: limit, expected: size.map { $0 - min($0, bytesRead) }, read: read(into:))
    }

    // MARK: - Internals

    /// One read from the descriptor or memory, uncounted.
    private func rawRead(_ base: UnsafeMutableRawPointer, _ count: Int) throws(FileError) -> Int {
        if atEnd { return 0 }
        if case .memory = kind {
            let n = min(count, memory.count - memoryPosition)
            if n > 0 {
                memory.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + memoryPosition, byteCount: n) }
                memoryPosition += n
            }
            if n == 0 { atEnd = true }
            return n
        }
        while true {
            let n = systemRead(descriptor, base, count)
            if n < 0 {
                if errno == EINTR { continue }
                throw .readFailed(path: path, reason: FileError.message(errno))
            }
            if n == 0 { atEnd = true }
            return n
        }
    }

    private func account(_ bytes: UnsafeRawBufferPointer) {
        bytesRead += bytes.count
        hash.combine(bytes)
    }

    private func lookForByteOrderMark() throws(FileError) {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 3, alignment: 1)
        defer { scratch.deallocate() }
        var got = 0
        while got < 3 {
            let n = try rawRead(scratch.baseAddress! + got, 3 - got)
            if n == 0 { break }
            got += n
        }
        let head = Array(UnsafeRawBufferPointer(rebasing: scratch[0..<got]))
        account(UnsafeRawBufferPointer(rebasing: scratch[0..<got]))
        if head == [0xEF, 0xBB, 0xBF] {
            skippedByteOrderMark = true
        } else {
            pending = head
        }
    }
}

/// `read(2)`, named apart from `InputFile.read(into:)`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// FNV-1a, 64 bits: h ← (h ⊕ byte) · 1099511628211, from h = 14695981039346656037
/// (Fowler, Noll & Vo). Cheap, streaming, and good enough to tell whether a file changed.
public struct FNV1a64: Sendable, Equatable {
    /// The hash of the bytes combined so far.
    public private(set) var value: UInt64 = 14_695_981_039_346_656_037

    public init() {}

    /// Folds `bytes` into the hash.
    public mutating func combine(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for byte in bytes { h = (h ^ UInt64(byte)) &* 1_099_511_628_211 }
        value = h
    }

    /// `value` as 16 lowercase hex digits.
    public var hexDigits: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Every byte `read` hands out until it returns 0, at most `limit` of them (more is
/// ``FileError/tooLarge(path:limit:)``); `expected` (when known) sizes the array up front.
func collectAll(path: String, limit: Int, expected: Int?,
                read: (UnsafeMutableRawBufferPointer) throws(FileError) -> Int) throws(FileError) -> [UInt8] {
    var bytes: [UInt8] = []
    if let expected { bytes.reserveCapacity(min(expected, limit)) }
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { chunk.deallocate() }
    while true {
        let n = try read(chunk)
        if n == 0 { return bytes }
        if n > limit - bytes.count { throw .tooLarge(path: path, limit: limit) }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
    }
}
