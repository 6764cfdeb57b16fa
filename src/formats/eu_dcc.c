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
 */
#include <string.h>

#include "base45.h"
#include "base64.h"
#include "cose.h"
#include "dcc_schema.h"
#include "eu_dcc_fields.h"
#include "hctime.h"
#include "pipeline.h"
#include "revocation_check.h"
#include "rules_check.h"
#include "verdict_build.h"
#include "who_ddcc.h"

/* HCERT spec Appendix A.1: the kid is the first 8 bytes of the DSC's SHA-256 fingerprint. */
#define DCC_KID_LEN 8

typedef struct dcc_parts {
    hc_cbor_doc outer, header, claims;
    hc_cose_sign1 cose;
    hc_cwt cwt;
    uint32_t dcc; /* node of the DCC map */
    bool ddcc;    /* the CWT holds a WHO DDCC instead (hcert_classify.c): who_ddcc.c judges it */
} dcc_parts;

/* Unwraps text down to the DCC: Base45, zlib, COSE_Sign1, CWT. Fills the decoded parts of vd. */
static bool
unwrap(hc_verifier *v, const char *text, size_t len, dcc_parts *p, hc_verdict *vd)
{
    const char *body = text + 4; /* after "HC1:" */
    size_t blen = len - 4, n = 0, m = 0;
    const char *why = NULL;

    if (len > HC_MAX_QR_TEXT) {
        hc_verdict_fail(vd, HC_ERR_INPUT_TOO_LARGE,
                        "the code is %zu characters; a QR code holds at most 4296", len);
        return false;
    }
    if (hc_base45_decode(body, blen, v->unwrapped, sizeof v->unwrapped, &n) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_ENCODING_INVALID,
                        "the Base45 text is broken (a character outside the alphabet, a "
                        "dangling character or a value out of range)");
        return false;
    }
    if (hc_inflate(v->zlib, v->unwrapped, n, v->inflated, sizeof v->inflated, &m) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_DECOMPRESS_FAILED,
                        "the zlib data is broken, not compressed, or inflates past %d KiB",
                        HC_MAX_INFLATED / 1024);
        return false;
    }
    hc_cbor_doc_init(&p->outer, v->outer_nodes, HC_OUTER_NODES, v->cbor_scratch,
                     sizeof v->cbor_scratch / 2, HC_CBOR_REJECT_DUPLICATE_KEYS);
    hc_cbor_doc_init(&p->header, v->header_nodes, HC_HEADER_NODES, NULL, 0,
                     HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (hc_cose_sign1_parse(v->inflated, m, &p->outer, &p->header, &p->cose, &why) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "COSE_Sign1: %s", why);
        return false;
    }
    hc_cbor_doc_init(&p->claims, v->claim_nodes, HC_CBOR_MAX_NODES,
                     v->cbor_scratch + sizeof v->cbor_scratch / 2, sizeof v->cbor_scratch / 2,
                     HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (hc_cwt_parse(p->cose.payload, p->cose.payload_len, &p->claims, &p->cwt, &why) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "CWT: %s", why);
        return false;
    }
    if (hc_hcert_classify(&p->claims, &p->cwt) == HC_HCERT_CONTENT_DDCC) {
        p->ddcc = true;
        return false;
    }
    p->dcc = p->cwt.hcert == HC_CBOR_NONE
                 ? HC_CBOR_NONE
                 : hc_cbor_map_get_int(&p->claims, p->cwt.hcert, HC_HCERT_EU_DCC_V1);
    if (p->dcc == HC_CBOR_NONE || hc_cbor_node_at(&p->claims, p->dcc)->type != HC_CBOR_MAP) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the CWT holds no EU DCC (claim -260 with a map under key 1)");
        return false;
    }
    vd->payload = hc_cbor_to_json(&p->claims, p->dcc, 0);
    if (vd->payload == NULL) {
        hc_verdict_fail(vd, HC_ERR_NOMEM, "out of memory converting the DCC to JSON");
        return false;
    }
    vd->decoded = true;
    hc_eu_dcc_fill_fields(vd->payload, vd);
    if (p->cwt.has_iat) {
        vd->has_issued_at = true;
        vd->issued_at_ms = p->cwt.iat * 1000;
    }
    if (p->cwt.has_exp) {
        vd->has_expires_at = true;
        vd->expires_at_ms = p->cwt.exp * 1000;
    }
    vd->has_issuer = true;
    if (p->cwt.has_iss) {
        hc_verdict_copy_text(vd->issuer_country, sizeof vd->issuer_country,
                             (const char *)p->cwt.iss, p->cwt.iss_len);
    }
    if (p->cose.kid != NULL) {
        size_t kl;
        if (hc_base64_encode(p->cose.kid, p->cose.kid_len, false, vd->issuer_kid,
                             sizeof vd->issuer_kid, &kl) != HC_OK) {
            snprintf(vd->issuer_kid, sizeof vd->issuer_kid, "(%zu-byte kid)", p->cose.kid_len);
        }
    }
    return true;
}

