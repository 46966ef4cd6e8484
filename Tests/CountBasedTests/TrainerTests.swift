import Foundation
import Testing
import CountBased
import Embeddings
import TensorCore
import TextCorpus

/// A corpus with structure: two topics whose words co-occur within their topic.
func topicCorpus(tokens: Int = 6_000, seed: UInt64 = 1) throws -> EncodedCorpus {
    var rng = SplitMix64(seed: seed)
    let topics = [(0..<30).map { "a\($0)" }, (0..<30).map { "b\($0)" }]
    var words: [String] = []
    var topic = 0
    for i in 0..<tokens {
        if i % 20 == 0 { topic = rng.nextIndex(below: 2) }
        words.append(topics[topic][min(rng.nextIndex(below: 30), rng.nextIndex(below: 30))])
    }
    return try EncodedCorpus.encode(text: words.joined(separator: " "), options: CorpusOptions(minCount: 1))
}

@Suite("PPMI-SVD trainer")
struct TrainerTests {
    @Test("vectors are unit rows in vocabulary order, seeded, and separate the two topics",
          arguments: [PPMISVDConfiguration.SVDMethod.dense, .randomized(oversampling: 10, powerIterations: 3)])
    func topics(method: PPMISVDConfiguration.SVDMethod) throws {
        let corpus = try topicCorpus()
        let trainer = PPMISVDTrainer(configuration: PPMISVDConfiguration(dimension: 10, method: method, threads: 2))
        var stages: [String] = []
        let vectors = try trainer.train(corpus: corpus, progress: { stages.append($0.stage) })
        #expect(vectors.words == corpus.vocabulary.words)
        #expect(vectors.dimension == 10)
        for i in 0..<vectors.count {
            let row = vectors.vector(at: i)
            #expect(abs(dot(row, row) - 1) < 1e-4)
        }
        #expect(Set(stages) == ["counting", "ppmi", "svd"])
        #expect(try trainer.train(corpus: corpus) == vectors)
        // Same-topic pairs are more similar than cross-topic pairs on average.
        func cosine(_ a: String, _ b: String) -> Float {
            dot(vectors.vector(at: vectors.id(for: a)!), vectors.vector(at: vectors.id(for: b)!))
        }
        let same = (0..<10).map { cosine("a\($0)", "a\($0 + 10)") + cosine("b\($0)", "b\($0 + 10)") }.reduce(0, +) / 20
        let cross = (0..<10).map { cosine("a\($0)", "b\($0)") + cosine("b\($0 + 5)", "a\($0 + 10)") }.reduce(0, +) / 20
        #expect(same > cross + 0.3)
    }

