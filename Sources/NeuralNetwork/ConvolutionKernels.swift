// Kernel file: the raw-buffer loops of convolution and pooling over NCHW image batches.
//
// Shapes (all buffers row-major Float32; S stride, P padding, FH x FW the window):
//   image batch x          [N, C, H, W]         element (n, c, y, x) at ((n * C + c) * H + y) * W + x
//   column matrix col      [N*OH*OW, C*FH*FW]   row (n, oy, ox) at (n * OH + oy) * OW + ox,
//                                               column (c, ky, kx) at (c * FH + ky) * FW + kx, holding
//                                               x[n, c, oy*S - P + ky, ox*S - P + kx] (0 outside the image)
//   filters                [FN, C*FH*FW]        the [FN, C, FH, FW] parameter, row f = filter f
//   channel rows           [N*OH*OW, FN]        the sgemm's product, row (n, oy, ox), column f
//   output / pooled y      [N, FN|C, OH, OW]    element (n, f, oy, ox) at ((n * F + f) * OH + oy) * OW + ox
//   max-pooling argmax     [N, C, OH, OW]       the flat index into x of each window's maximum
// with OH = (H + 2P - FH) / S + 1 and OW = (W + 2P - FW) / S + 1. Callers (Convolution,
// MaxPooling, AveragePooling) validate the shapes and the geometry before calling; kernels only
// index, and return early for empty batches (empty buffers have no base address).

/// The sizes of one sliding-window pass over an NCHW batch.
struct WindowShape {
    var batch: Int, channels: Int, height: Int, width: Int
    var windowHeight: Int, windowWidth: Int, stride: Int, padding: Int
    var outputHeight: Int, outputWidth: Int

    var inputCount: Int { batch * channels * height * width }
    var outputCount: Int { batch * channels * outputHeight * outputWidth }
    /// Rows of the column matrix: N·OH·OW.
    var columnRows: Int { batch * outputHeight * outputWidth }
    /// Columns of the column matrix: C·FH·FW.
    var columnWidth: Int { channels * windowHeight * windowWidth }

    /// The image rows the window of output row `oy` covers (clipped to the image).
    @inline(__always)
    func imageRows(ofOutputRow oy: Int) -> Range<Int> {
        let y0 = oy * stride - padding
        return max(y0, 0)..<min(y0 + windowHeight, height)
    }

    /// The image columns the window of output column `ox` covers (clipped to the image).
    @inline(__always)
    func imageColumns(ofOutputColumn ox: Int) -> Range<Int> {
        let x0 = ox * stride - padding
        return max(x0, 0)..<min(x0 + windowWidth, width)
    }
}

enum ConvolutionKernels {
    // MARK: im2col / col2im

    /// The column matrix `[N*OH*OW, C*FH*FW]` of `x` (zero where a window hangs over the padding).
    static func im2col(_ x: [Float], _ s: WindowShape) -> [Float] {
        var col: [Float] = []
        im2col(x, s, into: &col)
        return col
    }

    /// ``im2col(_:_:)`` into `col`, reusing its storage when it already has the right size (a
    /// layer passes back its previous column matrix, so that a training loop does not map and
    /// unmap megabytes per batch).
    static func im2col(_ x: [Float], _ s: WindowShape, into col: inout [Float]) {
        let count = s.columnRows * s.columnWidth
        if col.count == count {
            col.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        } else {
            col = [Float](repeating: 0, count: count)
        }
        guard !col.isEmpty else { return }
        x.withUnsafeBufferPointer { xp in
            col.withUnsafeMutableBufferPointer { cp in
                // Gathering only reads the image.
                transfer(image: UnsafeMutablePointer(mutating: xp.baseAddress!), columns: cp.baseAddress!, s, gather: true)
            }
        }
    }

