import Embeddings
import ModelStorage
import Synchronization
import W2VCommands

/// Answers concurrent `/api/similar` requests for one model together.
///
/// Each query against `V x D` vectors streams the whole matrix from memory (84,000 x 100 Floats
/// is 34 MB), so on a loaded machine the server is bound by memory bandwidth, not arithmetic.
/// Requests that arrive while a pass is running wait for the next one, which answers all of them
/// with one matrix product (``QueryService/similar(eachOf:count:restrictTo:in:)``): one client
/// never waits for another (a lone request is answered at once, through the same
/// ``QueryService/similar(_:count:restrictTo:in:)`` as `w2v similar`), and N clients share one
/// pass over the matrix.
final class SimilarBatcher: Sendable {
    struct Request: Sendable {
        var word: String
        var count: Int
        var restrict: Int?
        var continuation: CheckedContinuation<WordScoreList, any Error>
    }

    struct State {
        var queue: [Request] = []
        var draining = false
    }

    let service: QueryService
    let model: StoredModel
    private let state = Mutex(State())
    /// The most requests answered by one pass.
    static let maximumBatch = 64
    private let batchedCounter = Atomic<Int>(0)

    /// How many requests were answered in a pass with others (for tests and benchmarks).
    var batchedRequests: Int { batchedCounter.load(ordering: .relaxed) }

    init(service: QueryService, model: StoredModel) {
        self.service = service
        self.model = model
    }

    func similar(_ word: String, count: Int, restrictTo restrict: Int?) async throws -> WordScoreList {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { s -> Bool in
                s.queue.append(Request(word: word, count: count, restrict: restrict, continuation: continuation))
                if s.draining { return false }
                s.draining = true
                return true
            }
            if start { Task.detached(priority: .userInitiated) { self.drain() } }
        }
    }

    /// Answers queued requests until the queue is empty.
    private func drain() {
        while true {
            let batch = state.withLock { s -> [Request] in
                let taken = Array(s.queue.prefix(Self.maximumBatch))
                s.queue.removeFirst(taken.count)
                if taken.isEmpty { s.draining = false }
                return taken
            }
            if batch.isEmpty { return }
            answer(batch)
        }
    }

    private func answer(_ batch: [Request]) {
        if batch.count == 1 {
            let request = batch[0]
            request.continuation.resume(with: Result {
                try service.similar(request.word, count: request.count, restrictTo: request.restrict, in: model)
            })
            return
        }
        // Requests with the same count and restriction share a product; a word that is unknown
        // or has no direction is answered alone (so it gets the command line's error).
        var groups: [String: [Request]] = [:]
        var alone: [Request] = []
        let vectors = model.vectors
        for request in batch {
            guard let id = vectors.id(for: request.word), vectors.norms[id].isFinite, vectors.norms[id] > 0,
                  request.count >= 1 else {
                alone.append(request)
                continue
            }
            groups["\(request.count) \(request.restrict ?? -1)", default: []].append(request)
        }
        for group in groups.values {
            if group.count == 1 {
                alone.append(group[0])
                continue
            }
            do {
                let lists = try service.similar(eachOf: group.map(\.word), count: group[0].count,
                                                restrictTo: group[0].restrict, in: model)
                batchedCounter.add(group.count, ordering: .relaxed)
                for (request, list) in zip(group, lists) { request.continuation.resume(returning: list) }
            } catch {
                alone.append(contentsOf: group)
            }
        }
        for request in alone {
            request.continuation.resume(with: Result {
                try service.similar(request.word, count: request.count, restrictTo: request.restrict, in: model)
            })
        }
    }
}
