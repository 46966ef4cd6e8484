import CoreIO

/// Why `w2v serve` could not start.
public enum ServerError: Error, Equatable, Sendable, ExplainedError {
    /// The host is not an IP address this server can listen on.
    case invalidHost(String)
    /// Another process listens on the port already.
    case portInUse(host: String, port: Int)
    /// Listening failed for another reason (permission for a port below 1024, an address not on this machine).
    case cannotListen(host: String, port: Int, reason: String)

    public var problem: String {
        switch self {
        case let .invalidHost(host):
            return "The host \"\(host)\" is not an address to listen on; give an IPv4 or IPv6 address such as \"127.0.0.1\" or \"::1\" (or \"localhost\")."
        case let .portInUse(host, port):
            return "Port \(port) on \(host) is already in use by another program."
        case let .cannotListen(host, port, reason):
            return "Cannot listen on \(host) port \(port): \(reason)."
        }
    }

    public var remedy: String? {
        switch self {
        case .invalidHost: return "For this machine only, leave --host out (127.0.0.1)."
        case let .portInUse(_, port): return "Choose another port, e.g. --port \(port == 65535 ? 8081 : port + 1), or stop the other server."
        case .cannotListen: return "Ports below 1024 need privileges; the address must belong to this machine."
        }
    }
}
