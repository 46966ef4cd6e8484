// libFuzzer harness: every reader of vector files, and format detection, on arbitrary bytes.
// Oracle: no crash, no leak, no allocation beyond libFuzzer's -malloc_limit_mb (the readers must
// check every size a header claims against the bytes there); and whatever reads successfully
// writes and reads back bit-identically in every format that can represent it.
#if canImport(Glibc)
import Glibc
#endif
import Embeddings
import VectorFormats

let scratch = (access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") + "/w2v-fuzz-vectors-\(getpid())"

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzVectorFiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for format in [nil, VectorFileFormat.word2vecText, .word2vecBinary, .glove] {
        guard let vectors = try? VectorFileReader.read(bytes: bytes, format: format) else { continue }
        for output in VectorFileFormat.allCases {
            // Words with whitespace cannot be written in any format: that is an error, not a crash.
            guard (try? VectorFileWriter.write(vectors, to: scratch, format: output)) != nil else { continue }
            guard let back = try? VectorFileReader.read(contentsOf: scratch, format: output), back == vectors else {
                fatalError("\(output) round trip changed vectors read as \(String(describing: format))")
            }
        }
    }
    unlink(scratch)
    return 0
}

// SwiftPM links an executable's entry point as `FuzzVectorFiles_main`; hand it to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzVectorFiles_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzVectorFiles)
}
