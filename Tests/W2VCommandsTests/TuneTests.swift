import Foundation
import ModelStorage
import TensorCore
import Testing
@testable import W2VCommands

extension CommandLineTests {
    /// The search space of `w2v tune`: parsing, sampling, narrowing (issue 18).
    @Suite("Hyperparameter search")
    struct HyperparameterSearchTests {
        @Test("the default spaces parse, with whole numbers, logarithmic rates and thresholds")
        func defaults() throws {
            let space = try SearchSpace(parsing: SearchSpace.defaultSpecification(for: .skipgram), model: .skipgram)
            #expect(space.ranges.map(\.name) == ["window", "dimension", "negative", "sample", "alpha", "epochs"])
            #expect(space.ranges.first { $0.name == "sample" } == SearchRange(name: "sample", lower: 1e-5, upper: 1e-2, scale: .logarithmic))
            #expect(space.ranges.first { $0.name == "window" }?.scale == .integer)
            #expect(try SearchSpace(parsing: SearchSpace.defaultSpecification(for: .ppmiSVD), model: .ppmiSVD).ranges.map(\.name)
                    == ["window", "dimension", "cds", "eig"])
        }

        @Test("bad ranges are clear errors", arguments: [
            ("window=10..2", "The range of window, 10..2, is empty: its lower end is above its upper end."),
            ("dimension=2.2..2.8", "The range of dimension, 2.2..2.8, holds no whole number."),
            ("sample=0..1e-2", "sample is searched on a logarithmic scale, so its range must be above 0 (got 0..1e-2)."),
            ("window=2", "\"window=2\" is not a search range; write name=lower..upper, e.g. window=2..10."),
            ("window=2..x", "The range of window, \"2..x\", needs two numbers, e.g. window=2..10."),
            ("window=2..4,window=3..5", "window is given twice in --search."),
            ("window=0..4", "The range of window, 0..4, leaves 1..1000, the values window can take."),
            ("depth=1..2", "depth cannot be searched for skipgram; the parameters are alpha, dimension, epochs, negative, sample, window."),
            ("", "\"\" is not a search range; write name=lower..upper, e.g. window=2..10."),
        ])
        func badRanges(specification: String, message: String) {
            #expect(throws: SearchSpace.Problem(message)) { try SearchSpace(parsing: specification, model: .skipgram) }
        }

        @Test("a parameter of another model is refused")
        func otherModel() {
            #expect(throws: SearchSpace.Problem("negative cannot be searched for ppmi-svd; the parameters are cds, dimension, eig, shift, window.")) {
                try SearchSpace(parsing: "negative=2..5", model: .ppmiSVD)
            }
        }

        @Test("the same seed draws the same settings; every value lies in its range; integers are whole")
        func sampling() throws {
            let space = try SearchSpace(parsing: SearchSpace.defaultSpecification(for: .cbow), model: .cbow)
            var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5), c = SplitMix64(seed: 6)
            let first = (0..<50).map { _ in space.sample(&a) }
            #expect(first == (0..<50).map { _ in space.sample(&b) })
            #expect(first != (0..<50).map { _ in space.sample(&c) })
            for setting in first {
                for range in space.ranges {
                    let value = try #require(setting[range.name])
                    #expect(value >= range.lower && value <= range.upper, "\(range.name) = \(value)")
                    if range.scale == .integer { #expect(value == value.rounded()) }
                }
            }
            let windows = Set(first.map { $0["window"]! })
            #expect(windows.contains(2) || windows.contains(10) || windows.count >= 7, "integers reach across the range")
        }

        @Test("rates and thresholds are drawn on a logarithmic scale")
        func logarithmicScale() {
            let range = SearchRange(name: "sample", lower: 1e-5, upper: 1e-1, scale: .logarithmic)
            var random = SplitMix64(seed: 3)
            let draws = (0..<4000).map { _ in range.sample(&random) }
            let belowGeometricMiddle = Double(draws.filter { $0 < 1e-3 }.count) / Double(draws.count)
            // Uniform in the logarithm: half below 1e-3; uniform in the value it would be 1%.
            #expect(abs(belowGeometricMiddle - 0.5) < 0.05, "\(belowGeometricMiddle)")
        }

        @Test("narrowing halves every range around the best value and stays inside the given range")
        func narrowing() {
            let bounds = SearchSpace(ranges: [
                SearchRange(name: "window", lower: 2, upper: 10, scale: .integer),
                SearchRange(name: "alpha", lower: 0.001, upper: 0.1, scale: .logarithmic),
                SearchRange(name: "eig", lower: 0, upper: 1, scale: .linear),
            ])
            let next = bounds.narrowed(around: ["window": 9, "alpha": 0.01, "eig": 0.1], within: bounds)
            #expect(next.ranges[0] == SearchRange(name: "window", lower: 6, upper: 10, scale: .integer), "moved inside: 7..11 -> 6..10")
            #expect(abs(next.ranges[1].lower - 0.001 * pow(10, 0.5)) < 1e-9 && abs(next.ranges[1].upper - 0.1 / pow(10, 0.5)) < 1e-9,
                    "half the decades, centred on 0.01: \(next.ranges[1])")
            #expect(next.ranges[2] == SearchRange(name: "eig", lower: 0, upper: 0.5, scale: .linear))
            let again = next.narrowed(around: ["window": 10, "alpha": 0.01, "eig": 0.1], within: bounds)
            #expect(again.ranges[0].lower >= 7 && again.ranges[0].upper == 10)
            #expect(again.ranges[2].upper - again.ranges[2].lower == 0.25)
        }

        @Test("budgets are durations", arguments: [("90s", 90.0), ("30m", 1800), ("1h30m", 5400), ("1.5h", 5400), ("45", 45), ("0.5", 0.5)])
        func durations(text: String, seconds: Double) {
            #expect(parseDuration(text) == seconds)
        }

        @Test("what is not a duration is refused", arguments: ["", "0", "-5", "10x", "m", "5m3", "0s", "inf"])
        func notDurations(text: String) {
            #expect(parseDuration(text) == nil)
        }
    }
}

