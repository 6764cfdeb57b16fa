/*
 * issue_scratch.h: per-thread working memory of hc_issue_eu_dcc.
 *
 * Why: the encoder's working memory (the deflate state of issue_deflate.h, ~200 KiB, and the
 * CBOR buffers) would otherwise be allocated and faulted in per certificate. Each thread that
 * issues keeps one scratch (made on first use, freed when the thread exits by a pthread_key
 * destructor), so hc_issue_eu_dcc stays thread-safe without locks and without a context argument
 * in the public API.
 */
#ifndef HC_ISSUE_SCRATCH_H
#define HC_ISSUE_SCRATCH_H

#include <openssl/types.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"
#include "issue_deflate.h"

/* CWT and COSE buffers: a schema-valid DCC is < 4 KiB as CBOR; the QR text bound (8 KiB of
 * Base45) holds < 5.5 KiB of compressed data, so 16 KiB leaves room and refuses the absurd. */
#define HC_ISSUE_CBOR_CAP (16 * 1024)

/* Random bytes drawn from OpenSSL at once for UVCIs (one RAND_bytes call per ~40 UVCIs). */
#define HC_ISSUE_RANDOM_POOL 1024

typedef struct hc_issue_scratch {
    hc_zdeflate zd;
    EVP_MD_CTX *md; /* SHA-256 of the signing (issue_sign.h); NULL when out of memory */
    uint8_t rnd[HC_ISSUE_RANDOM_POOL];
    size_t rnd_left; /* unused bytes at the end of rnd */
    uint8_t cwt[HC_ISSUE_CBOR_CAP];
    /* The compressed COSE: the payload plus headers and a 512-byte signature, which deflate may
     * grow by its 11 bytes of framing. */
    uint8_t z[HC_ISSUE_CBOR_CAP + 1024];
} hc_issue_scratch;

/* This thread's scratch (NULL when out of memory). */
hc_issue_scratch *hc_issue_scratch_get(void);

/*
 * n (<= HC_ISSUE_RANDOM_POOL) random bytes from this thread's pool, refilled from OpenSSL's DRBG
 * (RAND_bytes) when empty; every byte is handed out once. For public values only (UVCIs): the
 * pool is not wiped. HC_ERR_INTERNAL when the DRBG fails, HC_ERR_NOMEM.
 */
hc_err hc_issue_random(uint8_t *out, size_t n);

#endif
