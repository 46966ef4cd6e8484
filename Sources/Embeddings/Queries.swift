import TensorCore

/// A word returned by a similarity query, with its row in ``WordVectors`` and its score.
public struct Neighbor: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The word.
    public var word: String
    /// Its row in ``WordVectors/words`` (0 is the most frequent word).
    public var id: Int
    /// The score it was ranked by: a cosine similarity in `-1...1`, or the 3CosMul objective for
    /// ``AnalogyMethod/multiply``.
    public var similarity: Float

    public init(word: String, id: Int, similarity: Float) {
        self.word = word
        self.id = id
        self.similarity = similarity
    }

    public var description: String { "\(word) \(similarity)" }
}

/// How an analogy "a is to b as c is to ?" is solved (Levy & Goldberg 2014, "Linguistic
/// Regularities in Sparse and Explicit Word Representations").
public enum AnalogyMethod: String, Sendable, Codable, CaseIterable {
    /// 3CosAdd (Mikolov et al. 2013): `argmax_d cos(d, b - a + c)` on unit vectors; the
    /// convention of word2vec's C tool and gensim's `most_similar(positive=[b, c], negative=[a])`.
    case add
    /// 3CosMul: `argmax_d cos'(d, b) * cos'(d, c) / (cos'(d, a) + 0.001)` with the cosines shifted
    /// to `0...1` as `cos' = (cos + 1) / 2`.
    case multiply
}

/// The rows of an analogy question "a is to b as c is to ?" for the batched
/// ``WordVectors/analogies(_:count:method:restrictTo:)``.
public struct AnalogyQuery: Sendable, Hashable {
    public var a: Int
    public var b: Int
    public var c: Int

    public init(a: Int, b: Int, c: Int) {
        self.a = a
        self.b = b
        self.c = c
    }
}

/// How ``WordVectors/sentenceVector(_:weighting:)`` weights the words of a phrase.
public enum SentenceWeighting: Sendable, Equatable {
    /// The plain mean of the word vectors.
    case mean
    /// Smooth inverse frequency (Arora, Liang & Ma 2017, "A Simple but Tough-to-Beat Baseline for
    /// Sentence Embeddings"): word `w` is weighted `a / (a + p(w))`, with `p(w)` its unigram
    /// probability from ``WordVectors/counts``; `a` is typically 1e-3.
    case smoothInverseFrequency(a: Double = 1e-3)
}

/// Scores of at most this many Float32 values (64 MiB) are held at once by a batched query;
/// larger batches are split into several gemm calls.
let scoreBudget = 1 << 24

/// The 3CosMul denominator's epsilon (Levy & Goldberg 2014).
let cosMulEpsilon: Float = 1e-3

extension WordVectors {
    // MARK: Lookup

    /// The row of `word`, or ``QueryError/unknownWord(_:suggestions:)`` with close spellings.
    public func requireID(for word: String) throws(QueryError) -> Int {
        if let id = id(for: word) { return id }
        throw .unknownWord(word, suggestions: suggestions(for: word))
    }

    /// The row of `word` for a cosine query: like ``requireID(for:)``, and its vector must have
    /// a direction (a finite, non-zero length), else ``QueryError/degenerateVector(_:)``: a zero
    /// or NaN vector would otherwise score 0 against everything and answer nonsense.
    func requireUsableID(for word: String) throws(QueryError) -> Int {
        let id = try requireID(for: word)
        let norm = norms[id]
        guard norm > 0, norm.isFinite else { throw .degenerateVector(word) }
        return id
    }

    /// The vector of `word` (a copy of its row of ``vectors``, not normalised).
    public func vector(for word: String) throws(QueryError) -> [Float] {
        vector(at: try requireID(for: word))
    }

    /// The cosine similarity `u·v / (‖u‖ ‖v‖)` of two words; a word whose vector has no
    /// direction (zero, NaN or infinite) is ``QueryError/degenerateVector(_:)``.
    public func similarity(_ first: String, _ second: String) throws(QueryError) -> Float {
        cosineSimilarity(rows: try requireUsableID(for: first), try requireUsableID(for: second))
    }

    /// The cosine similarity of rows `i` and `j`: the dot product of their ``unitVectors``
    /// (0 when either vector is zero). Rows outside `0..<count` are a programming error.
    public func cosineSimilarity(rows i: Int, _ j: Int) -> Float {
        precondition(i >= 0 && i < count && j >= 0 && j < count,
                     "Rows \(i) and \(j) must both be in 0..<\(count).")
        return QueryKernels.rowDot(unitVectors.scalars, i, j, dimension: dimension)
    }

