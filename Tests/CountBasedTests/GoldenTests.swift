import Foundation
import Testing
import CountBased
import TensorCore
import TextCorpus

/// The seed book's corpus, lower-cased with the period as its own token.
let bookText = "You say goodbye and I say hello ."
/// The book's word order (ids by first occurrence) and its window-1 co-occurrence matrix.
let bookWords = ["you", "say", "goodbye", "and", "i", "hello", "."]
let bookCooccurrence: [[Float]] = [
    [0, 1, 0, 0, 0, 0, 0],
    [1, 0, 1, 0, 1, 1, 0],
    [0, 1, 0, 1, 0, 0, 0],
    [0, 0, 1, 0, 1, 0, 0],
    [0, 1, 0, 1, 0, 0, 0],
    [0, 1, 0, 0, 0, 0, 1],
    [0, 0, 0, 0, 0, 1, 0],
]

func bookCorpus() throws -> EncodedCorpus {
    try EncodedCorpus.encode(text: bookText, options: CorpusOptions(lowercase: true, minCount: 1))
}

/// The value at the book's (row word, column word) in a matrix indexed by our vocabulary ids.
func entry(_ m: SparseMatrix, _ corpus: EncodedCorpus, _ w: String, _ c: String) -> Float {
    m[Int(corpus.vocabulary.id(for: w)!), Int(corpus.vocabulary.id(for: c)!)]
}

@Suite("Seed book golden values")
struct GoldenTests {
    @Test("window-1 co-occurrence matrix equals the book's")
    func cooccurrenceWindow1() throws {
        let corpus = try bookCorpus()
        #expect(corpus.vocabulary.count == 7)
        let counts = try CooccurrenceCounter(windowSize: 1).count(ids: corpus.ids, vocabularySize: 7)
        for (i, w) in bookWords.enumerated() {
            for (j, c) in bookWords.enumerated() {
                #expect(entry(counts, corpus, w, c) == bookCooccurrence[i][j], "C(\(w), \(c))")
            }
        }
        #expect(counts.nonzeroCount == 14)
        #expect(counts.values.reduce(0, +) == 14)
    }

    @Test("plain PPMI (a = 1) equals the book's values times ln 2, checked by hand")
    func plainPPMI() throws {
        let corpus = try bookCorpus()
        let counts = try CooccurrenceCounter(windowSize: 1).count(ids: corpus.ids, vocabularySize: 7)
        let ppmi = PPMITransform(contextSmoothing: 1).apply(to: counts)
        // N = 14; row sums: you 1, say 4, goodbye 2, and 2, i 2, hello 2, . 1.
        let expected: [(String, String, Double)] = [
            ("you", "say", log(14.0 / 4)),       // book (log2): 1.807
            ("say", "goodbye", log(14.0 / 8)),   // 0.807
            ("say", "i", log(14.0 / 8)),
            ("say", "hello", log(14.0 / 8)),
            ("goodbye", "and", log(14.0 / 4)),   // 1.807
            ("and", "i", log(14.0 / 4)),
            ("hello", ".", log(14.0 / 2)),       // 2.807
        ]
        for (w, c, value) in expected {
            #expect(abs(Double(entry(ppmi, corpus, w, c)) - value) < 1e-5, "PPMI(\(w), \(c))")
            #expect(abs(Double(entry(ppmi, corpus, c, w)) - value) < 1e-5, "PPMI(\(c), \(w))")
        }
        #expect(ppmi.nonzeroCount == 14)
        #expect(abs(Double(entry(ppmi, corpus, "hello", ".")) / log(2.0) - 2.807) < 1e-3)
        #expect(entry(ppmi, corpus, "you", "you") == 0)
    }

    @Test("context-distribution smoothing follows log #(w,c) - log #(w) - log P_a(c)")
    func smoothedPPMI() throws {
        let corpus = try bookCorpus()
        let counts = try CooccurrenceCounter(windowSize: 1).count(ids: corpus.ids, vocabularySize: 7)
        let ppmi = PPMITransform(contextSmoothing: 0.75).apply(to: counts)
        // Column sums equal row sums (symmetric): 1, 4, 2, 2, 2, 2, 1.
        let z = pow(1, 0.75) * 2 + pow(4, 0.75) + pow(2, 0.75) * 4
        let pmiYouSay = log(1.0) - log(1.0) - log(pow(4, 0.75) / z)
        let pmiSayYou = log(1.0) - log(4.0) - log(1 / z)
        #expect(abs(Double(entry(ppmi, corpus, "you", "say")) - pmiYouSay) < 1e-5)
        #expect(abs(Double(entry(ppmi, corpus, "say", "you")) - pmiSayYou) < 1e-5)
    }

    @Test("a shift k subtracts log k and drops what falls to zero or below")
    func shiftedPPMI() throws {
        let corpus = try bookCorpus()
        let counts = try CooccurrenceCounter(windowSize: 1).count(ids: corpus.ids, vocabularySize: 7)
        let ppmi = PPMITransform(contextSmoothing: 1, shift: 2).apply(to: counts)
        #expect(abs(Double(entry(ppmi, corpus, "you", "say")) - log(14.0 / 8)) < 1e-5)
        #expect(entry(ppmi, corpus, "say", "goodbye") == 0)   // ln 1.75 < ln 2
        #expect(ppmi.nonzeroCount == 8)
    }

    @Test("dense SVD of the book's PPMI reconstructs it with orthonormal U, and the trainer returns U * S")
    func svdReconstruction() throws {
        let corpus = try bookCorpus()
        let counts = try CooccurrenceCounter(windowSize: 1).count(ids: corpus.ids, vocabularySize: 7)
        let ppmi = PPMITransform(contextSmoothing: 1).apply(to: counts).dense()
        let svd = try LinearAlgebra.svd(ppmi)
        var us = svd.u
        for i in 0..<7 { for j in 0..<7 { us[i, j] *= svd.singularValues[j] } }
        let reconstructed = Tensor.matmul(us, svd.vt)
        for k in 0..<49 { #expect(abs(reconstructed.scalars[k] - ppmi.scalars[k]) < 1e-4) }
        let gram = Tensor.matmul(svd.u, svd.u, transposeLeft: true)
        for i in 0..<7 { for j in 0..<7 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-4) } }

        let configuration = PPMISVDConfiguration(windowSize: 1, contextSmoothing: 1, dimension: 2, eigenvalueWeight: 1,
                                                 method: .dense, normalizeRows: false)
        let vectors = try PPMISVDTrainer(configuration: configuration).train(corpus: corpus)
        #expect(vectors.words == corpus.vocabulary.words)
        #expect(vectors.counts == corpus.vocabulary.counts)
        #expect(vectors.dimension == 2)
        for j in 0..<2 {
            // Equal to column j of U * S up to the sign of the singular vector.
            let column = (0..<7).map { vectors.vectors[$0, j] }
            let expected = (0..<7).map { us[$0, j] }
            let sign: Float = zip(column, expected).map { $0 * $1 }.reduce(0, +) < 0 ? -1 : 1
            for i in 0..<7 { #expect(abs(column[i] - sign * expected[i]) < 1e-4) }
        }
    }
}
