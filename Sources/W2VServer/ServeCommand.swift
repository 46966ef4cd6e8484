#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Dispatch
import Synchronization
import W2VCommands

/// `w2v serve [--store FILE] [--name MODEL] [--host 127.0.0.1] [--port 8080]`.
public struct Serve: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Explore the store's models in a web browser: a local page and JSON API.",
        discussion: """
        Opens the store read-only and serves, until Ctrl-C:
          /                      a page to search words (with completion), see their neighbours and a 2-D projection, solve analogies and pick a model; /?word=king opens on a word
          /api/models            the documents of w2v models --json
          /api/info?name=M       w2v info M --json
          /api/similar?word=W&n=10&restrict=N
          /api/analogy?a=man&b=king&c=woman&n=10&method=add|mul
          /api/similarity?w1=W1&w2=W2
          /api/doesnt-match?words=a,b,c
          /api/projection?words=a,b&neighbors=N&method=pca|tsne
          /api/complete?prefix=P&n=10
        Every endpoint takes name=MODEL (default: --name, else the most recently stored model); errors are JSON with a 4xx status and the command line's message. Models are loaded on first use and kept in memory.

        The server listens on the loopback address (this machine only) unless --host says otherwise.

        Examples:
          w2v serve
          w2v serve --store experiments.sqlite --port 8090
          w2v serve --name wiki8-skipgram   (then open http://127.0.0.1:8080/?word=king)
        """
    )

    @Option(help: ArgumentHelp("The address to listen on (another machine's users reach it only if it is not loopback).", valueName: "address"))
    public var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: ArgumentHelp("The TCP port (0: any free port).", valueName: "port"))
    public var port = 8080

    @OptionGroup(title: "Store") public var storeOptions: StoreOptions
    @OptionGroup(title: "Store") public var selection: ModelSelection

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535 (got \(port)).") }
        if host.isEmpty { throw ValidationError("--host needs an address, e.g. --host 127.0.0.1.") }
    }

    public func run() throws {
        let api = try EmbeddingAPI(storeOptions: storeOptions, modelName: selection.name)
        let server: W2VServer
        do { server = try W2VServer(api: api, host: host, port: UInt16(port)) } catch {
            throw CommandFailure(explaining: error)
        }
        if !W2VServer.isLoopback(host) {
            StandardStreams.printError("w2v: warning: listening on \(host), not the loopback address: anyone who can reach this machine on port \(port) can read the models in \(api.storePath).")
        }

        // Ctrl-C (and SIGTERM) stop the server; the process then exits normally.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        let stopped = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<Int, ServerError>?>(nil)
        let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                StandardStreams.printError("w2v: stopping the server.")
                Task {
                    await server.stop(timeout: 1)
                    stopped.signal()
                }
            }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }

        Task {
            do throws(ServerError) {
                let bound = try await server.start()
                outcome.withLock { $0 = .success(bound) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            started.signal()
            await server.waitUntilStopped()
            stopped.signal()
        }
        started.wait()
        switch outcome.withLock({ $0 }) {
        case let .success(bound)?:
            let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            StandardStreams.printLine("Serving \"\(api.defaultModel)\" from \(api.storePath) at http://\(shown):\(bound)/  (Ctrl-C stops)")
        case let .failure(error)?:
            throw CommandFailure(explaining: error)
        case nil:
            throw CommandFailure("The server did not start.")
        }
        stopped.wait()
        StandardStreams.printError("w2v: server stopped.")
    }
}
