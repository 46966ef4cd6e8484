import CoreIO

/// Why a set of vectors could not be projected to two dimensions.
public enum ProjectionError: Error, Equatable, Sendable, ExplainedError {
    /// Fewer points than the method needs.
    case tooFewPoints(count: Int, minimum: Int, method: String)
    /// More points than the exact method handles in reasonable time and memory.
    case tooManyPoints(count: Int, maximum: Int, method: String)
    /// The rows differ in length, or have no components.
    case inconsistentDimensions(expected: Int, found: Int, row: Int)
    /// A vector holds NaN or infinity.
    case nonFinite(row: Int)
    /// A parameter is out of its range (`what` names it and the range).
    case invalidParameter(name: String, value: Double, allowed: String)
    /// The decomposition failed (LAPACK's message).
    case decompositionFailed(reason: String)

    public var problem: String {
        switch self {
        case let .tooFewPoints(count, minimum, method):
            return "\(method) needs at least \(minimum) points to project; got \(count)."
        case let .tooManyPoints(count, maximum, method):
            return "\(method) projects at most \(maximum) points; got \(count)."
        case let .inconsistentDimensions(expected, found, row):
            return "Point \(row) has \(found) components where the first has \(expected)."
        case let .nonFinite(row):
            return "Point \(row) has a NaN or infinite component."
        case let .invalidParameter(name, value, allowed):
            // Whole numbers (a count of components or iterations) print without ".0".
            let shown = value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
            return "The \(name) \(shown) is out of range; it must be \(allowed)."
        case let .decompositionFailed(reason):
            return "The decomposition of the points failed: \(reason)"
        }
    }

    public var remedy: String? {
        switch self {
        case .tooFewPoints: return "Give more words (or add --neighbors N)."
        case let .tooManyPoints(_, _, method):
            return method == "t-SNE" ? "Give fewer words or neighbours, or use PCA (--method pca)." : "Give fewer points."
        default: return nil
        }
    }
}

/// Checks that `points` is a non-empty list of equal-length finite vectors; returns the dimension.
func checkedDimension(_ points: [[Double]]) throws(ProjectionError) -> Int {
    let dimension = points.first?.count ?? 0
    for (row, point) in points.enumerated() {
        guard point.count == dimension, dimension > 0 else {
            throw .inconsistentDimensions(expected: dimension, found: point.count, row: row)
        }
        guard point.allSatisfy(\.isFinite) else { throw .nonFinite(row: row) }
    }
    return dimension
}
