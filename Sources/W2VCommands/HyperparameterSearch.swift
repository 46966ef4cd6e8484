import Foundation
import TensorCore

/// One hyperparameter `w2v tune` searches: its name on the command line, its range, and how
/// values are drawn from it.
struct SearchRange: Sendable, Equatable {
    /// How values are drawn.
    enum Scale: Sendable, Equatable {
        /// Whole numbers, uniform in `lower...upper` (window, dimension, negatives, epochs).
        case integer
        /// Uniform in the logarithm (rates and thresholds, whose useful values span decades).
        case logarithmic
        /// Uniform.
        case linear
    }

    var name: String
    var lower: Double
    var upper: Double
    var scale: Scale

    /// A value drawn from the range.
    func sample(_ random: inout SplitMix64) -> Double {
        let u = Double(random.nextUnitFloat())
        switch scale {
        case .integer:
            let low = lower.rounded(.up), high = upper.rounded(.down)
            return min(high, (low + (u * (high - low + 1)).rounded(.down)))
        case .logarithmic:
            return Foundation.exp(Foundation.log(lower) + u * (Foundation.log(upper) - Foundation.log(lower)))
        case .linear:
            return lower + u * (upper - lower)
        }
    }

    /// The range for the next round: half as wide (in the range's own scale), centred on `best`
    /// and moved inside `bounds` (the range the user gave) when it would stick out.
    func narrowed(around best: Double, within bounds: SearchRange) -> SearchRange {
        func forward(_ x: Double) -> Double { scale == .logarithmic ? Foundation.log(x) : x }
        func back(_ x: Double) -> Double { scale == .logarithmic ? Foundation.exp(x) : x }
        let width = (forward(upper) - forward(lower)) / 2
        var low = forward(best) - width / 2, high = forward(best) + width / 2
        let floor = forward(bounds.lower), ceiling = forward(bounds.upper)
        if low < floor { high += floor - low; low = floor }
        if high > ceiling { low -= high - ceiling; high = ceiling }
        var next = SearchRange(name: name, lower: back(max(low, floor)), upper: back(min(high, ceiling)), scale: scale)
        if scale == .integer {
            next.lower = next.lower.rounded(.down)
            next.upper = next.upper.rounded(.up)
            next.lower = min(next.lower, best)
            next.upper = max(next.upper, best)
        }
        return next
    }
}

/// The ranges `w2v tune` samples from, parsed from `--search window=2..10,sample=1e-5..1e-2`.
struct SearchSpace: Sendable, Equatable {
    var ranges: [SearchRange]

    /// The parameters each model kind can search, with their scales.
    static func scales(for model: ModelKind) -> [String: SearchRange.Scale] {
        switch model {
        case .skipgram, .cbow:
            return ["window": .integer, "dimension": .integer, "negative": .integer, "epochs": .integer,
                    "sample": .logarithmic, "alpha": .logarithmic]
        case .ppmiSVD:
            return ["window": .integer, "dimension": .integer, "cds": .linear, "eig": .linear, "shift": .logarithmic]
        }
    }

    /// The default search of each model kind.
    static func defaultSpecification(for model: ModelKind) -> String {
        switch model {
        case .skipgram, .cbow: return "window=2..10,dimension=50..300,negative=2..20,sample=1e-5..1e-2,alpha=0.01..0.1,epochs=1..5"
        case .ppmiSVD: return "window=2..10,dimension=50..300,cds=0.5..1,eig=0..1"
        }
    }

