import Embeddings
import Evaluation
import ModelStorage

/// `eval analogy` and `eval similarity`.
enum EvaluationRunner {
    static func analogy(_ command: EvaluateAnalogy) throws {
        let access = StoreAccess(command.storeOptions)
        let testSet: AnalogyTestSet
        do { testSet = try AnalogyTestSet(contentsOfFile: command.file) } catch { throw benchmarkFailure(error) }
        let model = try access.loadModel(command.selection.name)
        let method = command.method
        let restrict = command.restrict == 0 || command.restrict >= model.vectors.count ? nil : command.restrict
        let result: AnalogyEvaluation
        do {
            result = try model.vectors.evaluateAnalogies(testSet, restrictTo: restrict, method: method)
        } catch {
            throw benchmarkFailure(error)
        }
        if command.output.json {
            StandardStreams.printLine(try JSONOutput.string(result))
            return
        }
        StandardStreams.printLine(analogyTable(result).render())
        let coverage = result.total > 0 ? Double(result.answered) / Double(result.total) : 0
        StandardStreams.printLine("""
            Model "\(model.name)", \(restrict.map { "the \($0) most frequent words" } ?? "all \(model.vectors.count) words"), \(command.method == .add ? "3CosAdd" : "3CosMul"): \
            accuracy \(percent(result.accuracy)) on \(result.answered) of \(result.total) questions (coverage \(percent(coverage))).
            """)
    }

    static func analogyTable(_ result: AnalogyEvaluation) -> TextTable {
        var rows = result.sections.map { section in
            [section.name, "\(section.correct)", "\(section.answered)", "\(section.total)",
             section.answered > 0 ? percent(section.accuracy) : "-"]
        }
        let semantic = result.sections.filter { !$0.name.hasPrefix("gram") }
        let syntactic = result.sections.filter { $0.name.hasPrefix("gram") }
        func summary(_ name: String, _ sections: [SectionResult], _ accuracy: Double) -> [String] {
            let correct = sections.reduce(0) { $0 + $1.correct }
            let answered = sections.reduce(0) { $0 + $1.answered }
            let total = sections.reduce(0) { $0 + $1.total }
            return [name, "\(correct)", "\(answered)", "\(total)", answered > 0 ? percent(accuracy) : "-"]
        }
        rows.append(["", "", "", "", ""])
        rows.append(summary("semantic", semantic, result.semantic))
        rows.append(summary("syntactic", syntactic, result.syntactic))
        rows.append(summary("total", result.sections, result.accuracy))
        return TextTable(columns: [.init("section"), .init("correct", .right), .init("answered", .right),
                                   .init("total", .right), .init("accuracy", .right)], rows: rows)
    }

    static func similarity(_ command: EvaluateSimilarity) throws {
        let access = StoreAccess(command.storeOptions)
        let pairs: WordPairSet
        do { pairs = try WordPairSet(contentsOfFile: command.file) } catch { throw benchmarkFailure(error) }
        let model = try access.loadModel(command.selection.name)
        let result: SimilarityEvaluation
        do { result = try model.vectors.evaluateWordPairs(pairs, restrictTo: nil) } catch { throw benchmarkFailure(error) }
        if command.output.json {
            StandardStreams.printLine(try JSONOutput.string(result))
            return
        }
        func correlation(_ value: Double) -> String { value.isFinite ? formatFixed(value, decimals: 4) : "undefined" }
        var rows = [
            ["spearman", correlation(result.spearman)],
            ["pearson", correlation(result.pearson)],
            ["pairs", "\(result.pairs) of \(pairs.pairs.count)"],
            ["oov", percent(result.oov)],
        ]
        if let note = result.note { rows.append(["note", note]) }
        let table = TextTable(columns: [.init("measure"), .init("value", .right)], rows: rows)
        StandardStreams.printLine(table.render())
    }

    static func benchmarkFailure(_ error: any Error) -> CommandFailure {
        var failure = CommandFailure(error)
        if let error = error as? EvaluationError {
            switch error {
            case .malformedLine, .questionOutsideSection, .emptySet:
                failure.hint = "Analogy files have \": section\" lines and \"a b c d\" lines; word-pair files have \"word1 word2 score\" lines."
            case .noPairsInVocabulary:
                failure.hint = "The model's vocabulary and the benchmark do not overlap; check --name, or train on a larger corpus."
            default:
                break
            }
        }
        return failure
    }
}

/// `42.1%`.
func percent(_ fraction: Double) -> String {
    fraction.isFinite ? formatFixed(fraction * 100, decimals: 1) + "%" : "-"
}
