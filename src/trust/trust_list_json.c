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
 *   - DSC entries (and entries without certificateType, which sign like DSCs) are checked against
 *     the list itself (security.md §3 F6, hcert §5): a listed country must be the subject's C=, and
 *     when the list holds CSCAs of the DSC's country one of them must have issued it; otherwise the
 *     DSC is dropped and counted like any unusable entry. At most CSCA_PER_COUNTRY_MAX signature
 *     checks per DSC.
 */
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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

/* The members of one list entry that loading uses, and its certificate. */
typedef struct list_item {
    const char *country, *type, *kid; /* NULL when absent; jansson's strings, alive with the root */
    size_t country_len, type_len, kid_len;
    X509 *cert; /* a new reference when read_item succeeds */
} list_item;

/* The certificateType of item when it is a string, else NULL: a look at the type that decodes
 * nothing, for the CSCA pass. */
static const char *
type_of(json_t *item)
{
    return json_string_value(json_object_get(item, "certificateType"));
}

/* Reads an entry: NULL and it->cert set, or the reason it is unusable (static text). */
static const char *
read_item(json_t *item, list_item *it)
{
    uint8_t der[HC_MAX_CERT_DER];
    size_t der_len = 0, raw_len = 0;
    bool bad = false;

    memset(it, 0, sizeof *it);
    if (!json_is_object(item)) {
        return "not a JSON object";
    }
    const char *raw = optional_string(item, "rawData", &raw_len, &bad);
    if (raw == NULL) {
        return "no rawData string";
    }
    it->country = optional_string(item, "country", &it->country_len, &bad);
    it->type = optional_string(item, "certificateType", &it->type_len, &bad);
    it->kid = optional_string(item, "kid", &it->kid_len, &bad);
    if (bad) {
        return "kid, country or certificateType is not a string";
    }
    /* Strings with NUL inside are refused by jansson (no JSON_ALLOW_NUL), so the C lengths agree
     * with the JSON ones. */
    if (it->country != NULL && !hc__trust_country_valid(it->country, it->country_len)) {
        return "country is not an ISO 3166-1 alpha-2 code";
    }
    if (it->type != NULL && !hc__trust_type_valid(it->type, it->type_len)) {
        return "certificateType is not 1-15 characters of A-Z, 0-9, _";
    }
    hc_err err = hc_base64_decode_lenient(raw, raw_len, der, sizeof der, &der_len);
    if (err != HC_OK) {
        return err == HC_ERR_BUFFER_TOO_SMALL ? "rawData larger than 16 KiB"
                                              : "rawData is not base64";
    }
    it->cert = hc_x509_from_der(der, der_len);
    return it->cert == NULL ? "rawData is not a DER certificate" : NULL;
}

/*
 * CSCAs of one country that a DSC of the same list is checked against, at most. Real lists hold a
 * few per country (a rollover keeps the old CSCA beside the new one while DSCs it issued are
 * valid: 4-year CSCAs, 2-year DSCs, governance §3.2), so 64 is ample headroom; the bound keeps one
 * DSC's check to at most 64 signature verifications (and only for CSCAs whose subject is the DSC's
 * issuer name), so that a hostile list of 20,000 same-named CSCAs and DSCs of one country cannot
 * ask for 10^8 of them. CSCAs past the bound are skipped as entries (first come, first kept).
 */
#define CSCA_PER_COUNTRY_MAX 64

/* A usable CSCA entry of the list, with its country (listed, else its subject's C=). */
typedef struct list_csca {
    char country[3];
    size_t index; /* entry index: list order among the CSCAs of a country */
    X509 *cert;   /* own reference */
} list_csca;

/* The list's CSCAs by country, for the DSC checks (security.md §3 F6). */
typedef struct csca_table {
    list_csca *v; /* sorted by (country, index); at most CSCA_PER_COUNTRY_MAX per country */
    size_t n, cap;
    uint8_t *over;      /* per entry: 1 for a CSCA past the bound of its country */
    size_t dsc_chained; /* DSCs issued by a CSCA of their country in the list */
    size_t dsc_dropped; /* DSCs dropped: country mismatch or no listed CSCA of theirs issued them */
} csca_table;

static int
csca_cmp(const void *pa, const void *pb)
{
    const list_csca *a = pa, *b = pb;
    int c = strcmp(a->country, b->country);
    if (c != 0) {
        return c;
    }
    return a->index < b->index ? -1 : a->index > b->index;
}

static void
csca_table_free(csca_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        X509_free(t->v[i].cert);
    }
    free(t->v);
    free(t->over);
}

/* Appends entry index's certificate when it is a usable CSCA with a country; takes cert. */
static hc_err
csca_add(csca_table *t, X509 *cert, const char *listed_country, size_t index)
{
    hc_cert_info info;
    /* Only a CSCA the store would load vouches for DSCs: one it refuses is no issuer either (the
     * rule of the GDHCN loader, trust_gdhcn.c). Without a country it belongs to no DSC's group. */
    const char *country = listed_country != NULL ? listed_country : info.country;
    if (hc_cert_info_from_x509(cert, &info) != HC_OK || country[0] == '\0') {
        X509_free(cert);
        return HC_OK;
    }
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        list_csca *grown = realloc(t->v, cap * sizeof *grown);
        if (grown == NULL) {
            X509_free(cert);
            return HC_ERR_NOMEM;
        }
        t->v = grown;
        t->cap = cap;
    }
    t->v[t->n] = (list_csca){ { country[0], country[1], '\0' }, index, cert };
    t->n++;
    return HC_OK;
}

/* Reads the usable CSCA entries of list (n entries) into t, sorted by country; marks and drops the
 * ones past CSCA_PER_COUNTRY_MAX of their country. */
