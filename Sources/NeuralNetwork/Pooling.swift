import TensorCore

/// Max pooling over NCHW batches (Saitoh 1, §7.3 and §7.4.4 `Pooling`): no parameters, the
/// channel count unchanged.
///
/// - forward: x `[N, C, H, W]` → `y[n, c, oy, ox] = max over the window's in-image pixels
///   x[n, c, oy·S − P + ky, ox·S − P + kx]`, y `[N, C, OH, OW]` (OH, OW from ``WindowGeometry``).
///   Padding never wins a maximum (it acts as −∞, so a window of negative values keeps its
///   maximum; the seed's zero-padded im2col would clip it at 0).
/// - backward: each `dy[n, c, oy, ox]` goes to the window's maximum (the first one on ties).
public final class MaxPooling: Layer, PoolingLayer {
    /// The window, stride and padding.
    public let geometry: WindowGeometry
    private var cache: (argmax: [Int], shape: WindowShape)?

    /// - Precondition: window sizes and stride at least 1, `0 ≤ padding <` both window sizes
    ///   (so that every window covers at least one pixel of the image).
    public required init(windowHeight: Int, windowWidth: Int, stride: Int, padding: Int = 0) {
        geometry = WindowGeometry(windowHeight: windowHeight, windowWidth: windowWidth, stride: stride, padding: padding)
        require { () throws(NeuralNetworkError) in try Validate.poolingPadding(geometry) }
    }

    public static let layerName = "MaxPooling"

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let s = windowShape(forInput: input.shape)
        let (output, argmax) = ConvolutionKernels.maxPoolForward(input.scalars, s)
        cache = (argmax, s)
        return Tensor(shape: [s.batch, s.channels, s.outputHeight, s.outputWidth], scalars: output)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (argmax, s) = requireCached(cache, "MaxPooling")
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, [s.batch, s.channels, s.outputHeight, s.outputWidth], "MaxPooling.backward")
        }
        return Tensor(shape: [s.batch, s.channels, s.height, s.width],
                      scalars: ConvolutionKernels.maxPoolBackward(outputGradient.scalars, argmax: argmax,
                                                                  inputCount: s.inputCount))
    }
}

/// Average pooling over NCHW batches (Saitoh 1, §7.3): no parameters, the channel count unchanged.
///
/// - forward: `y[n, c, oy, ox] = (1 / (FH·FW)) Σ_window x[n, c, oy·S − P + ky, ox·S − P + kx]`,
///   padding counting as zeros (the divisor is always the full window, as in the seed's im2col).
/// - backward: `dy[n, c, oy, ox] / (FH·FW)` to every in-image pixel of the window.
public final class AveragePooling: Layer, PoolingLayer {
    /// The window, stride and padding.
    public let geometry: WindowGeometry
    private var cachedShape: WindowShape?

    /// - Precondition: window sizes and stride at least 1, `0 ≤ padding <` both window sizes.
    public required init(windowHeight: Int, windowWidth: Int, stride: Int, padding: Int = 0) {
        geometry = WindowGeometry(windowHeight: windowHeight, windowWidth: windowWidth, stride: stride, padding: padding)
        require { () throws(NeuralNetworkError) in try Validate.poolingPadding(geometry) }
    }

    public static let layerName = "AveragePooling"

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let s = windowShape(forInput: input.shape)
        cachedShape = s
        return Tensor(shape: [s.batch, s.channels, s.outputHeight, s.outputWidth],
                      scalars: ConvolutionKernels.averagePoolForward(input.scalars, s))
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let s = requireCached(cachedShape, "AveragePooling")
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, [s.batch, s.channels, s.outputHeight, s.outputWidth],
                               "AveragePooling.backward")
        }
        return Tensor(shape: [s.batch, s.channels, s.height, s.width],
                      scalars: ConvolutionKernels.averagePoolBackward(outputGradient.scalars, s))
    }
}

/// Flattens every example of a batch (Saitoh 1, §7.5: the reshape between the convolution
/// block and the Affine layers).
///
/// - forward: x `[N, d₁, ..., d_k]` → `[N, d₁·...·d_k]` (the same scalars, row-major).
/// - backward: dy `[N, d₁·...·d_k]` → dx `[N, d₁, ..., d_k]`.
public final class Flatten: Layer {
    private var cachedShape: [Int]?

    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        require { () throws(NeuralNetworkError) in
            if input.rank < 2 {
                throw .shapeMismatch(operation: "Flatten.forward", expected: "[N, ...] (rank at least 2)", actual: input.shape)
            }
        }
        cachedShape = input.shape
        return input.reshaped([input.shape[0], input.shape.dropFirst().reduce(1, *)])
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let shape = requireCached(cachedShape, "Flatten")
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, [shape[0], shape.dropFirst().reduce(1, *)], "Flatten.backward")
        }
        return outputGradient.reshaped(shape)
    }
}

extension Validate {
    /// Pooling padding must be smaller than the window in both directions.
    static func poolingPadding(_ geometry: WindowGeometry) throws(NeuralNetworkError) {
        let smallest = min(geometry.windowHeight, geometry.windowWidth)
        if geometry.padding >= smallest {
            throw .invalidHyperparameter(name: "pooling padding", value: Double(geometry.padding),
                                         requirement: "smaller than the window (\(smallest))")
        }
    }
}

/// What max and average pooling share: a window geometry, its validation and output shape.
public protocol PoolingLayer: AnyObject {
    /// The window, stride and padding.
    var geometry: WindowGeometry { get }
    /// - Precondition: window sizes and stride at least 1, `0 ≤ padding <` both window sizes.
    init(windowHeight: Int, windowWidth: Int, stride: Int, padding: Int)
    /// The layer's name in messages.
    static var layerName: String { get }
}

extension PoolingLayer {
    /// A square `window x window` pooling; the stride defaults to the window (non-overlapping).
    public init(window: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(windowHeight: window, windowWidth: window, stride: stride ?? window, padding: padding)
    }

    /// `[N, C, OH, OW]` for an input of `shape`, or the error naming what does not fit.
    public func outputShape(forInput shape: [Int]) throws(NeuralNetworkError) -> [Int] {
        let s = try checkedWindowShape(forInput: shape)
        return [s.batch, s.channels, s.outputHeight, s.outputWidth]
    }

    func checkedWindowShape(forInput shape: [Int]) throws(NeuralNetworkError) -> WindowShape {
        try Validate.imageBatch(shape, "\(Self.layerName).forward")
        return try geometry.windowShape(forInput: shape, layer: Self.layerName)
    }

    /// The pass's sizes for an input of `shape` (a precondition failure naming what does not fit).
    func windowShape(forInput shape: [Int]) -> WindowShape {
        required { () throws(NeuralNetworkError) in try checkedWindowShape(forInput: shape) }
    }
}
