/*
 * trust_store.c: the trust store (include/healthcert/trust.h, trust_store.h): entries, the kid
 * index, staged loading, and the inputs detected by content (folder, PEM, DER; JSON trust lists
 * are in trust_list_json.c).
 *
 * Invariants:
 *   - entries[0, committed) are the store: usable, indexed in by_kid, in insertion order.
 *     entries[committed, count) are staged by the load in progress, invisible to readers; every
 *     public add ends with commit() or rollback(), so between calls count == committed.
 *   - by_kid holds the committed entries sorted by (kid length, kid bytes), ties in insertion
 *     order: hc_trust_store_find is a binary search plus a scan of the equal run, O(log n).
 *   - At most HC_MAX_KEYS_PER_KID entries share a kid (hcert §3.3.3 says try them all; more than
 *     the verifier's bound could never be tried), and no two entries are the same certificate for
 *     the same country and certificate type (exact duplicates are dropped at commit, V2 of
 *     security.md §1.2 keys rows on (country, kid, certificate) rather than on kid alone).
 *   - Every bound is checked before memory grows: an input <= HC_MAX_TRUST_FILE bytes, a folder
 *     <= HC_MAX_TRUST_ENTRIES files, the store <= HC_TRUST_MAX_STORE_ENTRIES entries.
 *   - Read-only after loading: no lazy state, so any number of threads may find concurrently.
 */
#include "trust_store.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base64.h"
#include "fileio.h"
#include "hc_msg.h"
#include "trust_internal.h"
#include "trust_x509_crl.h"

struct hc_trust_store {
    hc_trust_entry **entries; /* insertion order; see the invariants above */
    size_t count, committed, cap;
    hc_trust_entry **by_kid; /* committed entries sorted by kid */
    /* SMART Health Cards revocation lists: staged and committed with the entries of the same
     * input ([0, crls_committed) are visible). Few per store, so looked up by a linear scan. */
    hc_trust_crl **crls;
    size_t n_crls, crls_committed, crls_cap;
    hc__x509_crl_set x509_crls; /* X.509 CRLs of CSCAs, staged alike (trust_x509_crl.c) */
};

/* ---- messages ---- */

/* A bounded text being appended to; cut texts end in "...". */
typedef struct text {
    char *buf;
    size_t cap, len;
} text;

static void text_add(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
text_add(text *t, const char *fmt, ...)
{
    if (t->buf == NULL || t->cap == 0 || t->len + 1 >= t->cap) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->buf[t->len] = '\0';
        return;
    }
    if ((size_t)n >= t->cap - t->len) {
        t->len = t->cap - 1;
        if (t->cap >= 4) {
            memcpy(t->buf + t->cap - 4, "...", 4);
        }
        return;
    }
    t->len += (size_t)n;
}

static text
text_on(char *buf, size_t cap)
{
    text t = { buf, cap, 0 };
    if (buf != NULL && cap > 0) {
        buf[0] = '\0';
    }
    return t;
}

/* Copies the end of s into dst (cap bytes): a long path keeps its informative tail. */
static void
copy_tail(char *dst, size_t cap, const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n < cap) {
        memcpy(dst, s != NULL ? s : "", n + 1);
        return;
    }
    const char *tail = s + n - (cap - 4);
    while ((*(const unsigned char *)tail & 0xc0) == 0x80) {
        tail++; /* never start inside a UTF-8 character */
    }
    snprintf(dst, cap, "...%s", tail);
}

/* ---- entries ---- */

static void
entry_free(hc_trust_entry *e)
{
    if (e != NULL) {
        X509_free(e->cert);
        EVP_PKEY_free(e->key);
        free(e);
    }
}

/*
 * A new, zeroed entry for the staging functions, with room already made for it in ts->entries:
 * the store bound is checked and the array grown before anything is allocated, so a full store
 * costs nothing. The caller fills it and stages it at ts->entries[ts->count++] (or frees it).
 */
static hc_err
new_entry(hc_trust_store *ts, hc_trust_entry **out, const char **reason)
{
    if (ts->count >= HC_TRUST_MAX_STORE_ENTRIES) {
        *reason = "the trust store is full (80000 entries)";
        return HC_ERR_TRUST_INVALID;
    }
    if (ts->count == ts->cap) {
        size_t cap = ts->cap ? ts->cap * 2 : 64;
        hc_trust_entry **grown = realloc(ts->entries, cap * sizeof *grown);
        if (grown == NULL) {
            return HC_ERR_NOMEM;
        }
        ts->entries = grown;
        ts->cap = cap;
    }
    *out = calloc(1, sizeof **out);
    return *out != NULL ? HC_OK : HC_ERR_NOMEM;
}

