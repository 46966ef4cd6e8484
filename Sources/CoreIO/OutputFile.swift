// Kernel file: buffered POSIX output to a temporary file that replaces its destination by rename.
//
// Shapes: `buffer` [capacity] bytes, of which [0, count) are pending output; the temporary file
//         `<destination>.tmp-<pid>-<n>` lives in the destination's directory, so the final
//         rename(2) is atomic.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A file written in full, then moved into place: readers see the old file or the new one,
/// never a half-written one, and a failed write leaves the old file untouched.
///
/// What the path may name:
/// - nothing yet: the file is created;
/// - a regular file: it is replaced (keeping its permission bits);
/// - a symbolic link: the link is **followed**, as shell redirection and `cp` do — the file it
///   points to is replaced (or created, for a dangling link) and the link itself stays;
/// - anything else (a directory, a FIFO, a character or block device, a socket) is refused with
///   ``FileError/notARegularFile(path:kind:)``, so `/dev/full` or a named pipe is never
///   turned into a regular file.
/// ``init(path:protecting:)`` also refuses a destination that is the same file (same device and
/// inode) as any of the `protecting` paths, e.g. an open database and its journal.
public final class OutputFile {
    /// The path as given.
    public let path: String
    /// The file that will be replaced: `path` with symbolic links resolved.
    public let destination: String
    private let temporary: String
    private var descriptor: Int32
    private let buffer: UnsafeMutableRawBufferPointer
    private var count = 0
    private var committed = false
    private static let sequence = Atomic<Int>(0)

    /// Prepares to write `path`.
    ///
    /// - Parameter protected: files that must never be overwritten, each with what it is for the
    ///   message ("the model store w2v.sqlite").
    public init(path: String, protecting protected: [(path: String, what: String)] = [],
                bufferSize: Int = 1 << 20) throws(FileError) {
        self.path = path
        let resolved = try OutputFile.resolveDestination(path)
        destination = resolved.path
        var existingMode: mode_t? = nil
        if let info = resolved.info {
            let type = info.st_mode & S_IFMT
            guard type == S_IFREG else {
                if type == S_IFDIR { throw .isDirectory(path: path) }
                throw .notARegularFile(path: path, kind: OutputFile.describe(type))
            }
            for other in protected where OutputFile.isSameFile(info, other.path) {
                throw .sameFile(path: path, what: other.what)
            }
            existingMode = info.st_mode & 0o7777
        }
        let n = OutputFile.sequence.add(1, ordering: .relaxed).newValue
        temporary = "\(resolved.path).tmp-\(getpid())-\(n)"
        var fd: Int32
        repeat { fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) } while fd < 0 && errno == EINTR
        if fd < 0 { throw .writeFailed(path: path, reason: FileError.message(errno)) }
        if let existingMode { _ = fchmod(fd, existingMode) }
        descriptor = fd
        buffer = .allocate(byteCount: max(bufferSize, 64), alignment: 16)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !committed { unlink(temporary) }
        buffer.deallocate()
    }

    /// Appends raw bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(FileError) {
        var source = bytes.baseAddress
        var remaining = bytes.count
        while remaining > 0, let from = source {
            if count == buffer.count { try flush() }
            let n = min(remaining, buffer.count - count)
            (buffer.baseAddress! + count).copyMemory(from: from, byteCount: n)
            count += n
            remaining -= n
            source = from + n
        }
    }

    /// Appends one byte.
    public func write(byte: UInt8) throws(FileError) {
        if count == buffer.count { try flush() }
        buffer[count] = byte
        count += 1
    }

    /// Appends the UTF-8 bytes of `text`.
    public func write(_ text: String) throws(FileError) {
        var text = text
        let error: FileError? = text.withUTF8 { bytes in
            do throws(FileError) { try write(UnsafeRawBufferPointer(bytes)) } catch { return error }
            return nil
        }
        if let error { throw error }
    }

    /// Writes everything, forces it to disk and renames the temporary file over the destination.
    /// Without this call (an error, or the object going away) the destination is left as it was.
    public func commit() throws(FileError) {
        try flush()
        if fsync(descriptor) != 0 { throw .writeFailed(path: path, reason: FileError.message(errno)) }
        let closed = close(descriptor)
        descriptor = -1
        if closed != 0 { throw .writeFailed(path: path, reason: FileError.message(errno)) }
        if rename(temporary, destination) != 0 { throw .writeFailed(path: path, reason: FileError.message(errno)) }
        committed = true
        // Make the rename itself durable.
        let directory = OutputFile.directory(of: destination)
        let dirFD = open(directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    private func flush() throws(FileError) {
        var written = 0
        while written < count {
            let n = systemWrite(descriptor, buffer.baseAddress! + written, count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: FileError.message(errno))
            }
            written += n
        }
        count = 0
    }

    // MARK: - Paths

    /// Whether `path` names the same file (device and inode) as `other`; false when either is missing.
    public static func isSameFile(_ path: String, _ other: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return isSameFile(info, other)
    }

    private static func isSameFile(_ info: stat, _ other: String) -> Bool {
        var otherInfo = stat()
        guard stat(other, &otherInfo) == 0 else { return false }
        return info.st_dev == otherInfo.st_dev && info.st_ino == otherInfo.st_ino
    }

    /// `path` with its symbolic links followed (at most 40, as the kernel allows), and the
    /// `stat` of what it names (nil when nothing exists there yet).
    static func resolveDestination(_ path: String) throws(FileError) -> (path: String, info: stat?) {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            if lstat(current, &info) != 0 {
                let code = errno
                if code == ENOENT { return (current, nil) }
                throw .writeFailed(path: path, reason: FileError.message(code))
            }
            guard info.st_mode & S_IFMT == S_IFLNK else { return (current, info) }
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &target, target.count - 1)
            if length < 0 { throw .writeFailed(path: path, reason: FileError.message(errno)) }
            let link = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : directory(of: current) + "/" + link
        }
        throw .writeFailed(path: path, reason: FileError.message(ELOOP))
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFDIR: return "a directory"
        default: return "a special file"
        }
    }
}

/// `write(2)`, named apart from `OutputFile.write`.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
