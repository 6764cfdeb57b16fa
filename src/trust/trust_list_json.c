/*
 * trust_list_json.c: EU gateway-style JSON trust lists (trust_internal.h).
 *
 * The shape, as the DCC gateway's trust list download and national backends publish it (DCCG
 * TrustListDto): a JSON array of objects
 *     {"kid": base64, "country": "DE", "certificateType": "DSC", "rawData": base64 DER,
 *      "timestamp": ..., "thumbprint": ..., "signature": ...}
 * rawData is required; kid, country and certificateType are optional; other members are ignored.
 *
 * Invariants:
 *   - Bounded before parsing: a linear pre-scan limits nesting depth (HC_MAX_JSON_DEPTH), the
 *     number of top-level entries (HC_MAX_TRUST_ENTRIES) and the number of JSON values, so that
 *     jansson's recursion and memory are bounded whatever the 8 MiB input holds.
 *   - An entry is indexed by the kid computed from its certificate (HCERT Appendix A.1), never by
 *     the listed kid: a listed kid that differs is counted and reported (security.md §3 F10).
 *   - Unusable entries are skipped and counted, the first one named; the list fails as a whole
 *     only when it is not a list or has no usable entry.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base64.h"
#include "json_bounded.h"
#include "trust_gdhcn.h"
#include "trust_internal.h"

/* JSON values a trust list may hold per entry, on average, before we refuse to parse it: a
 * gateway entry has 7 members (14 values); the rest is headroom for future members. */
#define VALUES_PER_ENTRY 32

/* Bounds the JSON text before jansson sees it (json_bounded.c's pre-scan): nesting depth, entries
 * of the list and JSON values. The length is bounded by the caller (HC_MAX_TRUST_FILE). */
static const hc_json_limits list_limits = {
    .max_bytes = HC_MAX_TRUST_FILE,
    .max_depth = HC_MAX_JSON_DEPTH,
    .max_values = (size_t)HC_MAX_TRUST_ENTRIES * VALUES_PER_ENTRY,
    .max_entries = HC_MAX_TRUST_ENTRIES,
};

