/* did_key.c: did:key <-> public keys (see did_key.h). */
#include "did_key.h"

#include <string.h>

#include "base58.h"
#include "jwk.h"

#define DID_KEY_PREFIX "did:key:"

/* Multicodec codes as their unsigned-varint bytes (multiformats unsigned-varint: 7 bits per byte,
 * least significant group first, high bit = more bytes follow), with the key size that follows. */
typedef struct codec {
    uint8_t varint[2];
    hc_sig_alg alg;
    size_t key_len; /* Ed25519: the raw key; NIST: the compressed point 02/03 || x */
} codec;

static const codec codecs[] = {
    { { 0xed, 0x01 }, HC_SIG_EDDSA, 32 }, /* ed25519-pub 0xed */
    { { 0x80, 0x24 }, HC_SIG_ES256, 33 }, /* p256-pub 0x1200 */
    { { 0x81, 0x24 }, HC_SIG_ES384, 49 }, /* p384-pub 0x1201 */
    { { 0x82, 0x24 }, HC_SIG_ES512, 67 }, /* p521-pub 0x1202 */
};

hc_err
hc_did_key_multibase_key(const char *mb, size_t len, EVP_PKEY **key, hc_sig_alg *alg,
                         const char **why)
{
    uint8_t raw[HC_BASE58_MAX_BYTES];
    size_t n = 0;
    const char *w = NULL;
    hc_err err = HC_ERR_KEY_INVALID;

    if (mb == NULL || key == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (len < 2 || mb[0] != 'z') {
        /* Multibase: 'z' is base58btc, the only base did:key uses (did:key §3.1). */
        w = "not a multibase base58btc value (it must start with 'z')";
        goto done;
    }
    if (hc_base58_decode(mb + 1, len - 1, raw, sizeof raw, &n) != HC_OK) {
        w = "not base58btc";
        goto done;
    }
    const codec *c = NULL;
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        if (n >= 2 && memcmp(raw, codecs[i].varint, 2) == 0) {
            c = &codecs[i];
        }
    }
    if (c == NULL) {
        w = "a key type other than Ed25519, P-256, P-384 or P-521 (multicodec)";
        goto done;
    }
    if (n - 2 != c->key_len || (c->alg != HC_SIG_EDDSA && raw[2] != 0x02 && raw[2] != 0x03)) {
        w = "the key has the wrong size, or an EC point that is not compressed";
        goto done;
    }
    err = hc_jwk_key_from_point(c->alg, raw + 2, n - 2, key);
    if (err == HC_OK) {
        if (alg != NULL) {
            *alg = c->alg;
        }
    } else if (err == HC_ERR_KEY_INVALID) {
        w = "the point is not on the curve";
    }
done:
    if (why != NULL) {
        *why = w;
    }
    return err;
}

hc_err
hc_did_key_resolve(const char *did, size_t len, EVP_PKEY **key, hc_sig_alg *alg, const char **why)
{
    const size_t plen = sizeof DID_KEY_PREFIX - 1;
    if (did == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (len <= plen || memcmp(did, DID_KEY_PREFIX, plen) != 0) {
        if (why != NULL) {
            *why = "not a did:key";
        }
        return HC_ERR_KEY_INVALID;
    }
    if (len >= HC_DID_KEY_MAX) {
        if (why != NULL) {
            *why = "longer than any did:key of a supported key";
        }
        return HC_ERR_KEY_INVALID;
    }
    return hc_did_key_multibase_key(did + plen, len - plen, key, alg, why);
}

hc_err
hc_did_key_from_key(EVP_PKEY *key, char *out, size_t cap)
{
    hc_jwk_point pt;
    uint8_t raw[2 + 67];
    size_t n = 0, text_len = 0;

    if (key == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err e = hc_jwk_point_of(key, &pt);
    if (e != HC_OK) {
        return e;
    }
    const codec *c = NULL;
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        if (codecs[i].alg == pt.alg) {
            c = &codecs[i];
        }
    }
    if (c == NULL) {
        return HC_ERR_KEY_INVALID;
    }
    memcpy(raw, c->varint, 2);
    if (pt.alg == HC_SIG_EDDSA) {
        memcpy(raw + 2, pt.x, pt.coord_len);
        n = 2 + pt.coord_len;
    } else {
        /* SEC 1 v2 §2.3.3: 02 for an even y, 03 for an odd one, then x. */
        raw[2] = (uint8_t)(0x02 | (pt.y[pt.coord_len - 1] & 1));
        memcpy(raw + 3, pt.x, pt.coord_len);
        n = 3 + pt.coord_len;
    }
    const size_t plen = sizeof DID_KEY_PREFIX - 1;
    if (cap < plen + 2) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(out, DID_KEY_PREFIX "z", plen + 1);
    return hc_base58_encode(raw, n, out + plen + 1, cap - plen - 1, &text_len);
}
