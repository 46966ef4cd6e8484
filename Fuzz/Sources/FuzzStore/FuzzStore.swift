// libFuzzer harness: a model store whose file bytes are arbitrary (seeds are real stores).
// The bytes are written to a scratch file and opened read-only, then for writing; every model
// is listed, loaded and looked up. Oracle: no crash, no leak, no allocation beyond libFuzzer's
// -malloc_limit_mb (every stored size is checked against the BLOBs there), only StoreErrors.
#if canImport(Glibc)
import Glibc
#endif
import Embeddings
import TensorCore
import ModelStorage

// On tmpfs where there is one: SQLite's fsyncs cost nothing there.
let scratch = (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/w2v-fuzz-store-\(getpid()).sqlite"
let probe = try! WordVectors(words: ["fuzz"], vectors: Tensor([[1, 2]]))

func removeScratch() {
    for suffix in ["", "-wal", "-shm", "-journal"] { unlink(scratch + suffix) }
}

func exercise(_ store: VectorStore) {
    guard let models = try? store.models() else { return }
    for model in models.prefix(4) {
        _ = try? store.metadata(of: model.name)
        _ = try? store.summary(of: model.name)
        if let loaded = try? store.load(model.name), let word = loaded.vectors.words.first {
            _ = try? store.vector(for: word, in: model.name)
        }
        _ = try? store.vector(for: "the", in: model.name)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzStore(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    removeScratch()
    let fd = open(scratch, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { fatalError("cannot create \(scratch)") }
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        guard n > 0 else { fatalError("cannot write \(scratch)") }
        written += n
    }
    close(fd)
    if let store = try? VectorStore(path: scratch, mode: .readOnly, busyTimeout: 0) { exercise(store) }
    if let store = try? VectorStore(path: scratch, mode: .readWrite, busyTimeout: 0) {
        exercise(store)
        if (try? store.save(probe, as: "fuzz-probe", metadata: ModelMetadata(method: "fuzz"))) != nil {
            _ = try? store.load("fuzz-probe")
            _ = try? store.delete("fuzz-probe")
        }
    }
    removeScratch()
    return 0
}

// SwiftPM links an executable's entry point as `FuzzStore_main`; hand it to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzStore_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzStore)
}
