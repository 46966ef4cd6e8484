import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import TensorCore
import Testing
import TextCorpus
@testable import W2VCommands

/// Collects what a ``ProgressReporter`` writes.
final class Capture: Sendable {
    private let chunks = Mutex<[String]>([])
    var text: String { chunks.withLock { $0.joined() } }
    var writes: Int { chunks.withLock { $0.count } }
    var write: @Sendable (String) -> Void { { chunk in self.chunks.withLock { $0.append(chunk) } } }
}

@Suite("Progress display")
struct ProgressReporterTests {
    @Test func lineFormat() {
        let progress = TrainingProgress(stage: "training", fraction: 0.42, processedWords: 420_000, wordsPerSecond: 1_234_567,
                                        elapsedSeconds: 42, learningRate: 0.0123456, loss: 2.345678)
        #expect(ProgressReporter.line(for: progress) == "training   42.0%  1.23M words/s  ETA 0:58  lr 0.01235  loss 2.3457")
    }

    @Test func rateOverAFewMillisecondsIsLeftOut() {
        let start = TrainingProgress(stage: "counting", fraction: 0, wordsPerSecond: 5.8e10, elapsedSeconds: 0.001)
        #expect(ProgressReporter.line(for: start) == "counting    0.0%")
    }

    @Test func lineWithoutOptionalParts() {
        let start = TrainingProgress(stage: "vocabulary", fraction: 0)
        #expect(ProgressReporter.line(for: start) == "vocabulary  0.0%")
        let done = TrainingProgress(stage: "svd", fraction: 1, elapsedSeconds: 3725)
        #expect(ProgressReporter.line(for: done) == "svd       100.0%  done in 1:02:05")
    }

    @Test func plainLinesEveryTenthAndAtEachStage() {
        let capture = Capture()
        let reporter = ProgressReporter(style: .plainLines, write: capture.write)
        for i in 0...100 { reporter.report(TrainingProgress(stage: "training", fraction: Double(i) / 100)) }
        reporter.report(TrainingProgress(stage: "saving", fraction: 0.5))
        reporter.finish()
        let lines = capture.text.split(separator: "\n").map(String.init)
        #expect(lines.count == 12)
        #expect(lines.first == "training    0.0%")
        #expect(lines[1].hasPrefix("training   10.0%"))
        #expect(lines[10].hasPrefix("training  100.0%"))
        #expect(lines[11].hasPrefix("saving     50.0%"))
        #expect(!capture.text.contains("\r"))
    }

    @Test func plainLinesSkipRepeatedFractions() {
        let capture = Capture()
        let reporter = ProgressReporter(style: .plainLines, write: capture.write)
        for _ in 0..<5 { reporter.report(TrainingProgress(stage: "training", fraction: 0.05)) }
        reporter.report(TrainingProgress(stage: "training", fraction: 0.35))
        #expect(capture.text.split(separator: "\n").count == 2)
    }

    @Test func updatingLineRewritesInPlace() {
        let capture = Capture()
        let reporter = ProgressReporter(style: .updatingLine, write: capture.write)
        reporter.report(TrainingProgress(stage: "vocabulary", fraction: 0.5))
        reporter.report(TrainingProgress(stage: "training", fraction: 0.1))
        reporter.report(TrainingProgress(stage: "training", fraction: 1))
        reporter.finish()
        let text = capture.text
        #expect(text.hasPrefix("\rvocabulary 50.0%"))
        #expect(text.contains("\n\rtraining   10.0%"))
        #expect(text.contains("\rtraining  100.0%"))
        #expect(text.hasSuffix("\n"))
        #expect(text.filter { $0 == "\n" }.count == 2)
    }

    @Test func silentWritesNothing() {
        let capture = Capture()
        let reporter = ProgressReporter(style: .silent, write: capture.write)
        reporter.report(TrainingProgress(stage: "training", fraction: 0.5))
        reporter.finish()
        #expect(capture.writes == 0)
        #expect(ProgressReporter.Style.automatic(quiet: true) == .silent)
    }

    @Test func styleFollowsTheDescriptor() {
        // A freshly opened pipe is never a terminal.
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(ProgressReporter.Style.automatic(quiet: false, descriptor: fds[1]) == .plainLines)
    }

