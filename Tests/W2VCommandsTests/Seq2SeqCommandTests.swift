import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

extension CommandLineTests {
    /// `w2v seq2seq generate|train|eval|predict` on tiny files: the contract's JSON keys, the kind in
    /// `models` / `info`, the attention heat map, and the errors the issue lists.
    @Suite("w2v seq2seq", .serialized)
    struct Seq2SeqCommandTests {
        static let small = ["--embedding", "8", "--hidden", "16", "--batch", "16", "--epochs", "2", "--quiet"]

        @Test func generateTrainEvalPredictAndList() throws {
            let workspace = try Workspace()
            let store = ["--store", workspace.store]
            let generated = try workspace.run(["seq2seq", "generate", "addition", "--lines", "200", "--seed", "3", "--output", workspace.path("add.txt")])
            #expect(generated.status == 0, "\(generated)")
            let lines = try String(contentsOfFile: workspace.path("add.txt"), encoding: .utf8).split(separator: "\n")
            #expect(lines.count == 200 && lines.allSatisfy { $0.count == 12 && Array($0)[7] == "_" })
            let again = try workspace.run(["seq2seq", "generate", "addition", "--lines", "200", "--seed", "3"])
            #expect(again.stdout == (lines.joined(separator: "\n") + "\n"), "seeded generation repeats, on stdout without --output")

            let train = try workspace.run(["seq2seq", "train", workspace.path("add.txt"), "--model", "peeky", "--reverse",
                                           "--name", "add", "--json"] + Self.small + store)
            #expect(train.status == 0, "\(train)")
            let json = try train.json()
            #expect(Set(json.keys) == ["test_accuracy", "epochs"])
            let epochs = try #require(json["epochs"] as? [[String: Any]])
            #expect(epochs.count == 2 && Set(epochs[0].keys) == ["epoch", "loss", "test_accuracy", "seconds"])

            let eval = try workspace.run(["seq2seq", "eval", workspace.path("add.txt"), "--name", "add", "--json"] + store)
            #expect(eval.status == 0, "\(eval)")
            let evalJSON = try eval.json()
            #expect(Set(evalJSON.keys) == ["accuracy", "examples"] && evalJSON["examples"] as? Int == 200)

            let predict = ["seq2seq", "predict", "16+75", "--name", "add"] + store
            let first = try workspace.run(predict), second = try workspace.run(predict)
            #expect(first.status == 0 && first.stdout == second.stdout && !first.stdout.isEmpty, "\(first)")
            #expect(first.stdout.count <= 5, "at most 4 symbols and a newline: \(first)")

            let models = try workspace.run(["models"] + store)
            #expect(models.stdout.contains("add") && models.stdout.contains("seq2seq"), "\(models)")
            let info = try workspace.run(["info", "add"] + store)
            #expect(info.status == 0 && info.stdout.contains("seq2seq") && info.stdout.contains("peeky")
                    && info.stdout.contains("test accuracy"), "\(info)")

            // --attention-svg needs an attention model.
            let notAttention = try workspace.run(predict + ["--attention-svg", workspace.path("a.svg")])
            #expect(notAttention.status == 1 && notAttention.stderr.contains("needs an attention model"), "\(notAttention)")
            #expect(!FileManager.default.fileExists(atPath: workspace.path("a.svg")))
        }

        @Test func attentionHeatMapIsWellFormedSVG() throws {
            let workspace = try Workspace()
            let store = ["--store", workspace.store]
            let data = try workspace.run(["seq2seq", "generate", "dates", "--lines", "120", "--output", workspace.path("dates.txt")])
            #expect(data.status == 0, "\(data)")
            let train = try workspace.run(["seq2seq", "train", workspace.path("dates.txt"), "--model", "attention", "--name", "dates",
                                           "--epochs", "1", "--hidden", "8", "--embedding", "4", "--quiet"] + store)
            #expect(train.status == 0, "\(train)")
            let svg = workspace.path("attention.svg")
            let predict = try workspace.run(["seq2seq", "predict", "September 27, 1994", "--name", "dates", "--attention-svg", svg] + store)
            #expect(predict.status == 0, "\(predict)")
            let text = try String(contentsOfFile: svg, encoding: .utf8)
            #expect(text.hasPrefix("<?xml") && text.contains("<svg") && text.hasSuffix("</svg>\n"))
            // 29 input columns x 10 output rows of cells.
            #expect(text.components(separatedBy: "<rect").count - 1 == 1 + 29 * 10)
            let parser = XMLParser(data: Data(text.utf8))
            #expect(parser.parse(), "well-formed XML: \(String(describing: parser.parserError))")
        }

