/* shc.c: SMART Health Cards in the verify pipeline (see shc.h). */
#include "shc.h"

#include <string.h>

#include "hctime.h"
#include "jwk.h"
#include "shc_fhir.h"
#include "verdict_build.h"

/* SHC spec §"Health Cards are encoded as ...": this type SHALL be present; others are ignored. */
#define SHC_TYPE_HEALTH_CARD "https://smarthealth.cards#health-card"

const hc_jws_policy hc_shc_jws_policy = {
    .algs = HC_JWS_ALG_BIT(HC_SIG_ES256),
    .allow_zip = true,
};

bool
hc_shc_claims_match(const json_t *claims)
{
    json_t *cs = json_object_get(json_object_get(claims, "vc"), "credentialSubject");
    return json_object_get(cs, "fhirBundle") != NULL;
}

/* SHC spec §"Determining keys": iss "SHALL use the https scheme and SHALL NOT include a trailing
 * '/'"; a host is required and no white space or control characters are allowed. */
static bool
iss_url_valid(const char *iss, size_t len)
{
    static const char scheme[] = "https://";
    if (len <= sizeof scheme - 1 || memcmp(iss, scheme, sizeof scheme - 1) != 0 ||
        iss[len - 1] == '/' || iss[sizeof scheme - 1] == '/') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)iss[i] <= ' ' || iss[i] == 0x7f) {
            return false;
        }
    }
    return true;
}

/* The card's parts that the checks need. */
typedef struct shc_card {
    const char *iss;
    size_t iss_len;
    hc_jwt_time nbf, exp;
    const json_t *vc, *bundle;
    const char *rid;
    size_t rid_len;
} shc_card;

/* Reads the claims into card and the verdict's decoded fields; false when the claims are not
 * those of a SMART Health Card (STRUCTURE_INVALID recorded). */
static bool
read_claims(const hc_jwt *jwt, shc_card *card, hc_verdict *vd)
{
    const json_t *c = jwt->claims;
    json_t *iss = json_object_get(c, "iss");
    memset(card, 0, sizeof *card);
    if (!json_is_string(iss) || json_string_length(iss) == 0 ||
        json_string_length(iss) >= sizeof vd->issuer_name) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "no issuer (\"iss\" must be the issuer's URL, at most %zu characters)",
                        sizeof vd->issuer_name - 1);
        return false;
    }
    card->iss = json_string_value(iss);
    card->iss_len = json_string_length(iss);
    if (!hc_jwt_numeric_date(c, "nbf", &card->nbf, vd) ||
        !hc_jwt_numeric_date(c, "exp", &card->exp, vd)) {
        return false;
    }
    if (!card->nbf.has) {
        /* SHC spec: issuanceDate "is represented by the registered JWT nbf claim". */
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "no issuance time (\"nbf\")");
        return false;
    }
    card->vc = json_object_get(c, "vc");
    json_t *cs = json_object_get(card->vc, "credentialSubject");
    card->bundle = json_object_get(cs, "fhirBundle");
    if (!json_is_object(card->vc) || !json_is_object(cs) || !json_is_object(card->bundle)) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "no vc.credentialSubject.fhirBundle object: not a SMART Health Card");
        return false;
    }
    json_t *rid = json_object_get(card->vc, "rid");
    if (json_is_string(rid)) {
        card->rid = json_string_value(rid);
        card->rid_len = json_string_length(rid);
    }
    return true;
}

/* The verdict fields known from the decoded card (before any check). */
static void
fill_decoded(const hc_jwt *jwt, const shc_card *card, hc_verdict *vd)
{
    vd->decoded = true;
    vd->has_issuer = true;
    hc_verdict_copy_text(vd->issuer_name, sizeof vd->issuer_name, card->iss, card->iss_len);
    if (jwt->jws.kid != NULL) {
        hc_verdict_copy_text(vd->issuer_kid, sizeof vd->issuer_kid, jwt->jws.kid, jwt->jws.kid_len);
    }
    vd->has_issued_at = true;
    vd->issued_at_ms = card->nbf.ms;
    if (card->exp.has) {
        vd->has_expires_at = true;
        vd->expires_at_ms = card->exp.ms;
    }
    vd->payload = json_incref(jwt->claims);
}

/*
 * The keys for the header's kid that may sign for iss, tried in order. A key bound to another
 * issuer is never tried (vci-directory#9: a kid found under another issuer is a mismatch, not a
 * match); an SHC kid must be the key's thumbprint (spec §"Determining keys").
 */