    @Test(arguments: [(0.0, "0"), (999.4, "999"), (1234, "1.23k"), (12_345, "12.3k"), (123_456, "123k"),
                      (1_234_567, "1.23M"), (98_765_432, "98.8M"), (2.5e9, "2.50G")])
    func counts(value: Double, text: String) { #expect(formatCount(value) == text) }

    @Test(arguments: [(0, "0"), (999, "999"), (1000, "1,000"), (180_003, "180,003"), (17_103_137, "17,103,137"), (-4321, "-4,321")])
    func thousands(value: Int, text: String) { #expect(grouped(value) == text) }

    @Test(arguments: [(0.0, "0:00"), (7.4, "0:07"), (754, "12:34"), (3723, "1:02:03"), (-1, "?"), (Double.infinity, "?")])
    func durations(seconds: Double, text: String) { #expect(formatDuration(seconds) == text) }

    @Test(arguments: [(0.0, 4, "0.0000"), (0.81234, 4, "0.8123"), (-0.5, 2, "-0.50"), (-0.0001, 2, "0.00"), (12.5, 0, "13"), (Double.nan, 2, "nan")])
    func fixed(value: Double, decimals: Int, text: String) { #expect(formatFixed(value, decimals: decimals) == text) }
}

@Suite("Tables and JSON")
struct OutputFormattingTests {
    @Test func tableAlignsColumns() {
        let table = WordScoreList(results: [.init(word: "queen", similarity: 0.81234), .init(word: "princess", similarity: 0.7)]).table
        #expect(table.render() == """
        #  word      similarity
        -  --------  ----------
        1  queen         0.8123
        2  princess      0.7000
        """)
    }

    @Test func emptyTableHasHeader() {
        let table = TextTable(columns: [.init("name"), .init("words", .right)])
        #expect(table.render() == "name  words\n----  -----")
    }

    @Test func similarJSONUsesTheContractKeys() throws {
        let json = try JSONOutput.string(WordScoreList(results: [.init(word: "queen", similarity: 0.5)]))
        #expect(json == """
        {
          "results" : [
            {
              "similarity" : 0.5,
              "word" : "queen"
            }
          ]
        }
        """)
    }
}

@Suite("Error messages")
struct CommandFailureTests {
    struct LibraryError: Error, CustomStringConvertible {
        var description: String { "The corpus file is empty" }
    }

    @Test func oneOrTwoLines() {
        let failure = CommandFailure("No model store at w2v.sqlite.", hint: "Create one with: w2v train")
        #expect(failure.description == "w2v: No model store at w2v.sqlite.\nCreate one with: w2v train")
        #expect(failure.exitCode == 1)
        #expect(CommandFailure("x.").description == "w2v: x.")
    }

    @Test func exitCodeIsNeverZero() {
        #expect(CommandFailure("x.", exitCode: 0).exitCode == 1)
        #expect(CommandFailure("x.", exitCode: CommandFailure.interruptedExitCode).exitCode == 130)
    }

    @Test func libraryErrorsUseTheirDescription() {
        let failure = CommandFailure(LibraryError() as any Error)
        #expect(failure.description == "w2v: The corpus file is empty.")
        #expect(!failure.description.contains("LibraryError"))
    }

    @Test func argumentParserErrorsAreLeftToArgumentParser() {
        #expect(W2VCommand.isArgumentParserError(ValidationError("x")))
        #expect(!W2VCommand.isArgumentParserError(LibraryError()))
        #expect(!W2VCommand.isArgumentParserError(CommandFailure("x.")))
    }
}

@Suite("Sample corpus")
struct SampleCorpusTests {
    @Test func candidatesIncludeWorkingDirectoryExecutableAncestorsAndSources() {
        let paths = SampleCorpus.candidatePaths(currentDirectory: "/home/u/project",
                                                executable: "/home/u/project/.build/x86_64/release/w2v",
                                                sourceFile: "/src/w2v/Sources/W2VCommands/SampleCorpus.swift")
        #expect(paths.first == "/home/u/project/corpora/sample.txt")
        #expect(paths.contains("/home/u/project/.build/x86_64/release/corpora/sample.txt"))
        #expect(paths.last == "/src/w2v/corpora/sample.txt")
        #expect(Set(paths).count == paths.count)
    }

    @Test func theShippedSampleIsFound() throws {
        let path = try #require(SampleCorpus.locate())
        #expect(path.hasSuffix("corpora/sample.txt"))
    }
}