    /// Up to `limit` vocabulary words closest in spelling to `word`: case-insensitive Levenshtein
    /// distance at most 1 (words up to 4 letters), 2 (up to 8) or 3 (longer), nearest first and
    /// then most frequent first. Only words of similar length are compared, so this stays cheap.
    public func suggestions(for word: String, limit: Int = 3) -> [String] {
        let target = Array(word.lowercased().unicodeScalars)
        guard limit > 0, !target.isEmpty else { return [] }
        let maxDistance = target.count <= 4 ? 1 : (target.count <= 8 ? 2 : 3)
        var found: [(distance: Int, row: Int)] = []
        var previous = [Int](repeating: 0, count: target.count + 1)
        var current = previous
        for (row, candidate) in words.enumerated() {
            let length = candidate.unicodeScalars.count
            guard abs(length - target.count) <= maxDistance else { continue }
            let other = Array(candidate.lowercased().unicodeScalars)
            if let distance = boundedLevenshtein(target, other, maxDistance, &previous, &current) {
                found.append((distance, row))
            }
        }
        found.sort { $0.distance < $1.distance || ($0.distance == $1.distance && $0.row < $1.row) }
        return found.prefix(limit).map { words[$0.row] }
    }

    // MARK: Nearest neighbours

    /// The `count` words most similar to `word` by cosine similarity, most similar first,
    /// excluding `word` itself.
    ///
    /// One sgemv scores the query's unit vector against the first `restrictTo` rows of
    /// ``unitVectors`` (`[restrictTo, dimension] x [dimension] -> [restrictTo]`; all rows when nil;
    /// rows are frequency-ordered, so this restricts to the most frequent words), then a bounded
    /// heap selects the top `count` in `O(n log count)`. Ties go to the more frequent word.
    public func mostSimilar(to word: String, count: Int = 10, restrictTo: Int? = nil) throws(QueryError) -> [Neighbor] {
        let limit = try validatedLimit(count: count, restrictTo: restrictTo)
        let id = try requireUsableID(for: word)
        return rank(queries: unitVectors.row(id), queryCount: 1, count: count, limit: limit, excluded: [[id]])[0]
    }

    /// The `count` words whose vectors are closest by cosine similarity to `vector`
    /// (`dimension` elements, normalised here), most similar first, skipping the words in
    /// `excluding` (unknown ones are ignored). Use it with ``sentenceVector(_:weighting:)``.
    public func mostSimilar(toVector vector: [Float], count: Int = 10, restrictTo: Int? = nil,
                            excluding: [String] = []) throws(QueryError) -> [Neighbor] {
        let limit = try validatedLimit(count: count, restrictTo: restrictTo)
        guard vector.count == dimension else { throw .dimensionMismatch(expected: dimension, actual: vector.count) }
        var query = vector
        guard QueryKernels.normalize(&query) else { throw .zeroVector }
        let excluded = excluding.compactMap { id(for: $0) }
        return rank(queries: query, queryCount: 1, count: count, limit: limit, excluded: [excluded])[0]
    }

    /// ``mostSimilar(to:count:restrictTo:)`` for many words at once: one sgemm
    /// (`[words.count, dimension] x [dimension, restrictTo]`, split when the score matrix would
    /// exceed 64 MiB) instead of one sgemv per word. Result `i` belongs to `words[i]`.
    public func mostSimilar(toEach words: [String], count: Int = 10, restrictTo: Int? = nil) throws(QueryError) -> [[Neighbor]] {
        let limit = try validatedLimit(count: count, restrictTo: restrictTo)
        var ids: [Int] = []
        ids.reserveCapacity(words.count)
        for word in words { ids.append(try requireID(for: word)) }
        let queries = gatherUnitRows(ids)
        return rank(queries: queries, queryCount: ids.count, count: count, limit: limit, excluded: ids.map { [$0] })
    }

    /// Nearest words for each row of `queries` (`[n, dimension]`, normalised here) with one sgemm
    /// per chunk; `excludingIDs[i]` lists rows never returned for query `i` (nil: none).
    /// A zero query row scores 0 against every word.
    public func mostSimilar(toVectors queries: Tensor, count: Int = 10, restrictTo: Int? = nil,
                            excludingIDs: [[Int]]? = nil) throws(QueryError) -> [[Neighbor]] {
        let limit = try validatedLimit(count: count, restrictTo: restrictTo)
        let width = queries.rank == 2 ? queries.shape[1] : (queries.rank == 1 ? queries.shape[0] : -1)
        guard width == dimension else { throw .dimensionMismatch(expected: dimension, actual: width) }
        let n = queries.rank == 2 ? queries.shape[0] : 1
        if let excludingIDs, excludingIDs.count != n {
            throw .exclusionCountMismatch(queries: n, exclusions: excludingIDs.count)
        }
        let (unit, _) = QueryKernels.normalizedRows(queries.scalars, rows: n, dimension: dimension)
        return rank(queries: unit, queryCount: n, count: count, limit: limit,
                    excluded: excludingIDs ?? [[Int]](repeating: [], count: n))
    }

