import CoreIO

// The house style every ExplainedError message follows, checked by each module's ErrorMessageTests.

/// What breaks the house style of ``ExplainedError`` in `error`'s message; empty when nothing does.
///
/// - `problem` is one or more full sentences: a capital letter first (or `leadingToken`, the path
///   or code name some messages begin with), a full stop last, at least three words, no doubled
///   spaces, line breaks or space before punctuation (the marks of an empty interpolation), and
///   it names every value in `mentions`. A case that carries values must be given at least one.
/// - `remedy`, when there is one, is a full sentence ending in `.` or `?` (a question such as
///   "Did you mean ...?") that the problem does not already contain.
/// - `description` is the problem, or the problem, a space and the remedy.
public func styleViolations(_ error: some ExplainedError, mentions: [String],
                             leadingToken: String? = nil) -> [String] {
    var violations: [String] = []
    func checkSentence(_ text: String, _ part: String, endings: [Character], leadingToken: String?) {
        guard let first = text.first, let last = text.last else { return violations.append("\(part) is empty") }
        if !first.isUppercase && leadingToken.map(text.hasPrefix) != true {
            violations.append("\(part) does not start with a capital letter")
        }
        if !endings.contains(last) || text.hasSuffix("..") { violations.append("\(part) does not end with one of \(endings)") }
        for mark in ["  ", " .", " ,", " ;", " :", "\n", "\t"] where text.contains(mark) {
            violations.append("\(part) contains \(mark.debugDescription)")
        }
        if text.split(separator: " ").count < 3 { violations.append("\(part) is not a sentence") }
    }
    checkSentence(error.problem, "problem", endings: ["."], leadingToken: leadingToken)
    for value in mentions where !error.problem.contains(value) {
        violations.append("problem does not name \(value.debugDescription)")
    }
    if mentions.isEmpty && !Mirror(reflecting: error).children.isEmpty {
        violations.append("the case carries values, but the sample names none of them")
    }
    if let remedy = error.remedy {
        checkSentence(remedy, "remedy", endings: [".", "?"], leadingToken: nil)
        if error.problem.contains(remedy) { violations.append("problem already contains the remedy") }
    }
    if error.description != error.remedy.map({ error.problem + " " + $0 }) ?? error.problem {
        violations.append("description is not the problem followed by the remedy")
    }
    return violations
}
