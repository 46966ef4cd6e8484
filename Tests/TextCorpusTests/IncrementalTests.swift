import Testing
import TextCorpus

@Suite("Encoding more text with an existing vocabulary")
struct IncrementalTests {
    @Test("a frozen vocabulary keeps ids and counts; unknown words are -1")
    func frozen() throws {
        let base = try EncodedCorpus.encode(text: "a b a c", options: CorpusOptions(minCount: 1))
        let directory = TemporaryDirectory()
        let path = try directory.file("more.txt", text: "c d d a\n")
        let more = try base.encoding(contentsOf: path, options: CorpusOptions(minCount: 1))
        #expect(more.vocabulary == base.vocabulary)
        #expect(more.ids == [2, -1, -1, 0])
    }

    @Test("a growing vocabulary keeps old ids, adds counts and appends new frequent words")
    func growing() throws {
        let base = try EncodedCorpus.encode(text: "a b a c", options: CorpusOptions(minCount: 1))
        let directory = TemporaryDirectory()
        let path = try directory.file("more.txt", text: "e c d d a e d f\n")
        let more = try base.encoding(contentsOf: path, options: CorpusOptions(minCount: 2), growVocabulary: true)
        #expect(more.vocabulary.words == ["a", "b", "c", "d", "e"])
        #expect(more.vocabulary.counts == [3, 1, 2, 3, 2])
        #expect(more.ids == [4, 2, 3, 3, 0, 4, 3, -1])
        let capped = try base.encoding(contentsOf: path, options: CorpusOptions(minCount: 1, maxVocabularySize: 4),
                                       growVocabulary: true)
        #expect(capped.vocabulary.words == ["a", "b", "c", "d"])
    }

    @Test("encoding a missing or empty file fails like load")
    func errors() throws {
        let base = try EncodedCorpus.encode(text: "a", options: CorpusOptions(minCount: 1))
        #expect(throws: CorpusError.fileNotFound(path: "/nonexistent/more.txt")) {
            try base.encoding(contentsOf: "/nonexistent/more.txt")
        }
        let directory = TemporaryDirectory()
        let path = try directory.file("blank.txt", text: "  \n")
        #expect(throws: CorpusError.empty(path: path)) { try base.encoding(contentsOf: path, growVocabulary: true) }
    }
}
