import TensorCore
@testable import Word2Vec

/// Test corpora built in memory.
enum TestCorpus {
    /// A vocabulary sorted by descending count (ties by first appearance) and the ids of `tokens`.
    static func input(_ tokens: [String], boundary: String? = nil) -> TrainingInput {
        var counts: [String: Int] = [:]
        var order: [String] = []
        for t in tokens {
            if counts[t] == nil { order.append(t) }
            counts[t, default: 0] += 1
        }
        let firstSeen = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let words = order.sorted { (counts[$0]!, -firstSeen[$0]!) > (counts[$1]!, -firstSeen[$1]!) }
        let index = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, Int32($0)) })
        return TrainingInput(words: words, counts: words.map { counts[$0]! }, ids: tokens.map { index[$0]! },
                             sentenceBoundary: boundary.flatMap { index[$0] })
    }

    /// Sentences `c c T c c` where T ∈ `targets[g]` and every c is drawn from `contexts[g]`:
    /// the targets of one group share exactly the same context distribution.
    static func planted(sentences: Int, seed: UInt64) -> [String] {
        let contexts = [(0..<6).map { "a\($0)" }, (0..<6).map { "b\($0)" }]
        let targets = [["cat", "dog"], ["car", "truck"]]
        var random = SplitMix64(seed: seed)
        var tokens: [String] = []
        for _ in 0..<sentences {
            let g = random.nextIndex(below: 2)
            let pick = { (r: inout SplitMix64) in contexts[g][r.nextIndex(below: 6)] }
            tokens.append(pick(&random))
            tokens.append(pick(&random))
            tokens.append(targets[g][random.nextIndex(below: 2)])
            tokens.append(pick(&random))
            tokens.append(pick(&random))
            tokens.append("</s>")
        }
        return tokens
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in a.indices {
            dot += a[i] * b[i]
            na += a[i] * a[i]
            nb += b[i] * b[i]
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}

extension Word2VecModel {
    func vector(_ word: String) -> [Float] {
        inputVectors.row(words.firstIndex(of: word)!)
    }

    /// The word (other than `word` and `exclude`) whose input vector is closest by cosine.
    func nearest(to word: String, excluding exclude: Set<String> = []) -> String {
        let v = vector(word)
        var best = ("", -Float.infinity)
        for (i, w) in words.enumerated() where w != word && !exclude.contains(w) {
            let s = TestCorpus.cosine(v, inputVectors.row(i))
            if s > best.1 { best = (w, s) }
        }
        return best.0
    }
}
