/*
 * hcert.c: the HCERT container stages and shared checks (hcert.h), used by eu_dcc.c, who_ddcc.c
 * and ch_light.c.
 */
#include "hcert.h"

#include <string.h>
#include <strings.h>

#include "base45.h"
#include "base64.h"
#include "hctime.h"
#include "verdict_build.h"

hc_err
hc_hcert_unwrap_status(const hc_verdict *vd)
{
    hc_err e = hc_verdict_first_error(vd);
    return hc_err_is_verdict(e) ? HC_OK : e;
}

bool
hc_hcert_unwrap(hc_verifier *v, const char *text, size_t len, size_t prefix_len, hc_hcert *h,
                hc_verdict *vd)
{
    const char *body = text + prefix_len;
    size_t blen = len - prefix_len, n = 0, m = 0;
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
    /* The outer structure and the claims share the indefinite-string scratch half and half: each
     * decodes from its own part of the inflated bytes, so neither can need more than half. */
    hc_cbor_doc_init(&h->outer, v->outer_nodes, HC_OUTER_NODES, v->cbor_scratch,
                     sizeof v->cbor_scratch / 2, HC_CBOR_REJECT_DUPLICATE_KEYS);
    hc_cbor_doc_init(&h->header, v->header_nodes, HC_HEADER_NODES, NULL, 0,
                     HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (hc_cose_sign1_parse(v->inflated, m, &h->outer, &h->header, &h->cose, &why) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "COSE_Sign1: %s", why);
        return false;
    }
    hc_cbor_doc_init(&h->claims, v->claim_nodes, HC_CBOR_MAX_NODES,
                     v->cbor_scratch + sizeof v->cbor_scratch / 2, sizeof v->cbor_scratch / 2,
                     HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (hc_cwt_parse(h->cose.payload, h->cose.payload_len, &h->claims, &h->cwt, &why) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "CWT: %s", why);
        return false;
    }
    return true;
}

void
hc_hcert_fill_claims(const hc_hcert *h, hc_verdict *vd)
{
    if (h->cwt.has_iat) {
        vd->has_issued_at = true;
        vd->issued_at_ms = h->cwt.iat * 1000;
    }
    if (h->cwt.has_exp) {
        vd->has_expires_at = true;
        vd->expires_at_ms = h->cwt.exp * 1000;
    }
    vd->has_issuer = true;
    if (h->cwt.has_iss) {
        hc_verdict_copy_text(vd->issuer_country, sizeof vd->issuer_country,
                             (const char *)h->cwt.iss, h->cwt.iss_len);
    }
    if (h->cose.kid != NULL) {
        size_t kl;
        if (hc_base64_encode(h->cose.kid, h->cose.kid_len, false, vd->issuer_kid,
                             sizeof vd->issuer_kid, &kl) != HC_OK) {
            snprintf(vd->issuer_kid, sizeof vd->issuer_kid, "(%zu-byte kid)", h->cose.kid_len);
        }
    }
}

void
hc_hcert_fill_details(const hc_hcert *h, const char *prefix, int64_t payload_key, hc_verdict *vd)
{
    json_t *d = json_object();
    json_t *cose = json_object();
    json_t *tags = json_array();
    char sig[1024], key[24];
    size_t n;

    if (h->cose.tagged_cwt) {
        json_array_append_new(tags, json_integer(HC_CBOR_TAG_CWT));
    }
    if (h->cose.tagged_sign1) {
        json_array_append_new(tags, json_integer(HC_CBOR_TAG_COSE_SIGN1));
    }
    json_object_set_new(cose, "tags", tags);
    json_object_set_new(cose, "protected",
                        h->cose.protected_map == HC_CBOR_NONE
                            ? json_object()
                            : hc_cbor_to_json(&h->header, h->cose.protected_map, 0));
    json_object_set_new(cose, "unprotected",
                        hc_cbor_to_json(&h->outer, h->cose.unprotected_map, 0));
    json_object_set_new(cose, "alg",
                        h->cose.sig_alg != HC_SIG_NONE
                            ? json_string(hc_sig_alg_name(h->cose.sig_alg))
                            : json_null());
    json_object_set_new(cose, "kid_in",
                        json_string(h->cose.kid == NULL     ? "none"
                                    : h->cose.kid_protected ? "protected"
                                                            : "unprotected"));
    if (hc_base64_encode(h->cose.signature, h->cose.signature_len, false, sig, sizeof sig, &n) ==
        HC_OK) {
        json_object_set_new(cose, "signature", json_string(sig));
    }
    json_object_set_new(d, "prefix", json_string(prefix));
    json_object_set_new(d, "cose", cose);
    json_t *claims = hc_cbor_to_json(&h->claims, h->cwt.claims, 0);
    if (payload_key != 0 && claims != NULL) {
        /* The claim's content is the verdict's payload; do not print it twice. */
        snprintf(key, sizeof key, "%lld", (long long)payload_key);
        json_object_del(claims, key);
    }
    json_object_set_new(d, "claims", claims);
    vd->details = d;
}

