import CoreIO
import Foundation
import Testing

/// Everything `input` hands out, read `chunk` bytes at a time.
func drain(_ input: DecompressingInput, chunk: Int = 1 << 16) throws -> [UInt8] {
    var bytes: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let n = try input.read(into: buffer)
        if n == 0 { return bytes }
        bytes.append(contentsOf: buffer[0..<n])
    }
}

/// Text of several kilobytes with some variety, so that compressed data spans several decoder steps.
func sampleText(lines: Int = 2_000) -> [UInt8] {
    var random = UInt64(42)
    var text = ""
    let words = ["the", "cat", "sat", "on", "mat", "naïve", "日本", "dog", "ran", "far"]
    for line in 0..<lines {
        for _ in 0..<(3 + line % 7) {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            text += words[Int(random >> 60) % words.count] + " "
        }
        text += "\n"
    }
    return Array(text.utf8)
}

func fnv(_ bytes: [UInt8]) -> UInt64 {
    var hash = FNV1a64()
    bytes.withUnsafeBytes { hash.combine($0) }
    return hash.value
}

@Suite("DecompressingInput")
struct DecompressingInputTests {
    @Test("the magic number decides the format, not the name")
    func detection() throws {
        #expect(Compression.detect([0x1F, 0x8B, 8, 0]) == .gzip)
        #expect(Compression.detect([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1]) == .xz)
        #expect(Compression.detect([0xFD, 0x37, 0x7A, 0x58, 0x5A]) == .none)  // a cut-short magic is text
        #expect(Compression.detect([0x1F]) == .none)
        #expect(Compression.detect(Array("hello".utf8)) == .none)
        #expect(Compression.detect([UInt8]()) == .none)
        let dir = try temporaryDirectory()
        // A .gz name holding plain text is read as text; gzip bytes named .txt are decompressed.
        let plain = dir + "/plain.gz"
        try Data("just text\n".utf8).write(to: URL(fileURLWithPath: plain))
        let plainInput = try DecompressingInput(path: plain)
        #expect(plainInput.compression == .none)
        #expect(try drain(plainInput) == Array("just text\n".utf8))
        let hidden = dir + "/hidden.txt"
        try Data(try Compression.gzip.compress(Array("zipped text\n".utf8))).write(to: URL(fileURLWithPath: hidden))
        let hiddenInput = try DecompressingInput(path: hidden)
        #expect(hiddenInput.compression == .gzip)
        #expect(try drain(hiddenInput) == Array("zipped text\n".utf8))
    }

