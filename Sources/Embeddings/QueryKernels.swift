// Kernels behind the similarity queries. Shapes (all Float32, row-major):
//   matrix   [rows, dimension]      word vectors or unit vectors; only the first `limit` rows are scored
//   queries  [queryCount, dimension] one query per row
//   scores   [queryCount, limit]     scores[q, r] = <queries[q], matrix[r]>  (sgemv when queryCount == 1, else sgemm)
//   top-k    per score row: the k best (score, row) pairs, best first, ties broken by the lower row
// The only unsafe code of the Embeddings module lives here.
import Dispatch
import TensorCore

/// A scored row: the result of a top-k selection.
struct ScoredRow: Equatable {
    var row: Int
    var score: Float
}

enum QueryKernels {
    /// Divides each row of `matrix` ([rows, dimension]) by its Euclidean norm; zero rows stay zero.
    /// Returns the unit rows and the norms (accumulated in Double for accuracy).
    static func normalizedRows(_ matrix: [Float], rows: Int, dimension: Int) -> (unit: [Float], norms: [Float]) {
        var unit = [Float](repeating: 0, count: matrix.count)
        var norms = [Float](repeating: 0, count: rows)
        guard dimension > 0 else { return (unit, norms) }
        matrix.withUnsafeBufferPointer { m in
            unit.withUnsafeMutableBufferPointer { u in
                norms.withUnsafeMutableBufferPointer { n in
                    for r in 0..<rows {
                        let base = r * dimension
                        var sum: Double = 0
                        for j in 0..<dimension {
                            let x = Double(m[base + j])
                            sum += x * x
                        }
                        let norm = sum.squareRoot()
                        n[r] = Float(norm)
                        guard norm > 0 else { continue }
                        let inverse = 1 / norm
                        for j in 0..<dimension { u[base + j] = Float(Double(m[base + j]) * inverse) }
                    }
                }
            }
        }
        return (unit, norms)
    }

    /// Normalises one vector in place to unit length; returns false (leaving it unchanged) when its
    /// norm is zero or not finite.
    static func normalize(_ vector: inout [Float]) -> Bool {
        var sum: Double = 0
        for x in vector { sum += Double(x) * Double(x) }
        let norm = sum.squareRoot()
        guard norm > 0, norm.isFinite else { return false }
        for j in vector.indices { vector[j] = Float(Double(vector[j]) / norm) }
        return true
    }

    /// `<matrix[i], matrix[j]>` for rows of a `[rows, dimension]` matrix.
    static func rowDot(_ matrix: [Float], _ i: Int, _ j: Int, dimension d: Int) -> Float {
        matrix.withUnsafeBufferPointer { m in
            var s: Float = 0
            for k in 0..<d { s += m[i * d + k] * m[j * d + k] }
            return s
        }
    }

    /// `Σ_i weights[i] · matrix[rows[i]]`, accumulated in Double (`dimension` elements).
    static func weightedRowSum(_ matrix: [Float], rows: [Int], weights: [Double], dimension d: Int) -> [Double] {
        var sum = [Double](repeating: 0, count: d)
        matrix.withUnsafeBufferPointer { m in
            sum.withUnsafeMutableBufferPointer { out in
                for (row, weight) in zip(rows, weights) {
                    for k in 0..<d { out[k] += weight * Double(m[row * d + k]) }
                }
            }
        }
        return sum
    }

    /// The rows `ids` of a `[rows, dimension]` matrix stacked into `[ids.count, dimension]`.
    static func gatherRows(_ matrix: [Float], _ ids: [Int], dimension d: Int) -> [Float] {
        var flat = [Float](repeating: 0, count: ids.count * d)
        matrix.withUnsafeBufferPointer { m in
            flat.withUnsafeMutableBufferPointer { out in
                for (i, id) in ids.enumerated() {
                    for k in 0..<d { out[i * d + k] = m[id * d + k] }
                }
            }
        }
        return flat
    }

    /// `matrix[b] - matrix[a] + matrix[c]` (`dimension` elements).
    static func offset(_ matrix: [Float], a: Int, b: Int, c: Int, dimension d: Int) -> [Float] {
        matrix.withUnsafeBufferPointer { m in
            (0..<d).map { k in m[b * d + k] - m[a * d + k] + m[c * d + k] }
        }
    }

