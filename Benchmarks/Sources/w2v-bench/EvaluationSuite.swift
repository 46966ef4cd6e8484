import ArgumentParser
import Foundation
import W2V

/// Analogy (Google questions-words) and WordSim-353 evaluation of a word2vec file: results and
/// times, for comparison with gensim (`/work/shared/tools/peers.sh eval FILE`).
struct EvaluationSuite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluation",
        abstract: "Analogy accuracy (3CosAdd and 3CosMul, restrict 30,000) and WS353 correlation of a word2vec file, with times."
    )

    @Argument(help: "A word2vec (text or binary) or GloVe file; the format is detected.") var vectors: String
    @Option(help: "Analogy questions.") var questions = defaultDataPath("eval/questions-words.txt")
    @Option(help: "Word pairs.") var pairs = defaultDataPath("eval/wordsim353.tsv")
    @Option(help: "Vocabulary restriction for analogies (gensim: 30000).") var restrict = 30_000

    func run() throws {
        print(environmentHeader())
        guard FileManager.default.fileExists(atPath: questions), FileManager.default.fileExists(atPath: pairs) else {
            print("skipped: evaluation files not found (\(questions), \(pairs))")
            return
        }
        let (v, loadSeconds) = try measure { try VectorFileReader.read(contentsOf: vectors) }
        let testSet = try AnalogyTestSet(contentsOfFile: questions)
        let pairSet = try WordPairSet(contentsOfFile: pairs)
        var cpu = processCPUSeconds()
        let (add, addSeconds) = try measure { try v.evaluateAnalogies(testSet, restrictTo: restrict, method: .add) }
        let addCPU = processCPUSeconds() - cpu
        cpu = processCPUSeconds()
        let (mul, mulSeconds) = try measure { try v.evaluateAnalogies(testSet, restrictTo: restrict, method: .multiply) }
        let mulCPU = processCPUSeconds() - cpu
        let (ws, wsSeconds) = try measure { try v.evaluateWordPairs(pairSet) }
        func percent(_ x: Double) -> String { format(x * 100, 2) + "%" }
        func semanticAnswered(_ e: AnalogyEvaluation) -> Int { e.sections.filter { !$0.name.hasPrefix("gram") }.reduce(0) { $0 + $1.answered } }
        print("vectors \(vectors): \(v.count) x \(v.dimension), loaded in \(format(loadSeconds, 2)) s; load average \(loadAverage())")
        print(markdownTable(["evaluation", "total", "semantic", "syntactic", "answered / total", "time"], [
            ["analogy 3CosAdd (restrict \(restrict))", percent(add.accuracy), percent(add.semantic), percent(add.syntactic),
             "\(add.answered) / \(add.total) (semantic \(semanticAnswered(add)))", "\(format(addSeconds, 3)) s (CPU \(format(addCPU, 3)) s)"],
            ["analogy 3CosMul (restrict \(restrict))", percent(mul.accuracy), percent(mul.semantic), percent(mul.syntactic),
             "\(mul.answered) / \(mul.total)", "\(format(mulSeconds, 3)) s (CPU \(format(mulCPU, 3)) s)"],
        ]))
        print(markdownTable(["evaluation", "Spearman", "Pearson", "pairs", "OOV", "time"], [
            ["WordSim-353", format(ws.spearman, 4), format(ws.pearson, 4), "\(ws.pairs)", percent(ws.oov), "\(format(wsSeconds * 1000, 1)) ms"],
        ]))
        print(markdownTable(["section", "correct", "answered", "total", "accuracy"], add.sections.map {
            [$0.name, "\($0.correct)", "\($0.answered)", "\($0.total)", percent($0.accuracy)]
        }))
    }
}
