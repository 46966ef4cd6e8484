import CoreIO
import ErrorStyleChecks
import Testing
import TextCorpus

/// The position of `error`'s case in ``CorpusError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``corpusErrorSamples`` and a new ``corpusErrorCaseCount``.
private func ordinal(_ error: CorpusError) -> Int {
    switch error {
    case .fileNotFound: 0
    case .unreadable: 1
    case .empty: 2
    case .invalidUTF8: 3
    case .nulByte: 4
    case .tokenTooLong: 5
    case .noWordsAfterMinCount: 6
    case .invalidOptions: 7
    case .cancelled: 8
    case .emptyDirectory: 9
    case .corruptCompressedFile: 10
    }
}

private let corpusErrorCaseCount = 11
private let samplePath = "/data/corpus-7.txt"

/// One value of every case, with the values its message must name.
private var corpusErrorSamples: [(error: CorpusError, mentions: [String])] {
    [
        (.fileNotFound(path: samplePath), ["\"\(samplePath)\""]),
        (.unreadable(path: samplePath, reason: "permission denied (check the file's permissions)"),
         ["\"\(samplePath)\"", "permission denied (check the file's permissions)"]),
        (.empty(path: samplePath), ["\"\(samplePath)\""]),
        (.invalidUTF8(path: samplePath, byteOffset: 1234), ["\"\(samplePath)\"", "byte offset 1234"]),
        (.nulByte(path: samplePath, byteOffset: 567), ["\"\(samplePath)\"", "byte offset 567"]),
        (.tokenTooLong(path: samplePath, byteOffset: 89, limit: 1024),
         ["\"\(samplePath)\"", "byte offset 89", "1024 bytes"]),
        (.noWordsAfterMinCount(minCount: 5, distinctWords: 321), ["at least 5 times", "321 distinct words"]),
        (.invalidOptions(reason: "the minimum count must be at least 1, but it is 0"),
         ["the minimum count must be at least 1, but it is 0"]),
        (.cancelled, []),
        (.emptyDirectory(path: samplePath), ["\"\(samplePath)\"", "no files to read"]),
        (.corruptCompressedFile(.truncatedData(path: samplePath, format: "gzip")), ["\"\(samplePath)\"", "gzip", "truncated"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every CorpusError case")
    func everyCorpusErrorCaseHasOneSample() {
        #expect(corpusErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<corpusErrorCaseCount))
    }

    @Test("every CorpusError follows the house style")
    func corpusErrorsFollowTheHouseStyle() {
        for (error, mentions) in corpusErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }

    @Test("a corpus read from standard input is named in words")
    func standardInputIsNamed() {
        let stdin = InputFile.standardInputPath
        let errors: [CorpusError] = [.unreadable(path: stdin, reason: "Input/output error"), .empty(path: stdin)]
        for error in errors {
            let violations = styleViolations(error, mentions: ["from standard input"])
            #expect(violations.isEmpty, "\(error): \(violations)")
            #expect(!error.problem.contains("\"\(stdin)\""))
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

