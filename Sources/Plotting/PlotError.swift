import CoreIO

/// Why a plot could not be drawn or written.
public enum PlotError: Error, Equatable, Sendable, ExplainedError {
    /// There is nothing to draw.
    case noData(what: String)
    /// A coordinate is NaN or infinite.
    case nonFinite(what: String)
    /// The SVG file could not be written.
    case cannotWrite(FileError)

    public var problem: String {
        switch self {
        case let .noData(what): return "There is nothing to plot: \(what)."
        case let .nonFinite(what): return "The plot's data holds a NaN or infinite value (\(what))."
        case let .cannotWrite(error): return "Cannot write the plot \(error.path): \(error.reason)."
        }
    }
}
