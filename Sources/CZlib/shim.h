#ifndef W2V_CZLIB_SHIM_H
#define W2V_CZLIB_SHIM_H
#include <zlib.h>

/// inflateInit2 is a macro (it passes ZLIB_VERSION and sizeof(z_stream)), which Swift cannot
/// call; this wrapper starts an inflate stream that reads gzip (windowBits 15 + 16).
static inline int w2v_inflate_init_gzip(z_stream *stream) {
    return inflateInit2(stream, 15 + 16);
}
#endif
