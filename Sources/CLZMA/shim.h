#ifndef W2V_CLZMA_SHIM_H
#define W2V_CLZMA_SHIM_H
#include <lzma.h>

/// Starts an .xz decoder that reads concatenated streams (as `xz -d` does) with no memory limit.
/// LZMA_CONCATENATED and UINT64_MAX are macros Swift cannot import.
static inline lzma_ret w2v_lzma_xz_decoder(lzma_stream *stream) {
    return lzma_stream_decoder(stream, UINT64_MAX, LZMA_CONCATENATED);
}
#endif
