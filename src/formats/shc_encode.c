/* shc_encode.c: issuing SMART Health Cards (see shc_encode.h). */
#include "shc_encode.h"

#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "hctime.h"
#include "inflate.h"
#include "jws.h"
#include "shc_fhir.h"
#include "shc_from_dcc.h"
#include "shc_numeric.h"

#define SHC_TYPE_HEALTH_CARD "https://smarthealth.cards#health-card"
/* Nesting the minimiser follows (a FHIR resource is a few levels deep; security.md §5 bounds JSON
 * at 64). */
#define MINIMIZE_MAX_DEPTH 64
#define DAY_MS             (86400LL * 1000)

void
hc_shc_issue_result_clear(hc_shc_issue_result *r)
{
    if (r != NULL) {
        free(r->jws);
        free(r->qr);
        json_decref(r->payload);
        memset(r, 0, sizeof *r);
    }
}

/* The short reference for a reference text, or NULL (map: old fullUrl / Type/id -> resource:N). */
static const char *
short_ref(const json_t *map, const char *reference)
{
    return json_string_value(json_object_get(map, reference));
}

/* Removes what the spec's QR rules drop, recursively; depth-bounded. */
static bool
strip(json_t *node, const json_t *map, int depth)
{
    if (depth > MINIMIZE_MAX_DEPTH) {
        return false;
    }
    if (json_is_array(node)) {
        size_t i;
        json_t *v;
        json_array_foreach(node, i, v)
        {
            if (!strip(v, map, depth + 1)) {
                return false;
            }
        }
        return true;
    }
    if (!json_is_object(node)) {
        return true;
    }
    /* Coding.display (a Coding has system / code) and CodeableConcept.text (it has coding). */
    if (json_object_get(node, "system") != NULL || json_object_get(node, "code") != NULL) {
        json_object_del(node, "display");
    }
    if (json_is_array(json_object_get(node, "coding"))) {
        json_object_del(node, "text");
    }
    const char *r = json_string_value(json_object_get(node, "reference"));
    if (r != NULL && short_ref(map, r) != NULL) {
        json_object_set_new(node, "reference", json_string(short_ref(map, r)));
    }
    const char *key;
    json_t *v;
    json_object_foreach(node, key, v)
    {
        if (!strip(v, map, depth + 1)) {
            return false;
        }
    }
    return true;
}

json_t *
hc_shc_minimize_bundle(const json_t *bundle)
{
    json_t *b = json_deep_copy(bundle);
    json_t *entries = json_object_get(b, "entry");
    json_t *map = json_object();
    const char *rt = json_string_value(json_object_get(b, "resourceType"));
    if (b == NULL || map == NULL || rt == NULL || strcmp(rt, "Bundle") != 0 ||
        !json_is_array(entries)) {
        json_decref(b);
        json_decref(map);
        return NULL;
    }
    json_object_del(b, "id");
    json_object_del(b, "meta");
    size_t i;
    json_t *e;
    /* First pass: every way an entry may be referenced maps to resource:i. */
    json_array_foreach(entries, i, e)
    {
        char s[32];
        snprintf(s, sizeof s, "resource:%zu", i);
        json_t *res = json_object_get(e, "resource");
        const char *full = json_string_value(json_object_get(e, "fullUrl"));
        const char *type = json_string_value(json_object_get(res, "resourceType"));
        const char *id = json_string_value(json_object_get(res, "id"));
        if (full != NULL) {
            json_object_set_new(map, full, json_string(s));
        }
        if (type != NULL && id != NULL) {
            char rel[256];
            snprintf(rel, sizeof rel, "%s/%s", type, id); /* a relative reference (FHIR §2.3.0) */
            json_object_set_new(map, rel, json_string(s));
        }
        json_object_set_new(e, "fullUrl", json_string(s));
    }
    json_array_foreach(entries, i, e)
    {
        json_t *res = json_object_get(e, "resource");
        json_object_del(res, "id");
        json_object_del(res, "text");
        json_t *meta = json_object_get(res, "meta");
        if (meta != NULL) {
            json_t *security = json_incref(json_object_get(meta, "security"));
            json_object_del(res, "meta");
            if (security != NULL) {
                json_object_set_new(res, "meta", json_pack("{s:o}", "security", security));
            }
        }
        /* Only what an entry needs: fullUrl and resource (search, request, ... are dropped). */
        const char *key;
        void *tmp;
        json_t *v;
        json_object_foreach_safe(e, tmp, key, v)
        {
            if (strcmp(key, "fullUrl") != 0 && strcmp(key, "resource") != 0) {
                json_object_del(e, key);
            }
        }
        if (!strip(res, map, 0)) {
            json_decref(b);
            json_decref(map);
            return NULL;
        }
    }
    json_decref(map);
    return b;
}