static const hc_trust_entry *
check_signature(hc_verifier *v, const hc_jwt *jwt, const shc_card *card, hc_verdict *vd)
{
    const hc_trust_entry *found[HC_MAX_KEYS_PER_KID], *usable[HC_MAX_KEYS_PER_KID];
    size_t n = 0, m = 0;
    const char *other_issuer = NULL;
    bool kid_not_thumbprint = false;
    char kid[64];

    if (jwt->jws.kid == NULL) {
        hc_verdict_fail(vd, HC_ERR_KID_MISSING,
                        "no key identifier (\"kid\") in the JWS header (SHC requires the key's "
                        "thumbprint)");
        return NULL;
    }
    hc_jwt_printable(jwt->jws.kid, jwt->jws.kid_len, kid, sizeof kid);
    if (v->opt.trust != NULL) {
        n = hc_trust_store_find(v->opt.trust, (const uint8_t *)jwt->jws.kid, jwt->jws.kid_len,
                                found, HC_MAX_KEYS_PER_KID);
    }
    n = n < HC_MAX_KEYS_PER_KID ? n : HC_MAX_KEYS_PER_KID;
    for (size_t i = 0; i < n; i++) {
        const hc_trust_entry *e = found[i];
        if (e->kind != HC_TRUST_JWK) {
            continue;
        }
        if (e->issuer[0] != '\0' &&
            (strlen(e->issuer) != card->iss_len || memcmp(e->issuer, card->iss, card->iss_len))) {
            other_issuer = e->issuer;
            continue;
        }
        if (strlen(e->thumbprint) != jwt->jws.kid_len ||
            memcmp(e->thumbprint, jwt->jws.kid, jwt->jws.kid_len) != 0) {
            kid_not_thumbprint = true;
            continue;
        }
        usable[m++] = e;
    }
    if (m == 0) {
        if (other_issuer != NULL) {
            char owner[96];
            hc_jwt_printable(other_issuer, strlen(other_issuer), owner, sizeof owner);
            hc_verdict_check(vd, "issuer", false);
            hc_verdict_fail(vd, HC_ERR_ISSUER_MISMATCH,
                            "the key %s belongs to %s, not to the card's issuer", kid, owner);
        } else if (kid_not_thumbprint) {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "the trusted key listed as %s is not the key with that RFC 7638 "
                            "thumbprint (SMART Health Card kids are thumbprints)",
                            kid);
        } else {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "no trusted key has the key identifier %s (load the issuer's JWKS or "
                            "a directory snapshot with --trust)",
                            kid);
        }
        return NULL;
    }
    return hc_jwt_verify_candidates(jwt, usable, m, vd);
}

static void
check_issuer(const shc_card *card, const hc_trust_entry *key, hc_verdict *vd)
{
    bool ok = true;
    if (!iss_url_valid(card->iss, card->iss_len)) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID,
                        "the issuer \"iss\" must be an https URL without a trailing '/' (SHC "
                        "spec, \"Determining keys associated with an issuer\")");
        ok = false;
    }
    if (key != NULL && key->issuer[0] != '\0') {
        /* check_signature only accepted keys of this issuer; recorded for the reader. */
        hc_verdict_check(vd, "issuer", ok);
    } else if (!ok) {
        hc_verdict_check(vd, "issuer", false);
    }
}

/* vc.type and the FHIR bundle. */
static void
check_schema(const shc_card *card, hc_verdict *vd)
{
    char why[200];
    bool ok = true, health_card = false;
    json_t *types = json_object_get(card->vc, "type");
    size_t i;
    json_t *t;
    json_array_foreach(types, i, t)
    {
        health_card |= json_is_string(t) && strcmp(json_string_value(t), SHC_TYPE_HEALTH_CARD) == 0;
    }
    if (!json_is_array(types) || !health_card) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID,
                        "vc.type does not include \"%s\" (SHC spec: it SHALL be present)",
                        SHC_TYPE_HEALTH_CARD);
        ok = false;
    }
    json_t *fv = json_object_get(json_object_get(card->vc, "credentialSubject"), "fhirVersion");
    if (!json_is_string(fv)) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID,
                        "vc.credentialSubject.fhirVersion is missing (e.g. \"4.0.1\")");
        ok = false;
    }
    if (!hc_shc_fhir_read(card->bundle, vd, why, sizeof why)) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID, "FHIR bundle: %s", why);
        ok = false;
    }
    json_t *rid = json_object_get(card->vc, "rid");
    bool rid_ok = rid == NULL ||
                  (json_is_string(rid) && card->rid_len > 0 && card->rid_len <= HC_SHC_RID_MAX);
    for (size_t k = 0; rid_ok && k < card->rid_len; k++) {
        rid_ok = hc_jws_is_b64url_char(card->rid[k]);
    }
    if (!rid_ok) {
        /* SHC spec §"Revocation": "SHALL use the base64url alphabet ... no longer than 24". */
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID,
                        "vc.rid is not a revocation identifier (base64url, at most 24 characters)");
        ok = false;
    }
    hc_verdict_check(vd, "schema", ok);
}

