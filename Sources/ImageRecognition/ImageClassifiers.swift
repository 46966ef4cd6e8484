import NeuralNetwork
import TensorCore

/// A network that classifies NCHW images, trained by ``ImageClassifier/train(on:settings:validation:progress:cancellation:)``.
public protocol ImageClassifier: AnyObject {
    /// A short name for reports ("SimpleConvNet", "fully connected").
    var name: String { get }
    /// `[C, H, W]`, the shape of the images it takes.
    var imageShape: [Int] { get }
    /// The layers and the loss; its input is an `[N, C, H, W]` batch.
    var network: FeedForwardNetwork<SoftmaxWithLoss> { get }
}

/// The seed book's `SimpleConvNet` (Saitoh 1, §7.5):
/// Convolution - ReLU - MaxPooling - Flatten - Affine - [BatchNorm] - ReLU - [Dropout] - Affine - SoftmaxWithLoss,
/// with He initialisation throughout.
///
/// For the 8x8 digits: 30 filters 3x3 with padding 1 give `[N, 30, 8, 8]`, 2x2 pooling
/// `[N, 30, 4, 4]`, then 480 → 100 → 10; 49,410 parameters.
public final class SimpleConvNet: ImageClassifier {
    /// The sizes of a ``SimpleConvNet``.
    public struct Architecture: Sendable, Equatable {
        /// `[C, H, W]` of the input images.
        public var imageShape: [Int]
        /// FN, the filters of the convolution.
        public var filterCount: Int
        /// FH = FW.
        public var filterSize: Int
        public var stride: Int
        public var padding: Int
        /// The window (and stride) of the max pooling.
        public var poolSize: Int
        /// The width of the hidden Affine layer.
        public var hiddenSize: Int
        public var classCount: Int
        /// A BatchNorm after the hidden Affine layer.
        public var batchNormalization: Bool
        /// A Dropout of this rate after the hidden ReLU (0 = none).
        public var dropoutRate: Float

        public init(imageShape: [Int] = [1, 8, 8], filterCount: Int = 30, filterSize: Int = 3, stride: Int = 1,
                    padding: Int = 1, poolSize: Int = 2, hiddenSize: Int = 100, classCount: Int = 10,
                    batchNormalization: Bool = false, dropoutRate: Float = 0) {
            self.imageShape = imageShape
            self.filterCount = filterCount
            self.filterSize = filterSize
            self.stride = stride
            self.padding = padding
            self.poolSize = poolSize
            self.hiddenSize = hiddenSize
            self.classCount = classCount
            self.batchNormalization = batchNormalization
            self.dropoutRate = dropoutRate
        }

        /// The seed's network for 8x8 digits: 30 filters 3x3, padding 1, 2x2 pooling, 100 hidden units.
        public static let digits = Architecture()
    }

    public let name = "SimpleConvNet"
    public let architecture: Architecture
    public let network: FeedForwardNetwork<SoftmaxWithLoss>
    public var imageShape: [Int] { architecture.imageShape }
    /// The first layer, whose filters ``FilterGrid`` draws.
    public let convolution: Convolution

    /// A fresh network with weights drawn from `SplitMix64(seed:)`.
    /// - Throws: ``ImageRecognitionError/invalidSetting(name:value:requirement:)`` for sizes below 1
    ///   (padding below 0, a dropout rate outside [0, 1)), ``ImageRecognitionError/network(_:)`` when
    ///   the filters or the pooling window do not tile the image (naming the sizes).
    public init(architecture: Architecture = .digits, seed: UInt64) throws(ImageRecognitionError) {
        let a = architecture
        guard a.imageShape.count == 3, a.imageShape.allSatisfy({ $0 >= 1 }) else {
            throw .invalidSetting(name: "image shape", value: "\(a.imageShape)", requirement: "[C, H, W] with every size at least 1")
        }
        for (name, value) in [("filter count", a.filterCount), ("filter size", a.filterSize), ("stride", a.stride),
                              ("pooling size", a.poolSize), ("hidden size", a.hiddenSize), ("class count", a.classCount)]
            where value < 1 {
            throw .invalidSetting(name: name, value: "\(value)", requirement: "at least 1")
        }
        if a.padding < 0 { throw .invalidSetting(name: "padding", value: "\(a.padding)", requirement: "at least 0") }
        if !(a.dropoutRate >= 0 && a.dropoutRate < 1) {
            throw .invalidSetting(name: "dropout rate", value: "\(a.dropoutRate)", requirement: "in [0, 1)")
        }
        var generator = SplitMix64(seed: seed)
        let convolution = Convolution(filterCount: a.filterCount, channels: a.imageShape[0], filterHeight: a.filterSize,
                                      filterWidth: a.filterSize, stride: a.stride, padding: a.padding,
                                      initialization: .he, name: "conv1", using: &generator)
        let pooling = MaxPooling(window: a.poolSize)
        let pooledShape: [Int]
        do {
            let convolved = try convolution.outputShape(forInput: [1] + a.imageShape)
            pooledShape = try pooling.outputShape(forInput: convolved)
        } catch {
            throw .network(error)
        }
        let flattened = pooledShape.dropFirst().reduce(1, *)
        var layers: [any Layer] = [convolution, ReLU(), pooling, Flatten(),
                                   Affine(inputSize: flattened, outputSize: a.hiddenSize, initialization: .he,
                                          name: "affine1", using: &generator)]
        if a.batchNormalization { layers.append(BatchNorm(featureCount: a.hiddenSize, name: "batchnorm1")) }
        layers.append(ReLU())
        if a.dropoutRate > 0 { layers.append(Dropout(rate: a.dropoutRate, seed: generator.next())) }
        layers.append(Affine(inputSize: a.hiddenSize, outputSize: a.classCount, initialization: .he, name: "affine2",
                             using: &generator))
        self.architecture = a
        self.convolution = convolution
        self.network = FeedForwardNetwork(layers: layers, loss: SoftmaxWithLoss())
    }
}

