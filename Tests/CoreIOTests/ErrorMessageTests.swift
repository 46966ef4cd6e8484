import CoreIO
import ErrorStyleChecks
import Testing

/// The position of `error`'s case in ``FileError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``fileErrorSamples`` and a new ``fileErrorCaseCount``.
private func ordinal(_ error: FileError) -> Int {
    switch error {
    case .notFound: 0
    case .permissionDenied: 1
    case .isDirectory: 2
    case .cannotOpen: 3
    case .readFailed: 4
    case .tooLarge: 5
    case .notARegularFile: 6
    case .sameFile: 7
    case .writeFailed: 8
    case .corruptData: 9
    case .truncatedData: 10
    }
}

private let fileErrorCaseCount = 11
private let samplePath = "/data/corpus-7.txt"

/// One value of every case, with the values its message must name.
private var fileErrorSamples: [(error: FileError, mentions: [String])] {
    [
        (.notFound(path: samplePath), [samplePath]),
        (.permissionDenied(path: samplePath), [samplePath]),
        (.isDirectory(path: samplePath), [samplePath]),
        (.cannotOpen(path: samplePath, reason: "Too many open files"), [samplePath, "Too many open files"]),
        (.readFailed(path: samplePath, reason: "Input/output error"), [samplePath, "Input/output error"]),
        (.tooLarge(path: samplePath, limit: 4096), [samplePath, "4096"]),
        (.notARegularFile(path: samplePath, kind: "a FIFO"), [samplePath, "a FIFO"]),
        (.sameFile(path: samplePath, what: "the open model store"), [samplePath, "the open model store"]),
        (.writeFailed(path: samplePath, reason: "No space left on device"), [samplePath, "No space left on device"]),
        (.corruptData(path: samplePath, format: "gzip", detail: "invalid block type"), [samplePath, "gzip", "invalid block type"]),
        (.truncatedData(path: samplePath, format: "xz"), [samplePath, "xz", "truncated"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every FileError case")
    func everyFileErrorCaseHasOneSample() {
        #expect(fileErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<fileErrorCaseCount))
    }

    @Test("every FileError is a sentence that begins with the file it is about")
    func fileErrorsFollowTheHouseStyle() {
        for (error, mentions) in fileErrorSamples {
            let violations = styleViolations(error, mentions: mentions, leadingToken: samplePath)
            #expect(violations.isEmpty, "\(error): \(violations)")
            #expect(error.problem.hasPrefix(samplePath + " cannot be " + (error.isOutputError ? "written: " : "read: ")))
            #expect(error.path == samplePath)
        }
    }

    @Test("standard input is named in words when it is read; an output file named - is that file")
    func standardInputIsNamed() {
        for (error, _) in fileErrorSamples {
            let dash = error.withPath(InputFile.standardInputPath)
            if dash.isOutputError {
                let violations = styleViolations(dash, mentions: ["- cannot be written: "], leadingToken: "-")
                #expect(violations.isEmpty, "\(dash): \(violations)")
            } else {
                let violations = styleViolations(dash, mentions: ["Standard input cannot be read: "])
                #expect(violations.isEmpty, "\(dash): \(violations)")
            }
        }
    }
}

private extension FileError {
    /// The same case about another path.
    func withPath(_ path: String) -> FileError {
        switch self {
        case .notFound: .notFound(path: path)
        case .permissionDenied: .permissionDenied(path: path)
        case .isDirectory: .isDirectory(path: path)
        case let .cannotOpen(_, reason): .cannotOpen(path: path, reason: reason)
        case let .readFailed(_, reason): .readFailed(path: path, reason: reason)
        case let .tooLarge(_, limit): .tooLarge(path: path, limit: limit)
        case let .notARegularFile(_, kind): .notARegularFile(path: path, kind: kind)
        case let .sameFile(_, what): .sameFile(path: path, what: what)
        case let .writeFailed(_, reason): .writeFailed(path: path, reason: reason)
        case let .corruptData(_, format, detail): .corruptData(path: path, format: format, detail: detail)
        case let .truncatedData(_, format): .truncatedData(path: path, format: format)
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

