import Testing
import TensorCore
@testable import Word2Vec

@Suite("Incremental training")
struct IncrementalTrainingTests {
    @Test("new words are appended, counts merged, and learned from their contexts")
    func addsWords() throws {
        let configuration = EngineTests.tiny(.skipGram, epochs: 30)
        let first = TestCorpus.input(TestCorpus.planted(sentences: 300, seed: 4), boundary: "</s>")
        var model = try Word2VecTrainer(configuration: configuration).train(first, progress: nil, cancellation: nil)
        let before = model.words
        let catCount = model.counts[model.words.firstIndex(of: "cat")!]

        // New text: "lion" appears exactly where cat and dog do.
        let text = TestCorpus.planted(sentences: 300, seed: 9).map { $0 == "dog" ? "lion" : $0 }
        let second = TestCorpus.input(text, boundary: "</s>")
        try model.continueTraining(on: second, configuration: configuration, progress: nil, cancellation: nil)

        #expect(Array(model.words.prefix(before.count)) == before)
        #expect(model.words.count == before.count + 1 && model.words.last == "lion")
        #expect(model.inputVectors.shape == [before.count + 1, 12])
        #expect(model.counts[model.words.firstIndex(of: "cat")!] == catCount + second.counts[second.words.firstIndex(of: "cat")!])
        #expect(model.nearest(to: "lion", excluding: ["</s>"]) == "cat" || model.nearest(to: "lion", excluding: ["</s>"]) == "dog")
        #expect(TestCorpus.cosine(model.vector("lion"), model.vector("cat"))
                > TestCorpus.cosine(model.vector("lion"), model.vector("truck")) + 0.3)
    }

    @Test("a model rebuilt from its parts continues training; wrong shapes are an error")
    func fromParts() throws {
        let configuration = EngineTests.tiny(.skipGram, epochs: 2)
        let input = TestCorpus.input(TestCorpus.planted(sentences: 40, seed: 3))
        let trained = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        var rebuilt = try Word2VecModel(configuration: configuration, vocabulary: trained.vocabulary,
                                        inputVectors: trained.inputVectors, outputVectors: trained.outputVectors)
        #expect(rebuilt.wordVectors() == trained.wordVectors())
        try rebuilt.continueTraining(on: input, configuration: configuration, progress: nil, cancellation: nil)
        #expect(rebuilt.inputVectors != trained.inputVectors)
        let wrong = Tensor(shape: [trained.words.count, 5])
        #expect(throws: Word2VecError.matrixShapeMismatch(expected: [trained.words.count, 12],
                                                          input: [trained.words.count, 5], output: trained.outputVectors.shape)) {
            try Word2VecModel(configuration: configuration, vocabulary: trained.vocabulary, inputVectors: wrong,
                              outputVectors: trained.outputVectors)
        }
    }

    @Test("continuing with another dimension is an error")
    func dimensionMismatch() throws {
        let configuration = EngineTests.tiny(.cbow, epochs: 1)
        let input = TestCorpus.input(TestCorpus.planted(sentences: 20, seed: 1))
        var model = try Word2VecTrainer(configuration: configuration).train(input, progress: nil, cancellation: nil)
        var other = configuration
        other.dimension = 13
        #expect(throws: Word2VecError.dimensionMismatch(model: 12, configuration: 13)) {
            try model.continueTraining(on: input, configuration: other, progress: nil, cancellation: nil)
        }
    }

    @Test("word vectors of each set have the model's words and shapes")
    func vectorSets() throws {
        let input = TestCorpus.input(TestCorpus.planted(sentences: 30, seed: 2))
        let model = try Word2VecTrainer(configuration: EngineTests.tiny(.skipGram, epochs: 2)).train(input, progress: nil, cancellation: nil)
        let inputSet = model.wordVectors()
        let outputSet = model.wordVectors(.output)
        let sum = model.wordVectors(.sum)
        #expect(inputSet.words == model.words && inputSet.counts == model.counts)
        #expect(inputSet.vectors == model.inputVectors && outputSet.vectors == model.outputVectors)
        for i in 0..<sum.vectors.count {
            #expect(sum.vectors.scalars[i] == model.inputVectors.scalars[i] + model.outputVectors.scalars[i])
        }
    }
}
