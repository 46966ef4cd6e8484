#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A directory read as one corpus: its regular files in name order, as gensim's
/// `PathLineSentences` reads a directory.
///
/// Only the directory's own entries are read (no recursion); subdirectories, FIFOs, sockets and
/// devices are passed over, as are hidden files (names starting with `.`, such as `.DS_Store`).
/// A symbolic link counts as what it points to; a link that points nowhere is an error (its
/// file was presumably meant to be read). Names are ordered by their UTF-8 bytes (as Python
/// sorts `str`), so the order does not depend on the locale or the file system.
public enum InputDirectory {
    /// Whether `path` names a directory (following symbolic links).
    public static func isDirectory(_ path: String) -> Bool {
        guard path != InputFile.standardInputPath else { return false }
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// The paths (`directory/name`) of the regular files in `directory`, in name order.
    /// - Throws: ``FileError``: the directory cannot be opened or listed, or an entry is a
    ///   symbolic link to nothing (``FileError/notFound(path:)`` naming the entry).
    public static func regularFiles(in directory: String) throws(FileError) -> [String] {
        guard let handle = opendir(directory) else { throw FileError(path: directory, errorNumber: errno) }
        defer { closedir(handle) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { throw .readFailed(path: directory, reason: FileError.message(errno)) }
                break
            }
            let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            guard let first = name.first, first != UInt8(ascii: ".") else { continue }
            let path = prefix + String(decoding: name, as: UTF8.self)
            var info = stat()
            if stat(path, &info) != 0 {
                let code = errno
                var linkInfo = stat()
                if lstat(path, &linkInfo) == 0 && linkInfo.st_mode & S_IFMT == S_IFLNK {
                    throw .cannotOpen(path: path, reason: "it is a symbolic link to a file that does not exist")
                }
                throw FileError(path: path, errorNumber: code)
            }
            if info.st_mode & S_IFMT == S_IFREG { names.append(name) }
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        return names.map { prefix + String(decoding: $0, as: UTF8.self) }
    }
}
