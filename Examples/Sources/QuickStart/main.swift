// The README's library example: train skip-gram on a corpus, store the vectors, query them.
// Usage: swift run QuickStart [CORPUS]   (default: ../corpora/sample.txt)
import W2V
#if canImport(Glibc)
import Glibc
#endif

let path = CommandLine.arguments.dropFirst().first ?? "../corpora/sample.txt"
do {
    // --- README example begins ---
    let corpus = try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: 5))
    let configuration = Word2VecConfiguration(architecture: .skipGram, dimension: 50, epochs: 3, seed: 1)
    let model = try Word2VecTrainer(configuration: configuration).train(corpus: corpus)

    let store = try VectorStore(path: "quickstart.sqlite")
    try store.save(model.wordVectors(), as: "sample-sg", metadata: ModelMetadata(method: "skipgram"))
    let vectors = try store.load("sample-sg").vectors

    for neighbor in try vectors.mostSimilar(to: "king", count: 5) {
        print(neighbor.word, neighbor.similarity)
    }
    let answer = try vectors.analogy("man", isTo: "king", as: "woman", count: 1)
    print("man : king :: woman :", answer[0].word)
    // --- README example ends ---
} catch {
    print("QuickStart failed: \(error)")
    exit(1)
}
