// swift-tools-version:6.1
//
// w2v: word embeddings in Swift. Count-based (PPMI + SVD) and inference-based (word2vec)
// embeddings on a shared tensor / neural-network core, stored in SQLite.
//
// Module graph (dependencies point one way, top to bottom):
//   CBLAS, CLAPACKE, CSQLite, CZlib C shims: module map + shim header only
//   CLZMA                           (liblzma, for .xz corpora)
//   CoreIO                          the one way to read and write files (InputFile, OutputFile,
//                                   DecompressingInput for gzip / xz, InputDirectory)
//   TensorCore                      Tensor, BLAS/LAPACK wrappers, seeded random numbers
//   NeuralNetwork                   Parameter, Layer, layers, optimizers, gradient check
//   TextCorpus                      streaming UTF-8 reader, tokenizer, Vocabulary, subsampling
//   Embeddings                      WordVectors (the one result type of every trainer), queries
//   CountBased / Word2Vec           the two ways to make WordVectors
//   VectorFormats / ModelStorage    word2vec/GloVe files; the SQLite model store (VectorStore)
//   Evaluation                      analogy and word-similarity benchmarks
//   LanguageModels                  recurrent (LSTM) language models: training, perplexity, generation
//   Seq2Seq                         encoder-decoder, Peeky, attention; addition and dates generators
//   ImageRecognition                gzip input, the digits data set, SimpleConvNet, filter pictures
//   Projection / Plotting           PCA and t-SNE to 2-D; dependency-free SVG scatter and line charts
//   W2VCommands                     the command line as a library (swift-argument-parser)
//   W2VServer                       `w2v serve`: the JSON API and web page over W2VCommands' QueryService (FlyingFox)
//   W2V                             umbrella module: `import W2V` re-exports the public modules
//   w2v                             the executable (a few lines)
import PackageDescription