    @Test("randomized and dense SVD give the same vectors on an exactly low-rank PPMI matrix")
    func randomizedMatchesDense() throws {
        let a = try matrixWithSpectrum([8, 4, 2, 1], rows: 40, columns: 40, seed: 9)
        let ppmi = SparseMatrix(dense: a)
        let vocabulary = Vocabulary(words: (0..<40).map { "w\($0)" }, counts: [Int](repeating: 1, count: 40))
        func gram(_ method: PPMISVDConfiguration.SVDMethod) throws -> Tensor {
            let configuration = PPMISVDConfiguration(dimension: 4, eigenvalueWeight: 1, method: method, normalizeRows: false)
            let w = try PPMISVDTrainer(configuration: configuration).vectors(fromPPMI: ppmi, vocabulary: vocabulary).vectors
            return Tensor.matmul(w, w, transposeRight: true)   // U S^2 Uᵀ: independent of signs
        }
        let dense = try gram(.dense), randomized = try gram(.randomized(oversampling: 6, powerIterations: 1))
        for k in 0..<dense.count { #expect(abs(dense.scalars[k] - randomized.scalars[k]) < 1e-3) }
    }

    @Test("eigenvalue weight p scales column j by S_j^p")
    func eigenvalueWeight() throws {
        let a = try matrixWithSpectrum([9, 4, 1], rows: 12, columns: 12, seed: 5)
        let vocabulary = Vocabulary(words: (0..<12).map { "w\($0)" }, counts: [Int](repeating: 1, count: 12))
        func vectors(_ p: Double) throws -> Tensor {
            try PPMISVDTrainer(configuration: PPMISVDConfiguration(dimension: 3, eigenvalueWeight: p, method: .dense,
                                                                   normalizeRows: false))
                .vectors(fromPPMI: SparseMatrix(dense: a), vocabulary: vocabulary).vectors
        }
        let u = try vectors(0), half = try vectors(0.5)
        for i in 0..<12 {
            for (j, s) in [Float(9), 4, 1].enumerated() {
                #expect(abs(half[i, j] - u[i, j] * s.squareRoot()) < 1e-4)
            }
        }
    }

    @Test("adding context vectors gives (U + V) * S^p")
    func contextVectors() throws {
        let a = try matrixWithSpectrum([9, 4, 1], rows: 12, columns: 12, seed: 6)
        let vocabulary = Vocabulary(words: (0..<12).map { "w\($0)" }, counts: [Int](repeating: 1, count: 12))
        let configuration = PPMISVDConfiguration(dimension: 3, eigenvalueWeight: 1, method: .dense, normalizeRows: false,
                                                 addContextVectors: true)
        let w = try PPMISVDTrainer(configuration: configuration).vectors(fromPPMI: SparseMatrix(dense: a), vocabulary: vocabulary).vectors
        let svd = try LinearAlgebra.svd(a)
        for i in 0..<12 {
            for j in 0..<3 {
                #expect(abs(w[i, j] - (svd.u[i, j] + svd.vt[j, i]) * svd.singularValues[j]) < 1e-4)
            }
        }
    }

    @Test("the automatic method is dense for small vocabularies and randomized for large ones")
    func automaticChoice() throws {
        let corpus = try topicCorpus(tokens: 2_000)
        let automatic = try PPMISVDTrainer(configuration: PPMISVDConfiguration(dimension: 5)).train(corpus: corpus)
        let dense = try PPMISVDTrainer(configuration: PPMISVDConfiguration(dimension: 5, method: .dense)).train(corpus: corpus)
        #expect(automatic == dense)
    }
}

@Suite("PPMI-SVD errors")
struct TrainerErrorTests {
    @Test("more dimensions than words is dimensionTooLarge")
    func dimensionTooLarge() throws {
        let corpus = try bookCorpus()
        #expect(throws: CountBasedError.dimensionTooLarge(dimension: 300, vocabularySize: 7)) {
            try PPMISVDTrainer().train(corpus: corpus)
        }
    }

    @Test("a corpus without co-occurrences is noCooccurrences")
    func noCooccurrences() throws {
        let corpus = EncodedCorpus(vocabulary: Vocabulary(words: ["a", "b"], counts: [1, 1]), ids: [0, -1, -1, 1])
        #expect(throws: CountBasedError.noCooccurrences(windowSize: 2)) {
            try PPMISVDTrainer(configuration: PPMISVDConfiguration(dimension: 1)).train(corpus: corpus)
        }
    }

    @Test("a shift that removes every PMI value is noPositivePMI")
    func noPositivePMI() throws {
        let corpus = try bookCorpus()
        #expect(throws: CountBasedError.noPositivePMI) {
            try PPMISVDTrainer(configuration: PPMISVDConfiguration(shift: 1_000, dimension: 2)).train(corpus: corpus)
        }
    }

    @Test("out-of-range settings are invalidConfiguration",
          arguments: [PPMISVDConfiguration(windowSize: 0), PPMISVDConfiguration(contextSmoothing: 0),
                      PPMISVDConfiguration(shift: 0.5), PPMISVDConfiguration(dimension: 0),
                      PPMISVDConfiguration(eigenvalueWeight: .nan), PPMISVDConfiguration(method: .randomized(oversampling: -1)),
                      PPMISVDConfiguration(threads: 0)])
    func invalidConfiguration(configuration: PPMISVDConfiguration) throws {
        let corpus = try bookCorpus()
        #expect {
            try PPMISVDTrainer(configuration: configuration).train(corpus: corpus)
        } throws: { error in
            guard case .invalidConfiguration = error as? CountBasedError else { return false }
            return (error as! CountBasedError).description.hasPrefix("Invalid PPMI-SVD configuration: ")
        }
    }

    @Test("cancellation stops training with cancelled")
    func cancelled() throws {
        let flag = CancellationFlag()
        flag.cancel()
        #expect(throws: CountBasedError.cancelled) {
            try PPMISVDTrainer(configuration: PPMISVDConfiguration(dimension: 2)).train(corpus: try bookCorpus(), cancellation: flag)
        }
    }
}