/* decode: the headers and claims, for people debugging a code. */
static void
fill_details(const dcc_parts *p, hc_verdict *vd)
{
    json_t *d = json_object();
    json_t *cose = json_object();
    json_t *tags = json_array();
    char sig[1024];
    size_t n;

    if (p->cose.tagged_cwt) {
        json_array_append_new(tags, json_integer(HC_CBOR_TAG_CWT));
    }
    if (p->cose.tagged_sign1) {
        json_array_append_new(tags, json_integer(HC_CBOR_TAG_COSE_SIGN1));
    }
    json_object_set_new(cose, "tags", tags);
    json_object_set_new(cose, "protected",
                        p->cose.protected_map == HC_CBOR_NONE
                            ? json_object()
                            : hc_cbor_to_json(&p->header, p->cose.protected_map, 0));
    json_object_set_new(cose, "unprotected",
                        hc_cbor_to_json(&p->outer, p->cose.unprotected_map, 0));
    json_object_set_new(cose, "alg",
                        p->cose.sig_alg != HC_SIG_NONE
                            ? json_string(hc_sig_alg_name(p->cose.sig_alg))
                            : json_null());
    json_object_set_new(cose, "kid_in",
                        json_string(p->cose.kid == NULL     ? "none"
                                    : p->cose.kid_protected ? "protected"
                                                            : "unprotected"));
    if (hc_base64_encode(p->cose.signature, p->cose.signature_len, false, sig, sizeof sig, &n) ==
        HC_OK) {
        json_object_set_new(cose, "signature", json_string(sig));
    }
    json_object_set_new(d, "prefix", json_string("HC1:"));
    json_object_set_new(d, "cose", cose);
    json_t *claims = hc_cbor_to_json(&p->claims, p->cwt.claims, 0);
    /* The DCC itself is the verdict's payload; do not print it twice. */
    json_object_del(claims, "-260");
    json_object_set_new(d, "claims", claims);
    vd->details = d;
}

static const char *
time_text(int64_t ms, char *buf, size_t cap)
{
    hc_time_format(ms, false, buf, cap);
    return buf;
}

