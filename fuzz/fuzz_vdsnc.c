/*
 * fuzz_vdsnc.c: ICAO VDS-NC seals through the public verify and decode paths. With HC_VECTORS set,
 * the Australian CSCA and CRL and the Japanese signer are trusted, so that mutated real seals reach
 * the signature, chain and revocation checks. Invariant: VALID only ever follows a passed
 * signature check and a trusted chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "healthcert/healthcert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hc_verifier *verifier;
static hc_trust_store *trust;

static void
init(void)
{
    static const char *const files[] = { "vdsnc/apo/AU-CSCA-cert.der",
                                         "vdsnc/apo/AU-CRL-2021-08-19.crl.der",
                                         "vdsnc/JP-signer-cert.der" };
    hc_verify_options opt = { 0 };
    const char *dir = getenv("HC_VECTORS");
    trust = hc_trust_store_new();
    for (size_t i = 0; dir != NULL && i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        hc_trust_store_add_path(trust, path, NULL, 0);
    }
    opt.trust = trust;
    opt.has_clock = true;
    opt.clock_ms = 1633046400000LL; /* 2021-10-01: the AU CRL is current */
    verifier = hc_verifier_new(&opt);
}

static bool
passed(const hc_verdict *vd, const char *name)
{
    for (size_t i = 0; i < vd->n_checks; i++) {
        if (strcmp(vd->checks[i].name, name) == 0) {
            return vd->checks[i].ok;
        }
    }
    return false;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hc_verdict vd;
    if (verifier == NULL) {
        init();
    }
    hc_verify(verifier, data, size, &vd);
    if (vd.valid && vd.format != NULL && strcmp(vd.format, "icao-vds-nc") == 0 &&
        (!passed(&vd, "signature") || !passed(&vd, "trust_chain") || vd.n_errors != 0)) {
        abort();
    }
    json_decref(hc_verdict_to_json(&vd));
    hc_verdict_clear(&vd);
    hc_decode(verifier, data, size, &vd);
    json_decref(hc_verdict_to_json(&vd));
    hc_verdict_clear(&vd);
    return 0;
}