extension CommandLineTests {
    /// `w2v tune` end to end on the tiny corpus.
    @Suite("w2v tune")
    struct TuneCommandTests {
        static let cheap = ["--search", "dimension=6..12,window=2..4,alpha=0.01..0.05", "--epochs", "1", "--trials", "2",
                            "--rounds", "2", "--threads", "1", "--min-count", "2", "--quiet"]

        func workspace() throws -> Workspace {
            let workspace = try Workspace()
            try workspace.write("tiny.txt", TinyCorpus.text(sentences: 300))
            let lines = TinyCorpus.questions.split(separator: "\n").map(String.init)
            let family = lines.firstIndex(of: ": family")!
            try workspace.write("validation.txt", lines[..<family].joined(separator: "\n") + "\n")
            try workspace.write("test.txt", lines[family...].joined(separator: "\n") + "\n")
            try workspace.write("pairs.tsv", TinyCorpus.pairsFile)
            return workspace
        }

        @Test("--json gives every trial and the best with its separate test score; the best is stored with its settings")
        func json() throws {
            let workspace = try workspace()
            let result = try workspace.run(["tune", "tiny.txt", "--validation", "validation.txt", "--test", "test.txt",
                                            "--name", "tuned", "--json", "--store", workspace.store] + Self.cheap)
            #expect(result.status == 0, "\(result)")
            let json = try result.json()
            #expect(Set(json.keys) == ["trials", "best"])
            let trials = try #require(json["trials"] as? [[String: Any]])
            #expect(trials.count == 4)
            #expect(trials.map { $0["round"] as? Int } == [1, 1, 2, 2])
            for trial in trials {
                #expect(Set(trial.keys) == ["round", "parameters", "score", "seconds"])
                let parameters = try #require(trial["parameters"] as? [String: Double])
                #expect(Set(parameters.keys) == ["dimension", "window", "alpha", "epochs"])
                #expect(parameters["epochs"] == 1 && (6...12).contains(parameters["dimension"]!))
            }
            let best = try #require(json["best"] as? [String: Any])
            #expect(Set(best.keys) == ["parameters", "score", "test_score"])
            let scores = trials.compactMap { $0["score"] as? Double }
            #expect(best["score"] as? Double == scores.max())
            #expect(best["test_score"] as? Double != nil)
            let bestParameters = try #require(best["parameters"] as? [String: Double])
            let store = try VectorStore(path: workspace.store, mode: .readOnly)
            let model = try store.load("tuned")
            #expect(Double(model.vectors.dimension) == bestParameters["dimension"])
            #expect(model.metadata.parameters["windowSize"].flatMap(Double.init) == bestParameters["window"])
            #expect(model.metadata.notes?.contains("the best of 4 trials") == true)
            #expect(try store.hasOutputVectors("tuned"), "a tuned word2vec model can be continued")
        }