static bool
iss_ok(const char *iss)
{
    size_t n = iss != NULL ? strlen(iss) : 0;
    return n > 8 && strncmp(iss, "https://", 8) == 0 && iss[n - 1] != '/' &&
           strchr(iss, ' ') == NULL;
}

static bool
rid_ok(const char *rid)
{
    size_t n = strlen(rid);
    for (size_t i = 0; i < n; i++) {
        if (!hc_jws_is_b64url_char(rid[i])) {
            return false;
        }
    }
    return n > 0 && n <= 24;
}

/* The payload for bundle (borrowed), with nbf / exp / rid from opt. */
static json_t *
make_payload(const json_t *bundle, const hc_shc_issue_options *opt, int64_t nbf_ms)
{
    json_t *vc = json_pack(
        "{s:[s], s:{s:s, s:O}}", "type", SHC_TYPE_HEALTH_CARD, "credentialSubject", "fhirVersion",
        opt->fhir_version != NULL ? opt->fhir_version : "4.0.1", "fhirBundle", bundle);
    if (vc != NULL && opt->rid != NULL) {
        json_object_set_new(vc, "rid", json_string(opt->rid));
    }
    /* NumericDate (RFC 7519 §2): whole seconds, the form every verifier reads. */
    json_t *p =
        json_pack("{s:s, s:I, s:o}", "iss", opt->iss, "nbf", (json_int_t)(nbf_ms / 1000), "vc", vc);
    if (p != NULL && opt->validity_days > 0) {
        json_object_set_new(
            p, "exp", json_integer((json_int_t)((nbf_ms + opt->validity_days * DAY_MS) / 1000)));
    }
    return p;
}

