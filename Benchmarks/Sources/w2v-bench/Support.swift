#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import W2V

/// Wall-clock seconds of `body`.
func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// Peak resident set size of this process so far, in MiB (VmHWM from /proc/self/status).
func peakRSSMiB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return .nan }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let kb = line.split(separator: " ").compactMap { Double($0) }.first ?? .nan
        return kb / 1024
    }
    return .nan
}

/// The header every suite prints: date, machine, OpenBLAS core, commit.
func environmentHeader() -> String {
    var cpu = "unknown CPU"
    if let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let line = info.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
       let colon = line.firstIndex(of: ":") {
        cpu = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let date = ISO8601DateFormatter().string(from: Date())
    return "date \(date), \(cpu), \(cores) cores, OpenBLAS core \(OpenBLAS.coreName) (\(OpenBLAS.threadCount) threads), w2v \(Toolkit.version), commit \(gitCommit())"
}

func gitCommit() -> String {
    let pipe = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "rev-parse", "--short", "HEAD"]
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return "unknown" }
    process.waitUntilExit()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? "unknown" : text.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// A Markdown table from a header and rows.
func markdownTable(_ header: [String], _ rows: [[String]]) -> String {
    var lines = ["| " + header.joined(separator: " | ") + " |",
                 "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
    for row in rows { lines.append("| " + row.joined(separator: " | ") + " |") }
    return lines.joined(separator: "\n")
}

/// The word2vec settings a benchmark method name stands for: `sg`, `cbow` or `sg-hogbatch`.
func word2vecMethod(_ name: String) throws -> (architecture: Word2VecArchitecture, update: SkipGramUpdate) {
    switch name {
    case "sg": return (.skipGram, .perPair)
    case "sg-hogbatch": return (.skipGram, .hogBatch)
    case "cbow": return (.cbow, .perPair)
    default: throw ValidationError("Unknown word2vec method \(name); expected sg, cbow or sg-hogbatch.")
    }
}

func format(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

/// The default location of the shared data folder: `../shared/data` beside the repository.
func defaultDataPath(_ relative: String) -> String {
    let benchmarks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return benchmarks.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/data").appendingPathComponent(relative).path
}