    /// `scores[q, r] = <queries[q], matrix[r]>` for the first `limit` rows of `matrix`:
    /// one sgemv for a single query, one sgemm (`queries * matrix[0..<limit]^T`) for several.
    /// `scores` must hold at least `queryCount * limit` elements.
    static func score(matrix: [Float], limit: Int, dimension: Int,
                      queries: [Float], queryCount: Int, into scores: inout [Float]) {
        precondition(queries.count >= queryCount * dimension && scores.count >= queryCount * limit
                     && matrix.count >= limit * dimension, "Score buffers are too small for the query shapes.")
        guard limit > 0, queryCount > 0 else { return }
        guard dimension > 0 else {
            for i in 0..<(queryCount * limit) { scores[i] = 0 }
            return
        }
        matrix.withUnsafeBufferPointer { m in
            queries.withUnsafeBufferPointer { q in
                scores.withUnsafeMutableBufferPointer { s in
                    if queryCount == 1 {
                        BLASRoutines.gemv(rows: limit, columns: dimension, a: m.baseAddress!, lda: dimension,
                                          x: q.baseAddress!, y: s.baseAddress!)
                    } else {
                        BLASRoutines.gemm(transposeB: true, m: queryCount, n: limit, k: dimension,
                                          a: q.baseAddress!, lda: dimension, b: m.baseAddress!, ldb: dimension,
                                          c: s.baseAddress!, ldc: limit)
                    }
                }
            }
        }
    }

    /// For each question `(a, b, c)` (row indices into `wordScores`, `[words, width]`): the
    /// analogy objective from the score rows of its three words (`cos(x, r)` for each row r),
    /// 3CosAdd `cos(b,r) - cos(a,r) + cos(c,r)` (= `<û_b - û_a + û_c, û_r>`) or 3CosMul
    /// `c'(b) * c'(c) / (c'(a) + epsilon)` with `c'(x) = (cos(x, r) + 1) / 2`, fused with the top-`k` selection (skipping `excluded[q]`); the kept scores
    /// are multiplied by `scale[q]`. Questions are spread over the cores.
    static func analogyTopK(wordScores: [Float], width: Int, questions: [(a: Int, b: Int, c: Int)],
                            multiply: Bool, epsilon: Float, scale: [Float], k: Int,
                            excluded: [[Int]]) -> [[ScoredRow]] {
        var results = [[ScoredRow]](repeating: [], count: questions.count)
        wordScores.withUnsafeBufferPointer { s in
            results.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let base = s.baseAddress!
                nonisolated(unsafe) let target = out
                let work: @Sendable (Int) -> Void = { q in
                    let (a, b, c) = questions[q]
                    let pa = base + a * width, pb = base + b * width, pc = base + c * width
                    var heap = TopKHeap(k: k, excluded: excluded[q])
                    if multiply {
                        heap.scan(count: width) { r in
                            let sa = (pa[r] + 1) * 0.5, sb = (pb[r] + 1) * 0.5, sc = (pc[r] + 1) * 0.5
                            return sb * sc / (sa + epsilon)
                        }
                    } else {
                        heap.scan(count: width) { r in pb[r] - pa[r] + pc[r] }
                    }
                    var top = heap.sorted()
                    for i in top.indices { top[i].score *= scale[q] }
                    target[q] = top
                }
                if questions.count >= 4 && questions.count * width >= 1 << 18 {
                    DispatchQueue.concurrentPerform(iterations: questions.count, execute: work)
                } else {
                    for q in 0..<questions.count { work(q) }
                }
            }
        }
        return results
    }

    /// The `k` largest scores of `scores` (skipping the rows in `excluded` and NaNs), best first;
    /// equal scores are ordered by the lower row. A bounded min-heap: O(n log k), no full sort.
    static func topK(_ scores: UnsafeBufferPointer<Float>, k: Int, excluded: [Int]) -> [ScoredRow] {
        guard let p = scores.baseAddress else { return [] }
        var heap = TopKHeap(k: k, excluded: excluded)
        heap.scan(count: scores.count) { r in p[r] }
        return heap.sorted()
    }

    /// ``topK(_:k:excluded:)`` for each of `rows` score rows of `width` (`scores` is
    /// `[rows, width]`), spread over the cores when there is enough work.
    static func topKRows(_ scores: [Float], rows: Int, width: Int, k: Int, excluded: [[Int]]) -> [[ScoredRow]] {
        precondition(excluded.count == rows && scores.count >= rows * width, "One exclusion list per score row is needed.")
        var results = [[ScoredRow]](repeating: [], count: rows)
        scores.withUnsafeBufferPointer { s in
            results.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let source = s
                nonisolated(unsafe) let target = out
                let work: @Sendable (Int) -> Void = { r in
                    target[r] = topK(UnsafeBufferPointer(rebasing: source[(r * width)..<((r + 1) * width)]),
                                     k: k, excluded: excluded[r])
                }
                if rows >= 8 && rows * width >= 1 << 18 {
                    DispatchQueue.concurrentPerform(iterations: rows, execute: work)
                } else {
                    for r in 0..<rows { work(r) }
                }
            }
        }
        return results
    }
}

