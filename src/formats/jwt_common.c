/* jwt_common.c: the shared stages of the JWS-based formats (see jwt_common.h). */
#include "jwt_common.h"

#include <math.h>
#include <string.h>

#include "hctime.h"
#include "json_bounded.h"
#include "shc_numeric.h"
#include "verdict_build.h"

bool
hc_jwt_unwrap(hc_verifier *v, const char *text, size_t len, const hc_jws_policy *pol,
              size_t max_inflated, hc_jwt *out, hc_verdict *vd)
{
    char why[200];
    memset(out, 0, sizeof *out);
    hc_err e = hc_jws_parse(text, len, pol, v->jws_payload, sizeof v->jws_payload, &out->jws, why,
                            sizeof why);
    if (e != HC_OK) {
        hc_verdict_fail(vd, e, "%s", why);
        return false;
    }
    const char *json = (const char *)out->jws.payload;
    size_t json_len = out->jws.payload_len;
    if (out->jws.zip) {
        /* Inflated before the signature is checked (the issuer is in the payload), so bounded:
         * security.md §0 item 1. */
        size_t m = 0;
        size_t cap = max_inflated < sizeof v->jws_inflated ? max_inflated : sizeof v->jws_inflated;
        if (hc_inflate(v->raw, out->jws.payload, out->jws.payload_len, v->jws_inflated, cap, &m) !=
            HC_OK) {
            hc_verdict_fail(vd, HC_ERR_DECOMPRESS_FAILED,
                            "the payload is not raw DEFLATE data (RFC 1951), is truncated, or "
                            "inflates past %zu KiB",
                            cap / 1024);
            hc_jwt_clear(out);
            return false;
        }
        json = (const char *)v->jws_inflated;
        json_len = m;
    }
    e = hc_json_parse_bounded(json, json_len, &hc_json_payload_limits, &out->claims, why,
                              sizeof why);
    if (e == HC_OK && !json_is_object(out->claims)) {
        e = HC_ERR_STRUCTURE_INVALID;
        snprintf(why, sizeof why, "not a JSON object");
    }
    if (e != HC_OK) {
        hc_verdict_fail(vd, e == HC_ERR_INPUT_TOO_LARGE ? e : HC_ERR_STRUCTURE_INVALID,
                        "the JWS payload (claims): %s", why);
        hc_jwt_clear(out);
        return false;
    }
    return true;
}

bool
hc_jwt_unwrap_qr(hc_verifier *v, const char *text, size_t len, const char *prefix, int allow_chunks,
                 const hc_jws_policy *pol, size_t *chunks, hc_jwt *out, hc_verdict *vd)
{
    char why[200];
    size_t jws_len = 0;
    /* The JWS text goes to v->unwrapped: at most half the input (two digits per character). */
    hc_err e = hc_shc_unchunk(text, len, prefix, allow_chunks, (char *)v->unwrapped,
                              sizeof v->unwrapped, &jws_len, chunks, why, sizeof why);
    if (e != HC_OK) {
        hc_verdict_fail(vd, e, "%s", why);
        return false;
    }
    return hc_jwt_unwrap(v, (const char *)v->unwrapped, jws_len, pol, HC_MAX_JWS_INFLATED_QR, out,
                         vd);
}

void
hc_jwt_clear(hc_jwt *jwt)
{
    if (jwt != NULL) {
        hc_jws_clear(&jwt->jws);
        json_decref(jwt->claims);
        jwt->claims = NULL;
    }
}

bool
hc_jwt_numeric_date(const json_t *claims, const char *name, hc_jwt_time *t, hc_verdict *vd)
{
    memset(t, 0, sizeof *t);
    json_t *c = json_object_get(claims, name);
    if (c == NULL) {
        return true;
    }
    double s = json_is_number(c) ? json_number_value(c) : -1.0;
    if (!json_is_number(c) || !isfinite(s) || s < 0) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "\"%s\" is not a NumericDate (a non-negative number of seconds, RFC 7519 "
                        "§2)",
                        name);
        return false;
    }
    double max_s = (double)(HC_TIME_MAX_MS / 1000);
    t->has = true;
    t->seconds = s;
    /* Fractions count (SHC examples have nbf 1687450764.656); milliseconds are kept, rounded
     * down, so that the comparison is exact to the millisecond. */
    t->ms = s >= max_s ? HC_TIME_MAX_MS : (int64_t)floor(s * 1000.0);
    return true;
}

void
hc_jwt_check_times(int64_t clock, const hc_jwt_time *nbf, const hc_jwt_time *exp, hc_verdict *vd)
{
    char t[32];
    bool ok = true;
    if (nbf->has && clock < nbf->ms) {
        hc_time_format(nbf->ms, false, t, sizeof t);
        hc_verdict_fail(vd, HC_ERR_NOT_YET_VALID, "not valid before %s%s", t,
                        nbf->ms == HC_TIME_MAX_MS ? " (nbf looks like milliseconds, not seconds)"
                                                  : "");
        ok = false;
    }
    if (exp->has && clock > exp->ms) {
        hc_time_format(exp->ms, false, t, sizeof t);
        hc_verdict_fail(vd, HC_ERR_EXPIRED, "expired on %s", t);
        ok = false;
    }
    hc_verdict_check(vd, "expiry", ok);
}

const hc_trust_entry *
hc_jwt_verify_candidates(const hc_jwt *jwt, const hc_trust_entry *const *cand, size_t n,
                         hc_verdict *vd)
{
    bool any_fit = false;
    for (size_t i = 0; i < n; i++) {
        hc_err e = hc_jws_verify(&jwt->jws, cand[i]->key);
        if (e == HC_OK) {
            hc_verdict_check(vd, "signature", true);
            return cand[i];
        }
        any_fit |= e != HC_ERR_ALG_UNSUPPORTED;
    }
    hc_verdict_check(vd, "signature", false);
    if (any_fit) {
        hc_verdict_fail(vd, HC_ERR_SIGNATURE_INVALID,
                        "the signature does not verify with the trusted key: the credential was "
                        "altered or forged");
    } else {
        hc_verdict_fail(vd, HC_ERR_ALG_UNSUPPORTED,
                        "%s does not fit the trusted key with this kid (wrong key type or curve)",
                        hc_sig_alg_name(jwt->jws.alg));
    }
    return NULL;
}

void
hc_jwt_printable(const char *s, size_t len, char *out, size_t cap)
{
    bool ok = s != NULL && len > 0 && len < cap;
    for (size_t i = 0; ok && i < len; i++) {
        ok = s[i] > ' ' && s[i] < 0x7f;
    }
    if (ok) {
        memcpy(out, s, len);
        out[len] = '\0';
    } else if (s != NULL && len >= cap && cap > 4) {
        /* Long but printable: the head, marked as cut. */
        size_t k = 0;
        while (k < cap - 4 && s[k] > ' ' && s[k] < 0x7f) {
            k++;
        }
        memcpy(out, s, k);
        memcpy(out + k, "...", 4);
    } else {
        snprintf(out, cap, "?");
    }
}

json_t *
hc_jwt_details(const hc_jwt *jwt)
{
    json_t *d = json_object();
    json_object_set(d, "header", jwt->jws.header);
    json_object_set_new(d, "compressed", json_boolean(jwt->jws.zip));
    json_object_set_new(d, "jws_length", json_integer((json_int_t)jwt->jws.text_len));
    return d;
}
