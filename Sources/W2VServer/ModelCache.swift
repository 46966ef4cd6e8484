import ModelStorage
import Synchronization

/// Models loaded on first use and kept for the life of the server: concurrent first requests for
/// one model wait for the same load. A failed load is forgotten, so a model stored later (or a
/// store repaired) is found by the next request, and unknown names never accumulate.
final class ModelCache: Sendable {
    private let loads = Mutex<[String: Task<StoredModel, any Error>]>([:])
    private let loadCounter = Atomic<Int>(0)

    /// How many loads have been started (for tests: each model once).
    var loadCount: Int { loadCounter.load(ordering: .relaxed) }

    /// The model called `name`, loaded by `load` the first time.
    func model(_ name: String, load: @escaping @Sendable () throws -> StoredModel) async throws -> StoredModel {
        let task = loads.withLock { tasks -> Task<StoredModel, any Error> in
            if let running = tasks[name] { return running }
            loadCounter.add(1, ordering: .relaxed)
            let task = Task.detached(priority: .userInitiated) { try load() }
            tasks[name] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            loads.withLock { tasks in
                // Forget only this failed load, not a newer one another request started since.
                if let current = tasks[name], current == task { tasks[name] = nil }
            }
            throw error
        }
    }
}
