import Embeddings
import TensorCore
import TextCorpus
import Word2Vec

extension TrainRunner {
    /// Skip-gram or CBOW with negative sampling (Mikolov et al. 2013).
    /// Returns the vectors and the loss / learning-rate history per percent of training.
    func trainWord2Vec(_ corpus: EncodedCorpus, reporter: ProgressReporter) throws -> (WordVectors, TrainingHistory) {
        let configuration = Word2VecConfiguration(
            architecture: command.model == .cbow ? .cbow : .skipGram, dimension: command.dimension,
            windowSize: command.resolvedWindow, negativeSamples: command.negative, minCount: command.minCount,
            sample: command.sample, epochs: command.epochs, threads: command.resolvedThreads,
            learningRate: command.alpha.map { Float($0) }, seed: command.seed,
            skipGramUpdate: command.resolvedUpdate == .hogbatch ? .hogBatch : .perPair)
        let model = try Word2VecTrainer(configuration: configuration)
            .train(corpus: corpus, progress: { reporter.report($0) }, cancellation: Interrupt.flag)
        return (model.wordVectors(), model.lastTraining.history)
    }
}
