import Testing
@testable import Word2Vec

@Suite("Word2VecConfiguration")
struct ConfigurationTests {
    @Test("defaults are word2vec's")
    func defaults() throws {
        let c = Word2VecConfiguration()
        #expect(c.architecture == .skipGram)
        #expect(c.dimension == 100 && c.windowSize == 5 && c.negativeSamples == 5)
        #expect(c.minCount == 5 && c.sample == 1e-3 && c.epochs == 5 && c.threads >= 1)
        #expect(c.startingLearningRate == 0.025)
        #expect(Word2VecConfiguration(architecture: .cbow).startingLearningRate == 0.05)
        #expect(Word2VecConfiguration(learningRate: 0.1).startingLearningRate == 0.1)
        #expect(c.minLearningRateFraction == 1e-4 && c.noisePower == 0.75)
        #expect(c.cbowContextUpdate == .word2vec && c.sigmoid == .table && c.maxSentenceLength == 1000)
        try c.validate()
    }

    static let invalid: [(String, Word2VecConfiguration)] = [
        ("dimension", Word2VecConfiguration(dimension: 0)),
        ("windowSize", Word2VecConfiguration(windowSize: 0)),
        ("negativeSamples", Word2VecConfiguration(negativeSamples: 0)),
        ("minCount", Word2VecConfiguration(minCount: 0)),
        ("sample", Word2VecConfiguration(sample: -1)),
        ("epochs", Word2VecConfiguration(epochs: 0)),
        ("threads", Word2VecConfiguration(threads: 0)),
        ("learningRate", Word2VecConfiguration(learningRate: -0.1)),
        ("minLearningRateFraction", Word2VecConfiguration(minLearningRateFraction: 2)),
        ("noisePower", Word2VecConfiguration(noisePower: -0.5)),
        ("maxSentenceLength", Word2VecConfiguration(maxSentenceLength: 1)),
    ]

    @Test("bad hyperparameters are clear errors", arguments: invalid)
    func rejects(name: String, configuration: Word2VecConfiguration) {
        do {
            try configuration.validate()
            Issue.record("\(name) should have been rejected")
        } catch {
            guard case let .invalidHyperparameter(reported, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reported == name)
            #expect(error.description.hasPrefix("The word2vec hyperparameter \(name) is "))
            #expect(error.description.hasSuffix("."))
        }
    }

    @Test("the learning rate decays linearly to its floor")
    func schedule() {
        #expect(TrainingEngine.learningRate(start: 0.025, floorFraction: 1e-4, done: 0, total: 99) == 0.025)
        let half = TrainingEngine.learningRate(start: 0.025, floorFraction: 1e-4, done: 50, total: 99)
        #expect(abs(half - 0.0125) < 1e-7)
        let start: Float = 0.025, fraction: Float = 1e-4
        #expect(TrainingEngine.learningRate(start: start, floorFraction: fraction, done: 100, total: 99) == start * fraction)
    }
}
