import Testing
@testable import NeuralNetwork
import TensorCore

/// A seeded NCHW batch of standard normal samples.
func randomImages(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var generator = SplitMix64(seed: seed)
    return Tensor.randomNormal(shape: shape, standardDeviation: scale, using: &generator)
}

/// A batch whose values are a seeded permutation of `0.05 · (0..<count)`, so that no two values
/// are within a gradient check's ±ε of each other (max pooling's argmax cannot flip).
func distinctImages(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SplitMix64(seed: seed)
    let count = shape.reduce(1, *)
    let values = (0..<count).map { Float($0) * 0.05 - Float(count) * 0.025 }.shuffled(using: &generator)
    return Tensor(shape: shape, scalars: values)
}

/// The convolution by its definition, one output at a time (the reference for the im2col path).
func directConvolution(_ x: Tensor, weight w: Tensor, bias b: Tensor, stride: Int, padding: Int) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (fn, fh, fw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + 2 * padding - fh) / stride + 1, ow = (wd + 2 * padding - fw) / stride + 1
    var y = Tensor(shape: [n, fn, oh, ow])
    for i in 0..<n { for f in 0..<fn { for oy in 0..<oh { for ox in 0..<ow {
        var total = Double(b.scalars[f])
        for ch in 0..<c { for ky in 0..<fh { for kx in 0..<fw {
            let yy = oy * stride - padding + ky, xx = ox * stride - padding + kx
            guard yy >= 0, yy < h, xx >= 0, xx < wd else { continue }
            total += Double(x.scalars[((i * c + ch) * h + yy) * wd + xx]) * Double(w.scalars[((f * c + ch) * fh + ky) * fw + kx])
        } } }
        y.scalars[((i * fn + f) * oh + oy) * ow + ox] = Float(total)
    } } } }
    return y
}

/// Max or average pooling by its definition (padding ignored by max, counted as zeros by average).
func directPooling(_ x: Tensor, window: Int, stride: Int, padding: Int, max useMax: Bool) -> Tensor {
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let oh = (h + 2 * padding - window) / stride + 1, ow = (w + 2 * padding - window) / stride + 1
    var y = Tensor(shape: [n, c, oh, ow])
    for plane in 0..<(n * c) { for oy in 0..<oh { for ox in 0..<ow {
        var values: [Float] = []
        for ky in 0..<window { for kx in 0..<window {
            let yy = oy * stride - padding + ky, xx = ox * stride - padding + kx
            if yy >= 0, yy < h, xx >= 0, xx < w { values.append(x.scalars[(plane * h + yy) * w + xx]) }
        } }
        y.scalars[(plane * oh + oy) * ow + ox] = useMax ? values.max()! : values.reduce(0, +) / Float(window * window)
    } } }
    return y
}

/// A convolution set-up: batch shape, filters and geometry.
struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    var batch: Int, channels: Int, height: Int, width: Int
    var filters: Int, filterHeight: Int, filterWidth: Int, stride: Int, padding: Int

    var testDescription: String {
        "x[\(batch),\(channels),\(height),\(width)] W[\(filters),\(channels),\(filterHeight),\(filterWidth)] S\(stride) P\(padding)"
    }

    func make(seed: UInt64 = 5) -> (layer: Convolution, input: Tensor) {
        var generator = SplitMix64(seed: seed)
        let layer = Convolution(filterCount: filters, channels: channels, filterHeight: filterHeight, filterWidth: filterWidth,
                                stride: stride, padding: padding, using: &generator)
        layer.bias.value = randomImages([filters], seed: seed + 1, scale: 0.5)
        return (layer, randomImages([batch, channels, height, width], seed: seed + 2))
    }

    static let all: [ConvolutionCase] = [
        .init(batch: 1, channels: 1, height: 5, width: 5, filters: 2, filterHeight: 3, filterWidth: 3, stride: 1, padding: 0),
        .init(batch: 2, channels: 3, height: 6, width: 6, filters: 4, filterHeight: 3, filterWidth: 3, stride: 1, padding: 1),
        .init(batch: 3, channels: 2, height: 7, width: 7, filters: 3, filterHeight: 3, filterWidth: 3, stride: 2, padding: 1),
        .init(batch: 2, channels: 2, height: 5, width: 6, filters: 2, filterHeight: 2, filterWidth: 3, stride: 1, padding: 0),
        .init(batch: 1, channels: 2, height: 8, width: 8, filters: 3, filterHeight: 4, filterWidth: 4, stride: 2, padding: 1),
        .init(batch: 2, channels: 1, height: 4, width: 4, filters: 1, filterHeight: 1, filterWidth: 1, stride: 1, padding: 2),
    ]
}