    @Test("gzip and xz decode to the original text, counted and hashed as text, in any chunk size",
          arguments: [Compression.none, .gzip, .xz], [1, 7, 4096, 1 << 20])
    func roundTrip(format: Compression, chunk: Int) throws {
        let text = sampleText(lines: chunk == 1 ? 200 : 2_000)
        let encoded = try format.compress(text)
        if format != .none { #expect(encoded.count < text.count / 2, "\(format) compresses") }
        let input = try DecompressingInput(source: InputFile(bytes: encoded, path: "mem"))
        #expect(input.compression == format)
        #expect(try drain(input, chunk: chunk) == text)
        #expect(input.bytesRead == text.count)
        #expect(input.checksum == fnv(text))
        #expect(input.sourceBytesRead == encoded.count)
    }

    @Test("a plain source is described exactly as InputFile describes it")
    func plainMatchesInputFile() throws {
        let text = [0xEF, 0xBB, 0xBF] + Array("with a mark\n".utf8)
        let plain = InputFile(bytes: text, path: "mem", skippingByteOrderMark: true)
        let plainBytes = try plain.readAll()
        let input = try DecompressingInput(source: InputFile(bytes: text, path: "mem"), skippingByteOrderMark: true)
        #expect(try drain(input) == plainBytes)
        #expect(input.skippedByteOrderMark && plain.skippedByteOrderMark)
        #expect(input.bytesRead == plain.bytesRead && input.checksum == plain.checksum)
        #expect(input.offset == plain.offset)
    }

    @Test("a byte-order mark inside the compressed text is skipped, counted and hashed", arguments: [Compression.gzip, .xz])
    func byteOrderMarkInsideCompressedText(format: Compression) throws {
        let text = [0xEF, 0xBB, 0xBF] + Array("marked\n".utf8)
        let input = try DecompressingInput(source: InputFile(bytes: try format.compress(text), path: "mem"),
                                           skippingByteOrderMark: true)
        #expect(try drain(input) == Array("marked\n".utf8))
        #expect(input.skippedByteOrderMark)
        #expect(input.offset == text.count && input.bytesRead == text.count)
        #expect(input.checksum == fnv(text))
        // Short texts are handed out whole.
        let short = try DecompressingInput(source: InputFile(bytes: try format.compress([0xEF, 0xBB]), path: "mem"),
                                           skippingByteOrderMark: true)
        #expect(try drain(short) == [0xEF, 0xBB] && !short.skippedByteOrderMark)
    }

    @Test("concatenated gzip members and xz streams are read one after another, as gzip -d and xz -d do",
          arguments: [Compression.gzip, .xz])
    func concatenated(format: Compression) throws {
        let first = Array("first part\n".utf8), second = Array("second part\n".utf8)
        let input = try DecompressingInput(source: InputFile(bytes: try format.compress(first) + format.compress(second),
                                                             path: "mem"))
        #expect(try drain(input, chunk: 5) == first + second)
    }

    @Test("an empty source and an empty compressed text read as nothing", arguments: [Compression.none, .gzip, .xz])
    func empty(format: Compression) throws {
        let input = try DecompressingInput(source: InputFile(bytes: try format.compress([]), path: "mem"),
                                           skippingByteOrderMark: true)
        #expect(input.compression == format)
        #expect(try drain(input).isEmpty)
        #expect(input.bytesRead == 0)
    }

    @Test("a cut-short file is truncated data; damaged bytes are corrupt data; both name the file",
          arguments: [Compression.gzip, .xz])
    func damaged(format: Compression) throws {
        let encoded = try format.compress(sampleText())
        for cut in [format.magic.count + 1, encoded.count / 2, encoded.count - 1] {
            let input = try DecompressingInput(source: InputFile(bytes: Array(encoded.prefix(cut)), path: "cut.file"))
            #expect(input.compression == format)
            #expect(throws: FileError.truncatedData(path: "cut.file", format: format.rawValue),
                    "cut at \(cut) of \(encoded.count)") { _ = try drain(input) }
        }
        var flipped = encoded
        flipped[encoded.count / 2] ^= 0xFF
        let error = #expect(throws: FileError.self) {
            _ = try drain(try DecompressingInput(source: InputFile(bytes: flipped, path: "bad.file")))
        }
        guard case let .corruptData(path, name, detail)? = error else {
            Issue.record("expected corrupt data, got \(String(describing: error))")
            return
        }
        #expect(path == "bad.file" && name == format.rawValue && !detail.isEmpty)
        #expect(error?.problem.hasPrefix("bad.file cannot be read: its \(format.rawValue) data is corrupt (") == true)
        #expect(error?.remedy == "Check the file with `\(format.testCommand!) bad.file`, and copy or download it again.")
    }

    @Test("damaged data: the bytes decoded before the damage come first, then the error, whatever the buffer size",
          arguments: [Compression.gzip, .xz])
    func damageAfterOutput(format: Compression) throws {
        /// Everything read before the first error, and that error.
        func readUntilError(_ bytes: [UInt8], chunk: Int) throws -> ([UInt8], FileError?) {
            let input = try DecompressingInput(source: InputFile(bytes: bytes, path: "bad.file"))
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
            defer { buffer.deallocate() }
            var out: [UInt8] = []
            do {
                while true {
                    let n = try input.read(into: buffer)
                    if n == 0 { return (out, nil) }
                    out.append(contentsOf: buffer[0..<n])
                }
            } catch {
                // A later read repeats the error instead of handing out more bytes.
                #expect(throws: error) { _ = try input.read(into: buffer) }
                return (out, error)
            }
        }
        let text = sampleText(lines: 300)
        let encoded = try format.compress(text)
        var damagedCount = 0
        // The check at the end (gzip's CRC-32, xz's block check and index) and bytes inside the data.
        for position in [encoded.count - 8, encoded.count - 30, encoded.count / 2, encoded.count / 3] {
            var damaged = encoded
            damaged[position] ^= 0x55
            let (whole, wholeError) = try readUntilError(damaged, chunk: 1 << 20)
            for chunk in [1, 7, 29, 4096] {
                let (pieces, piecesError) = try readUntilError(damaged, chunk: chunk)
                #expect(pieces == whole, "damage at \(position), chunks of \(chunk)")
                #expect(piecesError == wholeError, "damage at \(position), chunks of \(chunk)")
            }
            if wholeError != nil { damagedCount += 1 }
        }
        #expect(damagedCount > 0)
        if format == .gzip {
            // A damaged CRC-32 after all the text: every byte is handed out, then the error.
            var badCheck = encoded
            badCheck[encoded.count - 8] ^= 0x55
            let (all, error) = try readUntilError(badCheck, chunk: 1 << 20)
            #expect(all == text)
            #expect(error == .corruptData(path: "bad.file", format: "gzip", detail: "incorrect data check"))
        }
    }

    @Test("readAll stops at its limit as the decoded bytes arrive (a small file that inflates hugely)",
          arguments: [Compression.none, .gzip, .xz])
    func readAllLimit(format: Compression) throws {
        let text = [UInt8](repeating: 0x30, count: 1 << 20)
        let encoded = try format.compress(text)
        if format != .none { #expect(encoded.count < 12_000) }
        #expect(try DecompressingInput(source: InputFile(bytes: encoded, path: "b")).readAll() == text)
        #expect(try DecompressingInput(source: InputFile(bytes: encoded, path: "b")).readAll(limit: text.count) == text)
        #expect(throws: FileError.tooLarge(path: "b", limit: 100_000)) {
            try DecompressingInput(source: InputFile(bytes: encoded, path: "b")).readAll(limit: 100_000)
        }
    }

    @Test("bytes after the end of a gzip member are refused, not ignored")
    func trailingGarbage() throws {
        let encoded = try Compression.gzip.compress(Array("text\n".utf8)) + Array("junk".utf8)
        #expect(throws: FileError.corruptData(path: "t.gz", format: "gzip", detail: "there are bytes after the end of the compressed data")) {
            _ = try drain(try DecompressingInput(source: InputFile(bytes: encoded, path: "t.gz")))
        }
    }

    @Test("a compressed FIFO is decompressed in one pass, its size unknown")
    func fifo() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        let text = sampleText(lines: 3_000)
        let encoded = try Compression.xz.compress(text)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: path)!
            handle.write(Data(encoded))
            try? handle.close()
        }
        writer.start()
        let input = try DecompressingInput(path: path)
        #expect(input.sourceSize == nil)
        #expect(try drain(input) == text)
        #expect(input.compression == .xz)
    }
}

