/* inflate.c: bounded zlib / raw DEFLATE (see inflate.h). */
#include "inflate.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

struct hc_inflater {
    z_stream zs;
    hc_deflate_kind kind;
};

hc_inflater *
hc_inflater_new(hc_deflate_kind kind)
{
    hc_inflater *inf = calloc(1, sizeof *inf);
    if (inf == NULL) {
        return NULL;
    }
    inf->kind = kind;
    /* windowBits 15 with the zlib wrapper (RFC 1950), -15 for raw DEFLATE (RFC 1951). */
    if (inflateInit2(&inf->zs, kind == HC_DEFLATE_ZLIB ? 15 : -15) != Z_OK) {
        free(inf);
        return NULL;
    }
    return inf;
}

void
hc_inflater_free(hc_inflater *inf)
{
    if (inf != NULL) {
        inflateEnd(&inf->zs);
        free(inf);
    }
}

hc_err
hc_inflate(hc_inflater *inf, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
           size_t *out_len)
{
    z_stream *zs = &inf->zs;

    if (len > UINT32_MAX || cap > UINT32_MAX) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (inflateReset(zs) != Z_OK) {
        return HC_ERR_INTERNAL;
    }
    /* RFC 1950 §2.2: CMF must be deflate (CM = 8) with a window ≤ 32 KiB; FLG.FDICT (0x20) asks
     * for a preset dictionary, which HCERT never uses. zlib itself checks FCHECK. */
    if (inf->kind == HC_DEFLATE_ZLIB && len >= 2 && (in[1] & 0x20) != 0) {
        return HC_ERR_DECOMPRESS_FAILED;
    }
    zs->next_in = (Bytef *)(uintptr_t)in; /* zlib's API is not const-correct; it never writes */
    zs->avail_in = (uInt)len;
    zs->next_out = out;
    zs->avail_out = (uInt)cap;
    int rc = inflate(zs, Z_FINISH);
    if (rc != Z_STREAM_END) {
        /* Z_BUF_ERROR with output space left means truncated input; without, the cap was hit. */
        return HC_ERR_DECOMPRESS_FAILED;
    }
    if (zs->avail_in != 0) {
        return HC_ERR_DECOMPRESS_FAILED; /* bytes after the end of the stream */
    }
    *out_len = cap - zs->avail_out;
    return HC_OK;
}

hc_err
hc_inflate_once(hc_deflate_kind kind, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                size_t *out_len)
{
    hc_inflater *inf = hc_inflater_new(kind);
    if (inf == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_err err = hc_inflate(inf, in, len, out, cap, out_len);
    hc_inflater_free(inf);
    return err;
}

size_t
hc_deflate_bound(size_t len)
{
    /* deflateBound()'s conservative formula plus the zlib wrapper. */
    return len + (len >> 12) + (len >> 14) + (len >> 25) + 13 + 6;
}

hc_err
hc_deflate(hc_deflate_kind kind, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
           size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (len > UINT32_MAX || cap > UINT32_MAX) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, kind == HC_DEFLATE_ZLIB ? 15 : -15, 9,
                     Z_DEFAULT_STRATEGY) != Z_OK) {
        return HC_ERR_NOMEM;
    }
    zs.next_in = (Bytef *)(uintptr_t)in;
    zs.avail_in = (uInt)len;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    int rc = deflate(&zs, Z_FINISH);
    size_t produced = cap - zs.avail_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    *out_len = produced;
    return HC_OK;
}