    /// gensim's `most_similar(positive=..., negative=...)`: the words nearest by cosine to
    /// `normalize(Σ_positive û_w - Σ_negative û_w)`, never returning an input word. One word in
    /// `positive` is ``mostSimilar(to:count:restrictTo:)``; `positive: [b, c], negative: [a]`
    /// is the 3CosAdd analogy. At least one word is needed.
    public func mostSimilar(positive: [String], negative: [String] = [], count: Int = 10,
                            restrictTo: Int? = nil) throws(QueryError) -> [Neighbor] {
        let limit = try validatedLimit(count: count, restrictTo: restrictTo)
        guard positive.count + negative.count >= 1 else { throw .tooFewWords(needed: 1, given: 0) }
        var ids: [Int] = []
        for word in positive + negative { ids.append(try requireUsableID(for: word)) }
        let weights = ids.indices.map { $0 < positive.count ? 1.0 : -1.0 }
        var query = QueryKernels.weightedRowSum(unitVectors.scalars, rows: ids, weights: weights, dimension: dimension)
            .map { Float($0) }
        guard QueryKernels.normalize(&query) else { throw .zeroVector }
        return rank(queries: query, queryCount: 1, count: count, limit: limit, excluded: [ids])[0]
    }

    // MARK: Analogies

    /// Answers "`a` is to `b` as `c` is to ?", best first, never returning `a`, `b` or `c`:
    /// `analogy("man", isTo: "king", as: "woman")` → queen.
    ///
    /// ``AnalogyMethod/add`` (3CosAdd) ranks words by `cos(d, û_b - û_a + û_c)` with one sgemv
    /// over the first `restrictTo` rows; ``AnalogyMethod/multiply`` (3CosMul) by
    /// `cos'(d,b)·cos'(d,c) / (cos'(d,a) + 1e-3)`, `cos' = (cos + 1) / 2`, with one
    /// `[3, dimension] x [dimension, restrictTo]` sgemm. `similarity` is that score.
    public func analogy(_ a: String, isTo b: String, as c: String, count: Int = 10,
                        method: AnalogyMethod = .add, restrictTo: Int? = nil) throws(QueryError) -> [Neighbor] {
        let limit = try validatedLimit(count: count, restrictTo: restrictTo)
        let query = AnalogyQuery(a: try requireUsableID(for: a), b: try requireUsableID(for: b),
                                 c: try requireUsableID(for: c))
        if method == .add {
            var offset = offsetVector(query)
            guard QueryKernels.normalize(&offset) else { throw .zeroVector }
            return rank(queries: offset, queryCount: 1, count: count, limit: limit,
                        excluded: [[query.a, query.b, query.c]])[0]
        }
        return rankByWordScores([query], method: .multiply, count: count, limit: limit)[0]
    }

    /// Many analogies at once (rows, e.g. from ``requireID(for:)``); result `i` answers
    /// `queries[i]`, excluding its `a`, `b` and `c`, with the same scores as
    /// ``analogy(_:isTo:as:count:method:restrictTo:)`` up to float rounding.
    ///
    /// When the questions share words (fewer distinct words than questions, as in evaluation
    /// sets) or for ``AnalogyMethod/multiply``, each distinct word is scored once with sgemm
    /// (`[words, dimension] x [dimension, restrictTo]` per chunk) and every question combines its
    /// three score rows; otherwise one offset vector `û_b - û_a + û_c` per question goes through
    /// one sgemm per chunk. For ``AnalogyMethod/add`` a question whose offset is zero scores 0
    /// everywhere. Rows outside `0..<count` are a programming error.
    public func analogies(_ queries: [AnalogyQuery], count: Int = 10, method: AnalogyMethod = .add,
                          restrictTo: Int? = nil) throws(QueryError) -> [[Neighbor]] {
        let limit = try validatedLimit(count: count, restrictTo: restrictTo)
        for q in queries {
            precondition([q.a, q.b, q.c].allSatisfy { $0 >= 0 && $0 < self.count },
                         "Analogy rows \(q) are outside a vocabulary of \(self.count) words.")
        }
        guard !queries.isEmpty else { return [] }
        let distinctWords = Set(queries.flatMap { [$0.a, $0.b, $0.c] }).count
        if method == .multiply || distinctWords < queries.count {
            return rankByWordScores(queries, method: method, count: count, limit: limit)
        }
        var flat = [Float]()
        flat.reserveCapacity(queries.count * dimension)
        for q in queries {
            var offset = offsetVector(q)
            _ = QueryKernels.normalize(&offset)
            flat.append(contentsOf: offset)
        }
        return rank(queries: flat, queryCount: queries.count, count: count, limit: limit,
                    excluded: queries.map { [$0.a, $0.b, $0.c] })
    }

