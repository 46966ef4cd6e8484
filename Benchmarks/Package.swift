// swift-tools-version:6.1
// The w2v benchmark runner: a separate package so that `swift test` at the root never builds it.
// Build and run (release, machine-specific code generation on the command line only):
//   swift run -c release -Xswiftc -target-cpu -Xswiftc native w2v-bench --help
import PackageDescription

let package = Package(
    name: "w2v-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "w2v", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(
            name: "w2v-bench",
            dependencies: [
                .product(name: "W2V", package: "w2v"),
                .product(name: "ImageRecognition", package: "w2v"),
                .product(name: "W2VCommands", package: "w2v"),
                .product(name: "W2VServer", package: "w2v"),
                .product(name: "Seq2Seq", package: "w2v"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