let package = Package(
    name: "w2v",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "W2V", targets: ["W2V"]),
        .library(name: "CoreIO", targets: ["CoreIO"]),
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "NeuralNetwork", targets: ["NeuralNetwork"]),
        .library(name: "TextCorpus", targets: ["TextCorpus"]),
        .library(name: "Embeddings", targets: ["Embeddings"]),
        .library(name: "CountBased", targets: ["CountBased"]),
        .library(name: "Word2Vec", targets: ["Word2Vec"]),
        .library(name: "VectorFormats", targets: ["VectorFormats"]),
        .library(name: "ModelStorage", targets: ["ModelStorage"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "LanguageModels", targets: ["LanguageModels"]),
        .library(name: "Seq2Seq", targets: ["Seq2Seq"]),
        .library(name: "ImageRecognition", targets: ["ImageRecognition"]),
        .library(name: "Projection", targets: ["Projection"]),
        .library(name: "Plotting", targets: ["Plotting"]),
        .library(name: "W2VCommands", targets: ["W2VCommands"]),
        .library(name: "W2VServer", targets: ["W2VServer"]),
        .executable(name: "w2v", targets: ["w2v"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        // `w2v serve`: a small HTTP/1.1 server on Swift concurrency and non-blocking sockets, no other dependencies.
        .package(url: "https://github.com/swhitty/FlyingFox.git", from: "0.27.1"),
        // `swift package generate-documentation --target W2V` builds the DocC catalog.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // C shims
        .systemLibrary(name: "CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CLAPACKE", providers: [.apt(["liblapacke-dev", "libopenblas-dev"])]),
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZMA", providers: [.apt(["liblzma-dev"])]),

        // Libraries
        .target(name: "CoreIO", dependencies: ["CZlib", "CLZMA"]),
        .target(name: "TensorCore", dependencies: [
            "CoreIO", "CBLAS", "CLAPACKE", .product(name: "RealModule", package: "swift-numerics"),
        ]),
        .target(name: "NeuralNetwork", dependencies: ["CoreIO", "TensorCore"]),
        .target(name: "TextCorpus", dependencies: ["CoreIO", "TensorCore"]),
        .target(name: "Embeddings", dependencies: ["CoreIO", "TensorCore"]),
        .target(name: "CountBased", dependencies: ["CoreIO", "TensorCore", "TextCorpus", "Embeddings"]),
        .target(name: "Word2Vec", dependencies: [
            "CoreIO", "TensorCore", "NeuralNetwork", "TextCorpus", "Embeddings",
            .product(name: "RealModule", package: "swift-numerics"),
        ]),
        .target(name: "VectorFormats", dependencies: ["CoreIO", "Embeddings", "TensorCore"]),
        .target(name: "ModelStorage", dependencies: ["CoreIO", "Embeddings", "TensorCore", "CSQLite"]),
        .target(name: "Evaluation", dependencies: ["CoreIO", "Embeddings"]),
        .target(name: "LanguageModels", dependencies: ["CoreIO", "TensorCore", "NeuralNetwork", "TextCorpus"]),
        .target(name: "Seq2Seq", dependencies: ["CoreIO", "TensorCore", "NeuralNetwork"]),
        .target(name: "ImageRecognition", dependencies: ["CoreIO", "TensorCore", "NeuralNetwork"]),
        .target(name: "Projection", dependencies: ["CoreIO", "TensorCore"]),
        .target(name: "Plotting", dependencies: ["CoreIO"]),
        .target(name: "W2VCommands", dependencies: [
            "CoreIO", "TensorCore", "TextCorpus", "Embeddings", "CountBased", "Word2Vec",
            "VectorFormats", "ModelStorage", "Evaluation", "Projection", "Plotting", "LanguageModels", "Seq2Seq",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "W2V", dependencies: [
            "CoreIO", "TensorCore", "NeuralNetwork", "TextCorpus", "Embeddings", "CountBased", "Word2Vec",
            "VectorFormats", "ModelStorage", "Evaluation", "LanguageModels",
        ]),
        .target(name: "W2VServer", dependencies: [
            "W2VCommands", "ModelStorage", "Embeddings", "TensorCore",
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "w2v", dependencies: [
            "W2VCommands", "W2VServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests
        // The message-style check shared by every module's ErrorMessageTests (a target so it is written once).
        .target(name: "ErrorStyleChecks", dependencies: ["CoreIO"], path: "Tests/ErrorStyleChecks"),
        .testTarget(name: "CoreIOTests", dependencies: ["ErrorStyleChecks", "CoreIO"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["ErrorStyleChecks", "TensorCore"]),
        .testTarget(name: "NeuralNetworkTests", dependencies: ["ErrorStyleChecks", "NeuralNetwork", "TensorCore"]),
        .testTarget(name: "TextCorpusTests", dependencies: ["ErrorStyleChecks", "TextCorpus", "CoreIO"]),
        .testTarget(name: "CountBasedTests", dependencies: ["ErrorStyleChecks", "CountBased", "TextCorpus", "TensorCore", "Embeddings"]),
        .testTarget(name: "Word2VecTests", dependencies: ["ErrorStyleChecks", "Word2Vec", "NeuralNetwork", "TextCorpus", "TensorCore", "Embeddings"]),
        .testTarget(name: "EmbeddingsTests", dependencies: ["ErrorStyleChecks", "Embeddings", "TensorCore"]),
        .testTarget(name: "VectorFormatsTests", dependencies: ["ErrorStyleChecks", "VectorFormats", "Embeddings", "TensorCore"]),
        .testTarget(name: "ModelStorageTests", dependencies: ["ErrorStyleChecks", "ModelStorage", "Embeddings", "TensorCore"]),
        .testTarget(name: "EvaluationTests", dependencies: ["ErrorStyleChecks", "Evaluation", "Embeddings", "TensorCore"]),
        .testTarget(name: "LanguageModelsTests", dependencies: ["ErrorStyleChecks", "LanguageModels", "NeuralNetwork", "TextCorpus", "TensorCore"]),
        .testTarget(name: "Seq2SeqTests", dependencies: ["ErrorStyleChecks", "Seq2Seq", "NeuralNetwork", "TensorCore", "CoreIO"]),
        .testTarget(name: "ImageRecognitionTests", dependencies: ["ErrorStyleChecks", "ImageRecognition", "NeuralNetwork", "TensorCore", "CoreIO", "CZlib"]),
        .testTarget(name: "ProjectionTests", dependencies: ["ErrorStyleChecks", "Projection", "TensorCore"]),
        .testTarget(name: "PlottingTests", dependencies: ["ErrorStyleChecks", "Plotting"]),
        .testTarget(name: "W2VCommandsTests", dependencies: ["W2VCommands", "w2v", "CoreIO", "ModelStorage", "TensorCore", "VectorFormats", "Word2Vec", "Embeddings", "LanguageModels"]),
        .testTarget(name: "W2VServerTests", dependencies: ["ErrorStyleChecks", "W2VServer", "W2VCommands", "w2v", "CoreIO", "ModelStorage", "TensorCore"]),
    ]
)
