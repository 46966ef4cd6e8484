import TensorCore

/// A small generated topic data set, written for the examples (no external data needed).
///
/// Three topics (sports, cooking, computing) each have a list of content words. The words of each
/// topic are split in two halves: the *seen* half appears in the labelled training sentences, the
/// *unseen* half only in the labelled test sentences. Both halves appear in a larger unlabelled
/// corpus, mixed within the same topical sentences. A bag-of-words classifier trained on the
/// labelled sentences cannot know the unseen words; a classifier over pretrained word vectors can,
/// because word2vec has placed unseen words next to the seen words of the same topic. That is the
/// classic case for pretrained embeddings as features.
public struct TopicCorpus: Sendable {
    public static let topics = ["sports", "cooking", "computing"]

    static let contentWords: [[String]] = [
        ["match", "goal", "team", "coach", "league", "striker", "referee", "stadium", "season", "score",
         "player", "tournament", "keeper", "penalty", "champion", "defender", "fans", "trophy", "midfield", "derby"],
        ["recipe", "oven", "flour", "butter", "sauce", "garlic", "onion", "simmer", "kitchen", "dough",
         "pepper", "roast", "salad", "spoon", "bake", "chef", "soup", "pan", "sugar", "herbs"],
        ["software", "compiler", "server", "database", "network", "laptop", "kernel", "code", "program", "browser",
         "processor", "memory", "cloud", "algorithm", "keyboard", "debugger", "linux", "script", "cache", "protocol"],
    ]

    static let functionWords = ["the", "a", "and", "with", "of", "in", "on", "was", "is", "then", "after", "for", "this", "that", "very", "new"]

    /// Unlabelled text for pretraining (one sentence per line).
    public let unlabelledText: String
    /// Labelled sentences (word lists and topic index) whose content words come from the seen halves.
    public let training: [(words: [String], label: Int)]
    /// Labelled sentences whose content words come only from the unseen halves.
    public let test: [(words: [String], label: Int)]

    /// Generates the data set deterministically from `seed`.
    public init(seed: UInt64 = 7, unlabelledSentences: Int = 20_000, trainingSentences: Int = 600, testSentences: Int = 300) {
        var rng = SplitMix64(seed: seed)
        func sentence(topic: Int, from words: [String], using rng: inout SplitMix64) -> [String] {
            let length = 6 + rng.nextIndex(below: 6)
            return (0..<length).map { _ in
                rng.nextUnitFloat() < 0.5
                    ? words[rng.nextIndex(below: words.count)]
                    : Self.functionWords[rng.nextIndex(below: Self.functionWords.count)]
            }
        }
        var lines: [String] = []
        lines.reserveCapacity(unlabelledSentences)
        for _ in 0..<unlabelledSentences {
            let topic = rng.nextIndex(below: 3)
            lines.append(sentence(topic: topic, from: Self.contentWords[topic], using: &rng).joined(separator: " "))
        }
        unlabelledText = lines.joined(separator: "\n") + "\n"
        func labelled(_ n: Int, half: Int, using rng: inout SplitMix64) -> [(words: [String], label: Int)] {
            (0..<n).map { _ in
                let topic = rng.nextIndex(below: 3)
                let all = Self.contentWords[topic]
                let words = half == 0 ? Array(all.prefix(all.count / 2)) : Array(all.suffix(all.count / 2))
                return (sentence(topic: topic, from: words, using: &rng), topic)
            }
        }
        training = labelled(trainingSentences, half: 0, using: &rng)
        test = labelled(testSentences, half: 1, using: &rng)
    }
}
