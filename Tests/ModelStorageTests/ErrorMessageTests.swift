import CoreIO
import ErrorStyleChecks
import ModelStorage
import Testing

/// The position of `error`'s case in ``StoreError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``storeErrorSamples`` and a new ``storeErrorCaseCount``.
private func ordinal(_ error: StoreError) -> Int {
    switch error {
    case .fileNotFound: 0
    case .notAStore: 1
    case .newerSchema: 2
    case .olderSchema: 3
    case .corrupt: 4
    case .modelNotFound: 5
    case .modelExists: 6
    case .invalidName: 7
    case .readOnly: 8
    case .readOnlyDirectory: 9
    case .busy: 10
    case .diskFull: 11
    case .cancelled: 12
    case .cannotOpen: 13
    case .cannotRead: 14
    case .sqlite: 15
    case .wrongKind: 16
    case .nameTakenByOtherKind: 17
    case .invalidMatrix: 18
    }
}

private let storeErrorCaseCount = 19
private let samplePath = "/data/models-7.sqlite"

/// One value of every case, with the values its message must name.
private var storeErrorSamples: [(error: StoreError, mentions: [String])] {
    [
        (.fileNotFound(path: samplePath), [samplePath]),
        (.notAStore(path: samplePath), [samplePath]),
        (.newerSchema(found: 3, supported: 2), ["version 3", "up to 2"]),
        (.olderSchema(found: 1, supported: 2), ["version 1", "to version 2"]),
        (.corrupt(path: samplePath, detail: "vector block 3 of model \"news\" is missing"),
         [samplePath, "vector block 3 of model \"news\" is missing"]),
        (.modelNotFound(name: "news", available: ["books", "wiki"]), ["\"news\"", "available: books, wiki"]),
        (.modelExists(name: "news"), ["\"news\""]),
        (.invalidName(""), ["\"\"", "1 to \(VectorStore.maximumNameLength) characters"]),
        (.readOnly(path: samplePath), [samplePath]),
        (.readOnlyDirectory(path: samplePath), [samplePath, samplePath + "-wal"]),
        (.busy(path: samplePath, seconds: 2), [samplePath, "more than 2 s"]),
        (.diskFull(path: samplePath), [samplePath]),
        (.cancelled, []),
        (.cannotOpen(path: samplePath, detail: "unable to open database file"), [samplePath, "unable to open database file"]),
        (.cannotRead(path: "/data/corpus-7.txt", reason: "there is no such file"), ["/data/corpus-7.txt", "there is no such file"]),
        (.invalidMatrix(reason: "the output weights have shape [3, 2], the vectors [3, 4]"), ["[3, 2]", "[3, 4]"]),
        (.sqlite(code: 19, message: "UNIQUE constraint failed: models.name"),
         ["code 19", "UNIQUE constraint failed: models.name"]),
        (.wrongKind(name: "ptb-lm", found: "language-model", expected: VectorStore.wordVectorsKind),
         ["\"ptb-lm\"", "a language model", "not word vectors"]),
        (.nameTakenByOtherKind(name: "news", kind: "seq2seq"), ["\"news\"", "a seq2seq network"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every StoreError case")
    func everyStoreErrorCaseHasOneSample() {
        #expect(storeErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<storeErrorCaseCount))
    }

    @Test("every StoreError follows the house style")
    func storeErrorsFollowTheHouseStyle() {
        for (error, mentions) in storeErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }

    @Test("the messages that vary with their values follow the house style in every variant")
    func variants() {
        let variants: [(error: StoreError, mentions: [String])] = [
            (.modelNotFound(name: "news", available: []), ["\"news\"", "the store holds no models"]),
            (.busy(path: samplePath, seconds: 0.25), [samplePath, "more than 250 ms"]),
            (.wrongKind(name: "news", found: VectorStore.wordVectorsKind, expected: "a network"), ["\"news\"", "is word vectors, not a network"]),
            (.nameTakenByOtherKind(name: "news", kind: VectorStore.wordVectorsKind), ["already names word vectors"]),
        ]
        for (error, mentions) in variants {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