int
hc__trust_country_valid(const char *country, size_t len)
{
    return len == 2 && country[0] >= 'A' && country[0] <= 'Z' && country[1] >= 'A' &&
           country[1] <= 'Z';
}

int
hc__trust_type_valid(const char *type, size_t len)
{
    if (len == 0 || len >= sizeof(((hc_trust_entry *)0)->certificate_type)) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        char c = type[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
            return 0;
        }
    }
    return 1;
}

hc_err
hc__trust_stage_x509(hc_trust_store *ts, X509 *cert, const char *country,
                     const char *certificate_type, const char *source,
                     const hc_trust_entry **staged, const char **reason)
{
    const char *why = NULL;

    if (ts == NULL || cert == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (country != NULL && country[0] != '\0' &&
        !hc__trust_country_valid(country, strlen(country))) {
        *reason = "country is not an ISO 3166-1 alpha-2 code";
        return HC_ERR_TRUST_INVALID;
    }
    if (certificate_type != NULL && certificate_type[0] != '\0' &&
        !hc__trust_type_valid(certificate_type, strlen(certificate_type))) {
        *reason = "certificateType is not 1-15 characters of A-Z, 0-9, _";
        return HC_ERR_TRUST_INVALID;
    }
    hc_trust_entry *e = NULL;
    hc_err err = new_entry(ts, &e, reason);
    if (err != HC_OK) {
        return err;
    }
    err = hc_cert_info_from_x509_reason(cert, &e->info, &why);
    if (err != HC_OK) {
        free(e);
        *reason = why != NULL ? why : "unusable certificate";
        return err;
    }
    e->key = X509_get_pubkey(cert);
    if (e->key == NULL) {
        free(e);
        *reason = "no readable public key";
        return HC_ERR_TRUST_INVALID;
    }
    e->kind = HC_TRUST_X509;
    memcpy(e->kid, e->info.kid, sizeof e->info.kid);
    e->kid_len = sizeof e->info.kid;
    memcpy(e->country, country != NULL && country[0] != '\0' ? country : e->info.country, 3);
    if (certificate_type != NULL) {
        memcpy(e->certificate_type, certificate_type, strlen(certificate_type) + 1);
    }
    copy_tail(e->source, sizeof e->source, source);
    e->cert = cert;
    ts->entries[ts->count++] = e; /* new_entry made room */
    if (staged != NULL) {
        *staged = e;
    }
    return HC_OK;
}

hc_err
hc__trust_stage_jwk(hc_trust_store *ts, EVP_PKEY *key, const char *kid, size_t kid_len,
                    const char *issuer, const char *source, hc_trust_entry **staged,
                    const char **reason)
{
    if (ts == NULL || key == NULL || (kid == NULL && kid_len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    if (kid_len == 0 || kid_len > HC_TRUST_KID_MAX) {
        *reason = "the kid is empty or longer than 128 bytes";
        return HC_ERR_TRUST_INVALID;
    }
    if (issuer != NULL && strlen(issuer) >= sizeof(((hc_trust_entry *)0)->issuer)) {
        *reason = "the issuer is longer than 255 bytes";
        return HC_ERR_TRUST_INVALID;
    }
    hc_sig_alg alg = hc_sig_alg_for_key(key);
    if (alg == HC_SIG_NONE) {
        *reason = "the key fits no supported signature algorithm";
        return HC_ERR_TRUST_INVALID;
    }
    hc_trust_entry *e = NULL;
    hc_err err = new_entry(ts, &e, reason);
    if (err != HC_OK) {
        return err;
    }
    e->kind = HC_TRUST_JWK;
    memcpy(e->kid, kid, kid_len);
    e->kid_len = kid_len;
    snprintf(e->issuer, sizeof e->issuer, "%s", issuer != NULL ? issuer : "");
    copy_tail(e->source, sizeof e->source, source);
    e->alg = alg;
    e->key = key;
    ts->entries[ts->count++] = e; /* new_entry made room */
    if (staged != NULL) {
        *staged = e;
    }
    return HC_OK;
}

/* ---- SMART Health Cards revocation lists ---- */

void
hc__trust_crl_free(hc_trust_crl *crl)
{
    if (crl != NULL) {
        free(crl->rids);
        free(crl);
    }
}

hc_err
hc__trust_stage_crl(hc_trust_store *ts, hc_trust_crl *crl)
{
    if (ts == NULL || crl == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (ts->n_crls == ts->crls_cap) {
        /* Bounded by the inputs: each CRL needs a file or a snapshot entry of its own. */
        size_t cap = ts->crls_cap ? ts->crls_cap * 2 : 8;
        hc_trust_crl **grown = realloc(ts->crls, cap * sizeof *grown);
        if (grown == NULL) {
            return HC_ERR_NOMEM;
        }
        ts->crls = grown;
        ts->crls_cap = cap;
    }
    ts->crls[ts->n_crls++] = crl;
    return HC_OK;
}

const hc_trust_crl *
hc_trust_store_find_crl(const hc_trust_store *ts, const char *issuer, const uint8_t *kid,
                        size_t kid_len)
{
    const hc_trust_crl *bound = NULL, *unbound = NULL;
    if (ts == NULL || kid == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < ts->crls_committed; i++) {
        const hc_trust_crl *c = ts->crls[i];
        if (c->kid_len != kid_len || memcmp(c->kid, kid, kid_len) != 0) {
            continue;
        }
        if (c->issuer[0] == '\0') {
            unbound = unbound == NULL || c->ctr > unbound->ctr ? c : unbound;
        } else if (issuer != NULL && strcmp(c->issuer, issuer) == 0) {
            bound = bound == NULL || c->ctr > bound->ctr ? c : bound;
        }
    }
    return bound != NULL ? bound : unbound;
}

const hc_trust_rid *
hc_trust_crl_find(const hc_trust_crl *crl, const char *rid, size_t rid_len)
{
    char key[HC_SHC_RID_MAX + 1];
    if (crl == NULL || rid == NULL || rid_len == 0 || rid_len > HC_SHC_RID_MAX) {
        return NULL;
    }
    memcpy(key, rid, rid_len);
    key[rid_len] = '\0';
    size_t lo = 0, hi = crl->n_rids;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(crl->rids[mid].rid, key);
        if (c == 0) {
            return &crl->rids[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return NULL;
}

/* ---- the kid index ---- */

static int
kid_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    if (alen != blen) {
        return alen < blen ? -1 : 1;
    }
    return memcmp(a, b, alen);
}

/* First position in by_kid[0, n) whose kid is not below kid. */
static size_t
lower_bound(hc_trust_entry *const *by_kid, size_t n, const uint8_t *kid, size_t kid_len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (kid_cmp(by_kid[mid]->kid, by_kid[mid]->kid_len, kid, kid_len) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* Same key material for the same owner: a duplicate (kid already known equal). */
static bool
same_identity(const hc_trust_entry *a, const hc_trust_entry *b)
{
    if (a->kind != b->kind || strcmp(a->country, b->country) != 0 ||
        strcmp(a->certificate_type, b->certificate_type) != 0 ||
        strcmp(a->issuer, b->issuer) != 0) {
        return false;
    }
    if (a->kind == HC_TRUST_X509) {
        return memcmp(a->info.sha256, b->info.sha256, sizeof a->info.sha256) == 0;
    }
    return EVP_PKEY_eq(a->key, b->key) == 1;
}

/* A staged entry with its insertion position, for sorting. */
typedef struct staged_ref {
    hc_trust_entry *e;
    size_t pos;
    enum { KEEP, DROP_DUPLICATE, DROP_OVER_LIMIT } fate;
} staged_ref;

static int
staged_cmp(const void *pa, const void *pb)
{
    const staged_ref *a = pa, *b = pb;
    int c = kid_cmp(a->e->kid, a->e->kid_len, b->e->kid, b->e->kid_len);
    if (c != 0) {
        return c;
    }
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

static void
rollback(hc_trust_store *ts)
{
    for (size_t i = ts->committed; i < ts->count; i++) {
        entry_free(ts->entries[i]);
        ts->entries[i] = NULL;
    }
    ts->count = ts->committed;
    for (size_t i = ts->crls_committed; i < ts->n_crls; i++) {
        hc__trust_crl_free(ts->crls[i]);
        ts->crls[i] = NULL;
    }
    ts->n_crls = ts->crls_committed;
    hc__x509_crl_set_rollback(&ts->x509_crls);
}

/*
 * Indexes the staged entries: drops exact duplicates and entries past HC_MAX_KEYS_PER_KID (first
 * come, first kept), merges the rest into by_kid. On HC_ERR_NOMEM the staged entries are rolled
 * back and the store is as before.
 */
static hc_err
commit_entries(hc_trust_store *ts, size_t *duplicates, size_t *over_limit)
{
    size_t k = ts->count - ts->committed, kept = 0;
    staged_ref *tail = NULL;
    hc_trust_entry **merged = NULL;

    *duplicates = *over_limit = 0;
    if (k == 0) {
        return HC_OK;
    }
    tail = malloc(k * sizeof *tail);
    if (tail == NULL) {
        rollback(ts);
        return HC_ERR_NOMEM;
    }
    for (size_t i = 0; i < k; i++) {
        tail[i] = (staged_ref){ ts->entries[ts->committed + i], ts->committed + i, KEEP };
    }
    qsort(tail, k, sizeof *tail, staged_cmp);

    /* Decide each staged entry's fate. Per kid, at most HC_MAX_KEYS_PER_KID entries are ever
     * compared, so this is linear however many copies an input holds. */
    const staged_ref *run_kept[HC_MAX_KEYS_PER_KID];
    size_t run_kept_n = 0;
    for (size_t i = 0; i < k; i++) {
        hc_trust_entry *e = tail[i].e;
        if (i == 0 || kid_cmp(e->kid, e->kid_len, tail[i - 1].e->kid, tail[i - 1].e->kid_len)) {
            run_kept_n = 0;
        }
        size_t lo = lower_bound(ts->by_kid, ts->committed, e->kid, e->kid_len);
        size_t same = 0;
        bool dup = false;
        for (size_t j = lo;
             j < ts->committed &&
             !kid_cmp(ts->by_kid[j]->kid, ts->by_kid[j]->kid_len, e->kid, e->kid_len);
             j++) {
            same++;
            dup |= same_identity(ts->by_kid[j], e);
        }
        for (size_t j = 0; j < run_kept_n; j++) {
            dup |= same_identity(run_kept[j]->e, e);
        }
        same += run_kept_n;
        if (dup) {
            tail[i].fate = DROP_DUPLICATE;
            (*duplicates)++;
        } else if (same >= HC_MAX_KEYS_PER_KID) {
            tail[i].fate = DROP_OVER_LIMIT;
            (*over_limit)++;
        } else {
            run_kept[run_kept_n++] = &tail[i];
            kept++;
        }
    }

    merged = malloc((ts->committed + kept + 1) * sizeof *merged);
    if (merged == NULL) {
        free(tail);
        rollback(ts);
        return HC_ERR_NOMEM;
    }
    /* From here on nothing fails. Drop, then close the gaps keeping insertion order. */
    for (size_t i = 0; i < k; i++) {
        if (tail[i].fate != KEEP) {
            entry_free(tail[i].e);
            ts->entries[tail[i].pos] = NULL;
        }
    }
    size_t w = ts->committed;
    for (size_t r = ts->committed; r < ts->count; r++) {
        if (ts->entries[r] != NULL) {
            ts->entries[w++] = ts->entries[r];
        }
    }
    ts->count = w;
    /* Merge: on equal kids the committed entry comes first (it was inserted earlier). */
    size_t a = 0, b = 0, o = 0;
    while (a < ts->committed || b < k) {
        if (b < k && tail[b].fate != KEEP) {
            b++;
            continue;
        }
        bool take_old =
            b == k || (a < ts->committed && kid_cmp(ts->by_kid[a]->kid, ts->by_kid[a]->kid_len,
                                                    tail[b].e->kid, tail[b].e->kid_len) <= 0);
        merged[o++] = take_old ? ts->by_kid[a++] : tail[b++].e;
    }
    free(ts->by_kid);
    ts->by_kid = merged;
    ts->committed = ts->count;
    free(tail);
    return HC_OK;
}

/* Commits the staged entries and revocation lists of one input together (all or nothing). */
static hc_err
commit(hc_trust_store *ts, size_t *duplicates, size_t *over_limit)
{
    hc_err err = commit_entries(ts, duplicates, over_limit);
    if (err == HC_OK) {
        ts->crls_committed = ts->n_crls;
        hc__x509_crl_set_commit(&ts->x509_crls);
    }
    return err;
}

/* ---- public reading ---- */

hc_trust_store *
hc_trust_store_new(void)
{
    return calloc(1, sizeof(hc_trust_store));
}

void
hc_trust_store_free(hc_trust_store *ts)
{
    if (ts == NULL) {
        return;
    }
    for (size_t i = 0; i < ts->count; i++) {
        entry_free(ts->entries[i]);
    }
    free(ts->entries);
    free(ts->by_kid);
    for (size_t i = 0; i < ts->n_crls; i++) {
        hc__trust_crl_free(ts->crls[i]);
    }
    free(ts->crls);
    hc__x509_crl_set_free(&ts->x509_crls);
    free(ts);
}

const hc__x509_crl_set *
hc__trust_x509_crl_set(const hc_trust_store *ts)
{
    return ts != NULL ? &ts->x509_crls : NULL;
}

size_t
hc_trust_store_count(const hc_trust_store *ts)
{
    return ts != NULL ? ts->committed : 0;
}

const hc_trust_entry *
hc_trust_store_entry(const hc_trust_store *ts, size_t i)
{
    return ts != NULL && i < ts->committed ? ts->entries[i] : NULL;
}

size_t
hc_trust_store_find(const hc_trust_store *ts, const uint8_t *kid, size_t kid_len,
                    const hc_trust_entry **out, size_t max)
{
    size_t n = 0;
    if (ts == NULL || (kid == NULL && kid_len != 0)) {
        return 0;
    }
    for (size_t i = lower_bound(ts->by_kid, ts->committed, kid, kid_len);
         i < ts->committed &&
         kid_cmp(ts->by_kid[i]->kid, ts->by_kid[i]->kid_len, kid, kid_len) == 0;
         i++) {
        if (out != NULL && n < max) {
            out[n] = ts->by_kid[i];
        }
        n++;
    }
    return n;
}

/* ---- inputs ---- */

/* Walks the blocks of a PEM file: certificates are staged, unusable ones skipped and counted,
 * any other block or a broken certificate fails the file. */
typedef struct pem_load {
    hc_trust_store *ts;
    const char *source;
    hc__trust_report *rep;
    text why;
    size_t block;
    hc_err err;
} pem_load;

static int
pem_block(void *ctx, const char *label, const uint8_t *der, size_t der_len)
{
    pem_load *pl = ctx;
    const char *reason = NULL;

    pl->block++;
    if (strcmp(label, "X509 CRL") == 0) {
        /* RFC 7468 §5: a CSCA's revocation list (trust_x509_crl.c). */
        hc_err err = hc__x509_crl_set_stage_der(&pl->ts->x509_crls, der, der_len, &reason);
        if (err != HC_OK) {
            text_add(&pl->why, "PEM block %zu: %s", pl->block,
                     err == HC_ERR_TRUST_INVALID ? reason : hc_err_str(err));
            pl->err = err;
            return -1;
        }
        pl->rep->crls++;
        return 0;
    }
    if (strcmp(label, "CERTIFICATE") != 0 && strcmp(label, "X509 CERTIFICATE") != 0) {
        /* A private key in a trust file is a mistake worth stopping for, as is anything else
         * we would otherwise silently ignore (RFC 7468 labels). */
        text_add(&pl->why, "PEM block %zu is \"%.40s\", not a CERTIFICATE", pl->block, label);
        pl->err = HC_ERR_TRUST_INVALID;
        return -1;
    }
    X509 *cert = hc_x509_from_der(der, der_len);
    if (cert == NULL) {
        text_add(&pl->why, "PEM block %zu is not a DER certificate", pl->block);
        pl->err = HC_ERR_TRUST_INVALID;
        return -1;
    }
    hc_err err = hc__trust_stage_x509(pl->ts, cert, NULL, NULL, pl->source, NULL, &reason);
    if (err == HC_ERR_TRUST_INVALID) {
        hc_msg_note(&pl->rep->skipped, pl->rep->first_skip, sizeof pl->rep->first_skip,
                    "certificate %zu: %s", pl->block, reason);
        X509_free(cert);
        return 0;
    }
    if (err != HC_OK) {
        X509_free(cert);
        pl->err = err;
        return -1;
    }
    pl->rep->staged++;
    return 0;
}

/* Finds "-----BEGIN " (RFC 7468 §2) in data. */
static bool
has_pem_begin(const uint8_t *data, size_t len)
{
    static const char tag[] = "-----BEGIN ";
    const size_t n = sizeof tag - 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (data[i] == '-' && memcmp(data + i, tag, n) == 0) {
            return true;
        }
    }
    return false;
}

/*
 * Stages everything in one input, detected by content. On failure of the input as a whole the
 * reason is in why and the caller rolls back.
 */
static hc_err
stage_buffer(hc_trust_store *ts, const uint8_t *data, size_t len, const char *source,
             hc__trust_report *rep, char *why, size_t why_len)
{
    text w = text_on(why, why_len);
    const char *reason = NULL;

    if (len == 0) {
        text_add(&w, "empty");
        return HC_ERR_TRUST_INVALID;
    }
    if (len > HC_MAX_TRUST_FILE) {
        text_add(&w, "larger than %d MiB", HC_MAX_TRUST_FILE / (1024 * 1024));
        return HC_ERR_TRUST_INVALID;
    }
    /* DER: a certificate is a SEQUENCE (X.690 §8.9), first byte 0x30. That is also the digit
     * '0', so a text starting with it goes on to the text formats when it is no certificate. */
    X509 *cert = data[0] == 0x30 ? hc_x509_from_der(data, len) : NULL;
    if (cert != NULL) {
        hc_err err = hc__trust_stage_x509(ts, cert, NULL, NULL, source, NULL, &reason);
        if (err != HC_OK) {
            X509_free(cert);
            text_add(&w, "%s", err == HC_ERR_TRUST_INVALID ? reason : hc_err_str(err));
            return err;
        }
        rep->staged++;
        return HC_OK;
    }
    /* DER: a CertificateList (RFC 5280 §5.1) is a SEQUENCE too: a CSCA's revocation list. */
    X509_CRL *crl = data[0] == 0x30 ? hc__trust_x509_crl_from_der(data, len) : NULL;
    if (crl != NULL) {
        hc_err err = hc__x509_crl_set_stage(&ts->x509_crls, crl, &reason);
        if (err != HC_OK) {
            X509_CRL_free(crl);
            text_add(&w, "%s", err == HC_ERR_TRUST_INVALID ? reason : hc_err_str(err));
            return err;
        }
        rep->crls++;
        return HC_OK;
    }
    /* JSON: the first character after a UTF-8 BOM (RFC 8259 §8.1 lets parsers skip it) and white
     * space (RFC 8259 §2) opens an array or an object. */
    size_t i = len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r')) {
        i++;
    }
    if (i < len && (data[i] == '[' || data[i] == '{')) {
        return hc__trust_stage_json(ts, data, len, source, rep, why, why_len);
    }
    /* did:key DIDs as text, one per line (a did:key is its own key; listing it says "trusted"). */
    if (hc__trust_is_did_lines(data, len)) {
        return hc__trust_stage_did_lines(ts, data, len, source, rep, why, why_len);
    }
    if (has_pem_begin(data, len)) {
        pem_load pl = { ts, source, rep, w, 0, HC_OK };
        int blocks = hc_x509_pem_foreach(data, len, pem_block, &pl);
        if (blocks < 0) {
            if (pl.err == HC_OK) {
                text_add(&pl.why, "malformed PEM (bad base64 or no END line) after block %zu",
                         pl.block);
                pl.err = HC_ERR_TRUST_INVALID;
            }
            return pl.err;
        }
        if (rep->staged == 0 && rep->crls == 0) {
            if (blocks == 0) {
                text_add(&pl.why, "no complete PEM block");
            } else {
                text_add(&pl.why, "no usable certificate (%s)", rep->first_skip);
            }
            return HC_ERR_TRUST_INVALID;
        }
        return HC_OK;
    }
    if (data[0] == 0x30) {
        text_add(&w, "not a DER certificate (or not exactly one)");
    } else {
        text_add(&w, "not trust material (expected a PEM or DER certificate, a folder of them, "
                     "a JSON trust list, a JWKS, a DID document, or did:key lines)");
    }
    return HC_ERR_TRUST_INVALID;
}

/* "N added" and the notable counts, after a successful commit. */
static void
summarize(text *t, const char *what, const hc__trust_report *rep, size_t duplicates,
          size_t over_limit)
{
    text_add(t, "%s: %zu key%s added", what, rep->staged - duplicates - over_limit,
             rep->staged - duplicates - over_limit == 1 ? "" : "s");
    if (rep->crls > 0) {
        text_add(t, "; %zu revocation list%s", rep->crls, rep->crls == 1 ? "" : "s");
    }
    if (rep->note[0] != '\0') {
        text_add(t, "; %s", rep->note);
    }
    if (rep->skipped > 0) {
        text_add(t, "; %zu unusable entr%s skipped (first: %s)", rep->skipped,
                 rep->skipped == 1 ? "y" : "ies", rep->first_skip);
    }
    if (rep->kid_mismatch > 0) {
        text_add(t, "; %zu entr%s indexed by the computed kid, not the listed one (first: %s)",
                 rep->kid_mismatch, rep->kid_mismatch == 1 ? "y" : "ies", rep->first_mismatch);
    }
    if (duplicates > 0) {
        text_add(t, "; %zu duplicate%s ignored", duplicates, duplicates == 1 ? "" : "s");
    }
    if (over_limit > 0) {
        text_add(t, "; %zu dropped: more than %d keys share their kid", over_limit,
                 HC_MAX_KEYS_PER_KID);
    }
}

hc_err
hc__trust_add_staged(hc_trust_store *ts, const char *source, hc__trust_stage_fn stage, void *ctx,
                     char *msg, size_t msg_len)
{
    hc__trust_report rep;
    char why[256] = "";
    size_t duplicates, over_limit;
    text m = text_on(msg, msg_len);

    memset(&rep, 0, sizeof rep);
    hc_err err = stage(ctx, ts, source, &rep, why, sizeof why);
    if (err == HC_OK) {
        err = commit(ts, &duplicates, &over_limit);
    } else {
        rollback(ts);
    }
    if (err != HC_OK) {
        text_add(&m, "%s: %s", source, err == HC_ERR_NOMEM ? hc_err_str(err) : why);
        return err;
    }
    summarize(&m, source, &rep, duplicates, over_limit);
    return HC_OK;
}

/* The bytes of one input in memory, handed to stage_buffer by hc__trust_add_staged. */
typedef struct buffer_input {
    const uint8_t *data;
    size_t len;
} buffer_input;

static hc_err
stage_buffer_input(void *ctx, hc_trust_store *ts, const char *source, hc__trust_report *rep,
                   char *why, size_t why_len)
{
    const buffer_input *in = ctx;
    return stage_buffer(ts, in->data, in->len, source, rep, why, why_len);
}

/* One input in memory, staged and committed as a whole: the same staging, commit and summary
 * as the loaders with options of their own (hc__trust_add_staged). */
static hc_err
add_input(hc_trust_store *ts, const uint8_t *data, size_t len, const char *source, char *msg,
          size_t msg_len)
{
    buffer_input in = { data, len };
    return hc__trust_add_staged(ts, source, stage_buffer_input, &in, msg, msg_len);
}

hc_err
hc_trust_store_add_buffer(hc_trust_store *ts, const unsigned char *data, size_t len,
                          const char *source, char *msg, size_t msg_len)
{
    text m = text_on(msg, msg_len);
    if (ts == NULL || (data == NULL && len != 0)) {
        text_add(&m, "invalid argument");
        return HC_ERR_INVALID_ARG;
    }
    return add_input(ts, data, len, source != NULL ? source : "(buffer)", msg, msg_len);
}

hc_err
hc_trust_store_add_x509(hc_trust_store *ts, X509 *cert, const char *country,
                        const char *certificate_type, const char *source, char *msg, size_t msg_len)
{
    const char *reason = NULL;
    size_t duplicates, over_limit;
    text m = text_on(msg, msg_len);

    if (ts == NULL || cert == NULL) {
        text_add(&m, "invalid argument");
        return HC_ERR_INVALID_ARG;
    }
    source = source != NULL ? source : "(certificate)";
    /* The staged entry holds its own reference: the caller's stays the caller's until success. */
    if (X509_up_ref(cert) != 1) {
        return HC_ERR_INTERNAL;
    }
    hc_err err = hc__trust_stage_x509(ts, cert, country, certificate_type, source, NULL, &reason);
    if (err != HC_OK) {
        X509_free(cert);
        text_add(&m, "%s: %s", source, err == HC_ERR_TRUST_INVALID ? reason : hc_err_str(err));
        return err;
    }
    err = commit(ts, &duplicates, &over_limit);
    if (err != HC_OK) {
        text_add(&m, "%s: %s", source, hc_err_str(err));
        return err;
    }
    if (over_limit > 0) {
        text_add(&m, "%s: more than %d keys share this kid", source, HC_MAX_KEYS_PER_KID);
        return HC_ERR_TRUST_INVALID;
    }
    text_add(&m, "%s: %s", source, duplicates > 0 ? "already in the store" : "1 key added");
    X509_free(cert); /* success: the store's reference is the only one the caller gave us */
    return HC_OK;
}

/* Reads a trust file, mapping the bounded reader's answers to trust errors. */
static hc_err
read_trust_file(const char *path, uint8_t **data, size_t *len, text *why)
{
    hc_err err = hc_read_file(path, HC_MAX_TRUST_FILE, data, len);
    if (err == HC_ERR_INPUT_TOO_LARGE) {
        text_add(why, "larger than %d MiB", HC_MAX_TRUST_FILE / (1024 * 1024));
        return HC_ERR_TRUST_INVALID;
    }
    if (err != HC_OK) {
        text_add(why, "cannot be read: %s", err == HC_ERR_IO ? strerror(errno) : hc_err_str(err));
        return err == HC_ERR_NOMEM ? err : HC_ERR_IO;
    }
    return HC_OK;
}

/* Frees a file buffer after wiping it: a trust file may wrongly hold a private key. */
static void
free_file(uint8_t *data, size_t len)
{
    if (data != NULL) {
        OPENSSL_cleanse(data, len);
        free(data);
    }
}

static int
name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A folder: every regular file in it (not recursive; names starting with '.' are hidden files
 * and passed over; symbolic links are followed), in name order so that insertion order does not
 * depend on the file system. All or nothing: when any file fails, none is added and every failing
 * file is named.
 */
static hc_err
add_folder(hc_trust_store *ts, const char *dir, char *msg, size_t msg_len)
{
    text m = text_on(msg, msg_len);
    char **names = NULL;
    size_t n = 0, cap = 0, files = 0, failed = 0;
    hc_err err = HC_OK, first_err = HC_OK;
    hc__trust_report total;
    char failures[768];
    text f = text_on(failures, sizeof failures);

    memset(&total, 0, sizeof total);
    DIR *d = opendir(dir);
    if (d == NULL) {
        text_add(&m, "%s: cannot read the folder: %s", dir, strerror(errno));
        return HC_ERR_IO;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') {
            continue;
        }
        if (n == HC_MAX_TRUST_ENTRIES) {
            text_add(&m, "%s: more than %d files", dir, HC_MAX_TRUST_ENTRIES);
            err = HC_ERR_TRUST_INVALID;
            goto done;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **grown = realloc(names, cap * sizeof *grown);
            if (grown == NULL) {
                err = HC_ERR_NOMEM;
                goto done;
            }
            names = grown;
        }
        names[n] = strdup(de->d_name);
        if (names[n] == NULL) {
            err = HC_ERR_NOMEM;
            goto done;
        }
        n++;
    }
    if (n > 0) {
        qsort(names, n, sizeof *names, name_cmp);
    }
    for (size_t i = 0; i < n; i++) {
        size_t plen = strlen(dir) + strlen(names[i]) + 2;
        char *path = malloc(plen);
        if (path == NULL) {
            err = HC_ERR_NOMEM;
            goto done;
        }
        snprintf(path, plen, "%s/%s", dir, names[i]);
        struct stat st;
        char why[256];
        text w = text_on(why, sizeof why);
        hc_err ferr;
        if (stat(path, &st) != 0) {
            text_add(&w, "cannot be read: %s", strerror(errno));
            ferr = HC_ERR_IO;
        } else if (!S_ISREG(st.st_mode)) {
            free(path);
            continue; /* sub-folders, sockets, FIFOs: not trust files */
        } else {
            uint8_t *data = NULL;
            size_t len = 0;
            hc__trust_report rep;
            memset(&rep, 0, sizeof rep);
            files++;
            ferr = read_trust_file(path, &data, &len, &w);
            if (ferr == HC_OK) {
                ferr = stage_buffer(ts, data, len, path, &rep, why, sizeof why);
            }
            free_file(data, len);
            total.staged += rep.staged;
            total.skipped += rep.skipped;
            total.kid_mismatch += rep.kid_mismatch;
            total.crls += rep.crls;
            if (total.first_skip[0] == '\0' && rep.first_skip[0] != '\0') {
                text t = text_on(total.first_skip, sizeof total.first_skip);
                text_add(&t, "%.40s: %s", names[i], rep.first_skip);
            }
            if (total.first_mismatch[0] == '\0' && rep.first_mismatch[0] != '\0') {
                text t = text_on(total.first_mismatch, sizeof total.first_mismatch);
                text_add(&t, "%.40s: %s", names[i], rep.first_mismatch);
            }
        }
        free(path);
        if (ferr != HC_OK) {
            if (ferr == HC_ERR_NOMEM) {
                err = ferr;
                goto done;
            }
            text_add(&f, "%s%s: %s", failed ? "; " : "", names[i], why);
            /* "Could not read" outranks "not trust material" for the exit code. */
            first_err = first_err == HC_ERR_IO ? first_err : ferr;
            failed++;
        }
    }
    if (failed > 0) {
        text_add(&m, "%s: %zu of %zu file%s failed, nothing added: %s", dir, failed, files,
                 files == 1 ? "" : "s", failures);
        err = first_err;
        goto done;
    }
    if (files == 0) {
        text_add(&m, "%s: no trust files in the folder", dir);
        err = HC_ERR_TRUST_INVALID;
        goto done;
    }
    size_t duplicates, over_limit;
    err = commit(ts, &duplicates, &over_limit);
    if (err == HC_OK) {
        char what[160];
        snprintf(what, sizeof what, "%.120s (%zu file%s)", dir, files, files == 1 ? "" : "s");
        summarize(&m, what, &total, duplicates, over_limit);
    }
done:
    if (err != HC_OK) {
        rollback(ts);
        if (err == HC_ERR_NOMEM) {
            text_add(&m, "%s: %s", dir, hc_err_str(err));
        }
    }
    closedir(d);
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
    return err;
}

hc_err
hc_trust_store_add_path(hc_trust_store *ts, const char *path, char *msg, size_t msg_len)
{
    text m = text_on(msg, msg_len);
    struct stat st;

    if (ts == NULL || path == NULL) {
        text_add(&m, "invalid argument");
        return HC_ERR_INVALID_ARG;
    }
    /* "-" is standard input (as for every input of the CLI); pipes and the like are read as
     * files, folders as folders. */
    if (strcmp(path, "-") != 0) {
        if (stat(path, &st) != 0) {
            text_add(&m, "%s: %s", path, strerror(errno));
            return HC_ERR_IO;
        }
        if (S_ISDIR(st.st_mode)) {
            return add_folder(ts, path, msg, msg_len);
        }
    }
    uint8_t *data = NULL;
    size_t len = 0;
    char why[256];
    text w = text_on(why, sizeof why);
    hc_err err = read_trust_file(path, &data, &len, &w);
    if (err != HC_OK) {
        text_add(&m, "%s: %s", path, why);
        return err;
    }
    err = add_input(ts, data, len, path, msg, msg_len);
    free_file(data, len);
    return err;
}
