import Embeddings
import Foundation
import TensorCore

/// A fresh empty directory under the system temporary directory.
func makeTemporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("w2v-formats-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Writes raw bytes to `name` inside `directory` and returns the path.
func writeFile(_ bytes: [UInt8], named name: String, in directory: String) throws -> String {
    let path = directory + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

func writeFile(_ text: String, named name: String, in directory: String) throws -> String {
    try writeFile(Array(text.utf8), named: name, in: directory)
}

func readBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Little-endian bytes of Float32 values.
func littleEndianBytes(_ values: [Float]) -> [UInt8] {
    values.flatMap { value -> [UInt8] in
        let bits = value.bitPattern
        return [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
    }
}

/// Seeded random vectors over words with multi-byte UTF-8, awkward magnitudes and signed zero.
func sampleVectors(words: Int = 40, dimension: Int = 7, seed: UInt64 = 11) throws -> WordVectors {
    var rng = SplitMix64(seed: seed)
    var tensor = Tensor.randomNormal(shape: [words, dimension], using: &rng)
    let awkward: [Float] = [1e-30, -3.4028235e38, 1.1754944e-38, -0.0, 0.1, 123_456.79, .leastNonzeroMagnitude, 7]
    for (i, value) in awkward.enumerated() where i < tensor.count { tensor.scalars[i] = value }
    let special = ["café", "日本語", "naïve", "</s>", "x"]
    let names = (0..<words).map { $0 < special.count ? special[$0] : "word\($0)" }
    return try WordVectors(words: names, vectors: tensor)
}

/// `../shared/data/vectors/<name>` relative to the package root.
func sharedVectorFile(_ name: String) -> String {
    URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/data/vectors/\(name)").standardizedFileURL.path
}

func sharedFileExists(_ name: String) -> Bool {
    FileManager.default.fileExists(atPath: sharedVectorFile(name))
}