/// An integer whose signed order is the order of the floats (for non-NaN values): the bit
/// pattern, with the magnitude bits flipped for negative numbers. Integer maxima vectorise where
/// float maxima (with their NaN rules) do not; a positive NaN maps above +infinity, so a block
/// holding one is simply examined element by element.
@inline(__always)
func orderedKey(_ x: Float) -> Int32 {
    let bits = Int32(bitPattern: x.bitPattern)
    return bits ^ ((bits >> 31) & 0x7fff_ffff)
}

/// A bounded min-heap of the best `k` (score, row) pairs seen so far. The root is the worst kept
/// pair ("worse" = lower score, or equal score and higher row), so a new score enters only when it
/// beats the root: after the first `k` rows most scores are rejected by one comparison.
struct TopKHeap {
    let k: Int
    let excluded: [Int]
    private var scores: [Float]
    private var rows: [Int]
    private(set) var count = 0

    init(k: Int, excluded: [Int]) {
        self.k = Swift.max(k, 0)
        self.excluded = excluded
        scores = [Float](repeating: 0, count: self.k)
        rows = [Int](repeating: 0, count: self.k)
    }

    @inline(__always)
    private func worse(_ i: Int, _ j: Int) -> Bool {
        scores[i] < scores[j] || (scores[i] == scores[j] && rows[i] > rows[j])
    }

    /// Offers row `row` with `score`; rows must be offered in increasing order.
    mutating func offer(_ score: Float, _ row: Int) {
        if score.isNaN || excluded.contains(row) { return }
        if count < k {
            scores[count] = score
            rows[count] = row
            var i = count
            count += 1
            while i > 0 {
                let parent = (i - 1) / 2
                guard worse(i, parent) else { break }
                scores.swapAt(i, parent)
                rows.swapAt(i, parent)
                i = parent
            }
        } else if k > 0 && score > scores[0] {
            // Rows arrive in increasing order, so an equal score never displaces a kept row.
            scores[0] = score
            rows[0] = row
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= k { break }
                var w = l
                if l + 1 < k && worse(l + 1, l) { w = l + 1 }
                guard worse(w, i) else { break }
                scores.swapAt(w, i)
                rows.swapAt(w, i)
                i = w
            }
        }
    }

    /// Offers rows `0..<count`, `score(r)` being row r's score. Once the heap is full, rows are
    /// tested 16 at a time with a branch-free comparison against the worst kept score (which the
    /// compiler vectorises), and a block is offered row by row only when one of them beats it.
    @inline(__always)
    mutating func scan(count n: Int, score: (Int) -> Float) {
        guard k > 0 else { return }
        var r = 0
        while r < n && count < k {
            offer(score(r), r)
            r += 1
        }
        while r &+ 16 <= n {
            let worst = orderedKey(scores[0])
            var best = Int32.min
            for lane in 0..<16 { best = Swift.max(best, orderedKey(score(r &+ lane))) }
            if best > worst {
                for lane in 0..<16 { offer(score(r &+ lane), r &+ lane) }
            }
            r &+= 16
        }
        while r < n {
            offer(score(r), r)
            r += 1
        }
    }

    /// The kept pairs, best first (ties by lower row).
    func sorted() -> [ScoredRow] {
        var result = (0..<count).map { ScoredRow(row: rows[$0], score: scores[$0]) }
        result.sort { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
        return result
    }
}
