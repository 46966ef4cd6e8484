// swift-tools-version:6.1
// libFuzzer harnesses for w2v's parsers: a separate package (depending on the toolkit by path) so
// that `swift test` at the root never builds it. Build and run with ./run.sh (see README.md):
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

let package = Package(
    name: "w2v-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "w2v", path: ".."),
    ],
    targets: [
        // Vector files: word2vec text, word2vec binary, GloVe, and format detection.
        .executableTarget(name: "FuzzVectorFiles", dependencies: [.product(name: "VectorFormats", package: "w2v"),
                                                                  .product(name: "Embeddings", package: "w2v")]),
        // The corpus tokenizer (UTF-8 validation, whitespace splitting, interning, chunk boundaries).
        .executableTarget(name: "FuzzTokenizer", dependencies: [.product(name: "TextCorpus", package: "w2v")]),
        // Opening, listing and loading a store whose bytes are mutated.
        .executableTarget(name: "FuzzStore", dependencies: [.product(name: "ModelStorage", package: "w2v"),
                                                            .product(name: "Embeddings", package: "w2v"),
                                                            .product(name: "TensorCore", package: "w2v")]),
    ]
)
