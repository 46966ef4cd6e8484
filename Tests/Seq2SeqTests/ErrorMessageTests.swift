import CoreIO
import ErrorStyleChecks
import Seq2Seq
import Testing

/// The position of `error`'s case in ``Seq2SeqError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``seq2SeqErrorSamples`` and a new ``seq2SeqErrorCaseCount``.
private func ordinal(_ error: Seq2SeqError) -> Int {
    switch error {
    case .file: 0
    case .notText: 1
    case .emptyFile: 2
    case .missingSeparator: 3
    case .tooFewExamples: 4
    case .unseenSymbol: 5
    case .questionTooLong: 6
    case .invalidConfiguration: 7
    case .invalidArchive: 8
    case .cancelled: 9
    case .diverged: 10
    }
}

private let seq2SeqErrorCaseCount = 11
private let samplePath = "/data/seq2seq/addition.txt"

/// The path a wrapped ``FileError``'s message begins with, or nil for messages that begin with a word.
private func leadingToken(_ error: Seq2SeqError) -> String? {
    switch error {
    case let .file(error): error.path
    case .notText, .emptyFile, .missingSeparator, .tooFewExamples, .unseenSymbol, .questionTooLong,
         .invalidConfiguration, .invalidArchive, .cancelled, .diverged: nil
    }
}

/// One value of every case, with the values its message must name.
private var seq2SeqErrorSamples: [(error: Seq2SeqError, mentions: [String])] {
    [
        (.file(.notFound(path: samplePath)), [samplePath, "no such file"]),
        (.notText(path: samplePath), ["\"\(samplePath)\"", "UTF-8"]),
        (.emptyFile(path: samplePath), ["\"\(samplePath)\"", "no question_answer lines"]),
        (.missingSeparator(path: samplePath, line: 42), ["Line 42", "\"\(samplePath)\"", "\"_\""]),
        (.tooFewExamples(path: samplePath, count: 1), ["\"\(samplePath)\"", "1 example,"]),
        (.unseenSymbol(symbol: "x", line: 17), ["line 17", "\"x\""]),
        (.questionTooLong(length: 9, width: 7, line: nil), ["9 symbols", "input width of 7"]),
        (.invalidConfiguration(reason: "the hidden size must be at most 8192, not 10000"),
         ["the hidden size must be at most 8192, not 10000"]),
        (.invalidArchive(reason: "the tensor \"decoder.affine.W\" has shape [128, 12] instead of [128, 13]"),
         ["\"decoder.affine.W\"", "[128, 12]", "[128, 13]"]),
        (.cancelled, []),
        (.diverged(epoch: 4), ["epoch 4"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every Seq2SeqError case")
    func everySeq2SeqErrorCaseHasOneSample() {
        #expect(seq2SeqErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<seq2SeqErrorCaseCount))
    }

    @Test("every Seq2SeqError follows the house style")
    func seq2SeqErrorsFollowTheHouseStyle() {
        for (error, mentions) in seq2SeqErrorSamples {
            let violations = styleViolations(error, mentions: mentions, leadingToken: leadingToken(error))
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

