import Testing
import TextCorpus

@Suite("Vocabulary")
struct VocabularyTests {
    @Test("words are sorted by descending count, ties by first occurrence")
    func ordering() throws {
        let corpus = try EncodedCorpus.encode(text: "d c b a a b c a b a e", options: CorpusOptions(minCount: 1))
        #expect(corpus.vocabulary.words == ["a", "b", "c", "d", "e"])
        #expect(corpus.vocabulary.counts == [4, 3, 2, 1, 1])
        #expect(corpus.vocabulary.count == 5)
        #expect(corpus.vocabulary.totalCount == 11)
        #expect(corpus.ids == [3, 2, 1, 0, 0, 1, 2, 0, 1, 0, 4])
        #expect(corpus.vocabulary.id(for: "c") == 2)
        #expect(corpus.vocabulary.id(for: "z") == nil)
        #expect(corpus.vocabulary.word(for: 1) == "b")
    }

    @Test("minCount drops rare words but keeps their positions as -1", arguments: [1, 2, 3, 4])
    func minCount(minCount: Int) throws {
        let text = "d c b a a b c a b a e"
        let corpus = try EncodedCorpus.encode(text: text, options: CorpusOptions(minCount: minCount))
        let expected = ["a": 4, "b": 3, "c": 2, "d": 1, "e": 1].filter { $0.value >= minCount }
        #expect(corpus.vocabulary.count == expected.count)
        #expect(corpus.ids.count == 11)
        for (token, id) in zip(text.split(separator: " "), corpus.ids) {
            if expected[String(token)] != nil {
                #expect(corpus.vocabulary.words[Int(id)] == String(token))
            } else {
                #expect(id == EncodedCorpus.outOfVocabulary)
            }
        }
    }

    @Test("maxVocabularySize keeps the most frequent words, ties by first occurrence")
    func maximumSize() throws {
        let corpus = try EncodedCorpus.encode(text: "x y z y z w", options: CorpusOptions(minCount: 1, maxVocabularySize: 3))
        #expect(corpus.vocabulary.words == ["y", "z", "x"])
        #expect(corpus.ids == [2, 0, 1, 0, 1, -1])
    }

    @Test("a vocabulary made from words and counts looks words up")
    func memberwise() {
        let vocabulary = Vocabulary(words: ["the", "cat"], counts: [5, 2])
        #expect(vocabulary.id(for: "cat") == 1)
        #expect(vocabulary.contains("the"))
        #expect(!vocabulary.contains("dog"))
        #expect(vocabulary.totalCount == 7)
        #expect(vocabulary == Vocabulary(words: ["the", "cat"], counts: [5, 2]))
        #expect(vocabulary != Vocabulary(words: ["the", "cat"], counts: [5, 3]))
    }
}