    /// Parses `name=lower..upper` items separated by commas.
    /// - Throws: `ValidationError`-style messages (as ``SearchSpace/Problem``) for an unknown or
    ///   repeated name, a malformed item, an empty range (lower above upper, or no whole number
    ///   inside an integer range), a logarithmic range that is not above 0, or values the trainer refuses.
    init(parsing specification: String, model: ModelKind) throws(Problem) {
        let scales = SearchSpace.scales(for: model)
        var ranges: [SearchRange] = []
        for item in specification.split(separator: ",", omittingEmptySubsequences: false) {
            let text = item.trimmingCharacters(in: .whitespaces)
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let dots = parts[1].range(of: "..") else {
                throw Problem("\"\(text)\" is not a search range; write name=lower..upper, e.g. window=2..10.")
            }
            let name = parts[0]
            guard let scale = scales[name] else {
                let known = scales.keys.sorted().joined(separator: ", ")
                throw Problem("\(name) cannot be searched for \(model.rawValue); the parameters are \(known).")
            }
            guard !ranges.contains(where: { $0.name == name }) else { throw Problem("\(name) is given twice in --search.") }
            guard let lower = Double(parts[1][..<dots.lowerBound]), let upper = Double(parts[1][dots.upperBound...]),
                  lower.isFinite, upper.isFinite else {
                throw Problem("The range of \(name), \"\(parts[1])\", needs two numbers, e.g. \(name)=\(SearchSpace.example(name)).")
            }
            guard lower <= upper else { throw Problem("The range of \(name), \(parts[1]), is empty: its lower end is above its upper end.") }
            if scale == .integer && lower.rounded(.up) > upper.rounded(.down) {
                throw Problem("The range of \(name), \(parts[1]), holds no whole number.")
            }
            if scale == .logarithmic && lower <= 0 {
                throw Problem("\(name) is searched on a logarithmic scale, so its range must be above 0 (got \(parts[1])).")
            }
            if let limit = SearchSpace.limits[name], !(limit.contains(lower) && limit.contains(upper)) {
                throw Problem("The range of \(name), \(parts[1]), leaves \(formatRange(limit)), the values \(name) can take.")
            }
            ranges.append(SearchRange(name: name, lower: lower, upper: upper, scale: scale))
        }
        self.ranges = ranges
    }

    init(ranges: [SearchRange]) { self.ranges = ranges }

    /// What `w2v train` accepts for each parameter.
    static let limits: [String: ClosedRange<Double>] = [
        "window": 1...1_000, "dimension": 1...10_000, "negative": 1...1_000, "epochs": 1...10_000,
        "sample": 0...0.999_999, "alpha": 1e-12...1, "cds": 1e-9...1, "eig": 0...1, "shift": 1...1e12,
    ]

    static func example(_ name: String) -> String {
        ["window": "2..10", "dimension": "50..300", "negative": "2..20", "epochs": "1..5", "sample": "1e-5..1e-2",
         "alpha": "0.01..0.1", "cds": "0.5..1", "eig": "0..1", "shift": "1..10"][name] ?? "1..10"
    }

    /// One setting: a value from every range, drawn in the ranges' order.
    func sample(_ random: inout SplitMix64) -> [String: Double] {
        var values: [String: Double] = [:]
        for range in ranges { values[range.name] = range.sample(&random) }
        return values
    }

    /// Every range narrowed around `best` (see ``SearchRange/narrowed(around:within:)``).
    func narrowed(around best: [String: Double], within bounds: SearchSpace) -> SearchSpace {
        SearchSpace(ranges: zip(ranges, bounds.ranges).map { range, bound in
            best[range.name].map { range.narrowed(around: $0, within: bound) } ?? range
        })
    }

    /// A search-space problem, as a full sentence.
    struct Problem: Error, Equatable, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

private func formatRange(_ range: ClosedRange<Double>) -> String {
    "\(shortestNumber(range.lowerBound))..\(shortestNumber(range.upperBound))"
}

/// `5` for 5.0, `0.025` for 0.025, `1e-05` style left to Swift.
func shortestNumber(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
}

/// `90s`, `30m`, `1h30m`, `2h`, `1.5h`, or a number of seconds; nil when it is none of these or not above 0.
func parseDuration(_ text: String) -> Double? {
    if let seconds = Double(text) { return seconds > 0 && seconds.isFinite ? seconds : nil }
    var total = 0.0
    var number = ""
    var sawUnit = false
    for character in text {
        if character.isNumber || character == "." {
            number.append(character)
            continue
        }
        guard let value = Double(number) else { return nil }
        switch character {
        case "h": total += value * 3600
        case "m": total += value * 60
        case "s": total += value
        default: return nil
        }
        number = ""
        sawUnit = true
    }
    guard number.isEmpty, sawUnit, total > 0, total.isFinite else { return nil }
    return total
}
