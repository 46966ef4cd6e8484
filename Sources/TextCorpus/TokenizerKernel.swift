// Kernel: the byte-level tokenizer and token hash table behind `EncodedCorpus`.
//
// Shapes: input is a stream of byte chunks of any sizes (a token or a UTF-8 sequence may straddle
// chunk boundaries; a chunk may be 1 byte); output is one provisional `Int32` id per token, in
// corpus order, plus a table of distinct token byte strings with their counts, where the
// provisional id of a token is the order of its first occurrence (after any pre-seeded words).
// Memory: the current token (at most `maximumTokenBytes`), the distinct words, and the ids.
// All buffers are malloc'ed and owned by `ByteTokenizer`; nothing here allocates per token
// except when the table, arena or id buffer doubles.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TensorCore
import CoreIO

/// A streaming UTF-8 validator, whitespace tokenizer and token interner; one instance reads one
/// corpus. A noncopyable struct (not a class) so that its state is accessed without dynamic
/// exclusivity checks in the per-byte loop; `deinit` frees the buffers.
struct ByteTokenizer: ~Copyable {
    // Options.
    private let lowercase: Bool
    private let policy: InvalidUTF8Policy
    private let maximumTokenBytes: Int
    private let marker: [UInt8]?
    private var sourceName: String

    // The token being assembled.
    private let token: UnsafeMutablePointer<UInt8>
    private var tokenLength = 0
    private var tokenStart = 0
    private var tokenIsASCII = true
    private var lineHasTokens = false

    // UTF-8 decoder state (Unicode 15, table 3-7).
    private var pending = 0
    private var low: UInt8 = 0x80
    private var high: UInt8 = 0xBF
    private var scalar: UInt32 = 0
    private var sequenceStart = 0
    private var sequenceTokenLength = 0

    /// Global byte offset of the start of the chunk being consumed.
    private(set) var bytesConsumed = 0

    /// Sets the byte offset of the first byte to come (bytes of the file skipped before it, such
    /// as a byte-order mark, still count in the offsets that messages give).
    mutating func startOffset(_ offset: Int) { bytesConsumed = offset }

    /// Ends the source read so far (its last line ends there, a truncated UTF-8 sequence is
    /// invalid) and starts the next one, named `name` in messages, whose offsets count from
    /// `offset`: the files of a directory are read as if each were read alone, and no word
    /// joins the end of one file to the start of the next.
    mutating func beginSource(named name: String, offset: Int) throws(CorpusError) {
        try finish()
        sourceName = name
        bytesConsumed = offset
    }

    // Open-addressing hash table (linear probing, load <= 1/2); see `intern`.
    private var slots: UnsafeMutablePointer<UInt64>
    private var slotMask: Int
    // Entries (distinct tokens), index = provisional id.
    private var entryHash: UnsafeMutablePointer<UInt64>
    private var entryStart: UnsafeMutablePointer<Int>
    private var entryLength: UnsafeMutablePointer<Int32>
    private var entryCount: UnsafeMutablePointer<Int>
    private(set) var entries = 0
    private var entryCapacity: Int
    // Token bytes of all entries, back to back.
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaUsed = 0
    private var arenaCapacity: Int
    // Provisional ids of all tokens.
    private var ids: UnsafeMutablePointer<Int32>
    private(set) var tokenCount = 0
    private var idCapacity: Int

    init(options: CorpusOptions, sourceName: String, expectedBytes: Int) {
        lowercase = options.lowercase
        policy = options.invalidUTF8
        maximumTokenBytes = options.maximumTokenBytes
        marker = options.endOfSentenceMarker.map { Array($0.utf8) }
        self.sourceName = sourceName
        token = ByteTokenizer.allocate(UInt8.self, options.maximumTokenBytes + 8)
        let initialSlots = 1 << 12
        slots = ByteTokenizer.allocate(UInt64.self, initialSlots)
        slots.initialize(repeating: 0, count: initialSlots)
        slotMask = initialSlots - 1
        entryCapacity = initialSlots / 2
        entryHash = ByteTokenizer.allocate(UInt64.self, entryCapacity)
        entryStart = ByteTokenizer.allocate(Int.self, entryCapacity)
        entryLength = ByteTokenizer.allocate(Int32.self, entryCapacity)
        entryCount = ByteTokenizer.allocate(Int.self, entryCapacity)
        arenaCapacity = 1 << 16
        arena = ByteTokenizer.allocate(UInt8.self, arenaCapacity)
        // About one token per 6 bytes of English text; grows by doubling when wrong.
        idCapacity = max(1024, min(expectedBytes / 6 + 16, 1 << 28))
        ids = ByteTokenizer.allocate(Int32.self, idCapacity)
    }

