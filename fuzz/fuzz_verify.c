/*
 * fuzz_verify.c: the whole public verify path (hc_verify and hc_decode) on arbitrary input: text
 * or image. With HC_VECTORS set, a real DSC is trusted so that inputs carrying its kid reach the
 * signature check; the checks after it (times, schema) run either way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "healthcert/healthcert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hc_verifier *verifier;
static hc_trust_store *trust;

static void
init(void)
{
    hc_verify_options opt = { 0 };
    const char *dir = getenv("HC_VECTORS");
    trust = hc_trust_store_new();
    if (dir != NULL) {
        char path[4096];
        snprintf(path, sizeof path, "%s/eu-dcc/dgc-testdata/common/2DCode/raw/CO1.json", dir);
        json_t *vec = json_load_file(path, 0, NULL);
        const char *b64 =
            json_string_value(json_object_get(json_object_get(vec, "TESTCTX"), "CERTIFICATE"));
        uint8_t der[4096];
        size_t n;
        if (b64 != NULL &&
            hc_base64_decode_lenient(b64, strlen(b64), der, sizeof der, &n) == HC_OK) {
            hc_trust_store_add_buffer(trust, der, n, "CO1", NULL, 0);
        }
        json_decref(vec);
    }
    opt.trust = trust;
    opt.has_clock = true;
    opt.clock_ms = 1620000000000LL;
    verifier = hc_verifier_new(&opt);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hc_verdict vd;
    if (verifier == NULL) {
        init();
    }
    hc_verify(verifier, data, size, &vd);
    if (vd.valid) {
        /* VALID only ever follows a passed signature check. */
        bool signed_ok = false;
        for (size_t i = 0; i < vd.n_checks; i++) {
            signed_ok |= strcmp(vd.checks[i].name, "signature") == 0 && vd.checks[i].ok;
        }
        if (!signed_ok || vd.n_errors != 0) {
            abort();
        }
    }
    json_decref(hc_verdict_to_json(&vd));
    hc_verdict_clear(&vd);
    hc_decode(verifier, data, size, &vd);
    json_decref(hc_verdict_to_json(&vd));
    hc_verdict_clear(&vd);
    return 0;
}