/*
 * SHC spec §"Revocation": reject the card when its rid is listed and, for "rid.<timestamp>", its
 * nbf is before the timestamp. A list older than the key's crlVersion cannot say what the issuer
 * revoked since: the answer is "could not check" (exit 2), not a verdict.
 */
static hc_err
check_revocation(hc_verifier *v, const hc_jwt *jwt, const shc_card *card, const hc_trust_entry *key,
                 hc_verdict *vd)
{
    /* A list bound to the card's issuer wins over one bound to none (trust_store.h). */
    const hc_trust_crl *crl = hc_trust_store_find_crl(
        v->opt.trust, card->iss, (const uint8_t *)jwt->jws.kid, jwt->jws.kid_len);
    if (crl == NULL) {
        return HC_OK; /* no list for this key: revocation is not checked (docs/shc.md) */
    }
    if (key->crl_version > crl->ctr) {
        hc_verdict_check(vd, "revocation", false);
        hc_verdict_fail(vd, HC_ERR_TRUST_INVALID,
                        "the revocation list for this key is older (ctr %lld) than the key says "
                        "(crlVersion %lld): load the current list",
                        (long long)crl->ctr, (long long)key->crl_version);
        return HC_ERR_TRUST_INVALID;
    }
    const hc_trust_rid *r =
        card->rid != NULL ? hc_trust_crl_find(crl, card->rid, card->rid_len) : NULL;
    bool revoked = r != NULL && (!r->has_before || card->nbf.seconds < (double)r->before_s);
    if (revoked) {
        hc_verdict_fail(vd, HC_ERR_REVOKED,
                        "revoked by its issuer (rid %s is on the revocation list of key %s)",
                        r->rid, vd->issuer_kid);
    }
    hc_verdict_check(vd, "revocation", !revoked);
    return HC_OK;
}

static void
fill_details(const hc_jwt *jwt, const shc_card *card, size_t chunks, hc_verdict *vd)
{
    json_t *d = hc_jwt_details(jwt);
    json_object_set_new(d, "qr_chunks", json_integer((json_int_t)chunks));
    json_object_set_new(d, "records", hc_shc_fhir_records(card->bundle));
    vd->details = d;
}

hc_err
hc_shc_judge(hc_verifier *v, hc_jwt *jwt, size_t chunks, hc_mode mode, hc_verdict *vd)
{
    shc_card card;
    char why[200];
    hc_err status = HC_OK;

    vd->format = hc_format_shc.name;
    /* The bare-JWS path parses under a wider policy: the SHC rules are applied here too. */
    if (jwt->jws.alg != HC_SIG_ES256) {
        hc_verdict_fail(vd, HC_ERR_ALG_UNSUPPORTED,
                        "SMART Health Cards are signed with ES256, not %s",
                        hc_sig_alg_name(jwt->jws.alg));
        return HC_OK;
    }
    if (!jwt->jws.zip) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the JWS header has no \"zip\":\"DEF\" (SHC payloads are compressed)");
        return HC_OK;
    }
    if (!read_claims(jwt, &card, vd)) {
        return HC_OK;
    }
    fill_decoded(jwt, &card, vd);
    if (mode == HC_MODE_DECODE) {
        /* Fill subject and summary without judging. */
        (void)hc_shc_fhir_read(card.bundle, vd, why, sizeof why);
        fill_details(jwt, &card, chunks, vd);
        vd->valid = false;
        return HC_OK;
    }
    const hc_trust_entry *key = check_signature(v, jwt, &card, vd);
    check_issuer(&card, key, vd);
    hc_jwt_check_times(hc_verifier_clock(v), &card.nbf, &card.exp, vd);
    check_schema(&card, vd);
    if (key != NULL) {
        status = check_revocation(v, jwt, &card, key, vd);
    }
    vd->valid = key != NULL && vd->n_errors == 0;
    return status;
}

static hc_err
shc_run(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *vd)
{
    size_t chunks = 0;
    hc_jwt jwt;

    vd->format = hc_format_shc.name;
    /* Chunked codes are deprecated but still read (SMART Health Cards spec, "Chunking"). */
    if (!hc_jwt_unwrap_qr(v, text, len, hc_format_shc.prefix, 1, &hc_shc_jws_policy, &chunks, &jwt,
                          vd)) {
        return HC_OK;
    }
    hc_err e = hc_shc_judge(v, &jwt, chunks, mode, vd);
    hc_jwt_clear(&jwt);
    return e;
}

const hc_format hc_format_shc = {
    .name = "shc",
    .prefix = "shc:/",
    .run = shc_run,
};
