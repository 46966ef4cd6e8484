// Temporary: the commands are wired to the library modules as they land on main.
func notYetAvailable(_ what: String) -> CommandFailure {
    CommandFailure("\(what) is not available in this build yet.", hint: "Update to a newer w2v build.")
}

struct TrainRunner {
    let command: Train
    func run() throws { throw notYetAvailable("w2v train") }
}

enum QueryRunner {
    static func similar(_ command: Similar) throws { throw notYetAvailable("w2v similar") }
    static func analogy(_ command: Analogy) throws { throw notYetAvailable("w2v analogy") }
    static func similarity(_ command: Similarity) throws { throw notYetAvailable("w2v similarity") }
    static func doesntMatch(_ command: DoesntMatch) throws { throw notYetAvailable("w2v doesnt-match") }
}

enum EvaluationRunner {
    static func analogy(_ command: EvaluateAnalogy) throws { throw notYetAvailable("w2v eval analogy") }
    static func similarity(_ command: EvaluateSimilarity) throws { throw notYetAvailable("w2v eval similarity") }
}

enum StoreRunner {
    static func importVectors(_ command: Import) throws { throw notYetAvailable("w2v import") }
    static func export(_ command: Export) throws { throw notYetAvailable("w2v export") }
    static func models(_ command: Models) throws { throw notYetAvailable("w2v models") }
    static func info(_ command: Info) throws { throw notYetAvailable("w2v info") }
}