hc_err
hc_shc_issue(const hc_jose_signer *s, const json_t *input, const hc_shc_issue_options *opt,
             hc_shc_issue_result *out, char *msg, size_t msg_len)
{
    char why[200];
    hc_err err = HC_OK;
    json_t *bundle = NULL;
    char *text = NULL;
    uint8_t *deflated = NULL;

    if (s == NULL || input == NULL || opt == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    if (s->alg != HC_SIG_ES256) {
        snprintf(msg, msg_len, "SMART Health Cards are signed with ES256 (a P-256 key)");
        return HC_ERR_KEY_INVALID;
    }
    if (!iss_ok(opt->iss)) {
        snprintf(msg, msg_len, "the issuer must be an https URL without a trailing '/'");
        return HC_ERR_INVALID_ARG;
    }
    if (opt->rid != NULL && !rid_ok(opt->rid)) {
        snprintf(msg, msg_len, "the rid must be 1 to 24 base64url characters");
        return HC_ERR_INVALID_ARG;
    }
    if (hc_shc_is_dcc_json(input)) {
        json_t *mapped = hc_shc_bundle_from_dcc(input, &err, why, sizeof why);
        if (mapped == NULL) {
            snprintf(msg, msg_len, "%s", why);
            return err;
        }
        bundle = hc_shc_minimize_bundle(mapped);
        json_decref(mapped);
    } else {
        bundle = hc_shc_minimize_bundle(input);
    }
    if (bundle == NULL) {
        snprintf(msg, msg_len, "the input is neither a FHIR Bundle nor EU DCC JSON");
        return HC_ERR_SCHEMA_INVALID;
    }
    /* Refuse what our own verifier would refuse. */
    hc_verdict probe;
    hc_verdict_init(&probe);
    bool ok = hc_shc_fhir_read(bundle, &probe, why, sizeof why);
    hc_verdict_clear(&probe);
    if (!ok) {
        snprintf(msg, msg_len, "FHIR bundle: %s", why);
        err = HC_ERR_SCHEMA_INVALID;
        goto done;
    }
    int64_t nbf = opt->has_time ? opt->time_ms : hc_time_now();
    out->payload = make_payload(bundle, opt, nbf);
    text =
        out->payload != NULL ? json_dumps(out->payload, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    if (text == NULL) {
        err = HC_ERR_NOMEM;
        goto done;
    }
    size_t len = strlen(text), n = 0;
    deflated = malloc(hc_deflate_bound(len));
    if (deflated == NULL) {
        err = HC_ERR_NOMEM;
        goto done;
    }
    err =
        hc_deflate(HC_DEFLATE_RAW, (const uint8_t *)text, len, deflated, hc_deflate_bound(len), &n);
    if (err != HC_OK) {
        goto done;
    }
    /* SHC spec §"Health Cards are Compact": the header members, in the examples' order. */
    json_t *header =
        json_pack("{s:s, s:s, s:s}", "zip", "DEF", "alg", "ES256", "kid", s->thumbprint);
    size_t jws_len = 0;
    err = header != NULL
              ? hc_jws_sign(header, deflated, n, s->key, HC_SIG_ES256, &out->jws, &jws_len)
              : HC_ERR_NOMEM;
    json_decref(header);
    if (err != HC_OK) {
        goto done;
    }
    if (jws_len > HC_SHC_MAX_SINGLE_JWS) {
        snprintf(msg, msg_len,
                 "the card is %zu JWS characters; one QR code holds %d (version 22, SHC spec): "
                 "leave out entries",
                 jws_len, HC_SHC_MAX_SINGLE_JWS);
        err = HC_ERR_INPUT_TOO_LARGE;
        goto done;
    }
    size_t qlen = 0, cap = 2 * jws_len + 8;
    out->qr = malloc(cap);
    if (out->qr == NULL) {
        err = HC_ERR_NOMEM;
        goto done;
    }
    memcpy(out->qr, "shc:/", 5);
    err = hc_shc_numeric_encode(out->jws, jws_len, out->qr + 5, cap - 5, &qlen);
done:
    free(text);
    free(deflated);
    json_decref(bundle);
    if (err != HC_OK) {
        hc_shc_issue_result_clear(out);
        if (msg != NULL && msg_len > 0 && msg[0] == '\0') {
            snprintf(msg, msg_len, "%s", hc_err_str(err));
        }
    }
    return err;
}

hc_err
hc_shc_rid(const char *secret, const char *kid, const char *user_id, char out[12])
{
    uint8_t mac[32];
    unsigned mac_len = 0;
    char key[512];
    size_t n = 0;
    if (secret == NULL || kid == NULL || user_id == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    int klen = snprintf(key, sizeof key, "%s%s", secret, kid);
    if (klen < 0 || (size_t)klen >= sizeof key) {
        return HC_ERR_INVALID_ARG;
    }
    if (HMAC(EVP_sha256(), key, klen, (const uint8_t *)user_id, strlen(user_id), mac, &mac_len) ==
            NULL ||
        mac_len != sizeof mac) {
        return HC_ERR_INTERNAL;
    }
    /* "[1..64]": the first 64 bits, 8 bytes -> 11 base64url characters. */
    hc_err e = hc_base64_encode(mac, 8, true, out, 12, &n);
    OPENSSL_cleanse(key, sizeof key);
    return e;
}
