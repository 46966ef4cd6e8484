import Foundation
import Testing

/// What the README shows is what the repository holds.
@Suite("README")
struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// The README's Swift block is the QuickStart example, byte for byte (CI builds and runs it).
    @Test func swiftExampleIsTheQuickStartFile() throws {
        let readme = try Self.read("README.md")
        let start = try #require(readme.range(of: "```swift\n"))
        let end = try #require(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        let block = String(readme[start.upperBound..<end.lowerBound])
        #expect(block == (try Self.read("Examples/Sources/QuickStart/main.swift")))
    }
}