/// The fully connected baseline: Flatten - (Affine - [BatchNorm] - ReLU - [Dropout])... - Affine -
/// SoftmaxWithLoss, He initialisation (Saitoh 1, §6: `MultiLayerNet`).
public final class FullyConnectedNet: ImageClassifier {
    public let name = "fully connected"
    /// The widths of the hidden layers.
    public let hiddenSizes: [Int]
    public let imageShape: [Int]
    public let network: FeedForwardNetwork<SoftmaxWithLoss>

    /// - Throws: ``ImageRecognitionError/invalidSetting(name:value:requirement:)`` for sizes below 1
    ///   or a dropout rate outside [0, 1).
    public init(imageShape: [Int], hiddenSizes: [Int], classCount: Int, batchNormalization: Bool = false,
                dropoutRate: Float = 0, seed: UInt64) throws(ImageRecognitionError) {
        guard imageShape.count == 3, imageShape.allSatisfy({ $0 >= 1 }) else {
            throw .invalidSetting(name: "image shape", value: "\(imageShape)", requirement: "[C, H, W] with every size at least 1")
        }
        if let bad = hiddenSizes.first(where: { $0 < 1 }) {
            throw .invalidSetting(name: "hidden size", value: "\(bad)", requirement: "at least 1")
        }
        if classCount < 1 { throw .invalidSetting(name: "class count", value: "\(classCount)", requirement: "at least 1") }
        if !(dropoutRate >= 0 && dropoutRate < 1) {
            throw .invalidSetting(name: "dropout rate", value: "\(dropoutRate)", requirement: "in [0, 1)")
        }
        var generator = SplitMix64(seed: seed)
        let mlp = FeedForwardNetwork(inputSize: imageShape.reduce(1, *), hiddenSizes: hiddenSizes, outputSize: classCount,
                                     activation: .relu, batchNormalization: batchNormalization, dropoutRate: dropoutRate,
                                     loss: SoftmaxWithLoss(), using: &generator)
        self.hiddenSizes = hiddenSizes
        self.imageShape = imageShape
        self.network = FeedForwardNetwork(layers: [Flatten()] + mlp.layers, loss: mlp.lossLayer)
    }

    /// One hidden layer sized so that the network has about `parameterCount` parameters:
    /// `I·h + h + h·K + K (+ 2h for BatchNorm's γ, β) ≈ parameterCount`, i.e.
    /// `h = round((parameterCount − K) / (I + 1 + K [+ 2]))`.
    public convenience init(imageShape: [Int], matchingParameterCount parameterCount: Int, classCount: Int,
                            batchNormalization: Bool = false, dropoutRate: Float = 0, seed: UInt64) throws(ImageRecognitionError) {
        let inputs = imageShape.reduce(1, *)
        let perHiddenUnit = inputs + 1 + classCount + (batchNormalization ? 2 : 0)
        let hidden = max(1, Int((Double(parameterCount - classCount) / Double(perHiddenUnit)).rounded()))
        try self.init(imageShape: imageShape, hiddenSizes: [hidden], classCount: classCount,
                      batchNormalization: batchNormalization, dropoutRate: dropoutRate, seed: seed)
    }
}
