import Foundation

/// The sample corpus that ships in `corpora/sample.txt`, used by `w2v train` without a corpus.
///
/// It is looked for in `./corpora/`, then in the directories above the running executable (so
/// `.build/release/w2v` finds the checkout's `corpora/` from anywhere), then next to the sources
/// this tool was built from.
public enum SampleCorpus {
    /// The file name inside `corpora/`.
    public static let fileName = "sample.txt"

    /// Candidate paths, most specific first.
    public static func candidatePaths(currentDirectory: String = FileManager.default.currentDirectoryPath,
                                      executable: String? = executablePath(),
                                      sourceFile: String = #filePath) -> [String] {
        var candidates = [URL(fileURLWithPath: currentDirectory).appendingPathComponent("corpora/\(fileName)").path]
        if let executable {
            var directory = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<6 {
                candidates.append(directory.appendingPathComponent("corpora/\(fileName)").path)
                let parent = directory.deletingLastPathComponent()
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        // Sources/W2VCommands/SampleCorpus.swift -> <package>/corpora/sample.txt
        let package = URL(fileURLWithPath: sourceFile).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent("corpora/\(fileName)").path)
        var seen = Set<String>()
        return candidates.filter { seen.insert($0).inserted }
    }

    /// The first candidate that exists, or nil; relative to the current directory when it lies
    /// below it (`corpora/sample.txt`, as the user would type it), absolute otherwise.
    public static func locate(currentDirectory: String = FileManager.default.currentDirectoryPath) -> String? {
        guard let found = candidatePaths(currentDirectory: currentDirectory).first(where: {
            FileManager.default.isReadableFile(atPath: $0)
        }) else { return nil }
        let prefix = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
        return found.hasPrefix(prefix) ? String(found.dropFirst(prefix.count)) : found
    }

    /// The path of the running executable (`/proc/self/exe` on Linux).
    public static func executablePath() -> String? {
        #if os(Linux)
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        #endif
        return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).path }
    }
}
