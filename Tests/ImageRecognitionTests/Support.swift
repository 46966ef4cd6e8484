import CZlib
import Foundation
import TensorCore
@testable import ImageRecognition

/// A fresh empty directory under the system's temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "images-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// `bytes` compressed as one gzip member by zlib's own gzip writer (independent of CoreIO's DecompressingInput).
func gzipped(_ bytes: [UInt8]) throws -> [UInt8] {
    let path = try temporaryDirectory() + "/data.gz"
    guard let file = gzopen(path, "wb") else { throw CocoaError(.fileWriteUnknown) }
    if !bytes.isEmpty {
        _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
    }
    gzclose(file)
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Writes `bytes` to `name` in a fresh temporary directory; returns the path.
func writeTemporaryFile(_ name: String, _ bytes: [UInt8]) throws -> String {
    let path = try temporaryDirectory() + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// A CSV line of the 2x2 format below: four pixels then the label.
func csvLine(_ pixels: [Int], _ label: String) -> String {
    (pixels.map(String.init) + [label]).joined(separator: ",")
}

/// 2x2 grey images with pixels 0...4 and 3 classes.
let tinyFormat = ImageCSVFormat(channels: 1, height: 2, width: 2, maximumPixel: 4, classCount: 3)

/// A toy separable task on 8x8 images: a vertical bar (class 1) or a horizontal bar (class 0) at
/// a random position, plus noise.
func barImages(count: Int, seed: UInt64) -> ImageDataSet {
    var generator = SplitMix64(seed: seed)
    var images = Tensor(shape: [count, 1, 8, 8])
    var labels: [Int] = []
    for i in 0..<count {
        let vertical = i % 2 == 0, line = 1 + generator.nextIndex(below: 6)
        for k in 1..<7 {
            let (y, x) = vertical ? (k, line) : (line, k)
            images.scalars[i * 64 + y * 8 + x] = 1
        }
        for p in 0..<64 { images.scalars[i * 64 + p] = max(0, images.scalars[i * 64 + p] + 0.15 * generator.nextNormal()) }
        labels.append(vertical ? 1 : 0)
    }
    return ImageDataSet(images: images, labels: labels, classCount: 2)
}

/// A minimal XML well-formedness check for the SVG writer: a prolog, then properly nested and
/// closed elements, quoted attributes, no stray `<` or `&`, nothing after the root element.
func isWellFormedXML(_ text: String) -> Bool {
    var rest = Substring(text)
    guard rest.hasPrefix("<?xml "), let prologEnd = rest.range(of: "?>") else { return false }
    rest = rest[prologEnd.upperBound...]
    var stack: [Substring] = []
    var sawRoot = false
    while let open = rest.firstIndex(of: "<") {
        let textBetween = rest[..<open]
        if !entitiesAreValid(textBetween) { return false }
        if stack.isEmpty && sawRoot && !textBetween.allSatisfy(\.isWhitespace) { return false }
        guard let close = rest[open...].firstIndex(of: ">") else { return false }
        var tag = rest[rest.index(after: open)..<close]
        rest = rest[rest.index(after: close)...]
        if tag.hasPrefix("/") {
            guard let top = stack.popLast(), top == tag.dropFirst() else { return false }
            continue
        }
        if stack.isEmpty && sawRoot { return false }
        let selfClosing = tag.hasSuffix("/")
        if selfClosing { tag = tag.dropLast() }
        let name = tag.prefix { !$0.isWhitespace }
        guard let first = name.first, first.isLetter, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == ":" })
        else { return false }
        if !attributesAreValid(tag.dropFirst(name.count)) { return false }
        sawRoot = true
        if !selfClosing { stack.append(name) }
    }
    return sawRoot && stack.isEmpty && rest.allSatisfy(\.isWhitespace)
}

private func entitiesAreValid(_ text: Substring) -> Bool {
    var rest = text
    while let amp = rest.firstIndex(of: "&") {
        let after = rest[rest.index(after: amp)...]
        guard ["amp;", "lt;", "gt;", "quot;", "apos;"].contains(where: { after.hasPrefix($0) }) else { return false }
        rest = after
    }
    return true
}

private func attributesAreValid(_ text: Substring) -> Bool {
    var rest = text.drop { $0.isWhitespace }
    var names: Set<Substring> = []
    while !rest.isEmpty {
        let name = rest.prefix { $0 != "=" && !$0.isWhitespace }
        guard !name.isEmpty, names.insert(name).inserted else { return false }
        rest = rest.dropFirst(name.count)
        guard rest.first == "=" else { return false }
        rest = rest.dropFirst()
        guard rest.first == "\"" else { return false }
        rest = rest.dropFirst()
        guard let end = rest.firstIndex(of: "\"") else { return false }
        let value = rest[..<end]
        if value.contains("<") || !entitiesAreValid(value) { return false }
        rest = rest[rest.index(after: end)...].drop { $0.isWhitespace }
    }
    return true
}
