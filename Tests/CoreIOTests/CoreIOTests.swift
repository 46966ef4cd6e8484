import CoreIO
import Foundation
import Testing

/// A fresh temporary directory for one test.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "coreio-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func readAllText(_ input: InputFile) throws -> String {
    String(decoding: try input.readAll(), as: UTF8.self)
}

@Suite("InputFile")
struct InputFileTests {
    @Test func readsARegularFileAndKnowsItsSize() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/a.txt"
        try "hello world\n".write(toFile: path, atomically: false, encoding: .utf8)
        let input = try InputFile(path: path)
        #expect(input.kind == .regularFile(size: 12))
        #expect(input.size == 12)
        #expect(try readAllText(input) == "hello world\n")
        #expect(input.bytesRead == 12)
    }

    @Test func checksumIsFNV1a64OfEveryByteRead() throws {
        // Published FNV-1a 64 test vectors (Fowler–Noll–Vo reference implementation).
        let golden: [(String, UInt64)] = [("", 0xCBF2_9CE4_8422_2325), ("a", 0xAF63_DC4C_8601_EC8C),
                                          ("foobar", 0x8594_4171_F739_67E8)]
        for (text, hash) in golden {
            let input = InputFile(bytes: Array(text.utf8), path: "mem")
            _ = try input.readAll()
            #expect(input.checksum == hash, "FNV-1a 64 of \"\(text)\"")
        }
    }

    @Test func byteOrderMarkIsSkippedButCountedAndHashed() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("king queen".utf8)
        let input = InputFile(bytes: bytes, path: "mem", skippingByteOrderMark: true)
        #expect(try readAllText(input) == "king queen")
        #expect(input.skippedByteOrderMark)
        #expect(input.bytesRead == bytes.count)
        var hash = FNV1a64()
        bytes.withUnsafeBytes { hash.combine($0) }
        #expect(input.checksum == hash.value)
        // Without the option, the mark is data.
        let raw = InputFile(bytes: bytes, path: "mem")
        #expect(try raw.readAll() == bytes)
    }

    @Test func shortFilesAndPartialMarksAreLeftAlone() throws {
        for bytes: [UInt8] in [[], [0xEF], [0xEF, 0xBB], [0xEF, 0xBB, 0x41], Array("ab".utf8)] {
            let input = InputFile(bytes: bytes, path: "mem", skippingByteOrderMark: true)
            #expect(try input.readAll() == bytes)
            #expect(!input.skippedByteOrderMark)
        }
    }

    @Test func aFIFOIsReadInOnePass() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/fifo"
        #expect(mkfifo(path, 0o600) == 0)
        let text = String(repeating: "the quick brown fox ", count: 20_000)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(Data(text.utf8))
            try? handle.close()
        }
        writer.start()
        let input = try InputFile(path: path, skippingByteOrderMark: true)
        #expect(input.kind == .stream)
        #expect(input.size == nil)
        #expect(try readAllText(input) == text)
    }

    @Test func readFullyFillsTheBufferAcrossChunks() throws {
        let input = InputFile(bytes: Array(0..<200), path: "mem")
        var buffer = [UInt8](repeating: 0, count: 150)
        let n = try buffer.withUnsafeMutableBytes { try input.readFully(into: $0) }
        #expect(n == 150 && buffer == Array(0..<150))
        let rest = try buffer.withUnsafeMutableBytes { try input.readFully(into: $0) }
        #expect(rest == 50)
    }

    @Test func errorsNameTheFileAndTheReason() throws {
        let dir = try temporaryDirectory()
        #expect(throws: FileError.notFound(path: dir + "/missing")) { try InputFile(path: dir + "/missing") }
        #expect(throws: FileError.notFound(path: dir + "/missing/x")) { try InputFile(path: dir + "/missing/x") }
        #expect(throws: FileError.isDirectory(path: dir)) { try InputFile(path: dir) }
        #expect(FileError(path: "p", errorNumber: EACCES) == .permissionDenied(path: "p"))
        #expect(FileError(path: "p", errorNumber: EPERM) == .permissionDenied(path: "p"))
        #expect(FileError(path: "p", errorNumber: EISDIR) == .isDirectory(path: "p"))
        #expect(FileError(path: "p", errorNumber: EIO) == .cannotOpen(path: "p", reason: String(cString: strerror(EIO))))
        #expect(throws: FileError.tooLarge(path: "mem", limit: 4)) {
            try InputFile(bytes: Array(0..<10), path: "mem").readAll(limit: 4)
        }
        #expect(FileError.permissionDenied(path: "-").description
                == "Standard input cannot be read: permission denied (check the file's permissions).")
    }
}

