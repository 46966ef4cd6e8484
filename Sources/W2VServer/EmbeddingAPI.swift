import Embeddings
import Foundation
import ModelStorage
import Synchronization
import W2VCommands

/// An HTTP response before it is put on the wire.
public struct APIResponse: Sendable, Equatable {
    public var status: Int
    public var contentType: String
    public var body: Data
    /// Extra headers (`Cache-Control`, `Content-Security-Policy`, `Allow`).
    public var headers: [String: String]

    public init(status: Int, contentType: String, body: Data, headers: [String: String] = [:]) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.headers = headers
    }
}

/// `{"error": message, "hint": hint, "status": code}`: what every failed API request returns,
/// with the command line's message and hint.
public struct APIErrorDocument: Codable, Sendable, Equatable {
    public var error: String
    public var hint: String?
    public var status: Int
}

/// The JSON API and the page of `w2v serve`, independent of the HTTP server that carries them.
///
/// Every document is the one the command line prints with `--json` (``QueryService`` computes
/// both). The store is opened read-only once; each model is loaded on its first request and
/// kept. Nothing from a request reaches the file system: the page is embedded in the binary,
/// and any other path is 404.
///
/// Endpoints (all `GET`; `name` picks a model, default: the server's model):
/// `/api/models`, `/api/info?name=`, `/api/similar?word=&n=&restrict=`, `/api/analogy?a=&b=&c=&n=&method=add|mul`,
/// `/api/similarity?w1=&w2=`, `/api/doesnt-match?words=a,b,c`,
/// `/api/projection?words=a,b&neighbors=N&method=pca|tsne`, `/api/complete?prefix=&n=`.
public final class EmbeddingAPI: Sendable {
    /// The largest `n` (results, completions) a request may ask for.
    public static let maximumCount = 1000
    /// The most points (words plus their neighbours) a projection request may ask for; t-SNE,
    /// quadratic in the points, gets fewer.
    public static let maximumProjectionPoints = 1000
    public static let maximumTSNEPoints = 300
    /// The most neighbours per word in a projection.
    public static let maximumNeighbors = 100

    let service: QueryService
    let store: VectorStore
    /// The model used when a request names none.
    public let defaultModel: String
    let cache = ModelCache()
    let batchers = Mutex<[String: SimilarBatcher]>([:])

    /// Opens the store read-only and picks the default model (`name`, else the most recently
    /// stored one, which must exist now: a store with no models is an error at start-up).
    public init(storeOptions: StoreOptions, modelName: String? = nil) throws {
        service = QueryService(storeOptions: storeOptions)
        store = try service.openStore()
        defaultModel = try service.modelName(modelName, in: store)
        // The default model must exist: fail at start-up rather than on every request.
        _ = try service.details(of: defaultModel, in: store)
    }

    /// The store's path.
    public var storePath: String { service.storePath }

    /// How many models have been loaded so far (each is loaded once).
    public var modelLoads: Int { cache.loadCount }

