/*
 * revocation_check.c: the "revocation" check of the EU DCC pipeline (revocation_check.h).
 *
 * All three hash types are computed and looked up under the certificate's kid, as the EU verifier
 * apps do for the hash types a signer's list announces (dgca-verifier-app-android
 * docs/revocation.md): a list may hold any of them. When the list holds nothing under that kid
 * (most signers), no hash is computed at all.
 */
#include <string.h>

#include "revocation_check.h"
#include "verdict_build.h"

/* The UCI ("ci") of the first entry of v, t or r (the DCC schema allows exactly one). */
static const char *
dcc_uci(const json_t *dcc)
{
    static const char *const groups[] = { "v", "t", "r" };
    for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++) {
        const json_t *entry = json_array_get(json_object_get(dcc, groups[i]), 0);
        const char *ci = json_string_value(json_object_get(entry, "ci"));
        if (ci != NULL) {
            return ci;
        }
    }
    return NULL;
}

void
hc_dcc_check_revocation(const hc_revocation_list *rl, const hc_dcc_revocation_input *in,
                        hc_verdict *vd)
{
    uint8_t h[HC_REVOCATION_HASH_LEN];
    char country[4] = "";
    const char *listed = NULL;

    if (rl == NULL || in->kid == NULL || in->kid_len == 0) {
        return;
    }
    if (!hc_revocation_list_has_kid(rl, in->kid, in->kid_len)) {
        /* Nothing of this signer is revoked: no hash can match, none is computed. */
        hc_verdict_check(vd, "revocation", true);
        return;
    }
    const char *uci = dcc_uci(vd->payload);
    if (uci != NULL) {
        size_t ulen = strlen(uci);
        hc_revocation_hash_uci(uci, ulen, h);
        if (hc_revocation_list_contains(rl, in->kid, in->kid_len, HC_REVOCATION_UCI, h)) {
            listed = "UCI";
        }
        /* COUNTRYCODEUCI uses the CWT issuer claim (cwa-app-android RevocationCalculation). */
        if (in->iss != NULL && in->iss_len > 0 && in->iss_len < sizeof country) {
            memcpy(country, in->iss, in->iss_len);
            country[in->iss_len] = 0;
            hc_revocation_hash_country_uci(country, uci, ulen, h);
            if (listed == NULL && hc_revocation_list_contains(rl, in->kid, in->kid_len,
                                                              HC_REVOCATION_COUNTRYCODEUCI, h)) {
                listed = "COUNTRYCODEUCI";
            }
        }
    }
    if (in->signature != NULL &&
        hc_revocation_hash_signature(in->signature, in->signature_len, in->alg == HC_SIG_ES256,
                                     h) == HC_OK &&
        listed == NULL &&
        hc_revocation_list_contains(rl, in->kid, in->kid_len, HC_REVOCATION_SIGNATURE, h)) {
        listed = "SIGNATURE";
    }
    if (listed != NULL) {
        hc_verdict_fail(vd, HC_ERR_REVOKED,
                        "the certificate was revoked by its issuer (its %s hash is on the "
                        "revocation list)",
                        listed);
    }
    hc_verdict_check(vd, "revocation", listed == NULL);
}
