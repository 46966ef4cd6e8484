// libFuzzer harness: the corpus tokenizer on arbitrary bytes.
// The first byte chooses the options (invalid-UTF-8 policy, lower-casing, sentence marker) and a
// chunk size of 1...32 bytes. Oracle: no crash or leak, and reading the bytes in small chunks
// gives exactly what reading them in one chunk gives (the same corpus, or the same error):
// tokens, UTF-8 sequences and byte-order marks that straddle chunk boundaries change nothing.
import TextCorpus

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = CorpusOptions(lowercase: control & 1 != 0, endOfSentenceMarker: control & 2 != 0 ? "</s>" : nil,
                                minCount: 1)
    options.invalidUTF8 = [InvalidUTF8Policy.error, .replace, .skip][Int(control >> 2) % 3]
    options.maximumTokenBytes = control & 0x80 != 0 ? 16 : 1 << 16
    let chunk = Int(control >> 3) % 32 + 1
    let whole = Result { () throws(CorpusError) -> EncodedCorpus in try EncodedCorpus.encode(bytes: bytes, options: options) }
    let pieces = Result { () throws(CorpusError) -> EncodedCorpus in
        try EncodedCorpus.encode(bytes: bytes, options: options, chunkSize: chunk)
    }
    switch (whole, pieces) {
    case let (.success(a), .success(b)) where a == b: break
    case let (.failure(a), .failure(b)) where a == b: break
    default: fatalError("chunks of \(chunk) bytes disagree with one chunk: \(whole) vs \(pieces)")
    }
    return 0
}

// SwiftPM links an executable's entry point as `FuzzTokenizer_main`; hand it to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt) -> CInt

@_cdecl("FuzzTokenizer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return runFuzzerDriver(&count, &arguments, fuzzTokenizer)
}