        @Test func badInputGetsClearErrors() throws {
            let workspace = try Workspace()
            let store = ["--store", workspace.store]
            let good = try workspace.write("good.txt", (0..<30).map { "\($0 % 10)+\($0 / 10)  _\($0 % 10 + $0 / 10)" }.joined(separator: "\n") + "\n")
            let noSeparator = try workspace.write("nosep.txt", "1+1_2\n1+2 3\n")
            let empty = try workspace.write("empty.txt", "\n\n")
            func run(_ arguments: [String]) throws -> RunResult { try workspace.run(["seq2seq"] + arguments + store) }

            let missing = try run(["train", noSeparator, "--name", "x"] + Self.small)
            #expect(missing.status == 1 && missing.stderr.contains("Line 2 of") && missing.stderr.contains("no \"_\""), "\(missing)")
            let emptyRun = try run(["train", empty, "--name", "x"] + Self.small)
            #expect(emptyRun.status == 1 && emptyRun.stderr.contains("holds no question_answer lines"), "\(emptyRun)")
            let absent = try run(["train", workspace.path("nope.txt"), "--name", "x"] + Self.small)
            #expect(absent.status == 1 && absent.stderr.contains("nope.txt"), "\(absent)")
            let badModel = try run(["train", good, "--name", "x", "--model", "transformer"])
            #expect(badModel.status == 64, "\(badModel)")
            let noName = try run(["train", good])
            #expect(noName.status == 64 && noName.stderr.contains("--name"), "\(noName)")
            let noModel = try run(["predict", "1+1"])
            #expect(noModel.status == 1, "nothing stored yet: \(noModel)")

            let trained = try run(["train", good, "--name", "tiny"] + Self.small)
            #expect(trained.status == 0, "\(trained)")
            let unseen = try run(["predict", "1*1", "--name", "tiny"])
            #expect(unseen.status == 1 && unseen.stderr.contains("\"*\", a symbol the model never saw"), "\(unseen)")
            let tooLong = try run(["predict", "1+1+1+1+1", "--name", "tiny"])
            #expect(tooLong.status == 1 && tooLong.stderr.contains("has 9 symbols, more than the model's input width of 5"), "\(tooLong)")
            let evalUnseen = try run(["eval", try workspace.write("bad.txt", "1+1  _2\n9*9  _81\n"), "--name", "tiny"])
            #expect(evalUnseen.status == 1 && evalUnseen.stderr.contains("on line 2"), "\(evalUnseen)")
            let evalEmpty = try run(["eval", empty, "--name", "tiny"])
            #expect(evalEmpty.status == 1 && evalEmpty.stderr.contains("holds no question_answer lines"), "\(evalEmpty)")

            // Kinds: a vector model is not a seq2seq model, and an LM name cannot be reused.
            let vectors = try workspace.run(["train", try workspace.write("c.txt", String(repeating: "a b c d e f\n", count: 50)),
                                             "--min-count", "1", "--dimension", "4", "--epochs", "1", "--name", "vec", "--quiet"] + store)
            #expect(vectors.status == 0, "\(vectors)")
            let wrong = try run(["predict", "1+1", "--name", "vec"])
            #expect(wrong.status == 1 && wrong.stderr.contains("\"vec\" is word vectors, not a seq2seq"), "\(wrong)")
            let clash = try run(["train", good, "--name", "vec"] + Self.small)
            #expect(clash.status == 1 && clash.stderr.contains("already names word vectors"), "\(clash)")
        }
    }
}
