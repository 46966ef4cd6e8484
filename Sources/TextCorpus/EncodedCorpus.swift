import TensorCore
import CoreIO

/// A corpus as a vocabulary and one word id per token position.
///
/// Built in one streaming pass over the text: a byte-level tokenizer validates UTF-8, splits on
/// whitespace and interns each token into a hash table of byte strings with a provisional id
/// (order of first occurrence); then the table is sorted by count, `minCount` and
/// `maxVocabularySize` are applied, and the provisional ids are remapped. Memory: the distinct
/// words plus 4 bytes per token (wiki8's 17M tokens take 68 MB), never a String per token.
///
/// Tokens that are not in the vocabulary keep their position with id
/// ``outOfVocabulary`` (-1), so that windows over ``ids`` see the true distances (as the
/// count-based peer script does); word2vec training skips them.
public struct EncodedCorpus: Sendable, Equatable {
    /// The id of a token that is not in the vocabulary.
    public static let outOfVocabulary: Int32 = -1

    /// The words and their counts; id `i` is `vocabulary.words[i]`.
    public var vocabulary: Vocabulary
    /// One id per token position, in corpus order; ``outOfVocabulary`` for tokens not in the vocabulary.
    public var ids: [Int32]
    /// The number of tokens read (including end-of-sentence markers); equals `ids.count`.
    public var tokenCount: Int

    /// A corpus from already-encoded ids (each `-1` or a valid id of `vocabulary`).
    public init(vocabulary: Vocabulary, ids: [Int32]) {
        self.vocabulary = vocabulary
        self.ids = ids
        self.tokenCount = ids.count
    }

    /// The name used in errors for text given as a String.
    public static let textSourceName = "<text>"

    /// Reads, tokenises and encodes a UTF-8 text corpus in chunks of `chunkSize` bytes.
    ///
    /// `path` may be a text file, a gzip or xz file (decompressed while streaming; the magic
    /// number decides, not the name), a directory (its regular files in name order, each read
    /// as its own lines, see ``CorpusReader``), `-` for standard input, or a FIFO: the text is
    /// read once, from start to end.
    /// A leading UTF-8 byte-order mark is skipped. Memory is bounded by `chunkSize`, the longest
    /// token (``CorpusOptions/maximumTokenBytes``), the distinct words and 4 bytes per token,
    /// whatever the line lengths (text8 is one 100 MB line). Progress reports have stage
    /// `"reading"` and the fraction of bytes read (0 for a stream of unknown length); they come
    /// at most every 0.25 s while reading, and once with fraction 1 when the file has been read.
    /// - Throws: ``CorpusError``: a missing or unreadable file, corrupt compressed data, an
    ///   empty directory, invalid UTF-8 or NUL bytes (under the default policy), a file with no
    ///   tokens, no word left after `minCount`, cancellation.
    public static func load(contentsOf path: String, options: CorpusOptions = .init(),
                            chunkSize: Int = 1 << 20,
                            progress: ((TrainingProgress) -> Void)? = nil,
                            cancellation: CancellationFlag? = nil) throws(CorpusError) -> EncodedCorpus {
        try loadWithSource(contentsOf: path, options: options, chunkSize: chunkSize, progress: progress,
                           cancellation: cancellation).corpus
    }

    /// ``load(contentsOf:options:chunkSize:progress:cancellation:)``, also describing what was
    /// read (its size and checksum, from the same single pass), to record with a model.
    public static func loadWithSource(contentsOf path: String, options: CorpusOptions = .init(),
                                      chunkSize: Int = 1 << 20,
                                      progress: ((TrainingProgress) -> Void)? = nil,
                                      cancellation: CancellationFlag? = nil) throws(CorpusError)
        -> (corpus: EncodedCorpus, source: CorpusSource) {
        try options.validate()
        let reader = try CorpusReader(path: path)
        var tokenizer = ByteTokenizer(options: options, sourceName: path, expectedBytes: reader.expectedTextBytes)
        let source = try reader.read(into: &tokenizer, chunkSize: chunkSize, progress: progress, cancellation: cancellation)
        guard tokenizer.tokenCount > 0 else { throw .empty(path: path) }
        let corpus = try build(&tokenizer, options: options)
        return (corpus, source)
    }

    /// Tokenises and encodes text held in memory as a file holding its UTF-8 bytes is read (a
    /// leading byte-order mark skipped; errors name the source ``textSourceName``).
    public static func encode(text: String, options: CorpusOptions = .init()) throws(CorpusError) -> EncodedCorpus {
        try encode(bytes: Array(text.utf8), options: options)
    }

    /// Tokenises and encodes the bytes of a file held in memory exactly as
    /// ``load(contentsOf:options:chunkSize:progress:cancellation:)`` reads a file (gzip or xz
    /// bytes decompressed, a leading byte-order mark skipped, `chunkSize`-byte chunks), with
    /// errors naming `sourceName`.
    public static func encode(bytes: [UInt8], options: CorpusOptions = .init(), chunkSize: Int = 1 << 20,
                              sourceName: String = textSourceName) throws(CorpusError) -> EncodedCorpus {
        try options.validate()
        let input: DecompressingInput
        do {
            input = try DecompressingInput(source: InputFile(bytes: bytes, path: sourceName), skippingByteOrderMark: true)
        } catch {
            throw CorpusError(error)
        }
        var tokenizer = ByteTokenizer(options: options, sourceName: sourceName, expectedBytes: bytes.count)
        tokenizer.startOffset(input.offset)
        try streamInput(input, chunkSize: min(chunkSize, bytes.count + 1), into: &tokenizer, progress: nil,
                        cancellation: nil, clock: monotonicSeconds)
        guard tokenizer.tokenCount > 0 else { throw .empty(path: sourceName) }
        return try build(&tokenizer, options: options)
    }

