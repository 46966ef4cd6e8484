#if canImport(Glibc)
import TensorCore
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import TextCorpus

/// Turns ``TrainingProgress`` callbacks into a progress display on standard error.
///
/// - `.updatingLine` (a terminal): one line rewritten in place with `\r`, at most every 0.1 s.
/// - `.plainLines` (a pipe or file): a plain line when a stage starts and each time it passes
///   another `step` of its work (10 % by default), so logs stay short and readable.
/// - `.silent` (`--quiet`): nothing.
///
/// Safe to call from the trainer's worker threads.
public final class ProgressReporter: Sendable {
    /// How progress is shown.
    public enum Style: Sendable, Equatable {
        case updatingLine
        case plainLines
        case silent

        /// `.silent` when quiet, else `.updatingLine` when `descriptor` is a terminal, else `.plainLines`.
        public static func automatic(quiet: Bool, descriptor: Int32 = 2) -> Style {
            if quiet { return .silent }
            return isatty(descriptor) == 1 ? .updatingLine : .plainLines
        }
    }

    private struct State {
        var stage: String?
        var nextPlainFraction = 0.0
        var lastUpdate: ContinuousClock.Instant?
        var lineOpen = false
        var lastLineLength = 0
    }

    /// The display style.
    public let style: Style
    private let step: Double
    private let write: @Sendable (String) -> Void
    private let state = Mutex(State())

    /// A reporter that writes with `write` (standard error by default); plain lines come every `step` of a stage.
    public init(style: Style, step: Double = 0.1, write: @escaping @Sendable (String) -> Void = ProgressReporter.writeToStandardError) {
        self.style = style
        self.step = step
        self.write = write
    }

    /// Shows one progress update.
    public func report(_ progress: TrainingProgress) {
        switch style {
        case .silent:
            return
        case .plainLines:
            let text: String? = state.withLock { state in
                if state.stage != progress.stage {
                    state.stage = progress.stage
                    state.nextPlainFraction = step
                    while state.nextPlainFraction <= progress.fraction { state.nextPlainFraction += step }
                    return Self.line(for: progress)
                }
                guard progress.fraction + 1e-9 >= state.nextPlainFraction else { return nil }
                while state.nextPlainFraction <= progress.fraction + 1e-9 { state.nextPlainFraction += step }
                return Self.line(for: progress)
            }
            if let text { write(text + "\n") }
        case .updatingLine:
            let now = ContinuousClock.now
            let text: String? = state.withLock { state in
                let stageChanged = state.stage != progress.stage
                if !stageChanged, progress.fraction < 1, let last = state.lastUpdate,
                   now - last < .milliseconds(100) { return nil }
                var prefix = ""
                if stageChanged, state.lineOpen { prefix = "\n" }
                state.stage = progress.stage
                state.lastUpdate = now
                state.lineOpen = true
                let line = Self.line(for: progress)
                let padding = String(repeating: " ", count: max(0, state.lastLineLength - line.count))
                state.lastLineLength = stageChanged ? line.count : max(line.count, state.lastLineLength)
                return prefix + "\r" + line + padding
            }
            if let text { write(text) }
        }
    }

    /// Ends the updating line (if any) so that later output starts on a fresh line.
    public func finish() {
        let open = state.withLock { state in
            defer { state.lineOpen = false; state.stage = nil; state.lastLineLength = 0 }
            return state.lineOpen
        }
        if open, style == .updatingLine { write("\n") }
    }

    /// The progress line for one update, e.g.
    /// `training   42.0%  1.23M words/s  ETA 0:12  lr 0.01234  loss 2.3456`.
    public static func line(for progress: TrainingProgress) -> String {
        let percent = min(max(progress.fraction, 0), 1) * 100
        var parts = [pad(progress.stage, to: 10) + pad(formatFixed(percent, decimals: 1) + "%", to: 6, left: true)]
        // A rate measured over a few milliseconds is noise (e.g. "58G words/s" at 0%): leave it out.
        if progress.unit == "words" {
            if progress.wordsPerSecond > 0, progress.elapsedSeconds >= 0.05 {
                parts.append("\(formatCount(progress.wordsPerSecond)) words/s")
            }
        } else if progress.processedWords > 0 {
            // Other stages count what they do (an SVD's matrix products), not words.
            parts.append("\(progress.processedWords) \(progress.unit)")
        }
        if progress.fraction < 1, let remaining = progress.estimatedSecondsRemaining {
            parts.append("ETA \(formatDuration(remaining))")
        } else if progress.fraction >= 1 {
            parts.append("done in \(formatDuration(progress.elapsedSeconds))")
        }
        if let rate = progress.learningRate { parts.append("lr \(formatFixed(rate, decimals: 5))") }
        if let loss = progress.loss, loss.isFinite { parts.append("loss \(formatFixed(loss, decimals: 4))") }
        if let perplexity = progress.perplexity, perplexity.isFinite { parts.append("ppl \(formatFixed(perplexity, decimals: 2))") }
        return parts.joined(separator: "  ")
    }

    /// Writes `text` to standard error, unbuffered.
    public static let writeToStandardError: @Sendable (String) -> Void = { text in
        StandardStreams.write(text, to: 2)
    }

    private static func pad(_ text: String, to width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return left ? padding + text : text + padding
    }
}

/// `12.3k`, `4.56M` style counts (three significant digits).
func formatCount(_ value: Double) -> String {
    let magnitude = abs(value)
    if magnitude >= 1e9 { return formatFixed(value / 1e9, decimals: magnitude >= 1e11 ? 0 : (magnitude >= 1e10 ? 1 : 2)) + "G" }
    if magnitude >= 1e6 { return formatFixed(value / 1e6, decimals: magnitude >= 1e8 ? 0 : (magnitude >= 1e7 ? 1 : 2)) + "M" }
    if magnitude >= 1e3 { return formatFixed(value / 1e3, decimals: magnitude >= 1e5 ? 0 : (magnitude >= 1e4 ? 1 : 2)) + "k" }
    return formatFixed(value, decimals: 0)
}

/// `0:07`, `12:34`, `1:02:03`.
func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "?" }
    let total = Int(seconds.rounded())
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
}

/// A fixed-point decimal string without Foundation's locale-dependent formatting.
func formatFixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let negative = value < 0 && scaled > 0
    guard scaled < 9e18 else { return "\(value)" }
    let integer = UInt64(scaled)
    let divisor = UInt64(scale)
    var text = String(integer / divisor)
    if decimals > 0 {
        let fraction = String(integer % divisor)
        text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
    }
    return negative ? "-" + text : text
}

/// `1234567` as `1,234,567`.
func grouped(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (i, digit) in digits.enumerated() {
        if i > 0, (digits.count - i) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return value < 0 ? "-" + result : result
}
