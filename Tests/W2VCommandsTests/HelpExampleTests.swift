import ArgumentParser
import Foundation
import Testing
@testable import W2VCommands

extension CommandLineTests {
    /// The examples every `--help` text shows are commands a user will paste: each one runs, on a
    /// scratch store with files of the same names, and succeeds.
    @Suite("Help examples", .serialized)
    struct HelpExampleTests {
        /// Every line of every command's help discussion that starts with `w2v`, split into words,
        /// without its trailing `# comment`.
        static let examples: [[String]] = {
            var found: [[String]] = []
            func visit(_ command: any ParsableCommand.Type) {
                for line in command.configuration.discussion.split(separator: "\n") {
                    var text = line.trimmingCharacters(in: .whitespaces)
                    guard text == "w2v" || text.hasPrefix("w2v ") else { continue }
                    if let comment = text.range(of: "#") { text = String(text[..<comment.lowerBound]) }
                    found.append(text.split(separator: " ").map(String.init))
                }
                command.configuration.subcommands.forEach(visit)
            }
            visit(W2VCommand.self)
            return found
        }()

        /// A file argument: has an extension a vector, corpus or evaluation file has, or a directory.
        static func isPath(_ word: String) -> Bool {
            word.contains("/") || [".txt", ".tsv", ".bin", ".vec", ".sqlite"].contains { word.hasSuffix($0) }
        }

        @Test func everyCommandShowsExamples() {
            var commands: [String] = []
            func visit(_ command: any ParsableCommand.Type) {
                let subcommands = command.configuration.subcommands
                if subcommands.isEmpty { commands.append(command._commandName) }
                subcommands.forEach(visit)
            }
            visit(W2VCommand.self)
            for command in commands {
                #expect(Self.examples.contains { $0.contains(command) }, "w2v \(command) --help shows no example")
            }
        }

        @Test func everyExampleRuns() throws {
            let workspace = try Workspace()
            let env = ["W2V_STORE": workspace.store]
            // The tiny corpus, and 240 filler words ten times each, so that PPMI-SVD's default 100
            // dimensions fit in the vocabulary.
            let filler = (0..<60).map { line in (0..<40).map { "filler\((line * 40 + $0) % 240)" }.joined(separator: " ") }
            // Named like the sample corpus, so that `w2v train` stores "sample-skipgram" as it does.
            try workspace.write("sample.txt", TinyCorpus.text(sentences: 400) + "\n" + filler.joined(separator: "\n") + "\n")
            // Every plain word of the examples and of the tiny corpus gets a vector, so each query
            // finds its words whichever synthetic model answers it.
            var words = Set(Self.examples.joined().filter { $0.allSatisfy { $0.isLetter && $0.isLowercase } })
            words.formUnion(TinyCorpus.text(sentences: 400).split(whereSeparator: \.isWhitespace).map(String.init))
            var state: UInt64 = 11
            let lines = words.sorted().map { word -> String in
                let values = (0..<8).map { _ -> String in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return String(format: "%.4f", Double(state >> 40) / Double(1 << 24) - 0.5)
                }
                return word + " " + values.joined(separator: " ")
            }
            try workspace.write("synthetic.txt", "\(lines.count) 8\n" + lines.joined(separator: "\n") + "\n")
            let imported = try workspace.run(["import", "synthetic.txt", "--name", "wiki8-skipgram"], environment: env)
            try #require(imported.status == 0, "\(imported)")
            try workspace.write("questions.txt", ": family\nman king woman queen\nboy prince girl princess\n: capitals\nparis france rome italy\n")
            try workspace.write("pairs.tsv", "king\tqueen\t8.5\nman\twoman\t8.3\nparis\tfrance\t7.1\ncat\tdog\t7.4\n")

            // Training first, then imports (which leave a synthetic model as the most recent), then
            // the rest in the order the help texts give them.
            // Language models: trained (on the corpus) before they are evaluated and sampled.
            func isTraining(_ example: [String]) -> Bool {
                example.dropFirst().first == "train" || Array(example.dropFirst().prefix(2)) == ["lm", "train"]
            }
            let ordered = Self.examples.filter(isTraining)
                + Self.examples.filter { $0.dropFirst().first == "import" }
                + Self.examples.filter { !isTraining($0) && !["import", "tune"].contains($0.dropFirst().first) }
                + Self.examples.filter { $0.dropFirst().first == "tune" }  // last: it stores the newest model
            #expect(ordered.count >= 25, "found \(ordered.count) examples")
            for example in ordered {
                var arguments = Array(example.dropFirst())
                let command = arguments.first ?? ""
                for (index, word) in arguments.enumerated() where index > 0 && arguments[index - 1] == "--store" {
                    // Another store the user has: a copy of this one.
                    if !FileManager.default.fileExists(atPath: workspace.path(word)) {
                        try FileManager.default.copyItem(atPath: workspace.store, toPath: workspace.path(word))
                    }
                }
                for (index, word) in arguments.enumerated() where Self.isPath(word) && arguments[max(0, index - 1)] != "--store" {
                    let file = URL(fileURLWithPath: word).lastPathComponent
                    switch command {
                    case "train", "lm": arguments[index] = "sample.txt"
                    case "tune":
                        let isBenchmark = ["--validation", "--test"].contains(arguments[index - 1])
                        arguments[index] = !isBenchmark ? "sample.txt" : file.hasSuffix(".tsv") ? "pairs.tsv" : "questions.txt"
                    case "eval": arguments[index] = arguments.contains("analogy") ? "questions.txt" : "pairs.tsv"
                    case "import":
                        let format = file.hasSuffix(".bin") ? "word2vec-binary" : file.contains("glove") ? "glove" : "word2vec"
                        let written = try workspace.run(["export", "wiki8-skipgram", file, "--format", format], environment: env)
                        try #require(written.status == 0, "\(written)")
                        arguments[index] = file
                    default: arguments[index] = file
                    }
                }
                if arguments == ["train"] { arguments.append("sample.txt") }  // the sample corpus is not beside the tests
                // A language model's example settings, but small and one epoch: a debug build trains slowly.
                if arguments.prefix(2) == ["lm", "train"] { arguments += ["--epochs", "1", "--embedding", "8", "--hidden", "8"] }
                if command == "tune" {  // the same command, made cheap: one small trial (the last of a repeated option wins)
                    arguments += ["--trials", "1", "--rounds", "1", "--epochs", "1", "--search", "dimension=8..8", "--min-count", "1"]
                }
                // seq2seq: small files and one small epoch, for the same reason.
                if arguments.prefix(2) == ["seq2seq", "generate"] { arguments += ["--lines", "300"] }
                if arguments.prefix(2) == ["seq2seq", "train"] { arguments += ["--epochs", "1", "--hidden", "8"] }
                let result = try workspace.run(arguments, environment: env)
                #expect(result.status == 0, "\(example.joined(separator: " ")) (run as w2v \(arguments.joined(separator: " "))): \(result)")
                #expect(!result.stderr.contains("Fatal error"), "\(result)")
            }
        }
    }
}
