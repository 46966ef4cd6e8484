import Foundation
import Testing
import Evaluation
import Embeddings
import TensorCore

/// `../shared/data/eval` beside the package root (resolved from this file's path).
let sharedEval = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data/eval")
let questionsPath = sharedEval.appendingPathComponent("questions-words.txt").path
let wordSimPath = sharedEval.appendingPathComponent("wordsim353.tsv").path

@Suite("Shared evaluation files")
struct SharedDataTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: questionsPath)))
    func googleAnalogySetHasTheDocumentedCounts() throws {
        let set = try AnalogyTestSet(contentsOfFile: questionsPath)
        #expect(set.questionCount == 19_544)
        #expect(set.sections.count == 14)
        #expect(set.sections.filter { !$0.isSyntactic }.reduce(0) { $0 + $1.questions.count } == 8_869)
        #expect(set.sections.filter(\.isSyntactic).reduce(0) { $0 + $1.questions.count } == 10_675)
        #expect(set.sections.first?.name == "capital-common-countries")
        #expect(set.sections.first?.questions.first == AnalogyQuestion(a: "Athens", b: "Greece", c: "Baghdad", expected: "Iraq", line: 2))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: wordSimPath)))
    func wordSim353HasTheDocumentedCount() throws {
        let set = try WordPairSet(contentsOfFile: wordSimPath)
        #expect(set.pairs.count == 353)
        #expect(set.pairs.first == WordPair(first: "love", second: "sex", score: 6.77, line: 3))
    }
}

let googleNewsPath = sharedEval.deletingLastPathComponent()
    .appendingPathComponent("vectors/googlenews-subset-347x300.w2v.txt").path

/// A minimal word2vec text reader (header `count dimension`, then `word v1 ... vD` lines; the
/// shared file has CRLF line ends).
func readWord2VecText(_ path: String) throws -> WordVectors {
    let lines = try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: \.isNewline)
    let header = lines[0].split(separator: " ").compactMap { Int($0) }
    try #require(header.count == 2)
    let (count, dimension) = (header[0], header[1])
    var words: [String] = []
    var scalars: [Float] = []
    for line in lines.dropFirst().prefix(count) {
        let fields = line.split(whereSeparator: \.isWhitespace)
        words.append(String(fields[0]))
        scalars.append(contentsOf: fields.dropFirst().map { Float($0)! })
    }
    return try WordVectors(words: words, vectors: Tensor(shape: [count, dimension], scalars: scalars))
}

@Suite("Agreement with gensim on shared vectors")
struct GensimAgreementTests {
    /// gensim 4.4 on the same files (`peers.sh eval googlenews-subset-347x300.w2v.txt --text`):
    /// analogy 72 answered, all correct, all semantic; WS353 2 pairs (99.43% OOV), rho = r = 1.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: googleNewsPath)
                   && FileManager.default.fileExists(atPath: questionsPath)
                   && FileManager.default.fileExists(atPath: wordSimPath)))
    func googleNewsSubsetMatchesGensim() throws {
        let vectors = try readWord2VecText(googleNewsPath)
        #expect(vectors.count == 347 && vectors.dimension == 300)
        let analogies = try vectors.evaluateAnalogies(try AnalogyTestSet(contentsOfFile: questionsPath))
        #expect(analogies.answered == 72)
        #expect(analogies.total == 19_544)
        #expect(analogies.accuracy == 1)
        #expect(analogies.semantic == 1)
        #expect(analogies.sections.filter { $0.name.hasPrefix("gram") }.allSatisfy { $0.answered == 0 })
        let pairs = try vectors.evaluateWordPairs(try WordPairSet(contentsOfFile: wordSimPath))
        #expect(pairs.pairs == 2)
        #expect(abs(pairs.oov * 100 - 99.43342776203966) < 1e-9)
        #expect(abs(pairs.spearman - 1) < 1e-12)
        #expect(abs(pairs.pearson - 1) < 1e-12)
    }
}
