import CoreIO
import ErrorStyleChecks
import Testing
import W2VServer

/// The position of `error`'s case in ``ServerError``'s declaration. Exhaustive on purpose (no
/// `default`): a new case stops this file compiling until it has an ordinal here, a sample in
/// ``serverErrorSamples`` and a new ``serverErrorCaseCount``.
private func ordinal(_ error: ServerError) -> Int {
    switch error {
    case .invalidHost: 0
    case .portInUse: 1
    case .cannotListen: 2
    }
}

private let serverErrorCaseCount = 3

/// One value of every case, with the values its message must name.
private var serverErrorSamples: [(error: ServerError, mentions: [String])] {
    [
        (.invalidHost("example.com"), ["\"example.com\""]),
        (.portInUse(host: "127.0.0.1", port: 8080), ["Port 8080", "127.0.0.1"]),
        (.cannotListen(host: "192.0.2.7", port: 80, reason: "that address does not belong to this machine"),
         ["192.0.2.7", "port 80", "that address does not belong to this machine"]),
    ]
}

@Suite("Error messages")
struct ErrorMessageTests {
    @Test("the samples hold exactly one value of every ServerError case")
    func everyServerErrorCaseHasOneSample() {
        #expect(serverErrorSamples.map { ordinal($0.error) }.sorted() == Array(0..<serverErrorCaseCount))
    }

    @Test("every ServerError follows the house style")
    func serverErrorsFollowTheHouseStyle() {
        for (error, mentions) in serverErrorSamples {
            let violations = styleViolations(error, mentions: mentions)
            #expect(violations.isEmpty, "\(error): \(violations)")
        }
    }
}

// MARK: - The house style (the same in every module's ErrorMessageTests.swift)