    deinit {
        free(token); free(slots); free(entryHash); free(entryStart); free(entryLength)
        free(entryCount); free(arena); free(ids)
    }

    private static func allocate<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = malloc(max(1, count) * MemoryLayout<T>.stride) else {
            fatalError("Out of memory allocating \(count) elements for the corpus tokenizer.")
        }
        return raw.bindMemory(to: T.self, capacity: count)
    }

    private static func reallocate<T>(_ pointer: UnsafeMutablePointer<T>, _ count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = realloc(pointer, max(1, count) * MemoryLayout<T>.stride) else {
            fatalError("Out of memory growing a corpus tokenizer buffer to \(count) elements.")
        }
        return raw.bindMemory(to: T.self, capacity: count)
    }

    // MARK: Streaming

    /// Tokenizes the next chunk of the byte stream.
    mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>) throws(CorpusError) {
        guard let base = chunk.baseAddress else { return }
        let n = chunk.count
        var i = 0
        while i < n {
            let b = base[i]
            if pending == 0 {
                if b > 0x20 && b < 0x80 {
                    if tokenLength == 0 { tokenStart = bytesConsumed + i }
                    token[tokenLength] = (lowercase && b >= 0x41 && b <= 0x5A) ? b | 0x20 : b
                    tokenLength += 1
                    if tokenLength > maximumTokenBytes { throw tooLong() }
                } else if b == 0x20 || (b >= 0x09 && b <= 0x0D) {
                    if b == 0x0A { endLine() } else { endToken() }
                } else if b == 0 {
                    switch policy {
                    case .error: throw .nulByte(path: sourceName, byteOffset: bytesConsumed + i)
                    case .replace: try appendReplacement(at: bytesConsumed + i)
                    case .skip: break
                    }
                } else if b < 0x80 {
                    // Other C0 controls are ordinary token bytes, as in Python's str.split().
                    if tokenLength == 0 { tokenStart = bytesConsumed + i }
                    token[tokenLength] = b
                    tokenLength += 1
                    if tokenLength > maximumTokenBytes { throw tooLong() }
                } else {
                    low = 0x80
                    high = 0xBF
                    switch b {
                    case 0xC2...0xDF: pending = 1; scalar = UInt32(b & 0x1F)
                    case 0xE0: pending = 2; low = 0xA0; scalar = UInt32(b & 0x0F)
                    case 0xE1...0xEC, 0xEE, 0xEF: pending = 2; scalar = UInt32(b & 0x0F)
                    case 0xED: pending = 2; high = 0x9F; scalar = UInt32(b & 0x0F)
                    case 0xF0: pending = 3; low = 0x90; scalar = UInt32(b & 0x07)
                    case 0xF1...0xF3: pending = 3; scalar = UInt32(b & 0x07)
                    case 0xF4: pending = 3; high = 0x8F; scalar = UInt32(b & 0x07)
                    default:
                        // A continuation byte without a lead, or a byte never used in UTF-8.
                        try invalidSequence(at: bytesConsumed + i)
                        i += 1
                        continue
                    }
                    sequenceStart = bytesConsumed + i
                    sequenceTokenLength = tokenLength
                    if tokenLength == 0 { tokenStart = sequenceStart }
                    token[tokenLength] = b
                    tokenLength += 1
                    if tokenLength > maximumTokenBytes { throw tooLong() }
                }
            } else if b >= low && b <= high {
                token[tokenLength] = b
                tokenLength += 1
                if tokenLength > maximumTokenBytes { throw tooLong() }
                scalar = (scalar << 6) | UInt32(b & 0x3F)
                low = 0x80
                high = 0xBF
                pending -= 1
                if pending == 0 {
                    if ByteTokenizer.isUnicodeWhitespace(scalar) {
                        tokenLength = sequenceTokenLength
                        endToken()
                    } else {
                        tokenIsASCII = false
                    }
                }
            } else {
                // The sequence since `sequenceStart` is a maximal ill-formed subpart; the current
                // byte is examined again as the possible start of a new sequence.
                tokenLength = sequenceTokenLength
                pending = 0
                try invalidSequence(at: sequenceStart)
                continue
            }
            i += 1
        }
        bytesConsumed += n
    }

    /// Ends the stream: a truncated final UTF-8 sequence is invalid; the last token and line end.
    mutating func finish() throws(CorpusError) {
        if pending > 0 {
            tokenLength = sequenceTokenLength
            pending = 0
            try invalidSequence(at: sequenceStart)
        }
        endLine()
    }

    private func tooLong() -> CorpusError {
        .tokenTooLong(path: sourceName, byteOffset: tokenStart, limit: maximumTokenBytes)
    }

    private mutating func invalidSequence(at offset: Int) throws(CorpusError) {
        switch policy {
        case .error: throw .invalidUTF8(path: sourceName, byteOffset: offset)
        case .replace: try appendReplacement(at: offset)
        case .skip: break
        }
    }

    private mutating func appendReplacement(at offset: Int) throws(CorpusError) {
        if tokenLength == 0 { tokenStart = offset }
        token[tokenLength] = 0xEF
        token[tokenLength + 1] = 0xBF
        token[tokenLength + 2] = 0xBD
        tokenLength += 3
        tokenIsASCII = false
        if tokenLength > maximumTokenBytes { throw tooLong() }
    }

    /// Unicode White_Space code points outside ASCII.
    @inline(__always)
    private static func isUnicodeWhitespace(_ s: UInt32) -> Bool {
        switch s {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    private mutating func endToken() {
        guard tokenLength > 0 else { return }
        if lowercase && !tokenIsASCII {
            let lowered = Array(String(decoding: UnsafeBufferPointer(start: token, count: tokenLength),
                                       as: UTF8.self).lowercased().utf8)
            lowered.withUnsafeBufferPointer { emit($0.baseAddress!, $0.count) }
        } else {
            emit(token, tokenLength)
        }
        tokenLength = 0
        tokenIsASCII = true
        lineHasTokens = true
    }

    private mutating func endLine() {
        endToken()
        if lineHasTokens, let marker {
            marker.withUnsafeBufferPointer { emit($0.baseAddress!, $0.count) }
        }
        lineHasTokens = false
    }

    // MARK: Hash table

    @inline(__always)
    private static func hash(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for k in 0..<length { h = (h ^ UInt64(bytes[k])) &* 0x0000_0100_0000_01B3 }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }

    /// The entry of the token `bytes[0..<length]`, inserted (with count 0) when new.
    ///
    /// A slot holds `(tag << 32) | (entry + 1)`, 0 when empty, where `tag` is the hash's top 32
    /// bits: a probe rejects most other words without touching the entry arrays.
    @inline(__always)
    mutating func intern(_ bytes: UnsafePointer<UInt8>, _ length: Int) -> Int32 {
        let h = ByteTokenizer.hash(bytes, length)
        let tag = h & 0xFFFF_FFFF_0000_0000
        var slot = Int(truncatingIfNeeded: h) & slotMask
        while true {
            let value = slots[slot]
            if value == 0 { break }
            if value & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = Int(truncatingIfNeeded: value & 0xFFFF_FFFF) - 1
                if Int(entryLength[entry]) == length {
                    let stored = arena + entryStart[entry]
                    var k = 0
                    while k < length && stored[k] == bytes[k] { k += 1 }
                    if k == length { return Int32(entry) }
                }
            }
            slot = (slot + 1) & slotMask
        }
        // New entry.
        if entries == entryCapacity {
            entryCapacity *= 2
            entryHash = ByteTokenizer.reallocate(entryHash, entryCapacity)
            entryStart = ByteTokenizer.reallocate(entryStart, entryCapacity)
            entryLength = ByteTokenizer.reallocate(entryLength, entryCapacity)
            entryCount = ByteTokenizer.reallocate(entryCount, entryCapacity)
        }
        if arenaUsed + length > arenaCapacity {
            while arenaUsed + length > arenaCapacity { arenaCapacity *= 2 }
            arena = ByteTokenizer.reallocate(arena, arenaCapacity)
        }
        (arena + arenaUsed).update(from: bytes, count: length)
        let entry = entries
        entryHash[entry] = h
        entryStart[entry] = arenaUsed
        entryLength[entry] = Int32(length)
        entryCount[entry] = 0
        arenaUsed += length
        entries += 1
        slots[slot] = tag | UInt64(entry + 1)
        if entries * 2 > slotMask + 1 { growSlots() }
        return Int32(entry)
    }

    private mutating func growSlots() {
        let newCount = (slotMask + 1) * 2
        free(slots)
        slots = ByteTokenizer.allocate(UInt64.self, newCount)
        slots.initialize(repeating: 0, count: newCount)
        slotMask = newCount - 1
        for entry in 0..<entries {
            let h = entryHash[entry]
            var slot = Int(truncatingIfNeeded: h) & slotMask
            while slots[slot] != 0 { slot = (slot + 1) & slotMask }
            slots[slot] = (h & 0xFFFF_FFFF_0000_0000) | UInt64(entry + 1)
        }
    }

    @inline(__always)
    private mutating func emit(_ bytes: UnsafePointer<UInt8>, _ length: Int) {
        let entry = intern(bytes, length)
        entryCount[Int(entry)] += 1
        if tokenCount == idCapacity {
            idCapacity *= 2
            ids = ByteTokenizer.reallocate(ids, idCapacity)
        }
        ids[tokenCount] = entry
        tokenCount += 1
    }

    /// Interns a word given as a String (used to pre-seed an existing vocabulary).
    mutating func intern(_ word: String) -> Int32 {
        var bytes = Array(word.utf8)
        if bytes.isEmpty { bytes = [0] }  // never matches a token; keeps ids aligned
        return bytes.withUnsafeBufferPointer { intern($0.baseAddress!, $0.count) }
    }

    // MARK: Results

    /// How often entry `entry` occurred.
    func count(ofEntry entry: Int) -> Int { entryCount[entry] }

    /// The token of entry `entry`; valid UTF-8 by construction.
    func word(ofEntry entry: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: arena + entryStart[entry], count: Int(entryLength[entry])),
               as: UTF8.self)
    }

    /// The token ids mapped through `remap` (provisional id -> final id or -1).
    func remappedIds(_ remap: [Int32]) -> [Int32] {
        let n = tokenCount
        let source = ids
        return remap.withUnsafeBufferPointer { table in
            [Int32](unsafeUninitializedCapacity: n) { buffer, initialized in
                let out = buffer.baseAddress!
                for k in 0..<n { out[k] = table[Int(source[k])] }
                initialized = n
            }
        }
    }

    /// Drops the provisional id buffer (after ``remappedIds(_:)``) to lower peak memory.
    mutating func releaseIds() {
        free(ids)
        ids = ByteTokenizer.allocate(Int32.self, 1)
        idCapacity = 1
        tokenCount = 0
    }
}

