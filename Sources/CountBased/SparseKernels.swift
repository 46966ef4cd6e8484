// Kernels: CSR transpose, sparse x dense products and co-occurrence counting over raw buffers.
//
// Shapes:
//   transpose:  CSR [m, n] (nnz entries)                   -> CSR [n, m]
//   multiply:   CSR [m, n] x dense row-major [n, k]         -> dense row-major [m, k]
//   cooccur:    ids [N] (Int32, -1 = out of vocabulary), V  -> CSR [V, V], symmetric
// Parallel work is split into disjoint row ranges with DispatchQueue.concurrentPerform; each
// worker writes only its own rows (or its own result slot), so no locks are needed.

import Dispatch
import TensorCore

/// A raw pointer handed to worker threads that write disjoint parts of its memory.
struct SharedPointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ base: UnsafeMutablePointer<T>) { self.base = base }
    init(_ base: UnsafePointer<T>) { self.base = UnsafeMutablePointer(mutating: base) }
}

/// Runs `work(part)` for every part in `0..<parts`, on `threads` threads when more than one.
func parallelFor(parts: Int, threads: Int, _ work: @Sendable (Int) -> Void) {
    if threads <= 1 || parts <= 1 {
        for part in 0..<parts { work(part) }
    } else {
        DispatchQueue.concurrentPerform(iterations: parts, execute: work)
    }
}

enum SparseKernels {
    /// Splits `0..<count` into about `parts` contiguous ranges of roughly equal `weight`
    /// (cumulative weights in `prefix`, `prefix.count == count + 1`).
    static func balancedRanges(prefix: [Int], parts: Int) -> [Range<Int>] {
        let count = prefix.count - 1
        guard count > 0 else { return [] }
        let total = prefix[count]
        let parts = max(1, min(parts, count))
        var ranges: [Range<Int>] = []
        var start = 0
        for p in 1..<parts {
            let target = prefix[0] + (total - prefix[0]) * p / parts
            // Smallest end in (start + 1)...count with prefix[end] >= target.
            var low = start + 1, high = count
            while low < high {
                let mid = (low + high) / 2
                if prefix[mid] < target { low = mid + 1 } else { high = mid }
            }
            if low < count {
                ranges.append(start..<low)
                start = low
            }
        }
        ranges.append(start..<count)
        return ranges
    }