static void note_skip(hc__trust_report *rep, size_t index, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note_skip(hc__trust_report *rep, size_t index, const char *fmt, ...)
{
    rep->skipped++;
    if (rep->first_skip[0] != '\0') {
        return;
    }
    char detail[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    snprintf(rep->first_skip, sizeof rep->first_skip, "entry [%zu]: %s", index, detail);
}

/* An optional string member: NULL when absent; *bad when present but not a string. */
static const char *
optional_string(json_t *obj, const char *name, size_t *len, bool *bad)
{
    json_t *v = json_object_get(obj, name);
    if (v == NULL || json_is_null(v)) {
        return NULL;
    }
    if (!json_is_string(v)) {
        *bad = true;
        return NULL;
    }
    *len = json_string_length(v);
    return json_string_value(v);
}

/* Compares the listed kid with the computed one; counts and describes a difference. */
static void
check_kid(hc__trust_report *rep, size_t index, const char *listed, size_t listed_len,
          const hc_trust_entry *e)
{
    uint8_t kid[HC_TRUST_KID_MAX];
    size_t kid_len = 0;
    if (hc_base64_decode_lenient(listed, listed_len, kid, sizeof kid, &kid_len) == HC_OK &&
        kid_len == e->kid_len && memcmp(kid, e->kid, kid_len) == 0) {
        return;
    }
    rep->kid_mismatch++;
    if (rep->first_mismatch[0] != '\0') {
        return;
    }
    char computed[HC_BASE64_ENCODED_MAX(8)];
    size_t n;
    if (hc_base64_encode(e->kid, e->kid_len, false, computed, sizeof computed, &n) != HC_OK) {
        computed[0] = '\0';
    }
    /* The listed kid is shown only when it is plain base64 text of a sane length. */
    bool printable = listed_len > 0 && listed_len <= 24;
    for (size_t i = 0; printable && i < listed_len; i++) {
        char c = listed[i];
        printable = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/' || c == '=' || c == '-' || c == '_';
    }
    snprintf(rep->first_mismatch, sizeof rep->first_mismatch, "entry [%zu]: listed %s, computed %s",
             index, printable ? listed : "(not a kid)", computed);
}

/* One list entry: staged, or skipped and counted. Only HC_ERR_NOMEM and the like fail the list. */
static hc_err
stage_entry(hc_trust_store *ts, json_t *item, size_t index, const char *source,
            hc__trust_report *rep)
{
    uint8_t der[HC_MAX_CERT_DER];
    size_t der_len = 0, raw_len = 0, country_len = 0, type_len = 0, kid_len = 0;
    bool bad = false;
    const char *reason = NULL;

    if (!json_is_object(item)) {
        note_skip(rep, index, "not a JSON object");
        return HC_OK;
    }
    const char *raw = optional_string(item, "rawData", &raw_len, &bad);
    if (raw == NULL) {
        note_skip(rep, index, "no rawData string");
        return HC_OK;
    }
    const char *country = optional_string(item, "country", &country_len, &bad);
    const char *type = optional_string(item, "certificateType", &type_len, &bad);
    const char *kid = optional_string(item, "kid", &kid_len, &bad);
    if (bad) {
        note_skip(rep, index, "kid, country or certificateType is not a string");
        return HC_OK;
    }
    /* Strings with NUL inside are refused by jansson (no JSON_ALLOW_NUL), so the C lengths agree
     * with the JSON ones. */
    if (country != NULL && !hc__trust_country_valid(country, country_len)) {
        note_skip(rep, index, "country is not an ISO 3166-1 alpha-2 code");
        return HC_OK;
    }
    if (type != NULL && !hc__trust_type_valid(type, type_len)) {
        note_skip(rep, index, "certificateType is not 1-15 characters of A-Z, 0-9, _");
        return HC_OK;
    }
    hc_err err = hc_base64_decode_lenient(raw, raw_len, der, sizeof der, &der_len);
    if (err != HC_OK) {
        note_skip(rep, index,
                  err == HC_ERR_BUFFER_TOO_SMALL ? "rawData larger than 16 KiB"
                                                 : "rawData is not base64");
        return HC_OK;
    }
    X509 *cert = hc_x509_from_der(der, der_len);
    if (cert == NULL) {
        note_skip(rep, index, "rawData is not a DER certificate");
        return HC_OK;
    }
    const hc_trust_entry *e = NULL;
    err = hc__trust_stage_x509(ts, cert, country, type, source, &e, &reason);
    if (err == HC_ERR_TRUST_INVALID) {
        X509_free(cert);
        note_skip(rep, index, "%s", reason);
        return HC_OK;
    }
    if (err != HC_OK) {
        X509_free(cert);
        return err;
    }
    rep->staged++;
    if (kid != NULL) {
        check_kid(rep, index, kid, kid_len, e);
    }
    return HC_OK;
}

hc_err
hc__trust_stage_json(hc_trust_store *ts, const uint8_t *data, size_t len, const char *source,
                     hc__trust_report *rep, char *why, size_t why_len)
{
    json_error_t je;
    hc_err err = HC_ERR_TRUST_INVALID;

    if (hc_json_check_bounds((const char *)data, len, &list_limits, why, why_len) != HC_OK) {
        return HC_ERR_TRUST_INVALID;
    }
    /* Duplicate members are refused: which of two "rawData" counts would be a guess. */
    json_t *root = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        snprintf(why, why_len, "not valid JSON: %.120s (line %d, column %d)", je.text, je.line,
                 je.column);
        return HC_ERR_TRUST_INVALID;
    }
    if (json_is_object(root)) {
        if (hc_gdhcn_is_trust_list(root)) {
            /* WHO GDHCN trust lists are DID documents with x5c chains: trust_gdhcn.c. */
            hc_gdhcn_report gd;
            err = hc__trust_stage_gdhcn(ts, root, source, NULL, rep, &gd, why, why_len);
            if (err == HC_OK) {
                hc_gdhcn_report_text(&gd, rep->note, sizeof rep->note);
            }
            goto done;
        }
        /* JWKS, VCI snapshot, DID document, SHC revocation list: trust_jose.c. */
        err = hc__trust_stage_json_object(ts, root, source, rep, why, why_len);
        goto done;
    }
    if (!json_is_array(root)) {
        snprintf(why, why_len, "JSON is not a trust list (an array of entries)");
        goto done;
    }
    size_t n = json_array_size(root);
    if (n == 0) {
        snprintf(why, why_len, "empty trust list");
        goto done;
    }
    if (n > HC_MAX_TRUST_ENTRIES) {
        snprintf(why, why_len, "more than %d entries", HC_MAX_TRUST_ENTRIES);
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        err = stage_entry(ts, json_array_get(root, i), i, source, rep);
        if (err != HC_OK) {
            snprintf(why, why_len, "%s", hc_err_str(err));
            goto done;
        }
    }
    if (rep->staged == 0) {
        snprintf(why, why_len, "no usable entry: %zu skipped (first: %s)", rep->skipped,
                 rep->first_skip);
        err = HC_ERR_TRUST_INVALID;
        goto done;
    }
    err = HC_OK;
done:
    json_decref(root);
    return err;
}