    // MARK: Odd one out, phrases

    /// The word that fits least with the others (gensim's `doesnt_match`): the one whose unit
    /// vector has the lowest cosine with the normalised mean `m = normalize(Σ û_i / n)`.
    /// Every word must be known; at least two are needed.
    public func doesntMatch(_ words: [String]) throws(QueryError) -> String {
        guard words.count >= 2 else { throw .tooFewWords(needed: 2, given: words.count) }
        var ids: [Int] = []
        for word in words { ids.append(try requireUsableID(for: word)) }
        let d = dimension
        var mean = [Float](repeating: 0, count: d)
        for id in ids {
            let row = unitVectors.row(id)
            for k in 0..<d { mean[k] += row[k] / Float(ids.count) }
        }
        _ = QueryKernels.normalize(&mean)
        var best: (score: Float, word: String)?
        for (word, id) in zip(words, ids) {
            let score = dot(unitVectors.row(id), mean)
            if let b = best, !(score < b.score || (score == b.score && word < b.word)) { continue }
            best = (score, word)
        }
        return best!.word
    }

    /// A vector for a phrase or sentence: `v = (1/n) Σ weight(w) · v_w` over the `n` known words
    /// of `words` (unknown words are skipped; repeated words count each time), using the raw
    /// (not normalised) vectors. With ``SentenceWeighting/smoothInverseFrequency(a:)``,
    /// `weight(w) = a / (a + p(w))` where `p(w) = counts[w] / Σ counts`; where no counts are
    /// known (all zero) every weight is 1. (Arora et al. also remove the first principal
    /// component over a whole set of sentences; that is a corpus-level step left to the caller.)
    /// Throws ``QueryError/noKnownWords(_:)`` when no word is known.
    public func sentenceVector(_ words: [String], weighting: SentenceWeighting = .mean) throws(QueryError) -> [Float] {
        let ids = words.compactMap { id(for: $0) }
        guard !ids.isEmpty else {
            if count == 0 { throw .emptyVocabulary }
            throw .noKnownWords(words)
        }
        var total = 0
        if case .smoothInverseFrequency = weighting { total = counts.reduce(0, +) }
        let weights = ids.map { id -> Double in
            guard case let .smoothInverseFrequency(a) = weighting, total > 0 else { return 1 }
            return a / (a + Double(counts[id]) / Double(total))
        }
        let sum = QueryKernels.weightedRowSum(vectors.scalars, rows: ids, weights: weights, dimension: dimension)
        return sum.map { Float($0 / Double(ids.count)) }
    }

    // MARK: Internals

    /// Checks `count` and the vocabulary, and turns `restrictTo` into a row limit.
    func validatedLimit(count: Int, restrictTo: Int?) throws(QueryError) -> Int {
        guard count >= 1 else { throw .invalidCount(count) }
        if let restrictTo, restrictTo < 1 { throw .invalidRestriction(restrictTo) }
        guard self.count > 0 else { throw .emptyVocabulary }
        return Swift.min(restrictTo ?? self.count, self.count)
    }

    /// The unit rows `ids` stacked into a flat `[ids.count, dimension]` buffer.
    func gatherUnitRows(_ ids: [Int]) -> [Float] {
        QueryKernels.gatherRows(unitVectors.scalars, ids, dimension: dimension)
    }

    /// `û_b - û_a + û_c` (not normalised).
    func offsetVector(_ q: AnalogyQuery) -> [Float] {
        QueryKernels.offset(unitVectors.scalars, a: q.a, b: q.b, c: q.c, dimension: dimension)
    }

