#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TensorCore
import Synchronization
import TextCorpus

/// Ctrl-C handling for long-running commands.
///
/// The first SIGINT sets ``flag`` (a `CancellationFlag` the trainers poll between batches, so
/// they stop by throwing their `cancelled` error and nothing half-finished is stored) and prints
/// one line. A second SIGINT ends the process at once with status 130; the store stays intact
/// because every write to it is one SQLite transaction, which is rolled back when incomplete.
public enum Interrupt {
    /// Set by the first Ctrl-C after ``install()``.
    public static let flag = CancellationFlag()

    /// Installs the SIGINT handler (idempotent) and unblocks SIGINT in the calling thread, which
    /// threads started later inherit (a parent process may have started us with it blocked).
    public static func install() {
        _ = interruptCount.load(ordering: .relaxed)
        signal(SIGINT, handleInterrupt)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Restores the default SIGINT behaviour (the process ends at once).
    public static func uninstall() {
        signal(SIGINT, SIG_DFL)
    }

    /// Whether Ctrl-C was pressed since ``install()``.
    public static var wasInterrupted: Bool { flag.isCancelled }
}

private let interruptCount = Atomic<Int>(0)

private func handleInterrupt(_ signalNumber: Int32) {
    // Only async-signal-safe work here: an atomic, write(2) of a static string, _exit.
    let previous = interruptCount.add(1, ordering: .relaxed).oldValue
    if previous == 0 {
        Interrupt.flag.cancel()
        let message: StaticString = "\nw2v: interrupted; stopping cleanly (press Ctrl-C again to quit at once).\n"
        _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
    } else {
        _exit(CommandFailure.interruptedExitCode)
    }
}
