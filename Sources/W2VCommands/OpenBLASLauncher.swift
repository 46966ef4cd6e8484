#if canImport(Glibc)
import Glibc
#endif
import CoreIO
import TensorCore

/// Re-executes the process once with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to a
/// generic core on a CPU that supports faster kernels.
///
/// OpenBLAS chooses its kernels when the shared library is loaded, so the choice cannot be
/// changed afterwards; the only remedy is a fresh process image with the variable set. The
/// re-executed process sees `OPENBLAS_CORETYPE` (and `W2V_OPENBLAS_REEXEC=1`) and never
/// re-executes again. A user who sets `OPENBLAS_CORETYPE` themselves is always respected.
public enum OpenBLASLauncher {
    /// What the launcher decided, for `w2v --version` and tests.
    public enum Decision: Equatable, Sendable {
        case keep
        case reexecute(coreType: String)
    }

    /// The decision for a given environment, loaded core and CPU flags (pure, for tests).
    public static func decide(environment: [String: String], loadedCore: String, cpuFlags: Set<String>) -> Decision {
        if environment["OPENBLAS_CORETYPE"] != nil || environment["W2V_OPENBLAS_REEXEC"] != nil { return .keep }
        guard OpenBLAS.genericCores.contains(loadedCore.lowercased()),
              let core = OpenBLAS.recommendedCoreType(cpuFlags: cpuFlags) else { return .keep }
        return .reexecute(coreType: core)
    }

    /// Re-executes `/proc/self/exe` with the same arguments when ``decide`` says so; returns
    /// normally when it does not (or when `execv` fails, in which case the slow core is used).
    public static func reexecuteIfNeeded() {
        #if os(Linux)
        var environment: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let pair = String(cString: pointer)
            if let eq = pair.firstIndex(of: "=") {
                environment[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            entry += 1
        }
        let cpuinfo = (try? readSmallFile("/proc/cpuinfo")) ?? ""
        let decision = decide(environment: environment, loadedCore: OpenBLAS.coreName,
                              cpuFlags: OpenBLAS.cpuFlags(cpuinfo: cpuinfo))
        guard case let .reexecute(core) = decision else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("W2V_OPENBLAS_REEXEC", "1", 1)
        let arguments = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // execv returned: it failed. Carry on with the generic kernels.
        for p in argv { free(p) }
        #endif
    }

    /// A small text file (at most 4 MiB) read through the toolkit's one file-input type.
    private static func readSmallFile(_ path: String) throws -> String {
        String(decoding: try InputFile(path: path).readAll(limit: 4 << 20), as: UTF8.self)
    }
}
