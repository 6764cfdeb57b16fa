/*
 * fuzz_shc.c: the SMART Health Card path through hc_verify / hc_decode, driven from the DEFLATE
 * stage. The first byte picks how the rest is used:
 *   0: as the raw DEFLATE payload of a JWS (spec kid, zero signature), sent as "shc:/" text;
 *   1: as the claims JSON, deflated here, so the JSON and FHIR stages see structured input;
 *   2: as the claims JSON of a VC-JWT ("vc-jwt:/" text);
 *   else: as the input text itself.
 * With HC_VECTORS set, the spec example issuer's JWKS and CRL are trusted, so that inputs with its
 * kid reach the signature check. Invariant: nothing is VALID (no signature is real).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "healthcert/healthcert.h"
#include "inflate.h"
#include "shc_numeric.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hc_verifier *verifier;
static hc_trust_store *trust;

/* base64url('{"zip":"DEF","alg":"ES256","kid":"3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"}') */
static const char shc_header[] = "eyJ6aXAiOiJERUYiLCJhbGciOiJFUzI1NiIsImtpZCI6IjNLZmRnLVh3UC03Z1h5e"
                                 "Xd0VWZVQUR3QnVtRE9QS01ReC1pRUxMMTFXOXMifQ";
/* base64url('{"zip":"DEF","alg":"EdDSA","kid":"did:key:z6Mk#z6Mk"}') */
static const char vc_header[] =
    "eyJ6aXAiOiJERUYiLCJhbGciOiJFZERTQSIsImtpZCI6ImRpZDprZXk6ejZNayN6Nk1rIn0";

static void
init(void)
{
    hc_verify_options opt = { 0 };
    const char *dir = getenv("HC_VECTORS");
    trust = hc_trust_store_new();
    if (dir != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/shc/examples/issuer/.well-known/jwks.json", dir);
        hc_trust_store_add_path(trust, path, NULL, 0);
        snprintf(path, sizeof path, "%s/shc/examples/issuer/.well-known/crl", dir);
        hc_trust_store_add_path(trust, path, NULL, 0);
    }
    opt.trust = trust;
    opt.has_clock = true;
    opt.clock_ms = 1687500000000LL;
    verifier = hc_verifier_new(&opt);
}

static void
judge(const char *text, size_t len)
{
    hc_verdict vd;
    hc_verify(verifier, (const uint8_t *)text, len, &vd);
    if (vd.valid) {
        abort();
    }
    json_decref(hc_verdict_to_json(&vd));
    hc_verdict_clear(&vd);
    hc_decode(verifier, (const uint8_t *)text, len, &vd);
    json_decref(hc_verdict_to_json(&vd));
    hc_verdict_clear(&vd);
}

/* prefix + numeric(header '.' base64url(payload) '.' zero signature). */
static void
judge_jws(const char *prefix, const char *header, const uint8_t *payload, size_t n)
{
    static char jws[16384], text[32768 + 16];
    size_t used = 0, len = 0;
    used = (size_t)snprintf(jws, sizeof jws, "%s.", header);
    if (hc_base64_encode(payload, n, true, jws + used, sizeof jws - used, &len) != HC_OK) {
        return;
    }
    used += len;
    used += (size_t)snprintf(jws + used, sizeof jws - used,
                             ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
                             "AAAAAAAAAAAAAAAAAAAA");
    size_t plen = strlen(prefix);
    memcpy(text, prefix, plen);
    if (used < sizeof jws &&
        hc_shc_numeric_encode(jws, used, text + plen, sizeof text - plen, &len) == HC_OK) {
        judge(text, plen + len);
    }
    judge(jws, used < sizeof jws ? used : 0); /* the bare JWS form too */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t deflated[16384];
    size_t n = 0;
    if (verifier == NULL) {
        init();
    }
    if (size == 0) {
        return 0;
    }
    switch (data[0]) {
    case 0: judge_jws("shc:/", shc_header, data + 1, size - 1); break;
    case 1:
    case 2:
        if (hc_deflate(HC_DEFLATE_RAW, data + 1, size - 1, deflated, sizeof deflated, &n) ==
            HC_OK) {
            judge_jws(data[0] == 1 ? "shc:/" : "vc-jwt:/", data[0] == 1 ? shc_header : vc_header,
                      deflated, n);
        }
        break;
    default: judge((const char *)data + 1, size - 1); break;
    }
    return 0;
}