@Suite("InputDirectory")
struct InputDirectoryTests {
    @Test("regular files in name order; hidden files, subdirectories and FIFOs passed over; links followed")
    func listing() throws {
        let dir = try temporaryDirectory()
        for name in ["b.txt", "a.txt", "B.txt", "c.gz", ".hidden", "é.txt"] {
            try Data("x\n".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
        #expect(mkfifo(dir + "/pipe", 0o600) == 0)
        #expect(symlink(dir + "/a.txt", dir + "/link.txt") == 0)
        #expect(InputDirectory.isDirectory(dir) && !InputDirectory.isDirectory(dir + "/a.txt") && !InputDirectory.isDirectory("-"))
        let files = try InputDirectory.regularFiles(in: dir).map { String($0.dropFirst(dir.count + 1)) }
        #expect(files == ["B.txt", "a.txt", "b.txt", "c.gz", "link.txt", "é.txt"])
        #expect(try InputDirectory.regularFiles(in: dir + "/").first == dir + "/B.txt")
    }

    @Test("an empty directory lists nothing; a link to nothing and a missing directory are errors naming them")
    func errors() throws {
        let dir = try temporaryDirectory()
        #expect(try InputDirectory.regularFiles(in: dir).isEmpty)
        #expect(symlink(dir + "/nowhere", dir + "/dangling.txt") == 0)
        #expect(throws: FileError.cannotOpen(path: dir + "/dangling.txt", reason: "it is a symbolic link to a file that does not exist")) {
            try InputDirectory.regularFiles(in: dir)
        }
        #expect(throws: FileError.notFound(path: dir + "/missing")) { try InputDirectory.regularFiles(in: dir + "/missing") }
    }
}
