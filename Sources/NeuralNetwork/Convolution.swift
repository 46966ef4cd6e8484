import TensorCore

/// The sliding-window arithmetic shared by convolution and pooling (Saitoh 1, §7.2.3–7.2.4).
///
/// A window of `windowHeight x windowWidth` moves over an input of `H x W` padded by `padding`
/// zeros on every side, `stride` pixels at a time, giving an output of
/// `OH = (H + 2P − FH) / S + 1` by `OW = (W + 2P − FW) / S + 1`. When a division is not exact the
/// window does not tile the input, and ``outputSize(height:width:layer:)`` throws
/// ``NeuralNetworkError/nonIntegerOutputSize(layer:dimension:inputSize:windowSize:stride:padding:)``
/// naming the sizes (the seed suggests "raise, or round"; rounding would silently drop pixels).
public struct WindowGeometry: Sendable, Equatable {
    /// FH.
    public let windowHeight: Int
    /// FW.
    public let windowWidth: Int
    /// S, the step between window positions in both directions.
    public let stride: Int
    /// P, the zeros added on every side.
    public let padding: Int

    /// - Precondition: window sizes and stride at least 1, padding at least 0.
    public init(windowHeight: Int, windowWidth: Int, stride: Int = 1, padding: Int = 0) {
        require { () throws(NeuralNetworkError) in
            try Validate.atLeastOne("window height", windowHeight)
            try Validate.atLeastOne("window width", windowWidth)
            try Validate.atLeastOne("stride", stride)
            try Validate.notNegative("padding", padding)
        }
        self.windowHeight = windowHeight
        self.windowWidth = windowWidth
        self.stride = stride
        self.padding = padding
    }

    /// `(OH, OW)` for an `H x W` input, or an error naming the sizes when the window does not fit
    /// or does not tile the input.
    public func outputSize(height: Int, width: Int, layer: String) throws(NeuralNetworkError) -> (height: Int, width: Int) {
        (try outputExtent(height, windowHeight, "height", layer), try outputExtent(width, windowWidth, "width", layer))
    }

    private func outputExtent(_ size: Int, _ window: Int, _ dimension: String, _ layer: String) throws(NeuralNetworkError) -> Int {
        let span = size + 2 * padding - window
        if span < 0 {
            throw .windowLargerThanInput(layer: layer, dimension: dimension, inputSize: size, windowSize: window, padding: padding)
        }
        if span % stride != 0 {
            throw .nonIntegerOutputSize(layer: layer, dimension: dimension, inputSize: size, windowSize: window,
                                        stride: stride, padding: padding)
        }
        return span / stride + 1
    }

    /// The kernel sizes for an NCHW `shape` (validated by the caller to have rank 4).
    func windowShape(forInput shape: [Int], layer: String) throws(NeuralNetworkError) -> WindowShape {
        let (oh, ow) = try outputSize(height: shape[2], width: shape[3], layer: layer)
        return WindowShape(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3],
                           windowHeight: windowHeight, windowWidth: windowWidth, stride: stride, padding: padding,
                           outputHeight: oh, outputWidth: ow)
    }
}

/// A 2-D convolution over NCHW batches (Saitoh 1, §7.2 and §7.4: `Convolution` by im2col).
///
/// - filters W `[FN, C, FH, FW]`, bias b `[FN]`; input channels = filter channels C, output
///   channels = filter count FN.
/// - forward: x `[N, C, H, W]` → `y[n, f, oy, ox] = b[f] + Σ_{c,ky,kx} W[f, c, ky, kx] ·
///   x[n, c, oy·S − P + ky, ox·S − P + kx]` (zero outside the image), y `[N, FN, OH, OW]` with
///   OH, OW from ``WindowGeometry``. Computed as one sgemm: `col · Wᵀ` for the im2col matrix
///   col `[N·OH·OW, C·FH·FW]` and W flattened to `[FN, C·FH·FW]`, then laid out as NCHW.
/// - backward: dy `[N, FN, OH, OW]` as rows dY `[N·OH·OW, FN]`: `db += Σ_rows dY`,
///   `dW += dYᵀ · col`, and `dx = col2im(dY · W)`.
///
/// An input whose size the filters do not tile stops with the message of
/// ``NeuralNetworkError/nonIntegerOutputSize(layer:dimension:inputSize:windowSize:stride:padding:)``;
/// check it first with ``outputShape(forInput:)``.
public final class Convolution: Layer {
    /// W, `[FN, C, FH, FW]`.
    public let weight: Parameter
    /// b, `[FN]`.
    public let bias: Parameter
    /// The filter size, stride and padding.
    public let geometry: WindowGeometry
    private var cache: (columns: Tensor, shape: WindowShape)?

