import CoreIO
import ErrorStyleChecks
import Testing
import VectorFormats

/// The position of `error`'s case in ``VectorFormatError``'s declaration. Exhaustive on purpose
/// (no `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``vectorFormatErrorSamples`` and a new ``vectorFormatErrorCaseCount``.
private func ordinal(_ error: VectorFormatError) -> Int {
    switch error {
    case .fileNotFound: 0
    case .cannotRead: 1
    case .emptyFile: 2
    case .unrecognizedFormat: 3
    case .invalidHeader: 4
    case .headerCountMismatch: 5
    case .headerExceedsFile: 6
    case .noVectors: 7
    case .wrongFloatCount: 8
    case .invalidNumber: 9
    case .truncated: 10
    case .invalidUTF8: 11
    case .duplicateWord: 12
    case .emptyWord: 13
    case .wordTooLong: 14
    case .nonFiniteValue: 15
    case .trailingData: 16
    case .unwritableWord: 17
    case .unwritableValue: 18
    case .cancelled: 19
    case .writeFailed: 20
    case .refusedDestination: 21
    }
}

private let vectorFormatErrorCaseCount = 22
private let samplePath = "/data/vectors-7.bin"

/// One value of every case, with the values its message must name.
private var vectorFormatErrorSamples: [(error: VectorFormatError, mentions: [String])] {
    [
        (.fileNotFound(path: samplePath), [samplePath]),
        (.cannotRead(path: samplePath, reason: "permission denied (check the file's permissions)"),
         [samplePath, "permission denied (check the file's permissions)"]),
        (.emptyFile(path: samplePath), [samplePath]),
        (.unrecognizedFormat(path: samplePath), [samplePath]),
        (.invalidHeader(line: 1, text: "abc def"), ["Line 1", "\"abc def\""]),
        (.headerCountMismatch(declared: 10, found: 8), ["declares 10 words", "holds 8"]),
        (.headerExceedsFile(words: 1000, dimension: 300, availableBytes: 4096, binary: true),
         ["1000 words", "dimension 300", "4 x 300 bytes per vector", "4096 bytes"]),
        (.noVectors(path: samplePath), [samplePath]),
        (.wrongFloatCount(line: 3, expected: 300, found: 299), ["Line 3", "299 numbers", "dimension 300"]),
        (.invalidNumber(line: 4, token: "1.2.3"), ["Line 4", "\"1.2.3\""]),
        (.truncated(byteOffset: 777), ["byte offset 777"]),
        (.invalidUTF8(at: .line(5)), ["line 5"]),
        (.duplicateWord("apple", at: .byteOffset(42)), ["\"apple\"", "byte offset 42"]),
        (.emptyWord(at: .byteOffset(64)), ["byte offset 64"]),
        (.wordTooLong(byteOffset: 128, limit: 1000), ["byte offset 128", "1000 bytes"]),
        (.nonFiniteValue(word: "nan-word", byteOffset: 256), ["\"nan-word\"", "byte offset 256"]),
        (.trailingData(byteOffset: 512), ["byte offset 512"]),
        (.unwritableWord("two words"), ["\"two words\""]),
        (.unwritableValue(word: "inf-word"), ["\"inf-word\""]),
        (.cancelled, []),
        (.writeFailed(path: samplePath, reason: "No space left on device"), [samplePath, "No space left on device"]),
        (.refusedDestination(path: samplePath, reason: "it is a directory, not a file"),
         [samplePath, "it is a directory, not a file"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every VectorFormatError case")
    func everyVectorFormatErrorCaseHasOneSample() {
        #expect(vectorFormatErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<vectorFormatErrorCaseCount))
    }

    @Test("every VectorFormatError follows the house style")
    func vectorFormatErrorsFollowTheHouseStyle() {
        for (error, mentions) in vectorFormatErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }

    @Test("the messages that vary with their values follow the house style in every variant")
    func variants() {
        let variants: [(error: VectorFormatError, mentions: [String])] = [
            (.headerExceedsFile(words: 1000, dimension: 300, availableBytes: 4096, binary: false),
             ["at least 2 x 300 bytes per line", "4096 bytes"]),
            (.wrongFloatCount(line: 3, expected: 300, found: 1), ["1 number after the word"]),
            (.invalidUTF8(at: .byteOffset(12)), ["byte offset 12"]),
            (.duplicateWord("apple", at: .line(9)), ["\"apple\"", "line 9"]),
        ]
        for (error, mentions) in variants {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

