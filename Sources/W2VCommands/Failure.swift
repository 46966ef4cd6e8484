/// A command's failure as the user sees it: one line naming the problem, an optional second
/// line with the fix, and the process exit status.
///
/// Every error that reaches the top of a command is turned into one of these by
/// ``CommandFailure/init(_:)`` (library errors keep their full-sentence `description`), printed
/// to standard error as `w2v: <message>` and `<hint>`, and the process exits with ``exitCode``.
public struct CommandFailure: Error, CustomStringConvertible, Equatable, Sendable {
    /// The problem, a full sentence.
    public var message: String
    /// How to fix it, a full sentence or a command to run (nil when there is nothing to add).
    public var hint: String?
    /// The exit status (never 0).
    public var exitCode: Int32
    /// What sort of failure this is, for callers that map failures onto a protocol's codes
    /// (`w2v serve` answers ``Kind/notFound`` with HTTP 404 and ``Kind/invalidInput`` with 400).
    public var kind: Kind = .other

    /// What sort of failure a ``CommandFailure`` is.
    public enum Kind: Sendable, Equatable {
        /// Something asked for is not there: a model, a word.
        case notFound
        /// The request itself is wrong: a count out of range, too few words, a parameter missing.
        case invalidInput
        /// Anything else (a damaged store, an I/O error).
        case other
    }

    /// The exit status after Ctrl-C, as shells report it (128 + SIGINT).
    public static let interruptedExitCode: Int32 = 130

    public init(_ message: String, hint: String? = nil, exitCode: Int32 = 1, kind: Kind = .other) {
        self.message = message
        self.hint = hint
        self.exitCode = exitCode == 0 ? 1 : exitCode
        self.kind = kind
    }

    /// The failure for any error thrown by a command: a ``CommandFailure`` as is, a library error
    /// by its `description` (with a hint where the fix is known), anything else by `String(describing:)`.
    public init(_ error: any Error) {
        if let failure = error as? CommandFailure {
            self = failure
            return
        }
        if let known = ErrorHints.failure(for: error) {
            self = known
            return
        }
        if let explained = error as? any ExplainedError {
            self.init(explaining: explained)
            return
        }
        self.init(Self.sentence(String(describing: error)))
    }

    /// A library error as it explains itself: its problem, and its remedy as the hint.
    public init(explaining error: any ExplainedError) {
        self.init(Self.sentence(error.problem), hint: error.remedy)
    }

    /// What is printed on standard error: one or two lines.
    public var description: String {
        var text = "w2v: " + message
        if let hint, !hint.isEmpty { text += "\n" + hint }
        return text
    }

    /// Ensures a message ends with a full stop (library messages already do).
    static func sentence(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let last = trimmed.last else { return "An unknown error occurred." }
        return ".!?".contains(last) ? trimmed : trimmed + "."
    }
}

import CoreIO
import Foundation