    /// A layer with the given filters (`[FN, C, FH, FW]`) and bias (`[FN]`).
    /// - Precondition: stride at least 1, padding at least 0.
    public init(weight: Parameter, bias: Parameter, stride: Int = 1, padding: Int = 0) {
        require { () throws(NeuralNetworkError) in
            if weight.value.rank != 4 || weight.value.shape.contains(0) {
                throw .shapeMismatch(operation: "Convolution's weight", expected: "[FN, C, FH, FW] (all at least 1)",
                                     actual: weight.value.shape)
            }
            try Validate.shape(bias.value, [weight.value.shape[0]], "Convolution's bias")
        }
        self.weight = weight
        self.bias = bias
        self.geometry = WindowGeometry(windowHeight: weight.value.shape[2], windowWidth: weight.value.shape[3],
                                       stride: stride, padding: padding)
    }

    /// A layer with fresh filters drawn with `initialization` (fan-in C·FH·FW) and a zero bias.
    public convenience init<G: RandomNumberGenerator>(filterCount: Int, channels: Int, filterHeight: Int, filterWidth: Int,
                                                      stride: Int = 1, padding: Int = 0,
                                                      initialization: WeightInitialization = .he,
                                                      name: String = "convolution", using generator: inout G) {
        let shape = [filterCount, channels, filterHeight, filterWidth]
        let sigma = initialization.standardDeviation(fanIn: channels * filterHeight * filterWidth)
        self.init(weight: Parameter(Tensor.randomNormal(shape: shape, standardDeviation: sigma, using: &generator),
                                    name: name + ".weight"),
                  bias: Parameter(Tensor(shape: [filterCount]), name: name + ".bias"),
                  stride: stride, padding: padding)
    }

    public var parameters: [Parameter] { [weight, bias] }
    /// FN, the number of filters (output channels).
    public var filterCount: Int { weight.shape[0] }
    /// C, the input channels.
    public var channels: Int { weight.shape[1] }
    /// C·FH·FW, the length of one flattened filter.
    var filterLength: Int { weight.shape[1] * weight.shape[2] * weight.shape[3] }

    /// `[N, FN, OH, OW]` for an input of `shape`, or the error naming what does not fit.
    public func outputShape(forInput shape: [Int]) throws(NeuralNetworkError) -> [Int] {
        let s = try windowShape(forInput: shape)
        return [s.batch, filterCount, s.outputHeight, s.outputWidth]
    }

    private func windowShape(forInput shape: [Int]) throws(NeuralNetworkError) -> WindowShape {
        try Validate.imageBatch(shape, channels: channels, "Convolution.forward")
        return try geometry.windowShape(forInput: shape, layer: "Convolution")
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let s = required { () throws(NeuralNetworkError) in try windowShape(forInput: input.shape) }
        // The previous column matrix's storage is reused once the cache lets go of it.
        var buffer = cache?.columns.scalars ?? []
        cache = nil
        ConvolutionKernels.im2col(input.scalars, s, into: &buffer)
        let columns = Tensor(shape: [s.columnRows, s.columnWidth], scalars: buffer)
        let filters = weight.value.reshaped([filterCount, filterLength])
        let rows = Tensor.matmul(columns, filters, transposeRight: true)
        cache = (columns, s)
        let positions = s.outputHeight * s.outputWidth
        return Tensor(shape: [s.batch, filterCount, s.outputHeight, s.outputWidth],
                      scalars: ConvolutionKernels.channelRowsToNCHW(rows.scalars, bias: bias.value.scalars,
                                                                    batch: s.batch, positions: positions))
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (columns, s) = requireCached(cache, "Convolution")
        require { () throws(NeuralNetworkError) in
            try Validate.shape(outputGradient, [s.batch, filterCount, s.outputHeight, s.outputWidth], "Convolution.backward")
        }
        let positions = s.outputHeight * s.outputWidth
        let rows = Tensor(shape: [s.batch * positions, filterCount],
                          scalars: ConvolutionKernels.nchwToChannelRows(outputGradient.scalars, batch: s.batch,
                                                                        channels: filterCount, positions: positions))
        bias.gradient.add(rows.sum(alongAxis: 0))
        weight.gradient.add(Tensor.matmul(rows, columns, transposeLeft: true).reshaped(weight.shape))
        let columnGradient = Tensor.matmul(rows, weight.value.reshaped([filterCount, filterLength]))
        return Tensor(shape: [s.batch, s.channels, s.height, s.width],
                      scalars: ConvolutionKernels.col2im(columnGradient.scalars, s))
    }
}