        @Test("the same seed gives the same settings, another seed others; a word-pair file scores by Spearman; no --test, no test score")
        func seeded() throws {
            let workspace = try workspace()
            func run(_ seed: String) throws -> [[String: Double]] {
                let result = try workspace.run(["tune", "tiny.txt", "--validation", "pairs.tsv", "--name", "t", "--json", "--seed", seed,
                                                "--store", workspace.store] + Self.cheap)
                #expect(result.status == 0, "\(result)")
                let json = try result.json()
                #expect((json["best"] as? [String: Any])?["test_score"] is NSNull)
                return (json["trials"] as? [[String: Any]] ?? []).compactMap { $0["parameters"] as? [String: Double] }
            }
            let first = try run("7")
            #expect(first.count == 4)
            #expect(try run("7") == first)
            #expect(try run("8") != first)
        }

        @Test("the table shows each trial as it finishes and the best apart from its test score")
        func table() throws {
            let workspace = try workspace()
            let result = try workspace.run(["tune", "tiny.txt", "--validation", "validation.txt", "--test", "test.txt",
                                            "--name", "tuned", "--store", workspace.store] + Self.cheap)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("score: analogy accuracy on the validation data"), "\(result)")
            let rows = result.stdout.split(separator: "\n").filter { $0.trimmingCharacters(in: .whitespaces).first?.isNumber == true }
            #expect(rows.count == 4, "\(result)")
            #expect(result.stdout.contains("Best of 4 trials: "), "\(result)")
            #expect(result.stdout.contains("  test        analogy accuracy "), "\(result)")
            #expect(result.stdout.contains("(scored once, for the best only)"), "\(result)")
        }

        @Test("no usable validation question, an empty range, a budget that runs out, a missing file: clear errors, nothing stored")
        func errors() throws {
            let workspace = try workspace()
            try workspace.write("foreign.txt", ": section\nalpha beta gamma delta\n")
            let foreign = try workspace.run(["tune", "tiny.txt", "--validation", "foreign.txt", "--name", "t",
                                             "--store", workspace.store] + Self.cheap)
            #expect(foreign.status == 1, "\(foreign)")
            #expect(foreign.stderr.contains("None of the 1 questions in foreign.txt can be asked of this corpus's vocabulary"), "\(foreign)")
            let empty = try workspace.run(["tune", "tiny.txt", "--validation", "validation.txt", "--name", "t", "--search", "window=5..3"])
            #expect(empty.status == 64 && empty.stderr.contains("The range of window, 5..3, is empty"), "\(empty)")
            let both = try workspace.run(["tune", "tiny.txt", "--validation", "validation.txt", "--name", "t", "--search", "epochs=1..3",
                                          "--epochs", "2"])
            #expect(both.status == 64 && both.stderr.contains("--epochs fixes the epochs"), "\(both)")
            let budget = try workspace.run(["tune", "tiny.txt", "--validation", "validation.txt", "--name", "t", "--budget", "0.001",
                                            "--store", workspace.store] + Self.cheap)
            #expect(budget.status == 1 && budget.stderr.contains("ran out before any trial finished; nothing was stored"), "\(budget)")
            let badBudget = try workspace.run(["tune", "tiny.txt", "--validation", "validation.txt", "--name", "t", "--budget", "soon"])
            #expect(badBudget.status == 64 && badBudget.stderr.contains("--budget needs a duration"), "\(badBudget)")
            let missing = try workspace.run(["tune", "tiny.txt", "--validation", "nope.txt", "--name", "t", "--store", workspace.store])
            #expect(missing.status == 1 && missing.stderr.contains("nope.txt"), "\(missing)")
            let models = try workspace.run(["models", "--store", workspace.store])
            #expect(!models.stdout.contains(" t "), "\(models)")
            #expect(try VectorStore(path: workspace.store).models().isEmpty)
        }
    }
}