static const char *
time_text(int64_t ms, char *buf, size_t cap)
{
    hc_time_format(ms, false, buf, cap);
    return buf;
}

/*
 * A trust-list entry published as CSCA / SCA (or UPLOAD, AUTHENTICATION, DECA, ...) is a trust
 * anchor or a gateway credential, not a document signer (HCERT §5). The certificate's own CA flag
 * is not used: test DSCs of LV and ES in dgc-testdata are CA-flagged and expected to verify.
 * A bare key signs only where the format allows it: elsewhere a JWK sharing the kid (a SMART
 * Health Card issuer key, say) would skip every certificate check.
 */
static bool
may_sign(const hc_trust_entry *e, bool bare_keys)
{
    if (e->kind != HC_TRUST_X509) {
        return bare_keys;
    }
    return e->certificate_type[0] == '\0' || strcmp(e->certificate_type, "DSC") == 0;
}

/* Adds the entries found for kid[0..kid_len) to cand[0..*n), skipping ones already there. */
static void
add_candidates(const hc_trust_store *ts, const uint8_t *kid, size_t kid_len,
               const hc_trust_entry **cand, size_t *n)
{
    const hc_trust_entry *found[HC_MAX_KEYS_PER_KID];
    size_t k = hc_trust_store_find(ts, kid, kid_len, found, HC_MAX_KEYS_PER_KID);
    if (k > HC_MAX_KEYS_PER_KID) {
        k = HC_MAX_KEYS_PER_KID;
    }
    for (size_t i = 0; i < k && *n < HC_MAX_KEYS_PER_KID; i++) {
        bool seen = false;
        for (size_t j = 0; j < *n; j++) {
            seen |= cand[j] == found[i];
        }
        if (!seen) {
            cand[(*n)++] = found[i];
        }
    }
}

/* Moves the candidates of participant p (no case) to the front, keeping their order. */
static void
prefer(const hc_trust_entry **cand, size_t n, const char *p)
{
    if (p == NULL || p[0] == '\0') {
        return;
    }
    const hc_trust_entry *sorted[HC_MAX_KEYS_PER_KID];
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            bool match =
                cand[i]->participant[0] != '\0' && strcasecmp(cand[i]->participant, p) == 0;
            if (match == (pass == 0)) {
                sorted[k++] = cand[i];
            }
        }
    }
    memcpy(cand, sorted, n * sizeof *cand);
}

const hc_trust_entry *
hc_hcert_check_signature(hc_verifier *v, const hc_hcert *h, const hc_hcert_signers *signers,
                         hc_verdict *vd)
{
    const hc_cose_sign1 *c = &h->cose;
    const hc_trust_entry *cand[HC_MAX_KEYS_PER_KID];
    uint8_t digest[32];
    size_t found = 0;

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
    if (v->opt.trust != NULL) {
        add_candidates(v->opt.trust, c->kid, c->kid_len, cand, &found);
        /* Bare keys are listed under the kid's base64 text (Swiss trust list "keyId"), so a
         * JWK-only list still resolves an HCERT kid. */
        char text[HC_BASE64_ENCODED_MAX(HC_TRUST_KID_MAX)];
        size_t tl = 0;
        if (signers->bare_keys != HC_HCERT_BARE_KEYS_IGNORED && c->kid_len <= HC_TRUST_KID_MAX &&
            hc_base64_encode(c->kid, c->kid_len, false, text, sizeof text, &tl) == HC_OK &&
            tl <= HC_TRUST_KID_MAX) {
            const hc_trust_entry *jw[HC_MAX_KEYS_PER_KID];
            size_t nj = 0;
            add_candidates(v->opt.trust, (const uint8_t *)text, tl, jw, &nj);
            for (size_t i = 0; i < nj && found < HC_MAX_KEYS_PER_KID; i++) {
                if (jw[i]->kind == HC_TRUST_JWK) {
                    cand[found++] = jw[i];
                }
            }
        }
    }
    if (found == 0) {
        if (c->kid_len != HC_HCERT_KID_LEN) {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "the key identifier is %zu bytes; %s kids are 8 bytes", c->kid_len,
                            signers->kid_name);
        } else {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "no trusted signing certificate has the key identifier %s",
                            vd->issuer_kid);
        }
        return NULL;
    }
    prefer(cand, found, signers->prefer_participant);
    if (hc_cose_sign1_tbs_sha256(c, digest) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_INTERNAL, "hashing the signed data failed");
        return NULL;
    }
    bool any_fit = false;
    size_t tried = 0;
    for (size_t i = 0; i < found; i++) {
        if (!may_sign(cand[i], signers->bare_keys == HC_HCERT_BARE_KEYS_SIGN)) {
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
        /* Bare keys are named only where they were looked up: a format that ignores them (EU
         * DCC) keeps the message its users know. */
        if (signers->bare_keys == HC_HCERT_BARE_KEYS_IGNORED) {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "the key identifier %s belongs only to CA certificates, not to a "
                            "document signer",
                            vd->issuer_kid);
        } else {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "the key identifier %s belongs only to CA certificates or bare keys, "
                            "not to a document signer certificate",
                            vd->issuer_kid);
        }
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

