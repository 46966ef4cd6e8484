// Kernel file: FNV-1a 64 over a file streamed through a fixed buffer.
//
// Shapes: buffer [1 MiB] bytes, of which [0, n) hold the latest read(2).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The size and FNV-1a 64 hash of the file at `path`.
func fnv1a64(path: String) throws(StoreError) -> (size: Int, hash: UInt64) {
    let fd = open(path, O_RDONLY)
    if fd < 0 {
        if errno == ENOENT { throw .fileNotFound(path: path) }
        throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
    }
    defer { close(fd) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    var hash: UInt64 = 14_695_981_039_346_656_037
    var size = 0
    while true {
        let n = read(fd, buffer.baseAddress!, buffer.count)
        if n < 0 {
            if errno == EINTR { continue }
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        if n == 0 { break }
        for byte in UnsafeRawBufferPointer(rebasing: buffer[0..<n]) {
            hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211
        }
        size += n
    }
    return (size, hash)
}