/* Finds the trusted key that verifies the signature; every key with the kid is tried. */
static const hc_trust_entry *
check_signature(hc_verifier *v, const dcc_parts *p, hc_verdict *vd)
{
    const hc_cose_sign1 *c = &p->cose;
    const hc_trust_entry *cand[HC_MAX_KEYS_PER_KID];
    uint8_t digest[32];

    if (!c->has_alg) {
        hc_verdict_fail(vd, HC_ERR_ALG_UNSUPPORTED,
                        "no signature algorithm in the protected header");
        return NULL;
    }
    if (c->sig_alg == HC_SIG_NONE) {
        hc_verdict_fail(vd, HC_ERR_ALG_UNSUPPORTED,
                        "signature algorithm %lld is not allowed (only ES256 = -7 and PS256 = "
                        "-37, HCERT §3.3.2)",
                        (long long)c->alg);
        return NULL;
    }
    if (c->kid == NULL) {
        hc_verdict_fail(vd, HC_ERR_KID_MISSING, "no key identifier (kid) in the COSE headers");
        return NULL;
    }
    size_t found = 0;
    if (v->opt.trust != NULL) {
        found = hc_trust_store_find(v->opt.trust, c->kid, c->kid_len, cand, HC_MAX_KEYS_PER_KID);
    }
    if (found == 0) {
        if (c->kid_len != DCC_KID_LEN) {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "the key identifier is %zu bytes; EU DCC kids are 8 bytes", c->kid_len);
        } else {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "no trusted signing certificate has the key identifier %s",
                            vd->issuer_kid);
        }
        return NULL;
    }
    if (found > HC_MAX_KEYS_PER_KID) {
        found = HC_MAX_KEYS_PER_KID;
    }
    if (hc_cose_sign1_tbs_sha256(c, digest) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_INTERNAL, "hashing the signed data failed");
        return NULL;
    }
    bool any_fit = false;
    size_t tried = 0;
    for (size_t i = 0; i < found; i++) {
        /* A trust-list entry published as CSCA (or UPLOAD, AUTHENTICATION) is a trust anchor or
         * a gateway credential, not a document signer (HCERT §5). The certificate's own CA flag
         * is not used: test DSCs of LV and ES in dgc-testdata are CA-flagged and expected to
         * verify. */
        if (cand[i]->kind != HC_TRUST_X509 ||
            (cand[i]->certificate_type[0] && strcmp(cand[i]->certificate_type, "DSC") != 0)) {
            /* Only certificates sign EU DCCs (HCERT §5): a bare JWK (a SMART Health Card issuer
             * key that happens to share the kid) would skip every certificate check. */
            continue;
        }
        tried++;
        hc_err e = hc_sig_verify_digest_cached(&v->sig_cache, cand[i]->key, c->sig_alg, digest,
                                               sizeof digest, c->signature, c->signature_len);
        if (e == HC_OK) {
            hc_verdict_check(vd, "signature", true);
            return cand[i];
        }
        any_fit |= e != HC_ERR_ALG_UNSUPPORTED;
    }
    if (tried == 0) {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                        "the key identifier %s belongs only to CA certificates, not to a document "
                        "signer",
                        vd->issuer_kid);
        return NULL;
    }
    hc_verdict_check(vd, "signature", false);
    if (any_fit) {
        hc_verdict_fail(vd, HC_ERR_SIGNATURE_INVALID,
                        "the signature does not verify with the trusted key: the code was altered "
                        "or forged");
    } else {
        hc_verdict_fail(vd, HC_ERR_ALG_UNSUPPORTED,
                        "%s does not fit the trusted key with this kid (wrong key type or size)",
                        hc_sig_alg_name(c->sig_alg));
    }
    return NULL;
}

static void
check_times(int64_t clock, const dcc_parts *p, hc_verdict *vd)
{
    char t[32];
    bool ok = true;

    if (!p->cwt.has_exp) {
        /* HCERT §3.3.1: exp is mandatory; without it the certificate would never expire. */
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "the certificate has no expiry (exp claim)");
        ok = false;
    } else if (clock > p->cwt.exp * 1000) {
        /* iat <= clock <= exp, both ends included: the EU reference runner's rule
         * (dgc-testdata tests/test_ehealth_certs.py), which DK, IE and ES vectors rely on by
         * setting the clock exactly to exp. */
        hc_verdict_fail(vd, HC_ERR_EXPIRED, "expired on %s",
                        time_text(p->cwt.exp * 1000, t, sizeof t));
        ok = false;
    }
    if (p->cwt.has_iat && clock < p->cwt.iat * 1000) {
        hc_verdict_fail(vd, HC_ERR_NOT_YET_VALID, "issued in the future, on %s",
                        time_text(p->cwt.iat * 1000, t, sizeof t));
        ok = false;
    }
    hc_verdict_check(vd, "expiry", ok);
}