@Suite("OutputFile")
struct OutputFileTests {
    func write(_ text: String, to path: String, protecting: [(path: String, what: String)] = []) throws {
        let output = try OutputFile(path: path, protecting: protecting)
        try output.write(text)
        try output.commit()
    }

    func contents(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    func leftovers(in dir: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
    }

    @Test func createsAndReplacesRegularFilesKeepingTheirMode() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/out.txt"
        try write("one", to: path)
        #expect(try contents(path) == "one")
        chmod(path, 0o600)
        try write("two", to: path)
        #expect(try contents(path) == "two")
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try leftovers(in: dir).isEmpty)
    }

    @Test func anUncommittedWriteLeavesTheOldFileAndNoTemporary() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/out.txt"
        try write("kept", to: path)
        do {
            let output = try OutputFile(path: path)
            try output.write("half-written")
        }
        #expect(try contents(path) == "kept")
        #expect(try leftovers(in: dir).isEmpty)
    }

    @Test func symbolicLinksAreFollowedAndStay() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        try write("old", to: dir + "/real/target.txt")
        #expect(symlink("real/target.txt", dir + "/link.txt") == 0)
        try write("new", to: dir + "/link.txt")
        #expect(try contents(dir + "/real/target.txt") == "new")
        let type = try FileManager.default.attributesOfItem(atPath: dir + "/link.txt")[.type] as? FileAttributeType
        #expect(type == .typeSymbolicLink)
        // A dangling link: the file it names is created.
        #expect(symlink(dir + "/real/fresh.txt", dir + "/dangling") == 0)
        try write("fresh", to: dir + "/dangling")
        #expect(try contents(dir + "/real/fresh.txt") == "fresh")
        #expect(try leftovers(in: dir + "/real").isEmpty)
    }

    @Test func specialFilesAreRefusedAndLeftAsTheyWere() throws {
        let dir = try temporaryDirectory()
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        #expect(throws: FileError.notARegularFile(path: dir + "/fifo", kind: "a named pipe (FIFO)")) {
            try write("x", to: dir + "/fifo")
        }
        #expect(throws: FileError.notARegularFile(path: "/dev/null", kind: "a character device")) {
            try write("x", to: "/dev/null")
        }
        #expect(throws: FileError.isDirectory(path: dir)) { try write("x", to: dir) }
        #expect(symlink("/dev/null", dir + "/null-link") == 0)
        #expect(throws: FileError.notARegularFile(path: dir + "/null-link", kind: "a character device")) {
            try write("x", to: dir + "/null-link")
        }
        var info = stat()
        #expect(stat(dir + "/fifo", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func protectedFilesAreRefusedThroughAnyPath() throws {
        let dir = try temporaryDirectory()
        let store = dir + "/w2v.sqlite"
        try write("database", to: store)
        #expect(symlink(store, dir + "/alias") == 0)
        #expect(link(store, dir + "/hardlink") == 0)
        let protected = [(path: store, what: "the model store")]
        for path in [store, dir + "/alias", dir + "/hardlink", dir + "/./w2v.sqlite"] {
            #expect(throws: FileError.sameFile(path: path, what: "the model store")) {
                try write("vectors", to: path, protecting: protected)
            }
        }
        #expect(try contents(store) == "database")
        #expect(OutputFile.isSameFile(dir + "/alias", store))
        #expect(!OutputFile.isSameFile(dir + "/missing", store))
    }

    @Test func aMissingDirectoryIsAWriteFailure() throws {
        let dir = try temporaryDirectory()
        #expect(throws: FileError.writeFailed(path: dir + "/no/such/file", reason: String(cString: strerror(ENOENT)))) {
            try write("x", to: dir + "/no/such/file")
        }
    }
}