/// A pooling set-up.
struct PoolingCase: CustomTestStringConvertible, Sendable {
    var shape: [Int], window: Int, stride: Int, padding: Int
    var testDescription: String { "x\(shape) window \(window) S\(stride) P\(padding)" }

    static let all: [PoolingCase] = [
        .init(shape: [2, 3, 4, 4], window: 2, stride: 2, padding: 0),
        .init(shape: [1, 2, 5, 5], window: 3, stride: 1, padding: 1),
        .init(shape: [3, 1, 7, 7], window: 3, stride: 2, padding: 1),
        .init(shape: [2, 2, 6, 4], window: 2, stride: 1, padding: 0),
    ]
}

@Suite("Convolution and pooling")
struct ConvolutionTests {
    @Test(arguments: ConvolutionCase.all)
    func convolutionMatchesTheDirectLoop(c: ConvolutionCase) {
        let (layer, x) = c.make()
        let y = layer.forward(x, training: true)
        let reference = directConvolution(x, weight: layer.weight.value, bias: layer.bias.value,
                                          stride: c.stride, padding: c.padding)
        #expect(y.shape == reference.shape)
        #expect(y.shape == (try? layer.outputShape(forInput: x.shape)))
        #expect(y.maxAbsoluteDifference(to: reference) < 1e-4, "\(c)")
    }

    /// The layer reuses its column buffer between batches: a later batch must not see an earlier
    /// one's values, also where a buffer of the same size covers the padding differently.
    @Test func aReusedColumnBufferHoldsOnlyTheCurrentBatch() {
        let c = ConvolutionCase.all[2]
        let (layer, x) = c.make()
        _ = layer.forward(x, training: true)
        // [12, 2, 3, 3] has as many windows as [3, 2, 7, 7] (48) but others over the padding.
        for shape in [[3, 2, 7, 7], [12, 2, 3, 3], [1, 2, 9, 9], [3, 2, 7, 7]] {
            let next = randomImages(shape, seed: UInt64(shape[3]) + 40)
            let reference = directConvolution(next, weight: layer.weight.value, bias: layer.bias.value,
                                              stride: c.stride, padding: c.padding)
            #expect(layer.forward(next, training: true).maxAbsoluteDifference(to: reference) < 1e-4)
        }
    }

    @Test(arguments: ConvolutionCase.all)
    func convolutionGradientCheck(c: ConvolutionCase) {
        let (layer, x) = c.make()
        let result = GradientCheck.check(layer, input: x)
        #expect(result.parameterErrors.count == 2)
        #expect(result.maxRelativeError < gradientTolerance, "\(c): \(result)")
    }

    @Test func convolutionBackwardAccumulatesAndKeepsTheInputShape() {
        let (layer, x) = ConvolutionCase.all[2].make()
        let y = layer.forward(x, training: true)
        let dy = randomImages(y.shape, seed: 8)
        let dx = layer.backward(dy)
        #expect(dx.shape == x.shape)
        let once = layer.weight.gradient
        _ = layer.backward(dy)
        #expect(layer.weight.gradient.isApproximatelyEqual(to: once * 2, tolerance: 1e-4))
        // db is the sum of dy over everything but the channel axis.
        let channels = y.shape[1], positions = y.shape[2] * y.shape[3]
        for f in 0..<channels {
            var total: Float = 0
            for n in 0..<y.shape[0] { for p in 0..<positions { total += dy.scalars[(n * channels + f) * positions + p] } }
            #expect(abs(layer.bias.gradient.scalars[f] - 2 * total) < 1e-3)
        }
    }

