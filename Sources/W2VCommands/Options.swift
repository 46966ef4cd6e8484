import ArgumentParser
import Foundation

/// `--store FILE`, shared by every command that reads or writes the model store: `--store`, else
/// `$W2V_STORE`, else `./w2v.sqlite`.
public struct StoreOptions: ParsableArguments, Sendable {
    /// The environment variable that names the default store file.
    public static let environmentVariable = "W2V_STORE"
    /// The store file used when neither `--store` nor `$W2V_STORE` is given.
    public static let defaultFileName = "w2v.sqlite"

    @Option(name: .long, help: ArgumentHelp(
        "The model store, an SQLite file (default: $W2V_STORE, else ./w2v.sqlite).", valueName: "file"))
    public var store: String?

    public init() {}

    public func validate() throws {
        if let store, store.isEmpty { throw ValidationError("--store needs a file path, e.g. --store models.sqlite.") }
    }

    /// The store path: `--store`, else `$W2V_STORE` (when set and non-empty), else `./w2v.sqlite`.
    public func storePath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let store { return store }
        if let fromEnvironment = environment[Self.environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return Self.defaultFileName
    }
}

/// `--name NAME` on the commands that use a stored model (queries, evaluations, export, info): the
/// model is `--name`, else the most recently trained or imported one. (`train` and `import` have
/// their own `--name`, the name to store under.)
public struct ModelSelection: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp(
        "The model to use (default: the most recently stored one).", valueName: "name"))
    public var name: String?

    public init() {}

    public func validate() throws { try validateModelName(name) }
}

/// Rejects an empty or blank `--name`.
func validateModelName(_ name: String?) throws {
    if let name, name.trimmingCharacters(in: .whitespaces).isEmpty {
        throw ValidationError("--name needs a non-empty model name, e.g. --name text8-skipgram.")
    }
}

/// `--json`, shared by the query, evaluation and store-listing commands.
public struct OutputOptions: ParsableArguments, Sendable {
    @Flag(name: .long, help: "Print one JSON document on stdout instead of a table.")
    public var json = false

    public init() {}
}

/// `-n N` for commands that list the nearest words.
public struct CountOption: ParsableArguments, Sendable {
    @Option(name: [.customShort("n"), .customLong("count")], parsing: .unconditional, help: ArgumentHelp(
        "How many words to show.", valueName: "n"))
    public var count = 10

    public init() {}

    public func validate() throws {
        guard (1...100_000).contains(count) else {
            throw ValidationError("-n must be between 1 and 100000 (got \(count)).")
        }
    }
}