/// Where a read stands in the whole corpus, for progress fractions over several files: the
/// source bytes of the files already read and of all files (nil when unknown, e.g. a stream).
struct ReadProgressBase {
    var completedBytes = 0
    var totalBytes: Int?
}

/// The error to report when the text of `input` is refused by the tokenizer (`error`: invalid
/// UTF-8, a token that is too long): for a compressed input, the rest is decoded (not tokenised)
/// and damage found there is reported instead, because a damaged gzip or xz stream decodes to
/// garbage before the decoder notices, and "the file is corrupt" is what the user needs to hear.
/// The answer depends only on the decoded bytes and the decoder's verdict, never on `buffer`'s size.
private func damage(behind error: CorpusError, in input: DecompressingInput, buffer: UnsafeMutableRawBufferPointer) -> CorpusError {
    guard input.compression != .none else { return error }
    do {
        while try input.read(into: buffer) > 0 {}
    } catch {
        return CorpusError(error)
    }
    return error
}

/// Reads `input` to its end in chunks of `chunkSize` bytes into `tokenizer` (one pass, bounded
/// memory on any file or stream). Progress fractions are of the source bytes (compressed bytes
/// for a compressed file) when the total is known; a stream of unknown length reports fraction
/// 0 until it ends. `finishing` ends the tokenizer's last line (false when more files follow);
/// `hashing` sees every chunk read.
func streamInput(_ input: DecompressingInput, chunkSize: Int, into tokenizer: inout ByteTokenizer,
                 progress: ((TrainingProgress) -> Void)?, cancellation: CancellationFlag?,
                 clock: () -> Double, base: ReadProgressBase = ReadProgressBase(),
                 finishing: Bool = true,
                 hashing: ((UnsafeRawBufferPointer) -> Void)? = nil) throws(CorpusError) {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, chunkSize), alignment: 16)
    defer { buffer.deallocate() }
    let total = base.totalBytes ?? input.sourceSize
    let start = clock()
    var lastReport = start
    func report(_ fraction: Double) {
        guard let progress else { return }
        let elapsed = clock() - start
        progress(TrainingProgress(stage: "reading", fraction: fraction, processedWords: tokenizer.tokenCount,
                                  wordsPerSecond: elapsed > 0 ? Double(tokenizer.tokenCount) / elapsed : 0,
                                  elapsedSeconds: elapsed))
    }
    while true {
        let got: Int
        do { got = try input.read(into: buffer) } catch { throw CorpusError(error) }
        if got == 0 { break }
        hashing?(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        do {
            try tokenizer.consume(UnsafeBufferPointer(start: buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), count: got))
        } catch {
            throw damage(behind: error, in: input, buffer: buffer)
        }
        if let cancellation, cancellation.isCancelled { throw .cancelled }
        if progress != nil {
            let now = clock()
            if now - lastReport >= 0.25 {
                lastReport = now
                let done = base.completedBytes + input.sourceBytesRead
                report(total.map { $0 > 0 ? min(1, Double(done) / Double($0)) : 0 } ?? 0)
            }
        }
    }
    if finishing {
        try tokenizer.finish()
        report(1)
    }
}
