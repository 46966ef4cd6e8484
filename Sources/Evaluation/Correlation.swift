/// Correlation coefficients used by the word-similarity benchmarks, computed in Double.
public enum Correlation {
    /// Pearson's r: `Σ (x - x̄)(y - ȳ) / sqrt(Σ (x - x̄)² · Σ (y - ȳ)²)`.
    /// NaN when either sample is constant or the samples are shorter than 2 (as scipy).
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "Pearson's r needs samples of equal length; got \(x.count) and \(y.count).")
        guard x.count >= 2 else { return .nan }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy
            sxx += dx * dx
            syy += dy * dy
        }
        guard sxx > 0, syy > 0 else { return .nan }
        return Swift.max(-1, Swift.min(1, sxy / (sxx * syy).squareRoot()))
    }

    /// Spearman's ρ: Pearson's r of the ranks, with tied values given the average of the ranks
    /// they span (scipy's `spearmanr`, `rankdata(method="average")`).
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "Spearman's rho needs samples of equal length; got \(x.count) and \(y.count).")
        return pearson(ranks(x), ranks(y))
    }

    /// 1-based ranks of `values` in ascending order; ties share the mean of their ranks
    /// (`[10, 20, 20, 30]` → `[1, 2.5, 2.5, 4]`).
    public static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var result = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end (0-based) hold equal values: ranks start+1 ... end, mean (start+1+end)/2.
            let rank = Double(start + 1 + end) / 2
            for k in start..<end { result[order[k]] = rank }
            start = end
        }
        return result
    }
}
