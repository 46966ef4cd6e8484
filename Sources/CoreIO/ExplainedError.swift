/// A toolkit error in two parts: what went wrong (`problem`, a full sentence naming the file,
/// word or value concerned) and, when the library knows one, how to fix it (`remedy`).
///
/// Every module's error type conforms, so that the command line prints the problem and puts
/// either the library's remedy or its own command-specific hint ("lower --alpha") on a second
/// line, without parsing message text. ``description`` joins the two for everyone else.
public protocol ExplainedError: Error, CustomStringConvertible {
    /// What went wrong, one or more full sentences.
    var problem: String { get }
    /// How to fix it, a full sentence, or nil when the library cannot say.
    var remedy: String? { get }
}

extension ExplainedError {
    public var remedy: String? { nil }
    public var description: String { remedy.map { problem + " " + $0 } ?? problem }
}
