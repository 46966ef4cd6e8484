#if canImport(Glibc)
import Glibc
#endif
import FlyingFox
import FlyingSocks
import Foundation
import Synchronization

/// `w2v serve`'s HTTP server: ``EmbeddingAPI`` on FlyingFox (HTTP/1.1 on non-blocking sockets
/// and Swift concurrency; each connection is a child task, so requests run concurrently).
public final class W2VServer: Sendable {
    public let api: EmbeddingAPI
    public let host: String
    /// The port asked for (0: any free one; ``start()`` returns the one bound).
    public let requestedPort: Int
    let server: HTTPServer
    let failure = Mutex<(any Error)?>(nil)
    let runner = Mutex<Task<Void, Never>?>(nil)

    /// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost), which only this machine reaches.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return bare == "localhost" || bare == "::1" || isIPv4Loopback(bare)
    }

    /// Whether `text` is a dotted-quad IPv4 address in 127.0.0.0/8 (and not a name like 127.0.0.1.example).
    static func isIPv4Loopback(_ text: String) -> Bool {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return false }
        return UInt32(bigEndian: address.s_addr) >> 24 == 127
    }

    /// A server for `api` on `host` (an IPv4 or IPv6 address, or localhost) and `port` (0: any free port).
    public init(api: EmbeddingAPI, host: String = "127.0.0.1", port: UInt16 = 8080) throws(ServerError) {
        self.api = api
        self.host = host
        self.requestedPort = Int(port)
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let address: any SocketAddress
        do {
            if bare == "localhost" {
                address = try sockaddr_in.inet(ip4: "127.0.0.1", port: port)
            } else if bare.contains(":") {
                address = try sockaddr_in6.inet6(ip6: bare, port: port)
            } else {
                address = try sockaddr_in.inet(ip4: bare, port: port)
            }
        } catch {
            throw .invalidHost(host)
        }
        let handler = APIHTTPHandler(api: api, checksHost: Self.isLoopback(host))
        server = HTTPServer(config: HTTPServer.Configuration(address: address, timeout: 30,
                                                             pool: NoDelaySocketPool(HTTPServer.defaultPool()), logger: .disabled),
                            handler: handler)
    }

    /// Starts listening and returns the port (useful with port 0); serving goes on in the
    /// background until ``stop()``. A port in use or an address not on this machine throws.
    /// `timeout` bounds the wait for the listening socket (long only on a machine whose
    /// concurrency threads are all busy).
    @discardableResult
    public func start(timeout: Double = 60) async throws(ServerError) -> Int {
        let server = self.server
        // High priority: requests are answered before queued default-priority work (a test
        // run queues hundreds of tests on the cooperative threads; a busy library caller may too).
        let task = Task(priority: .high) { [self] in
            do { try await server.run() } catch { self.failure.withLock { $0 = error } }
        }
        runner.withLock { $0 = task }
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if await server.isListening, let port = await boundPort() { return port }
            if let error = self.failure.withLock({ $0 }) { throw Self.mapped(error, host: host, port: requestedPort) }
            try? await Task.sleep(for: .milliseconds(5))
        }
        // The waiting task itself may have been delayed past the deadline: look once more.
        if await server.isListening, let port = await boundPort() { return port }
        if let error = self.failure.withLock({ $0 }) { throw Self.mapped(error, host: host, port: requestedPort) }
        throw .cannotListen(host: host, port: requestedPort, reason: "the server did not start listening within \(Int(timeout)) seconds")
    }

    /// The port actually bound, once listening.
    public func boundPort() async -> Int? {
        switch await server.listeningAddress {
        case let .ip4(_, port)?, let .ip6(_, port)?: return Int(port)
        default: return nil
        }
    }

    /// Stops accepting connections, lets open requests finish (at most `timeout` seconds) and returns.
    public func stop(timeout: Double = 2) async {
        await server.stop(timeout: timeout)
        let task = runner.withLock { $0 }
        await task?.value
    }

    /// Waits until the server stops (after ``stop(timeout:)``, or a fatal socket error).
    public func waitUntilStopped() async {
        let task = runner.withLock { $0 }
        await task?.value
    }


    static func mapped(_ error: any Error, host: String, port: Int) -> ServerError {
        if let socket = error as? SocketError, case let .failed(_, code, message) = socket {
            if code == EADDRINUSE { return .portInUse(host: host, port: port) }
            if code == EADDRNOTAVAIL { return .cannotListen(host: host, port: port, reason: "that address does not belong to this machine") }
            if code == EACCES { return .cannotListen(host: host, port: port, reason: "permission denied") }
            return .cannotListen(host: host, port: port, reason: message)
        }
        return .cannotListen(host: host, port: port, reason: "\(error)")
    }
}

/// FlyingFox's socket pool, with Nagle's algorithm turned off on every socket it waits for.
///
/// FlyingFox writes a response's header and body in two `write`s; with Nagle's algorithm the
/// body then waits for the client's delayed ACK of the header (40 ms on Linux), which made
/// every keep-alive request take 40 ms. `TCP_NODELAY` is set on the listening socket when it
/// first waits for a connection (Linux copies it to accepted sockets) and on each connection
/// when it waits, which also covers systems that do not copy it.
struct NoDelaySocketPool: AsyncSocketPool {
    let pool: any AsyncSocketPool

    init(_ pool: any AsyncSocketPool) { self.pool = pool }

    func prepare() async throws { try await pool.prepare() }
    func run() async throws { try await pool.run() }

    func suspendSocket(_ socket: Socket, untilReadyFor events: Socket.Events) async throws {
        var one: Int32 = 1
        _ = setsockopt(socket.file.rawValue, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        try await pool.suspendSocket(socket, untilReadyFor: events)
    }
}

/// Carries FlyingFox requests to ``EmbeddingAPI`` and its answers back.
struct APIHTTPHandler: HTTPHandler {
    let api: EmbeddingAPI
    /// On a loopback address, refuse requests whose `Host` is another name (DNS rebinding: a web
    /// page elsewhere must not read this machine's server through a name it controls).
    let checksHost: Bool

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        var answer: APIResponse
        if checksHost, let host = request.headers[.host], !Self.isLocalHostHeader(host) {
            answer = api.errorResponse(APIErrorDocument(error: "This server answers only requests addressed to this machine (Host \(host)).",
                                                hint: "Open it as http://127.0.0.1:PORT/ or http://localhost:PORT/.", status: 403))
        } else {
            answer = await api.respond(method: request.method.rawValue, path: request.path,
                                       query: request.query.map { ($0.name, $0.value) })
        }
        var headers = HTTPHeaders()
        headers[.contentType] = answer.contentType
        headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
        for (name, value) in answer.headers { headers[HTTPHeader(name)] = value }
        if request.method == .HEAD {
            headers[.contentLength] = String(answer.body.count)
            return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: Self.phrase(answer.status)), headers: headers)
        }
        return HTTPResponse(statusCode: HTTPStatusCode(answer.status, phrase: Self.phrase(answer.status)), headers: headers,
                            body: answer.body)
    }

    /// Whether a `Host` header names this machine: localhost, 127.x, [::1], with any port.
    static func isLocalHostHeader(_ value: String) -> Bool {
        var name = value.lowercased()
        if name.hasPrefix("[") {
            name = String(name.dropFirst().prefix { $0 != "]" })
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return name == "localhost" || name == "::1" || W2VServer.isIPv4Loopback(name)
    }

    static func phrase(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        default: return status >= 500 ? "Internal Server Error" : "Error"
        }
    }
}