    /// The adjoint of ``im2col(_:_:)``: every column entry added back into the pixel it was read
    /// from (entries over the padding are dropped); returns `[N, C, H, W]`.
    static func col2im(_ col: [Float], _ s: WindowShape) -> [Float] {
        var x = [Float](repeating: 0, count: s.inputCount)
        guard !x.isEmpty, !col.isEmpty else { return x }
        col.withUnsafeBufferPointer { cp in
            x.withUnsafeMutableBufferPointer { xp in
                // Scattering only reads the columns.
                transfer(image: xp.baseAddress!, columns: UnsafeMutablePointer(mutating: cp.baseAddress!), s, gather: false)
            }
        }
        return x
    }

    /// The one walk over every (window, channel, ky, kx) entry that lies inside the image:
    /// `gather` copies image → columns (im2col), otherwise columns are added into the image
    /// (col2im). Entries over the padding are skipped either way (zero in a fresh column matrix).
    @inline(__always)
    private static func transfer(image: UnsafeMutablePointer<Float>, columns: UnsafeMutablePointer<Float>,
                                 _ s: WindowShape, gather: Bool) {
        let (c, h, w) = (s.channels, s.height, s.width)
        let (fh, fw, stride, pad) = (s.windowHeight, s.windowWidth, s.stride, s.padding)
        var row = columns
        for n in 0..<s.batch {
            for oy in 0..<s.outputHeight {
                for ox in 0..<s.outputWidth {
                    var entry = row
                    for ch in 0..<c {
                        let plane = image + (n * c + ch) * h * w
                        for ky in 0..<fh {
                            let y = oy * stride - pad + ky
                            if y < 0 || y >= h { entry += fw; continue }
                            let line = plane + y * w
                            let x0 = ox * stride - pad
                            for kx in 0..<fw {
                                let xx = x0 + kx
                                guard xx >= 0 && xx < w else { continue }
                                if gather { entry[kx] = line[xx] } else { line[xx] += entry[kx] }
                            }
                            entry += fw
                        }
                    }
                    row += s.columnWidth
                }
            }
        }
    }

    // MARK: Layout between the sgemm's rows and NCHW

    /// `y[n, f, p] = rows[n * P + p, f] + bias[f]` for rows `[N*P, F]` (P = OH·OW); returns `[N, F, P]`.
    static func channelRowsToNCHW(_ rows: [Float], bias: [Float], batch: Int, positions: Int) -> [Float] {
        let f = bias.count
        var y = [Float](repeating: 0, count: batch * f * positions)
        guard !y.isEmpty else { return y }
        rows.withUnsafeBufferPointer { rp in
            bias.withUnsafeBufferPointer { bp in
                y.withUnsafeMutableBufferPointer { yp in
                    for n in 0..<batch {
                        let src = rp.baseAddress! + n * positions * f, dst = yp.baseAddress! + n * f * positions
                        for p in 0..<positions {
                            for k in 0..<f { dst[k * positions + p] = src[p * f + k] + bp[k] }
                        }
                    }
                }
            }
        }
        return y
    }

    /// The inverse layout: `rows[n * P + p, f] = y[n, f, p]` for y `[N, F, P]`; returns `[N*P, F]`.
    static func nchwToChannelRows(_ y: [Float], batch: Int, channels f: Int, positions: Int) -> [Float] {
        var rows = [Float](repeating: 0, count: batch * f * positions)
        guard !rows.isEmpty else { return rows }
        y.withUnsafeBufferPointer { yp in
            rows.withUnsafeMutableBufferPointer { rp in
                for n in 0..<batch {
                    let src = yp.baseAddress! + n * f * positions, dst = rp.baseAddress! + n * positions * f
                    for k in 0..<f {
                        for p in 0..<positions { dst[p * f + k] = src[k * positions + p] }
                    }
                }
            }
        }
        return rows
    }

    // MARK: Pooling