    static func transpose(_ a: SparseMatrix) -> SparseMatrix {
        let (m, n, nnz) = (a.rows, a.columns, a.nonzeroCount)
        var offsets = [Int](repeating: 0, count: n + 1)
        var indices = [Int32](repeating: 0, count: nnz)
        var values = [Float](repeating: 0, count: nnz)
        a.columnIndices.withUnsafeBufferPointer { cols in
            a.values.withUnsafeBufferPointer { vals in
                a.rowOffsets.withUnsafeBufferPointer { rowStart in
                    offsets.withUnsafeMutableBufferPointer { off in
                        for k in 0..<nnz { off[Int(cols[k]) + 1] += 1 }
                        for j in 0..<n { off[j + 1] += off[j] }
                        var next = Array(off[0..<n])
                        next.withUnsafeMutableBufferPointer { cursor in
                            indices.withUnsafeMutableBufferPointer { outIdx in
                                values.withUnsafeMutableBufferPointer { outVal in
                                    for i in 0..<m {
                                        for k in rowStart[i]..<rowStart[i + 1] {
                                            let j = Int(cols[k])
                                            let dst = cursor[j]
                                            outIdx[dst] = Int32(i)
                                            outVal[dst] = vals[k]
                                            cursor[j] = dst + 1
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return SparseMatrix(validRows: n, columns: m, rowOffsets: offsets, columnIndices: indices, values: values)
    }

    /// Columns of the dense operand processed per pass of `multiply` (64 floats = 256 bytes per row).
    static let panelWidth = 64
    /// Columns of the sparse operand (rows of the dense one) per tile of `multiply`.
    static let columnBlock = 1024

    static func multiply(_ a: SparseMatrix, _ b: Tensor, threads: Int) -> Tensor {
        let k = b.shape[1]
        let columnCount = a.columns
        var out = Tensor(shape: [a.rows, k])
        if a.rows == 0 || k == 0 || a.nonzeroCount == 0 { return out }
        let ranges = balancedRanges(prefix: a.rowOffsets.enumerated().map { $0.element + $0.offset }, parts: max(1, threads) * 8)
        a.rowOffsets.withUnsafeBufferPointer { rowStartBuffer in
            a.columnIndices.withUnsafeBufferPointer { colsBuffer in
                a.values.withUnsafeBufferPointer { valsBuffer in
                    b.scalars.withUnsafeBufferPointer { bBuffer in
                        out.scalars.withUnsafeMutableBufferPointer { cBuffer in
                            let rowStartShared = SharedPointer(rowStartBuffer.baseAddress!)
                            let colsShared = SharedPointer(colsBuffer.baseAddress!)
                            let valsShared = SharedPointer(valsBuffer.baseAddress!)
                            let bShared = SharedPointer(bBuffer.baseAddress!)
                            let cShared = SharedPointer(cBuffer.baseAddress!)
                            parallelFor(parts: ranges.count, threads: threads) { part in
                                let rowStart = rowStartShared.base, cols = colsShared.base, vals = valsShared.base
                                let bp = bShared.base, cp = cShared.base
                                // Tiles of columnBlock rows of B x panelWidth columns (256 KB) stay in L2:
                                // for each block of A's columns, every row's entries in that block
                                // (a contiguous run, columns being sorted) update one panel of C at a time.
                                let range = ranges[part]
                                let blockStart = UnsafeMutablePointer<Int>.allocate(capacity: range.count)
                                let blockEnd = UnsafeMutablePointer<Int>.allocate(capacity: range.count)
                                defer { blockStart.deallocate(); blockEnd.deallocate() }
                                for r in 0..<range.count { blockStart[r] = rowStart[range.lowerBound + r] }
                                var columnStart = 0
                                while columnStart < columnCount {
                                    let columnEnd = Int32(min(columnStart + columnBlock, columnCount))
                                    for r in 0..<range.count {
                                        var e = blockStart[r]
                                        let last = rowStart[range.lowerBound + r + 1]
                                        while e < last && cols[e] < columnEnd { e += 1 }
                                        blockEnd[r] = e
                                    }
                                    var panelStart = 0
                                    while panelStart < k {
                                        let width = min(panelWidth, k - panelStart)
                                        for r in 0..<range.count {
                                            let row = cp + (range.lowerBound + r) * k + panelStart
                                            for e in blockStart[r]..<blockEnd[r] {
                                                let v = vals[e]
                                                let source = bp + Int(cols[e]) * k + panelStart
                                                for t in 0..<width { row[t] += v * source[t] }
                                            }
                                        }
                                        panelStart += width
                                    }
                                    for r in 0..<range.count { blockStart[r] = blockEnd[r] }
                                    columnStart = Int(columnEnd)
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }

    /// One block of rows' co-occurrence entries, produced by one worker.
    struct RowBlock {
        var rowLengths: [Int] = []
        var columns: [Int32] = []
        var values: [Float] = []
    }

    /// Symmetric co-occurrence counts: entry `(w, c)` is the sum over occurrences of `w` of
    /// `weight[d]` for every occurrence of `c` at distance `d` in `1...window` (either side).
    /// Out-of-vocabulary positions (-1) occupy window slots but produce no counts.
    /// Rows are computed independently from the occurrence lists of each word with a dense
    /// accumulator of `vocabularySize` doubles per worker.
    static func cooccurrences(ids: [Int32], vocabularySize: Int, weights: [Double], threads: Int,
                              isCancelled: @escaping @Sendable () -> Bool) -> SparseMatrix? {
        let n = ids.count
        let v = vocabularySize
        let window = weights.count
        // Occurrence lists: positions of each word, by counting sort.
        var occurrenceStart = [Int](repeating: 0, count: v + 1)
        for id in ids where id >= 0 { occurrenceStart[Int(id) + 1] += 1 }
        for w in 0..<v { occurrenceStart[w + 1] += occurrenceStart[w] }
        var positions = [UInt32](repeating: 0, count: occurrenceStart[v])
        do {
            var cursor = Array(occurrenceStart[0..<v])
            ids.withUnsafeBufferPointer { idp in
                positions.withUnsafeMutableBufferPointer { pos in
                    cursor.withUnsafeMutableBufferPointer { cur in
                        for p in 0..<n {
                            let id = Int(idp[p])
                            if id >= 0 {
                                pos[cur[id]] = UInt32(p)
                                cur[id] += 1
                            }
                        }
                    }
                }
            }
        }
        let ranges = balancedRanges(prefix: occurrenceStart, parts: max(1, threads) * 16)
        let blocks = UnsafeMutableBufferPointer<RowBlock>.allocate(capacity: ranges.count)
        blocks.initialize(repeating: RowBlock())
        defer { blocks.deinitialize(); blocks.deallocate() }
        let blocksShared = SharedPointer(blocks.baseAddress!)
        ids.withUnsafeBufferPointer { idBuffer in
            positions.withUnsafeBufferPointer { positionBuffer in
                occurrenceStart.withUnsafeBufferPointer { startBuffer in
                    weights.withUnsafeBufferPointer { weightBuffer in
                        let idShared = SharedPointer(idBuffer.baseAddress!)
                        let posShared = positionBuffer.baseAddress.map { SharedPointer($0) }
                        let startShared = SharedPointer(startBuffer.baseAddress!)
                        let weightShared = SharedPointer(weightBuffer.baseAddress!)
                        parallelFor(parts: ranges.count, threads: threads) { part in
                            if isCancelled() { return }
                            let idp = idShared.base, start = startShared.base, weight = weightShared.base
                            let pos = posShared?.base
                            let accumulator = UnsafeMutablePointer<Double>.allocate(capacity: v)
                            accumulator.initialize(repeating: 0, count: v)
                            defer { accumulator.deallocate() }
                            var touched: [Int32] = []
                            var block = RowBlock()
                            for w in ranges[part] {
                                touched.removeAll(keepingCapacity: true)
                                for o in start[w]..<start[w + 1] {
                                    let p = Int(pos![o])
                                    let lowest = max(0, p - window), highest = min(n - 1, p + window)
                                    var q = lowest
                                    while q <= highest {
                                        if q != p {
                                            let c = Int(idp[q])
                                            if c >= 0 {
                                                if accumulator[c] == 0 { touched.append(Int32(c)) }
                                                accumulator[c] += weight[abs(q - p) - 1]
                                            }
                                        }
                                        q += 1
                                    }
                                }
                                let before = block.columns.count
                                if touched.count * 8 > v {
                                    for c in 0..<v where accumulator[c] != 0 {
                                        block.columns.append(Int32(c))
                                        block.values.append(Float(accumulator[c]))
                                        accumulator[c] = 0
                                    }
                                } else {
                                    touched.sort()
                                    for c in touched {
                                        block.columns.append(c)
                                        block.values.append(Float(accumulator[Int(c)]))
                                        accumulator[Int(c)] = 0
                                    }
                                }
                                block.rowLengths.append(block.columns.count - before)
                            }
                            (blocksShared.base + part).pointee = block
                        }
                    }
                }
            }
        }
        if isCancelled() { return nil }
        positions = []
        // Concatenate the blocks (rows in order: the ranges are consecutive).
        var offsets = [Int](repeating: 0, count: v + 1)
        var total = 0
        var row = 0
        for part in ranges.indices {
            for length in blocks[part].rowLengths {
                total += length
                row += 1
                offsets[row] = total
            }
        }
        for r in row..<v { offsets[r + 1] = total }
        var columns = [Int32]()
        var values = [Float]()
        columns.reserveCapacity(total)
        values.reserveCapacity(total)
        for part in ranges.indices {
            columns.append(contentsOf: blocks[part].columns)
            values.append(contentsOf: blocks[part].values)
            blocks[part] = RowBlock()
        }
        return SparseMatrix(validRows: v, columns: v, rowOffsets: offsets, columnIndices: columns, values: values)
    }
}