    /// Scores `queries` (`[queryCount, dimension]`, unit rows) against the first `limit` unit
    /// vectors in chunks that fit ``scoreBudget`` and keeps the top `count` of each.
    func rank(queries: [Float], queryCount: Int, count: Int, limit: Int, excluded: [[Int]],
              budget: Int = scoreBudget) -> [[Neighbor]] {
        let d = dimension
        let chunk = Swift.max(1, Swift.min(queryCount, budget / Swift.max(limit, 1)))
        var scores = [Float](repeating: 0, count: chunk * limit)
        var results: [[Neighbor]] = []
        results.reserveCapacity(queryCount)
        var start = 0
        while start < queryCount {
            let n = Swift.min(chunk, queryCount - start)
            let slice = start == 0 && n == queryCount ? queries : Array(queries[(start * d)..<((start + n) * d)])
            QueryKernels.score(matrix: unitVectors.scalars, limit: limit, dimension: d,
                               queries: slice, queryCount: n, into: &scores)
            let top = QueryKernels.topKRows(scores, rows: n, width: limit, k: count,
                                            excluded: Array(excluded[start..<(start + n)]))
            for row in top { results.append(row.map { Neighbor(word: words[$0.row], id: $0.row, similarity: $0.score) }) }
            start += n
        }
        return results
    }

    /// Analogies from word scores: the distinct words of a chunk of questions are scored once
    /// with one sgemm (`[words, dimension] x [dimension, limit]`), and each question combines the
    /// score rows of its a, b, c (``AnalogyMethod/add``: `cos(b) - cos(a) + cos(c)`, reported
    /// divided by `‖û_b - û_a + û_c‖`, i.e. the cosine with the offset; ``AnalogyMethod/multiply``:
    /// 3CosMul). Chunks hold at most `budget / limit` distinct words and questions. Evaluation
    /// sets reuse few words (the Google set: ~900 words in 19,544 questions), so this needs far
    /// fewer flops than one offset vector per question.
    func rankByWordScores(_ queries: [AnalogyQuery], method: AnalogyMethod, count: Int, limit: Int,
                          budget: Int = scoreBudget) -> [[Neighbor]] {
        let d = dimension
        let maxRows = Swift.max(3, budget / Swift.max(limit, 1))
        var scores: [Float] = []
        var results: [[Neighbor]] = []
        results.reserveCapacity(queries.count)
        var start = 0
        while start < queries.count {
            var slot: [Int: Int] = [:]
            var rows: [Int] = []
            var questions: [(a: Int, b: Int, c: Int)] = []
            var end = start
            while end < queries.count && questions.count < maxRows {
                let q = queries[end]
                let fresh = Set([q.a, q.b, q.c]).filter { slot[$0] == nil }
                if rows.count + fresh.count > maxRows { break }
                for row in fresh.sorted() {
                    slot[row] = rows.count
                    rows.append(row)
                }
                questions.append((slot[q.a]!, slot[q.b]!, slot[q.c]!))
                end += 1
            }
            if scores.count < rows.count * limit { scores = [Float](repeating: 0, count: rows.count * limit) }
            QueryKernels.score(matrix: unitVectors.scalars, limit: limit, dimension: d,
                               queries: gatherUnitRows(rows), queryCount: rows.count, into: &scores)
            let part = queries[start..<end]
            let scale: [Float] = method == .multiply ? [Float](repeating: 1, count: part.count) : part.map { q in
                let norm = offsetVector(q).reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
                return norm > 0 ? 1 / norm : 0
            }
            let top = QueryKernels.analogyTopK(wordScores: scores, width: limit, questions: questions,
                                               multiply: method == .multiply, epsilon: cosMulEpsilon,
                                               scale: scale, k: count, excluded: part.map { [$0.a, $0.b, $0.c] })
            for row in top { results.append(row.map { Neighbor(word: words[$0.row], id: $0.row, similarity: $0.score) }) }
            start = end
        }
        return results
    }
}

/// Levenshtein distance between `a` and `b` if it is at most `bound`, else nil; stops as soon as
/// a whole row of the dynamic programme exceeds the bound. `previous`/`current` are scratch rows
/// of `a.count + 1` elements.
func boundedLevenshtein(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], _ bound: Int,
                        _ previous: inout [Int], _ current: inout [Int]) -> Int? {
    for i in 0...a.count { previous[i] = i }
    for j in 1...Swift.max(b.count, 1) where !b.isEmpty {
        current[0] = j
        var rowMin = j
        for i in 1...Swift.max(a.count, 1) where !a.isEmpty {
            let substitution = previous[i - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[i] = Swift.min(substitution, previous[i] + 1, current[i - 1] + 1)
            rowMin = Swift.min(rowMin, current[i])
        }
        if rowMin > bound { return nil }
        swap(&previous, &current)
    }
    let distance = previous[a.count]
    return distance <= bound ? distance : nil
}