    /// Max pooling: each output is the maximum of the window's in-image pixels (padding never
    /// wins); also returns the flat input index of every maximum (the first one on ties).
    static func maxPoolForward(_ x: [Float], _ s: WindowShape) -> (output: [Float], argmax: [Int]) {
        var y = [Float](repeating: 0, count: s.outputCount)
        var argmax = [Int](repeating: 0, count: s.outputCount)
        guard !y.isEmpty else { return (y, argmax) }
        let (h, w, oh, ow) = (s.height, s.width, s.outputHeight, s.outputWidth)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                argmax.withUnsafeMutableBufferPointer { ap in
                    var o = 0
                    for plane in 0..<(s.batch * s.channels) {
                        let base = plane * h * w
                        for oy in 0..<oh {
                            let rows = s.imageRows(ofOutputRow: oy)
                            for ox in 0..<ow {
                                let columns = s.imageColumns(ofOutputColumn: ox)
                                var best = -Float.infinity, bestIndex = base + rows.lowerBound * w + columns.lowerBound
                                for yy in rows {
                                    for xx in columns {
                                        let i = base + yy * w + xx
                                        if xp[i] > best { best = xp[i]; bestIndex = i }
                                    }
                                }
                                yp[o] = best
                                ap[o] = bestIndex
                                o += 1
                            }
                        }
                    }
                }
            }
        }
        return (y, argmax)
    }

    /// `dx[argmax[o]] += dy[o]` for every output o; returns `[N, C, H, W]`.
    static func maxPoolBackward(_ dy: [Float], argmax: [Int], inputCount: Int) -> [Float] {
        var dx = [Float](repeating: 0, count: inputCount)
        guard !dx.isEmpty else { return dx }
        dy.withUnsafeBufferPointer { gp in
            argmax.withUnsafeBufferPointer { ap in
                dx.withUnsafeMutableBufferPointer { dp in
                    for o in 0..<gp.count { dp[ap[o]] += gp[o] }
                }
            }
        }
        return dx
    }

    /// Average pooling: each output is the sum of the window's in-image pixels divided by the
    /// full window size FH·FW (padding counts as zeros, as in the seed's im2col pooling).
    static func averagePoolForward(_ x: [Float], _ s: WindowShape) -> [Float] {
        var y = [Float](repeating: 0, count: s.outputCount)
        guard !y.isEmpty else { return y }
        let (h, w, oh, ow) = (s.height, s.width, s.outputHeight, s.outputWidth)
        let inverseArea = 1 / Float(s.windowHeight * s.windowWidth)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                var o = 0
                for plane in 0..<(s.batch * s.channels) {
                    let base = plane * h * w
                    for oy in 0..<oh {
                        let rows = s.imageRows(ofOutputRow: oy)
                        for ox in 0..<ow {
                            let columns = s.imageColumns(ofOutputColumn: ox)
                            var total: Float = 0
                            for yy in rows {
                                for xx in columns { total += xp[base + yy * w + xx] }
                            }
                            yp[o] = total * inverseArea
                            o += 1
                        }
                    }
                }
            }
        }
        return y
    }

    /// The adjoint of ``averagePoolForward(_:_:)``: `dy[o] / (FH·FW)` added to every in-image
    /// pixel of window o; returns `[N, C, H, W]`.
    static func averagePoolBackward(_ dy: [Float], _ s: WindowShape) -> [Float] {
        var dx = [Float](repeating: 0, count: s.inputCount)
        guard !dx.isEmpty, !dy.isEmpty else { return dx }
        let (h, w, oh, ow) = (s.height, s.width, s.outputHeight, s.outputWidth)
        let inverseArea = 1 / Float(s.windowHeight * s.windowWidth)
        dy.withUnsafeBufferPointer { gp in
            dx.withUnsafeMutableBufferPointer { dp in
                var o = 0
                for plane in 0..<(s.batch * s.channels) {
                    let base = plane * h * w
                    for oy in 0..<oh {
                        let rows = s.imageRows(ofOutputRow: oy)
                        for ox in 0..<ow {
                            let columns = s.imageColumns(ofOutputColumn: ox)
                            let share = gp[o] * inverseArea
                            for yy in rows {
                                for xx in columns { dp[base + yy * w + xx] += share }
                            }
                            o += 1
                        }
                    }
                }
            }
        }
        return dx
    }
}
