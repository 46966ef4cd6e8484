import Embeddings
import TensorCore
import TextCorpus
import Word2Vec

extension TrainRunner {
    /// Skip-gram or CBOW with negative sampling (Mikolov et al. 2013).
    /// The library configuration the options ask for (also what is recorded with the model).
    var word2vecConfiguration: Word2VecConfiguration {
        Word2VecConfiguration(
            architecture: command.model == .cbow ? .cbow : .skipGram, dimension: command.dimension,
            windowSize: command.resolvedWindow, negativeSamples: command.negative, minCount: command.minCount,
            sample: command.sample, epochs: command.epochs, threads: command.resolvedThreads,
            learningRate: command.alpha.map { Float($0) }, seed: command.seed,
            skipGramUpdate: command.resolvedUpdate)
    }

    func trainWord2Vec(_ corpus: EncodedCorpus, reporter: ProgressReporter) throws -> Word2VecModel {
        try Word2VecTrainer(configuration: word2vecConfiguration)
            .train(corpus: corpus, progress: { reporter.report($0) }, cancellation: Interrupt.flag)
    }
}