void
hc_hcert_check_times(int64_t clock, const hc_hcert *h, bool exp_required, hc_verdict *vd)
{
    char t[32];
    bool ok = true;

    if (!h->cwt.has_exp) {
        if (exp_required) {
            /* HCERT §3.3.1: exp is mandatory; without it the certificate would never expire. */
            hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                            "the certificate has no expiry (exp claim)");
            ok = false;
        }
    } else if (clock > h->cwt.exp * 1000) {
        /* iat <= clock <= exp, both ends included: the EU reference runner's rule
         * (dgc-testdata tests/test_ehealth_certs.py), which DK, IE and ES vectors rely on by
         * setting the clock exactly to exp. */
        hc_verdict_fail(vd, HC_ERR_EXPIRED, "expired on %s",
                        time_text(h->cwt.exp * 1000, t, sizeof t));
        ok = false;
    }
    if (h->cwt.has_iat && clock < h->cwt.iat * 1000) {
        hc_verdict_fail(vd, HC_ERR_NOT_YET_VALID, "issued in the future, on %s",
                        time_text(h->cwt.iat * 1000, t, sizeof t));
        ok = false;
    }
    hc_verdict_check(vd, "expiry", ok);
}

void
hc_hcert_check_key_validity(int64_t clock, const hc_hcert *h, const hc_trust_entry *key,
                            hc_verdict *vd)
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
    if (h->cwt.has_iat && ok) {
        int64_t iat = h->cwt.iat * 1000;
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

void
hc_hcert_check_key_usage(const hc_trust_entry *key, hc_verdict *vd)
{
    static const char *const names[] = { "test", "vaccination", "recovery" };
    char t = vd->type[0];
    if (key->kind != HC_TRUST_X509 || (t != 'v' && t != 't' && t != 'r')) {
        return;
    }
    bool ok = hc_cert_eku_allows(key->info.dcc_eku, t);
    if (!ok) {
        const char *n = t == 't' ? names[0] : t == 'v' ? names[1] : names[2];
        hc_verdict_fail(vd, HC_ERR_KEY_USAGE_MISMATCH,
                        "the signing certificate may not sign %s certificates (extended key usage)",
                        n);
    }
    hc_verdict_check(vd, "key_usage", ok);
}

void
hc_hcert_fill_key_issuer(const hc_trust_entry *key, hc_verdict *vd)
{
    if (key->country[0]) {
        snprintf(vd->issuer_country, sizeof vd->issuer_country, "%s", key->country);
    }
    if (key->kind == HC_TRUST_X509) {
        /* Some DSCs have no CN (the LACPASS DSCs of the GDHCN lists): their whole subject. */
        const char *n = key->info.subject_cn[0] ? key->info.subject_cn : key->info.subject;
        hc_verdict_copy_text(vd->issuer_name, sizeof vd->issuer_name, n, strlen(n));
    } else if (key->issuer[0]) {
        hc_verdict_copy_text(vd->issuer_name, sizeof vd->issuer_name, key->issuer,
                             strlen(key->issuer));
    }
}
