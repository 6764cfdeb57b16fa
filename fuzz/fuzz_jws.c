/*
 * fuzz_jws.c: the JWS compact parser (jws.h) under the SMART Health Card and VC-JWT policies, and
 * the JWK reader (jwk.h) on the header when it is an object. Invariants: a parsed JWS has an
 * allowed algorithm, a signature of that algorithm's exact size, a signing input that is a prefix
 * of the text; a random signature never verifies with a fixed key.
 */
#include <openssl/ec.h>
#include <stdlib.h>
#include <string.h>

#include "jwk.h"
#include "jws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static EVP_PKEY *key;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t buf[65536];
    static const hc_jws_policy policies[] = {
        { HC_JWS_ALG_BIT(HC_SIG_ES256), true },
        { HC_JWS_ALG_BIT(HC_SIG_ES256) | HC_JWS_ALG_BIT(HC_SIG_EDDSA), false },
    };
    if (key == NULL) {
        key = EVP_EC_gen("P-256");
    }
    for (size_t p = 0; p < sizeof policies / sizeof policies[0]; p++) {
        hc_jws j;
        char why[200];
        if (hc_jws_parse((const char *)data, size, &policies[p], buf, sizeof buf, &j, why,
                         sizeof why) != HC_OK) {
            continue;
        }
        if ((policies[p].algs & HC_JWS_ALG_BIT(j.alg)) == 0 || j.signature_len != 64 ||
            j.signing_input_len >= size || (j.zip && !policies[p].allow_zip)) {
            abort();
        }
        if (j.alg == HC_SIG_ES256 && hc_jws_verify(&j, key) == HC_OK) {
            abort(); /* a forgery for a key generated in this process */
        }
        /* The header as a JWK: any object reaches the key reader. */
        EVP_PKEY *k = NULL;
        if (hc_jwk_public_key(j.header, &k, NULL, NULL) == HC_OK) {
            char tp[HC_JWK_THUMBPRINT_LEN];
            (void)hc_jwk_thumbprint(k, tp);
            EVP_PKEY_free(k);
        }
        hc_jws_clear(&j);
    }
    return 0;
}