    /// Vocabulary from the tokenizer's table: by descending count, ties by first occurrence,
    /// then `minCount` and `maxVocabularySize`.
    private static func build(_ tokenizer: inout ByteTokenizer, options: CorpusOptions) throws(CorpusError) -> EncodedCorpus {
        let distinct = tokenizer.entries
        let counts = (0..<distinct).map { tokenizer.count(ofEntry: $0) }
        var order = (0..<distinct).filter { counts[$0] >= options.minCount }
        order.sort { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 < $1 }
        if let limit = options.maxVocabularySize, order.count > limit { order.removeSubrange(limit...) }
        guard !order.isEmpty else { throw .noWordsAfterMinCount(minCount: options.minCount, distinctWords: distinct) }
        var remap = [Int32](repeating: outOfVocabulary, count: distinct)
        for (newId, entry) in order.enumerated() { remap[entry] = Int32(newId) }
        let vocabulary = Vocabulary(words: order.map { tokenizer.word(ofEntry: $0) }, counts: order.map { counts[$0] })
        let ids = tokenizer.remappedIds(remap)
        tokenizer.releaseIds()
        return EncodedCorpus(vocabulary: vocabulary, ids: ids)
    }

    /// Encodes another file with this corpus's vocabulary, for example to continue training a
    /// model on new text.
    ///
    /// With `growVocabulary == false` the vocabulary is returned unchanged (same words, ids and
    /// counts) and tokens not in it are ``outOfVocabulary``. With `growVocabulary == true` the
    /// existing words keep their ids and have the new file's occurrences added to their counts;
    /// new words occurring at least `options.minCount` times in the new file are appended after
    /// them, by descending count (ties by first occurrence), while the total stays within
    /// `options.maxVocabularySize`. `options` defaults to the tokenisation this corpus was
    /// presumably read with: pass the same options as for ``load(contentsOf:options:chunkSize:progress:cancellation:)``.
    /// - Throws: the same errors as ``load(contentsOf:options:chunkSize:progress:cancellation:)``
    ///   except ``CorpusError/noWordsAfterMinCount(minCount:distinctWords:)`` (the vocabulary is never empty).
    public func encoding(contentsOf path: String, options: CorpusOptions = .init(), growVocabulary: Bool = false,
                         chunkSize: Int = 1 << 20,
                         progress: ((TrainingProgress) -> Void)? = nil,
                         cancellation: CancellationFlag? = nil) throws(CorpusError) -> EncodedCorpus {
        try encodingWithSource(contentsOf: path, options: options, growVocabulary: growVocabulary,
                               chunkSize: chunkSize, progress: progress, cancellation: cancellation).corpus
    }

    /// ``encoding(contentsOf:options:growVocabulary:chunkSize:progress:cancellation:)``, also
    /// describing what was read, to record with a model.
    public func encodingWithSource(contentsOf path: String, options: CorpusOptions = .init(),
                                   growVocabulary: Bool = false, chunkSize: Int = 1 << 20,
                                   progress: ((TrainingProgress) -> Void)? = nil,
                                   cancellation: CancellationFlag? = nil) throws(CorpusError)
        -> (corpus: EncodedCorpus, source: CorpusSource) {
        try options.validate()
        let reader = try CorpusReader(path: path)
        var tokenizer = ByteTokenizer(options: options, sourceName: path, expectedBytes: reader.expectedTextBytes)
        let known = vocabulary.count
        for word in vocabulary.words { _ = tokenizer.intern(word) }
        let source = try reader.read(into: &tokenizer, chunkSize: chunkSize, progress: progress, cancellation: cancellation)
        guard tokenizer.tokenCount > 0 else { throw .empty(path: path) }
        let distinct = tokenizer.entries
        var remap = [Int32](repeating: Self.outOfVocabulary, count: distinct)
        for id in 0..<known { remap[id] = Int32(id) }
        guard growVocabulary else {
            let ids = tokenizer.remappedIds(remap)
            return (EncodedCorpus(vocabulary: vocabulary, ids: ids), source)
        }
        var words = vocabulary.words
        var counts = vocabulary.counts
        for id in 0..<known { counts[id] += tokenizer.count(ofEntry: id) }
        let newCounts = (0..<distinct).map { tokenizer.count(ofEntry: $0) }
        var added = (known..<distinct).filter { newCounts[$0] >= options.minCount }
        added.sort { newCounts[$0] != newCounts[$1] ? newCounts[$0] > newCounts[$1] : $0 < $1 }
        if let limit = options.maxVocabularySize { added = Array(added.prefix(max(0, limit - known))) }
        for entry in added {
            remap[entry] = Int32(words.count)
            words.append(tokenizer.word(ofEntry: entry))
            counts.append(newCounts[entry])
        }
        let ids = tokenizer.remappedIds(remap)
        return (EncodedCorpus(vocabulary: Vocabulary(words: words, counts: counts), ids: ids), source)
    }
}
