// swift-tools-version:6.1
// Runnable examples of the w2v library. A separate package (depending on the toolkit by path) so
// that `swift test` at the repository root never builds it; CI builds and runs it.
//   swift run QuickStart [CORPUS]          train on the sample corpus, store, query
//   swift run TopicClassifier              sentence vectors as features for a text classifier
//   swift run DigitsCNN [--data PATH]      the seed's SimpleConvNet on the 8x8 digits vs a fully connected net
import PackageDescription

let package = Package(
    name: "w2v-examples",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "w2v", path: ".."),
    ],
    targets: [
        .target(name: "ExampleData", dependencies: [.product(name: "TensorCore", package: "w2v")]),
        .executableTarget(name: "QuickStart", dependencies: [.product(name: "W2V", package: "w2v")]),
        .executableTarget(name: "TopicClassifier", dependencies: ["ExampleData", .product(name: "W2V", package: "w2v")]),
        .executableTarget(name: "DigitsCNN", dependencies: [
            .product(name: "CoreIO", package: "w2v"), .product(name: "ImageRecognition", package: "w2v"),
            .product(name: "TensorCore", package: "w2v"),
        ]),
    ]
)
