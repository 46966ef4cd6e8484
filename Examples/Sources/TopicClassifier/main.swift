// A downstream NLP task: classify short sentences by topic, with pretrained w2v sentence vectors
// as features, against a bag-of-words baseline. Both classifiers are the NN core's
// Affine + SoftmaxWithLoss trained with Adam on the same labelled sentences.
//
// The data (ExampleData.TopicCorpus) is generated: test sentences use only content words that
// never occur in the labelled training sentences, but do occur in the unlabelled text the word
// vectors are trained on. Bag-of-words cannot generalise to them; pretrained embeddings can.
//
// Usage: swift run TopicClassifier
#if canImport(Glibc)
import Glibc
#endif
import ExampleData
import W2V

/// Trains a linear softmax classifier on `inputs` and returns held-out accuracy on `testInputs`.
func trainLinearClassifier(inputs: Tensor, labels: [Int], testInputs: Tensor, testLabels: [Int], classes: Int) -> Double {
    var rng = SplitMix64(seed: 3)
    let network = FeedForwardNetwork(
        layers: [Affine(inputSize: inputs.shape[1], outputSize: classes, initialization: .xavier, using: &rng)],
        loss: SoftmaxWithLoss())
    var trainer = Trainer(network: network, optimizer: Adam(learningRate: 0.01), batchSize: 32, weightDecay: 1e-4)
    trainer.fit(inputs: inputs, labels: labels, epochs: 60, using: &rng)
    return network.accuracy(testInputs, labels: testLabels)
}

/// Bag-of-words counts over the words of the training sentences (unknown words are dropped).
func bagOfWords(_ sentences: [[String]], vocabulary: [String: Int]) -> Tensor {
    var features = Tensor(shape: [sentences.count, vocabulary.count])
    for (i, words) in sentences.enumerated() {
        for word in words { if let j = vocabulary[word] { features[i, j] += 1 } }
    }
    return features
}

do {
    let data = TopicCorpus()
    let trainWords = data.training.map(\.words), trainLabels = data.training.map(\.label)
    let testWords = data.test.map(\.words), testLabels = data.test.map(\.label)

    // 1. Pretrain word vectors on the unlabelled text.
    let corpus = try EncodedCorpus.encode(text: data.unlabelledText, options: CorpusOptions(minCount: 2))
    let configuration = Word2VecConfiguration(architecture: .skipGram, dimension: 32, windowSize: 5,
                                              epochs: 3, threads: 1, seed: 11)
    let vectors = try Word2VecTrainer(configuration: configuration).train(corpus: corpus).wordVectors()

    // 2. Features: smooth-inverse-frequency weighted sentence vectors (Arora et al. 2017).
    func sentenceFeatures(_ sentences: [[String]]) throws -> Tensor {
        let rows = try sentences.map { try vectors.sentenceVector($0, weighting: .smoothInverseFrequency(a: 1e-3)) }
        return Tensor(shape: [rows.count, vectors.dimension], scalars: rows.flatMap { $0 })
    }
    let embeddingAccuracy = trainLinearClassifier(
        inputs: try sentenceFeatures(trainWords), labels: trainLabels,
        testInputs: try sentenceFeatures(testWords), testLabels: testLabels, classes: TopicCorpus.topics.count)

    // 3. Baseline: bag of words over the training vocabulary.
    var bowVocabulary: [String: Int] = [:]
    for words in trainWords { for w in words where bowVocabulary[w] == nil { bowVocabulary[w] = bowVocabulary.count } }
    let bowAccuracy = trainLinearClassifier(
        inputs: bagOfWords(trainWords, vocabulary: bowVocabulary), labels: trainLabels,
        testInputs: bagOfWords(testWords, vocabulary: bowVocabulary), testLabels: testLabels,
        classes: TopicCorpus.topics.count)

    print("Topic classification on \(testLabels.count) held-out sentences whose content words were never seen in training:")
    print("  w2v sentence vectors + Affine/SoftmaxWithLoss (Adam): \(Int((embeddingAccuracy * 1000).rounded()) / 10)% accuracy")
    print("  bag of words         + Affine/SoftmaxWithLoss (Adam): \(Int((bowAccuracy * 1000).rounded()) / 10)% accuracy")
    print("  (chance: \(Int((1000.0 / Double(TopicCorpus.topics.count)).rounded()) / 10)%)")
    if embeddingAccuracy <= bowAccuracy {
        print("Unexpected: the embedding features did not beat bag of words.")
        exit(1)
    }
} catch {
    print("TopicClassifier failed: \(error)")
    exit(1)
}