/* HCERT §3.3.5-3.3.6 / §5: the DSC must be valid at the clock and when the DCC was issued. */
static void
check_key_validity(int64_t clock, const dcc_parts *p, const hc_trust_entry *key, hc_verdict *vd)
{
    const hc_cert_info *ci = &key->info;
    char t[32];
    bool ok = true;

    if (key->kind != HC_TRUST_X509) {
        return;
    }
    if (clock < ci->not_before) {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_YET_VALID, "the signing certificate is valid from %s",
                        time_text(ci->not_before, t, sizeof t));
        ok = false;
    } else if (clock > ci->not_after) {
        hc_verdict_fail(vd, HC_ERR_KEY_EXPIRED, "the signing certificate expired on %s",
                        time_text(ci->not_after, t, sizeof t));
        ok = false;
    }
    if (p->cwt.has_iat && ok) {
        int64_t iat = p->cwt.iat * 1000;
        if (iat < ci->not_before) {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_YET_VALID,
                            "issued before its signing certificate was valid (from %s)",
                            time_text(ci->not_before, t, sizeof t));
            ok = false;
        } else if (iat > ci->not_after) {
            hc_verdict_fail(vd, HC_ERR_KEY_EXPIRED,
                            "issued after its signing certificate expired (on %s)",
                            time_text(ci->not_after, t, sizeof t));
            ok = false;
        }
    }
    hc_verdict_check(vd, "key_validity", ok);
}

static void
check_key_usage(const hc_trust_entry *key, hc_verdict *vd)
{
    static const char *const names[] = { "test", "vaccination", "recovery" };
    if (key->kind != HC_TRUST_X509 || vd->type[0] == 0) {
        return;
    }
    bool ok = hc_cert_eku_allows(key->info.dcc_eku, vd->type[0]);
    if (!ok) {
        const char *n = vd->type[0] == 't' ? names[0] : vd->type[0] == 'v' ? names[1] : names[2];
        hc_verdict_fail(vd, HC_ERR_KEY_USAGE_MISMATCH,
                        "the signing certificate may not sign %s certificates (extended key usage)",
                        n);
    }
    hc_verdict_check(vd, "key_usage", ok);
}

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
            const hc_hcert h = { p.outer, p.header, p.claims, p.cose, p.cwt };
            return hc_who_ddcc_judge(v, &h, mode, vd);
        }
        hc_err e = hc_verdict_first_error(vd);
        return hc_err_is_verdict(e) ? HC_OK : e;
    }
    if (mode == HC_MODE_DECODE) {
        fill_details(&p, vd);
        vd->valid = false; /* decoding never vouches for a certificate */
        return HC_OK;
    }
    int64_t clock = hc_verifier_clock(v);
    const hc_trust_entry *key = check_signature(v, &p, vd);
    if (hc_verdict_first_error(vd) == HC_ERR_INTERNAL) {
        return HC_ERR_INTERNAL;
    }
    check_times(clock, &p, vd);
    if (key != NULL) {
        if (key->country[0]) {
            snprintf(vd->issuer_country, sizeof vd->issuer_country, "%s", key->country);
        }
        snprintf(vd->issuer_name, sizeof vd->issuer_name, "%s", key->info.subject_cn);
        check_key_validity(clock, &p, key, vd);
        check_key_usage(key, vd);
    }
    check_schema(vd);
    hc_rules_check(v, clock, vd->issuer_kid, vd);
    if (key != NULL) {
        /* Only a certificate whose signature verified is looked up: the hashes of a forgery name
         * nothing its claimed issuer revoked. */
        const hc_dcc_revocation_input rin = {
            .kid = p.cose.kid,
            .kid_len = p.cose.kid_len,
            .iss = p.cwt.has_iss ? p.cwt.iss : NULL,
            .iss_len = p.cwt.has_iss ? p.cwt.iss_len : 0,
            .alg = p.cose.sig_alg,
            .signature = p.cose.signature,
            .signature_len = p.cose.signature_len,
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
