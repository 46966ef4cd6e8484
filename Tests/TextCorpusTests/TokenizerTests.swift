import Testing
import TextCorpus

/// The words of an encoded corpus, token by token (nil for out-of-vocabulary tokens).
func words(_ corpus: EncodedCorpus) -> [String?] {
    corpus.ids.map { $0 < 0 ? nil : corpus.vocabulary.words[Int($0)] }
}

@Suite("Tokenizer")
struct TokenizerTests {
    let all = CorpusOptions(minCount: 1)

    @Test("splits on runs of ASCII whitespace, keeps punctuation attached")
    func asciiWhitespace() throws {
        let corpus = try EncodedCorpus.encode(text: "  the cat\t\tsat,\r\non the\u{0B}mat.\u{0C}the end ", options: all)
        #expect(words(corpus) == ["the", "cat", "sat,", "on", "the", "mat.", "the", "end"])
        #expect(corpus.tokenCount == 8)
    }

    @Test("Unicode whitespace separates tokens like Python's str.split()",
          arguments: ["\u{00A0}", "\u{2003}", "\u{3000}", "\u{2028}", "\u{0085}", "\u{1680}", "\u{202F}"])
    func unicodeWhitespace(separator: String) throws {
        let corpus = try EncodedCorpus.encode(text: "naïve\(separator)café\(separator)\(separator)日本", options: all)
        #expect(words(corpus) == ["naïve", "café", "日本"])
    }

    @Test("non-whitespace C0 controls and non-breaking joiners stay inside tokens")
    func controlsInsideTokens() throws {
        let corpus = try EncodedCorpus.encode(text: "a\u{01}b c\u{200B}d", options: all)
        #expect(words(corpus) == ["a\u{01}b", "c\u{200B}d"])
    }

    @Test("lower-casing applies to ASCII and to other scripts")
    func lowercasing() throws {
        var options = all
        options.lowercase = true
        let corpus = try EncodedCorpus.encode(text: "You SAY Goodbye ÉCOLE Straße ΣΟΦΙΑ you", options: options)
        #expect(words(corpus) == ["you", "say", "goodbye", "école", "straße", "σοφια", "you"])
        #expect(corpus.vocabulary.counts[0] == 2)
        let kept = try EncodedCorpus.encode(text: "You you", options: all)
        #expect(kept.vocabulary.words == ["You", "you"])
    }

    @Test("the end-of-sentence marker ends every non-empty line, including an unterminated last line")
    func endOfSentenceMarker() throws {
        var options = all
        options.endOfSentenceMarker = "<eos>"
        options.lowercase = true
        let corpus = try EncodedCorpus.encode(text: "a b\n\n  \nC\r\nd", options: options)
        #expect(words(corpus) == ["a", "b", "<eos>", "c", "<eos>", "d", "<eos>"])
        #expect(corpus.vocabulary.words.first == "<eos>")
        let terminated = try EncodedCorpus.encode(text: "a b\n", options: options)
        #expect(words(terminated) == ["a", "b", "<eos>"])
        let none = try EncodedCorpus.encode(text: "a b\nc\n", options: all)
        #expect(words(none) == ["a", "b", "c"])
    }

    @Test("the seed book's sentence, pre-tokenised, gives its 7-word vocabulary")
    func seedBookSentence() throws {
        var options = all
        options.lowercase = true
        let corpus = try EncodedCorpus.encode(text: "You say goodbye and I say hello .", options: options)
        #expect(corpus.vocabulary.words == ["say", "you", "goodbye", "and", "i", "hello", "."])
        #expect(corpus.ids == [1, 0, 2, 3, 4, 0, 5, 6])
        #expect(corpus.vocabulary.totalCount == 8)
    }
}