    /// im2col and col2im are adjoint: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩.
    @Test(arguments: ConvolutionCase.all)
    func col2imIsTheAdjointOfIm2col(c: ConvolutionCase) throws {
        let geometry = WindowGeometry(windowHeight: c.filterHeight, windowWidth: c.filterWidth, stride: c.stride, padding: c.padding)
        let s = try geometry.windowShape(forInput: [c.batch, c.channels, c.height, c.width], layer: "test")
        let x = randomImages([c.batch, c.channels, c.height, c.width], seed: 3)
        let col = randomImages([s.columnRows, s.columnWidth], seed: 4)
        let lhs = zip(ConvolutionKernels.im2col(x.scalars, s), col.scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        let rhs = zip(x.scalars, ConvolutionKernels.col2im(col.scalars, s)).reduce(0.0) { $0 + Double($1.0 * $1.1) }
        #expect(abs(lhs - rhs) < 1e-3 * max(1, abs(lhs)))
    }

    @Test(arguments: PoolingCase.all)
    func maxPoolingMatchesTheDirectLoopAndPassesTheGradientCheck(c: PoolingCase) {
        let layer = MaxPooling(window: c.window, stride: c.stride, padding: c.padding)
        let x = distinctImages(c.shape, seed: 11)
        let y = layer.forward(x, training: true)
        #expect(y == directPooling(x, window: c.window, stride: c.stride, padding: c.padding, max: true))
        #expect(y.shape[1] == c.shape[1])
        let result = GradientCheck.check(layer, input: x)
        #expect(result.maxRelativeError < gradientTolerance, "\(c): \(result)")
    }

    @Test func maxPoolingKeepsNegativeMaximaNextToThePadding() {
        let layer = MaxPooling(window: 2, stride: 2, padding: 1)
        let x = Tensor(shape: [1, 1, 2, 2], scalars: [-1, -2, -3, -4])
        #expect(layer.forward(x, training: false).scalars == [-1, -2, -3, -4])
        #expect(layer.backward(Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])).scalars == [1, 2, 3, 4])
    }

    @Test(arguments: PoolingCase.all)
    func averagePoolingMatchesTheDirectLoopAndPassesTheGradientCheck(c: PoolingCase) {
        let layer = AveragePooling(window: c.window, stride: c.stride, padding: c.padding)
        let x = randomImages(c.shape, seed: 12)
        let y = layer.forward(x, training: true)
        #expect(y.maxAbsoluteDifference(to: directPooling(x, window: c.window, stride: c.stride, padding: c.padding, max: false)) < 1e-5)
        let result = GradientCheck.check(layer, input: x)
        #expect(result.maxRelativeError < gradientTolerance, "\(c): \(result)")
    }

    @Test func flattenKeepsTheScalarsAndRestoresTheShape() {
        let layer = Flatten()
        let x = randomImages([3, 2, 2, 5], seed: 1)
        let y = layer.forward(x, training: true)
        #expect(y.shape == [3, 20])
        #expect(y.scalars == x.scalars)
        #expect(layer.backward(y) == x)
        #expect(GradientCheck.check(layer, input: x).maxRelativeError < gradientTolerance)
    }

    @Test func aWindowThatDoesNotTileTheInputIsANamedError() throws {
        var generator = SplitMix64(seed: 1)
        let layer = Convolution(filterCount: 2, channels: 1, filterHeight: 3, filterWidth: 3, stride: 2, using: &generator)
        let expected = NeuralNetworkError.nonIntegerOutputSize(layer: "Convolution", dimension: "height", inputSize: 8,
                                                               windowSize: 3, stride: 2, padding: 0)
        #expect(throws: expected) { try layer.outputShape(forInput: [4, 1, 8, 8]) }
        #expect(expected.problem.contains("input height of 8 with a window of 3, stride 2 and padding 0"))
        #expect(expected.problem.contains("5/2 + 1 is not an integer"))
        // An odd span with an even stride: no padding helps, so the remedy names the stride only.
        #expect(expected.remedy?.hasPrefix("Use a stride that divides 5") == true)
        let paddingHelps = NeuralNetworkError.nonIntegerOutputSize(layer: "Convolution", dimension: "width", inputSize: 8,
                                                                   windowSize: 3, stride: 3, padding: 0)
        #expect(paddingHelps.remedy?.hasPrefix("Use padding 2,") == true)
        #expect(paddingHelps.description == paddingHelps.problem + " " + paddingHelps.remedy!)
        #expect(try layer.outputShape(forInput: [4, 1, 9, 7]) == [4, 2, 4, 3])
        #expect(throws: NeuralNetworkError.nonIntegerOutputSize(layer: "MaxPooling", dimension: "width", inputSize: 5,
                                                                windowSize: 2, stride: 2, padding: 0)) {
            try MaxPooling(window: 2).outputShape(forInput: [1, 3, 4, 5])
        }
        #expect(throws: NeuralNetworkError.nonIntegerOutputSize(layer: "AveragePooling", dimension: "height", inputSize: 3,
                                                                windowSize: 2, stride: 2, padding: 0)) {
            try AveragePooling(window: 2).outputShape(forInput: [1, 3, 3, 4])
        }
    }

    @Test func windowsLargerThanTheInputAndWrongShapesAreNamedErrors() {
        var generator = SplitMix64(seed: 1)
        let layer = Convolution(filterCount: 2, channels: 3, filterHeight: 5, filterWidth: 5, padding: 1, using: &generator)
        let tooLarge = NeuralNetworkError.windowLargerThanInput(layer: "Convolution", dimension: "width", inputSize: 2,
                                                                windowSize: 5, padding: 1)
        #expect(throws: tooLarge) { try layer.outputShape(forInput: [1, 3, 3, 2]) }
        #expect(tooLarge.problem.contains("2 + 2·1 = 4"))
        #expect(throws: NeuralNetworkError.shapeMismatch(operation: "Convolution.forward", expected: "[N, 3, H, W]",
                                                         actual: [1, 2, 8, 8])) {
            try layer.outputShape(forInput: [1, 2, 8, 8])
        }
        #expect(throws: NeuralNetworkError.shapeMismatch(operation: "MaxPooling.forward", expected: "[N, C, H, W]",
                                                         actual: [4, 64])) {
            try MaxPooling(window: 2).outputShape(forInput: [4, 64])
        }
        #expect(throws: NeuralNetworkError.invalidHyperparameter(name: "pooling padding", value: 2,
                                                                 requirement: "smaller than the window (2)")) {
            try Validate.poolingPadding(WindowGeometry(windowHeight: 2, windowWidth: 3, stride: 1, padding: 2))
        }
        #expect(throws: NeuralNetworkError.invalidHyperparameter(name: "padding", value: -1, requirement: "at least 0")) {
            try Validate.notNegative("padding", -1)
        }
    }

    @Test func emptyBatchesPassThrough() {
        let (layer, _) = ConvolutionCase.all[1].make()
        let empty = Tensor(shape: [0, 3, 6, 6])
        #expect(layer.forward(empty, training: true).shape == [0, 4, 6, 6])
        #expect(layer.backward(Tensor(shape: [0, 4, 6, 6])).shape == [0, 3, 6, 6])
        #expect(MaxPooling(window: 2).forward(empty, training: true).shape == [0, 3, 3, 3])
        #expect(AveragePooling(window: 2).forward(empty, training: true).shape == [0, 3, 3, 3])
    }

    /// Convolution - Tanh - AveragePooling - Flatten - Affine - SoftmaxWithLoss, checked end to end
    /// (Tanh and average pooling, so that no perturbation crosses a kink or flips a maximum).
    @Test func aConvolutionalNetworkPassesTheGradientCheck() {
        var generator = SplitMix64(seed: 21)
        let network = FeedForwardNetwork(layers: [
            Convolution(filterCount: 3, channels: 2, filterHeight: 3, filterWidth: 3, padding: 1, using: &generator),
            Tanh(), AveragePooling(window: 2), Flatten(),
            Affine(inputSize: 3 * 3 * 3, outputSize: 4, using: &generator),
        ], loss: SoftmaxWithLoss())
        let x = randomImages([3, 2, 6, 6], seed: 22)
        let result = GradientCheck.check(network, input: x, labels: [0, 3, 1])
        #expect(result.parameterErrors.count == 4)
        #expect(result.maxRelativeError < gradientTolerance, "\(result)")
    }

    /// A small convolutional network trained by the shared Trainer on image batches tells
    /// vertical from horizontal bars.
    @Test func aSmallConvolutionalNetworkLearnsBars() {
        var generator = SplitMix64(seed: 31)
        var images = Tensor(shape: [40, 1, 5, 5])
        var labels: [Int] = []
        for i in 0..<40 {
            let vertical = i % 2 == 0, line = generator.nextIndex(below: 5)
            for k in 0..<5 {
                let (y, x) = vertical ? (k, line) : (line, k)
                images.scalars[i * 25 + y * 5 + x] = 1
            }
            for p in 0..<25 { images.scalars[i * 25 + p] += 0.1 * generator.nextNormal() }
            labels.append(vertical ? 1 : 0)
        }
        let network = FeedForwardNetwork(layers: [
            Convolution(filterCount: 4, channels: 1, filterHeight: 3, filterWidth: 3, padding: 1, using: &generator),
            ReLU(), MaxPooling(window: 5), Flatten(),
            Affine(inputSize: 4, outputSize: 2, using: &generator),
        ], loss: SoftmaxWithLoss())
        let before = network.accuracy(images, labels: labels)
        var trainer = Trainer(network: network, optimizer: Adam(learningRate: 0.05), batchSize: 10)
        let losses = trainer.fit(inputs: images, labels: labels, epochs: 30, using: &generator)
        #expect(losses.last! < losses.first! / 4)
        #expect(network.accuracy(images, labels: labels) == 1, "accuracy went from \(before)")
    }
}
