// Train skip-gram on a corpus, store the vectors, query them. From Examples/:
//   swift run QuickStart [CORPUS]      (default: the sample corpus, ../corpora/sample.txt)
import Foundation
import W2V

let path = CommandLine.arguments.dropFirst().first ?? "../corpora/sample.txt"
do {
    let corpus = try EncodedCorpus.load(contentsOf: path, options: CorpusOptions(minCount: 5))
    let configuration = Word2VecConfiguration(architecture: .skipGram, dimension: 50, epochs: 3, threads: 1, seed: 1)
    let model = try Word2VecTrainer(configuration: configuration).train(corpus: corpus)

    let store = try VectorStore(path: "quickstart.sqlite")
    try store.save(model.wordVectors(), as: "sample-sg", metadata: ModelMetadata(method: "skipgram"))
    let vectors = try store.load("sample-sg").vectors

    for neighbor in try vectors.mostSimilar(to: "king", count: 5) {
        print(neighbor.word, neighbor.similarity)
    }
    let answer = try vectors.analogy("man", isTo: "king", as: "woman", count: 1)
    print("man : king :: woman :", answer[0].word)
} catch {
    FileHandle.standardError.write(Data("QuickStart: \(error)\n".utf8))
    exit(1)
}
