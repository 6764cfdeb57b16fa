/*
 * eu_dcc.c: the EU Digital COVID Certificate (HCERT spec v1.0.8, "HC1:").
 *
 *   "HC1:" -> Base45 (RFC 9285) -> zlib (RFC 1950) -> COSE_Sign1 (RFC 9052) -> CWT (RFC 8392)
 *   -> claim -260 -> 1 -> the DCC (eu-dcc-schema)
 *
 * Checks, each a named entry of the verdict: signature (every trusted key with the kid is tried,
 * HCERT §3.3.3), expiry (iat <= clock <= exp), key_validity (the signing certificate's validity
 * covers the clock and iat), key_usage (DCC extended key usage vs the certificate type, HCERT
 * Appendix A.4), schema (the DCC JSON schema of the payload's version), rule:<id> (the arrival
 * country's CertLogic rules, when given), revocation (the certificate's EU revocation hashes
 * against the revocation list, when given: revocation_check.c).
 *
 * The container stages and the signature, expiry, key_validity and key_usage checks are hcert.c's
 * (one implementation, shared with who_ddcc.c and ch_light.c); this file holds what only the EU
 * DCC does: its claim, its signer policy, its schema, rules and revocation.
 */
#include <stdio.h>

#include "cose.h"
#include "dcc_schema.h"
#include "eu_dcc_fields.h"
#include "hcert.h"
#include "pipeline.h"
#include "revocation_check.h"
#include "rules_check.h"
#include "verdict_build.h"
#include "who_ddcc.h"

typedef struct dcc_parts {
    hc_hcert h;   /* the container, unwrapped by hcert.c (shared with who_ddcc.c, ch_light.c) */
    uint32_t dcc; /* node of the DCC map */
    bool ddcc;    /* the CWT holds a WHO DDCC instead (hcert_classify.c): who_ddcc.c judges it */
} dcc_parts;

/* Unwraps text down to the DCC: Base45, zlib, COSE_Sign1, CWT. Fills the decoded parts of vd. */
static bool
unwrap(hc_verifier *v, const char *text, size_t len, dcc_parts *p, hc_verdict *vd)
{
    if (!hc_hcert_unwrap(v, text, len, 4 /* "HC1:" */, &p->h, vd)) {
        return false;
    }
    if (hc_hcert_classify(&p->h.claims, &p->h.cwt) == HC_HCERT_CONTENT_DDCC) {
        p->ddcc = true;
        return false;
    }
    p->dcc = p->h.cwt.hcert == HC_CBOR_NONE
                 ? HC_CBOR_NONE
                 : hc_cbor_map_get_int(&p->h.claims, p->h.cwt.hcert, HC_HCERT_EU_DCC_V1);
    if (p->dcc == HC_CBOR_NONE || hc_cbor_node_at(&p->h.claims, p->dcc)->type != HC_CBOR_MAP) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the CWT holds no EU DCC (claim -260 with a map under key 1)");
        return false;
    }
    vd->payload = hc_cbor_to_json(&p->h.claims, p->dcc, 0);
    if (vd->payload == NULL) {
        hc_verdict_fail(vd, HC_ERR_NOMEM, "out of memory converting the DCC to JSON");
        return false;
    }
    vd->decoded = true;
    hc_eu_dcc_fill_fields(vd->payload, vd);
    /* After the fields: the CWT's iss is the issuer country, whatever the DCC says. */
    hc_hcert_fill_claims(&p->h, vd);
    return true;
}

/*
 * Only DSC certificates found by the kid bytes sign an EU DCC (HCERT §5): a bare JWK (a SMART
 * Health Card issuer key that happens to share the kid) would skip every certificate check, so
 * bare keys are not even looked up. The EU wording of the kid message stays.
 */
static const hc_hcert_signers eu_dcc_signers = {
    .prefer_participant = NULL,
    .bare_keys = HC_HCERT_BARE_KEYS_IGNORED,
    .kid_name = "EU DCC",
};

static void
check_schema(hc_verdict *vd)
{
    char msg[200];
    hc_err e = hc_dcc_schema_validate(vd->payload, msg, sizeof msg);
    if (e != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID, "%s", msg);
    }
    hc_verdict_check(vd, "schema", e == HC_OK);
}

static hc_err
eu_dcc_run(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *vd)
{
    dcc_parts p = { .ddcc = false };

    vd->format = hc_format_eu_dcc.name;
    if (!unwrap(v, text, len, &p, vd)) {
        if (p.ddcc) {
            /* Same container, other content: the WHO DDCC format judges it (one prefix, one
             * decision, hcert_classify.c). */
            return hc_who_ddcc_judge(v, &p.h, mode, vd);
        }
        return hc_hcert_unwrap_status(vd);
    }
    if (mode == HC_MODE_DECODE) {
        /* The DCC itself (claim -260) is the verdict's payload; the details leave it out. */
        hc_hcert_fill_details(&p.h, "HC1:", HC_CWT_HCERT, vd);
        vd->valid = false; /* decoding never vouches for a certificate */
        return HC_OK;
    }
    int64_t clock = hc_verifier_clock(v);
    const hc_trust_entry *key = hc_hcert_check_signature(v, &p.h, &eu_dcc_signers, vd);
    if (hc_verdict_first_error(vd) == HC_ERR_INTERNAL) {
        return HC_ERR_INTERNAL;
    }
    /* HCERT §3.3.1: exp is mandatory for the EU DCC. */
    hc_hcert_check_times(clock, &p.h, true, vd);
    if (key != NULL) {
        hc_hcert_fill_key_issuer(key, vd);
        hc_hcert_check_key_validity(clock, &p.h, key, vd);
        hc_hcert_check_key_usage(key, vd);
    }
    check_schema(vd);
    hc_rules_check(v, clock, vd->issuer_kid, vd);
    if (key != NULL) {
        /* Only a certificate whose signature verified is looked up: the hashes of a forgery name
         * nothing its claimed issuer revoked. */
        const hc_dcc_revocation_input rin = {
            .kid = p.h.cose.kid,
            .kid_len = p.h.cose.kid_len,
            .iss = p.h.cwt.has_iss ? p.h.cwt.iss : NULL,
            .iss_len = p.h.cwt.has_iss ? p.h.cwt.iss_len : 0,
            .alg = p.h.cose.sig_alg,
            .signature = p.h.cose.signature,
            .signature_len = p.h.cose.signature_len,
        };
        hc_dcc_check_revocation(v->opt.revocation, &rin, vd);
    }
    vd->valid = key != NULL && vd->n_errors == 0;
    return HC_OK;
}

const hc_format hc_format_eu_dcc = {
    .name = "eu-dcc",
    .prefix = "HC1:",
    .run = eu_dcc_run,
};
