import Embeddings
import TextCorpus

extension TrainRunner {
    /// Skip-gram or CBOW training (wired to the Word2Vec module when it lands on main).
    func trainWord2Vec(_ corpus: EncodedCorpus, reporter: ProgressReporter) throws -> WordVectors {
        throw CommandFailure("word2vec training (--model \(command.model.rawValue)) is not available in this build yet.",
                             hint: "Use --model ppmi-svd for now.")
    }
}