    /// The response to `method path?query`.
    public func respond(method: String, path: String, query: [(name: String, value: String)]) async -> APIResponse {
        guard method == "GET" || method == "HEAD" else {
            return errorResponse(APIErrorDocument(error: "Only GET requests are served; got \(method).", hint: nil, status: 405),
                         headers: ["Allow": "GET, HEAD"])
        }
        let parameters = Parameters(query)
        do {
            switch path {
            case "/", "/index.html":
                return APIResponse(status: 200, contentType: "text/html; charset=utf-8", body: WebPage.html,
                                   headers: ["Content-Security-Policy": WebPage.contentSecurityPolicy, "Cache-Control": "no-cache"])
            case "/api/models":
                return try json(service.modelList(in: store))
            case "/api/info":
                return try json(service.details(of: parameters.string("name") ?? defaultModel, in: store))
            case "/api/similar":
                let word = try parameters.required("word", example: "/api/similar?word=king")
                let count = try parameters.integer("n", default: 10, in: 1...Self.maximumCount)
                let restrict = try parameters.optionalInteger("restrict", in: 1...Int(Int32.max))
                let batcher = try await batcher(parameters)
                return try json(await batcher.similar(word, count: count, restrictTo: restrict))
            case "/api/analogy":
                let example = "/api/analogy?a=man&b=king&c=woman"
                let a = try parameters.required("a", example: example)
                let b = try parameters.required("b", example: example)
                let c = try parameters.required("c", example: example)
                let count = try parameters.integer("n", default: 10, in: 1...Self.maximumCount)
                let methodName = parameters.string("method") ?? "add"
                guard let method = AnalogyMethod(argument: methodName) else {
                    throw invalid("The parameter method must be add or mul (got \"\(methodName)\").")
                }
                let model = try await model(parameters)
                return try json(service.analogy(a, b, c, count: count, method: method, in: model))
            case "/api/similarity":
                let w1 = try parameters.required("w1", example: "/api/similarity?w1=king&w2=queen")
                let w2 = try parameters.required("w2", example: "/api/similarity?w1=king&w2=queen")
                let model = try await model(parameters)
                return try json(service.similarity(w1, w2, in: model))
            case "/api/doesnt-match":
                let words = try parameters.list("words", example: "/api/doesnt-match?words=paris,berlin,rome,apple")
                guard words.count >= 3 else {
                    throw invalid("doesnt-match needs at least three words (got \(words.count)), e.g. /api/doesnt-match?words=paris,berlin,rome,apple.")
                }
                guard words.count <= Self.maximumProjectionPoints else {
                    throw invalid("doesnt-match takes at most \(Self.maximumProjectionPoints) words (got \(words.count)).")
                }
                let model = try await model(parameters)
                return try json(service.doesntMatch(words, in: model))
            case "/api/projection":
                let words = try parameters.list("words", example: "/api/projection?words=king,queen&neighbors=10")
                let neighbors = try parameters.integer("neighbors", default: 0, in: 0...Self.maximumNeighbors)
                let methodName = parameters.string("method") ?? "pca"
                guard let method = ProjectionMethodOption(rawValue: methodName) else {
                    throw invalid("The parameter method must be pca or tsne (got \"\(methodName)\").")
                }
                let limit = method == .pca ? Self.maximumProjectionPoints : Self.maximumTSNEPoints
                let points = words.count * (neighbors + 1)
                guard points <= limit else {
                    throw invalid("A \(methodName) projection takes at most \(limit) points; \(words.count) words with \(neighbors) neighbours each is \(points).")
                }
                guard neighbors > 0 || words.count >= (method == .pca ? 2 : 3) else {
                    throw invalid("A \(methodName) projection needs at least \(method == .pca ? 2 : 3) words, or neighbors=N.")
                }
                let model = try await model(parameters)
                return try json(service.projection(of: words, neighbors: neighbors, method: method, in: model))
            case "/api/complete":
                let prefix = parameters.string("prefix") ?? ""
                guard prefix.count <= 200 else { throw invalid("The prefix is longer than 200 characters.") }
                let count = try parameters.integer("n", default: 10, in: 1...Self.maximumCount)
                let model = try await model(parameters)
                return try json(service.completions(of: prefix, count: count, in: model))
            default:
                return errorResponse(APIErrorDocument(error: "There is no page \(path) on this server.",
                                              hint: "The page is /; the API is under /api/ (models, info, similar, analogy, similarity, doesnt-match, projection, complete).",
                                              status: 404))
            }
        } catch let failure as CommandFailure {
            let status = switch failure.kind {
            case .notFound: 404
            case .invalidInput: 400
            case .other: 500
            }
            return errorResponse(APIErrorDocument(error: failure.message, hint: failure.hint, status: status))
        } catch {
            let failure = CommandFailure(error)
            return errorResponse(APIErrorDocument(error: failure.message, hint: failure.hint, status: 500))
        }
    }

    /// The `/api/similar` batcher of the model a request names.
    func batcher(_ parameters: Parameters) async throws -> SimilarBatcher {
        let model = try await model(parameters)
        return batchers.withLock { batchers in
            if let existing = batchers[model.name] { return existing }
            let made = SimilarBatcher(service: service, model: model)
            batchers[model.name] = made
            return made
        }
    }

    /// Requests answered together with others so far (see ``SimilarBatcher``).
    public var batchedRequests: Int { batchers.withLock { $0.values.reduce(0) { $0 + $1.batchedRequests } } }

    /// The model a request names (or the default one), loaded once.
    func model(_ parameters: Parameters) async throws -> StoredModel {
        let name = parameters.string("name") ?? defaultModel
        let service = self.service, store = self.store
        return try await cache.model(name) { try service.loadModel(name, from: store) }
    }

    func json<T: Encodable>(_ document: T) throws -> APIResponse {
        APIResponse(status: 200, contentType: "application/json; charset=utf-8",
                    body: Data((try JSONOutput.string(document) + "\n").utf8), headers: ["Cache-Control": "no-store"])
    }

    func errorResponse(_ document: APIErrorDocument, headers: [String: String] = [:]) -> APIResponse {
        let text = (try? JSONOutput.string(document)) ?? #"{"error": "internal error"}"#
        return APIResponse(status: document.status, contentType: "application/json; charset=utf-8",
                           body: Data((text + "\n").utf8), headers: headers.merging(["Cache-Control": "no-store"]) { a, _ in a })
    }
}

func invalid(_ message: String, hint: String? = nil) -> CommandFailure {
    CommandFailure(message, hint: hint, kind: .invalidInput)
}

/// A request's query parameters, read with the command line's range checks.
struct Parameters {
    let items: [(name: String, value: String)]

    init(_ items: [(name: String, value: String)]) { self.items = items }

    /// The last value of `name`, nil when absent or empty.
    func string(_ name: String) -> String? {
        guard let value = items.last(where: { $0.name == name })?.value, !value.isEmpty else { return nil }
        return value
    }

    func required(_ name: String, example: String) throws -> String {
        guard let value = string(name) else {
            throw invalid("The parameter \(name) is missing.", hint: "For example: \(example)")
        }
        return value
    }

    func integer(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        try optionalInteger(name, in: range) ?? value
    }

    func optionalInteger(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
            throw invalid("The parameter \(name) must be an integer between \(range.lowerBound) and \(range.upperBound) (got \"\(text.prefix(40))\").")
        }
        return value
    }

    /// A comma-separated list, entries trimmed, empty ones dropped.
    func list(_ name: String, example: String) throws -> [String] {
        let words = try required(name, example: example).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !words.isEmpty else { throw invalid("The parameter \(name) holds no words.", hint: "For example: \(example)") }
        return words
    }
}