static hc_err
csca_table_build(csca_table *t, json_t *list, size_t n)
{
    memset(t, 0, sizeof *t);
    t->over = calloc(n, 1);
    if (t->over == NULL) {
        return HC_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(list, i);
        const char *type = type_of(item);
        list_item it;
        if (type == NULL || strcmp(type, "CSCA") != 0 || read_item(item, &it) != NULL) {
            continue; /* not a CSCA; or unusable, and skipped with its reason when staged */
        }
        hc_err err = csca_add(t, it.cert, it.country, i);
        if (err != HC_OK) {
            return err;
        }
    }
    if (t->n > 1) {
        qsort(t->v, t->n, sizeof *t->v, csca_cmp);
    }
    size_t kept = 0, run = 0;
    for (size_t i = 0; i < t->n; i++) {
        run = i > 0 && strcmp(t->v[i].country, t->v[i - 1].country) == 0 ? run + 1 : 0;
        if (run >= CSCA_PER_COUNTRY_MAX) {
            t->over[t->v[i].index] = 1;
            X509_free(t->v[i].cert);
        } else {
            t->v[kept++] = t->v[i];
        }
    }
    t->n = kept;
    return HC_OK;
}

/*
 * The F6 checks of a DSC entry (hcert §5; security.md §3 F6; dgca-verifier-service#55): NULL when
 * it may be staged, else why it is dropped (in buf). A listed country must be the subject's C=
 * (when the subject has one); when the list holds CSCAs of the DSC's country, one of them must have
 * issued it. A DSC of a country without a CSCA in the list is kept as listed: a verifier's
 * DSC-only list is the common case.
 */
static const char *
dsc_check(csca_table *t, const list_item *it, char *buf, size_t cap)
{
    hc_cert_info info;
    if (hc_cert_info_from_x509(it->cert, &info) != HC_OK) {
        return NULL; /* unusable: hc__trust_stage_x509 says why */
    }
    if (it->country != NULL && info.country[0] != '\0' && strcmp(it->country, info.country) != 0) {
        t->dsc_dropped++;
        snprintf(buf, cap, "country %s but the certificate's subject says C=%s", it->country,
                 info.country);
        return buf;
    }
    const char *country = it->country != NULL ? it->country : info.country;
    if (country[0] == '\0' || t->n == 0) {
        return NULL;
    }
    /* The first CSCA of the country (lower bound by country). */
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->v[mid].country, country) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == t->n || strcmp(t->v[lo].country, country) != 0) {
        return NULL; /* no CSCA of this country in the list: trusted as listed */
    }
    /* At most CSCA_PER_COUNTRY_MAX candidates: csca_table_build kept no more per country. */
    for (size_t j = lo; j < t->n && strcmp(t->v[j].country, country) == 0; j++) {
        if (hc_trust_ca_issued(t->v[j].cert, it->cert, NULL)) {
            t->dsc_chained++;
            return NULL;
        }
    }
    t->dsc_dropped++;
    snprintf(buf, cap, "DSC not signed by a CSCA of %s in this list", country);
    return buf;
}

/* One list entry: staged, or skipped and counted. Only HC_ERR_NOMEM and the like fail the list. */
static hc_err
stage_entry(hc_trust_store *ts, json_t *item, size_t index, const char *source,
            hc__trust_report *rep, csca_table *cscas)
{
    list_item it;
    char why[128];
    const char *reason = read_item(item, &it);
    if (reason != NULL) {
        note_skip(rep, index, "%s", reason);
        return HC_OK;
    }
    if (cscas->over[index]) {
        snprintf(why, sizeof why, "more than %d CSCAs of %s in this list", CSCA_PER_COUNTRY_MAX,
                 it.country != NULL ? it.country : "its country");
        reason = why;
    } else if (it.type == NULL || strcmp(it.type, "DSC") == 0) {
        /* An entry without certificateType is used as a document signer too, so it is checked as
         * one: otherwise leaving the type out would pass over the checks. */
        reason = dsc_check(cscas, &it, why, sizeof why);
    }
    if (reason != NULL) {
        X509_free(it.cert);
        note_skip(rep, index, "%s", reason);
        return HC_OK;
    }
    const hc_trust_entry *e = NULL;
    /* it.country and it.type are NUL-terminated jansson strings checked by read_item. */
    hc_err err = hc__trust_stage_x509(ts, it.cert, it.country, it.type, source, &e, &reason);
    if (err == HC_ERR_TRUST_INVALID) {
        X509_free(it.cert);
        note_skip(rep, index, "%s", reason);
        return HC_OK;
    }
    if (err != HC_OK) {
        X509_free(it.cert);
        return err;
    }
    rep->staged++;
    if (it.kid != NULL) {
        check_kid(rep, index, it.kid, it.kid_len, e);
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
    /* Two passes: the CSCAs first, since a DSC may come before its CSCA in the list; then every
     * entry in list order, so that the store's insertion order is the list's. */
    csca_table cscas;
    err = csca_table_build(&cscas, root, n);
    for (size_t i = 0; err == HC_OK && i < n; i++) {
        err = stage_entry(ts, json_array_get(root, i), i, source, rep, &cscas);
    }
    if (err == HC_OK && (cscas.dsc_chained > 0 || cscas.dsc_dropped > 0)) {
        snprintf(rep->note, sizeof rep->note,
                 "%zu DSC%s issued by a listed CSCA of their country, %zu DSC%s dropped (country "
                 "or CSCA mismatch)",
                 cscas.dsc_chained, cscas.dsc_chained == 1 ? "" : "s", cscas.dsc_dropped,
                 cscas.dsc_dropped == 1 ? "" : "s");
    }
    csca_table_free(&cscas);
    if (err != HC_OK) {
        snprintf(why, why_len, "%s", hc_err_str(err));
        goto done;
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
