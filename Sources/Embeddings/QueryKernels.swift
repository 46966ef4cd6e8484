// Kernels behind the similarity queries. Shapes (all Float32, row-major):
//   matrix   [rows, dimension]      word vectors or unit vectors; only the first `limit` rows are scored
//   queries  [queryCount, dimension] one query per row
//   scores   [queryCount, limit]     scores[q, r] = <queries[q], matrix[r]>  (sgemv when queryCount == 1, else sgemm)
//   top-k    per score row: the k best (score, row) pairs, best first, ties broken by the lower row
// The only unsafe code of the Embeddings module lives here.
import CBLAS
import Dispatch

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
                        cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(limit), Int32(dimension), 1,
                                    m.baseAddress, Int32(dimension), q.baseAddress, 1, 0, s.baseAddress, 1)
                    } else {
                        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                                    Int32(queryCount), Int32(limit), Int32(dimension), 1,
                                    q.baseAddress, Int32(dimension), m.baseAddress, Int32(dimension), 0,
                                    s.baseAddress, Int32(limit))
                    }
                }
            }
        }
    }

    /// The analogy objective of one question from the score rows of its three words
    /// (`scores[a..<a+count]` = cos(a, r), likewise b and c):
    /// 3CosAdd `out[r] = cos(b,r) - cos(a,r) + cos(c,r)` (= `<û_b - û_a + û_c, û_r>`), or 3CosMul
    /// `out[r] = c'(b) * c'(c) / (c'(a) + epsilon)` with `c'(x) = (cos(x, r) + 1) / 2`.
    static func combineAnalogy(_ scores: UnsafeBufferPointer<Float>, a: Int, b: Int, c: Int, count: Int,
                               multiply: Bool, epsilon: Float, into out: UnsafeMutableBufferPointer<Float>) {
        if multiply {
            for r in 0..<count {
                let sa = (scores[a + r] + 1) * 0.5
                let sb = (scores[b + r] + 1) * 0.5
                let sc = (scores[c + r] + 1) * 0.5
                out[r] = sb * sc / (sa + epsilon)
            }
        } else {
            for r in 0..<count { out[r] = scores[b + r] - scores[a + r] + scores[c + r] }
        }
    }

    /// For each question `(a, b, c)` (row indices into `wordScores`, `[words, width]`): combine
    /// its three score rows with ``combineAnalogy``, keep the top `k` (skipping `excluded[q]`) and
    /// multiply the kept scores by `scale[q]`. Questions are spread over the cores.
    static func analogyTopK(wordScores: [Float], width: Int, questions: [(a: Int, b: Int, c: Int)],
                            multiply: Bool, epsilon: Float, scale: [Float], k: Int,
                            excluded: [[Int]]) -> [[ScoredRow]] {
        var results = [[ScoredRow]](repeating: [], count: questions.count)
        wordScores.withUnsafeBufferPointer { s in
            results.withUnsafeMutableBufferPointer { out in
                nonisolated(unsafe) let source = s
                nonisolated(unsafe) let target = out
                let work: @Sendable (Int) -> Void = { q in
                    let (a, b, c) = questions[q]
                    var combined = [Float](repeating: 0, count: width)
                    var top: [ScoredRow] = []
                    combined.withUnsafeMutableBufferPointer { row in
                        combineAnalogy(source, a: a * width, b: b * width, c: c * width, count: width,
                                       multiply: multiply, epsilon: epsilon, into: row)
                        top = topK(UnsafeBufferPointer(row), k: k, excluded: excluded[q])
                    }
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
        guard k > 0, scores.count > 0 else { return [] }
        var heapScore = [Float](repeating: 0, count: k)
        var heapRow = [Int](repeating: 0, count: k)
        var filled = 0
        heapScore.withUnsafeMutableBufferPointer { hs in
            heapRow.withUnsafeMutableBufferPointer { hr in
                // "worse" = lower score, or equal score and higher row; the root is the worst kept.
                @inline(__always) func worse(_ i: Int, _ j: Int) -> Bool {
                    hs[i] < hs[j] || (hs[i] == hs[j] && hr[i] > hr[j])
                }
                @inline(__always) func swapAt(_ i: Int, _ j: Int) {
                    let s = hs[i]; hs[i] = hs[j]; hs[j] = s
                    let r = hr[i]; hr[i] = hr[j]; hr[j] = r
                }
                func siftDown(_ start: Int, _ size: Int) {
                    var i = start
                    while true {
                        let l = 2 * i + 1
                        if l >= size { return }
                        var w = l
                        if l + 1 < size && worse(l + 1, l) { w = l + 1 }
                        if worse(w, i) { swapAt(w, i); i = w } else { return }
                    }
                }
                var threshold = -Float.infinity
                for r in 0..<scores.count {
                    let s = scores[r]
                    if filled == k {
                        // Rows arrive in increasing order, so an equal score never displaces a kept row.
                        if !(s > threshold) { continue }
                        if excluded.contains(r) { continue }
                        hs[0] = s; hr[0] = r
                        siftDown(0, k)
                        threshold = hs[0]
                    } else {
                        if s.isNaN || excluded.contains(r) { continue }
                        hs[filled] = s; hr[filled] = r
                        var i = filled
                        filled += 1
                        while i > 0 {
                            let parent = (i - 1) / 2
                            if worse(i, parent) { swapAt(i, parent); i = parent } else { break }
                        }
                        if filled == k { threshold = hs[0] }
                    }
                }
            }
        }
        var result = (0..<filled).map { ScoredRow(row: heapRow[$0], score: heapScore[$0]) }
        result.sort { $0.score > $1.score || ($0.score == $1.score && $0.row < $1.row) }
        return result
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
