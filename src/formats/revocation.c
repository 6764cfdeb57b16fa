/*
 * revocation.c: revocation lists (include/healthcert/revocation.h): the hash set, the EU DCC
 * revocation hashes (eu-dcc.md §4.3) and the JSON document the service publishes.
 *
 * The set is an open-addressing hash table of (kid index, hash type, 16-byte hash) entries; the
 * hashes are SHA-256 prefixes, so their first bytes already are uniformly distributed and serve as
 * the table hash. Kids are interned in a small array (a list has a few signers, not thousands). A
 * read-write lock lets verifier threads look up while the service adds a revoked certificate.
 */
#include "hc_msg.h"
#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/evp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "fileio.h"
#include "hctime.h"
#include "healthcert/revocation.h"
#include "sig.h"

/* Bounds on what one list may hold. The EU sized its scheme for 80 million hashes spread over all
 * member states' signers (dgca-verifier-app-android docs/revocation.md); one verifier process that
 * keeps 2 million in memory uses about 80 MiB (20-byte slots at a load factor of at most 1/2). */
#define RL_MAX_HASHES (2 * 1000 * 1000)
#define RL_MAX_KIDS   4096
/* One document: 1,000,000 hashes of 26 characters each fit in 32 MiB with room for the rest. */
#define RL_MAX_DOCUMENT      (32 * 1024 * 1024)
#define RL_MAX_DOCUMENT_HASH (1000 * 1000)

#define RL_FORMAT  "healthcert-revocations"
#define RL_VERSION 1

typedef struct rl_slot {
    uint8_t hash[HC_REVOCATION_HASH_LEN];
    uint16_t kid; /* index into kids + 1; 0 = empty slot */
    uint8_t type;
} rl_slot;

typedef struct rl_kid {
    uint8_t bytes[HC_REVOCATION_KID_MAX];
    size_t len;
} rl_kid;

struct hc_revocation_list {
    pthread_rwlock_t lock;
    rl_kid *kids;
    size_t n_kids, cap_kids;
    rl_slot *slots;
    size_t cap; /* power of two, or 0 */
    size_t count;
};

static const char *const type_names[HC_REVOCATION_HASH_TYPES] = {
    "UCI",
    "COUNTRYCODEUCI",
    "SIGNATURE",
};

const char *
hc_revocation_hash_type_name(hc_revocation_hash_type t)
{
    return (unsigned)t < HC_REVOCATION_HASH_TYPES ? type_names[t] : "UNKNOWN";
}

hc_revocation_list *
hc_revocation_list_new(void)
{
    hc_revocation_list *rl = calloc(1, sizeof *rl);
    if (rl != NULL && pthread_rwlock_init(&rl->lock, NULL) != 0) {
        free(rl);
        return NULL;
    }
    return rl;
}

void
hc_revocation_list_free(hc_revocation_list *rl)
{
    if (rl != NULL) {
        pthread_rwlock_destroy(&rl->lock);
        free(rl->kids);
        free(rl->slots);
        free(rl);
    }
}

static uint64_t
slot_hash(uint16_t kid, uint8_t type, const uint8_t *hash)
{
    uint64_t h;
    memcpy(&h, hash, sizeof h);
    /* Mixing in kid and type keeps equal hashes of different signers or types in other slots. */
    return h ^ ((uint64_t)kid * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)type << 56);
}

/* The index + 1 of kid among the interned kids, 0 when absent. Caller holds the lock. */
static uint16_t
find_kid(const hc_revocation_list *rl, const uint8_t *kid, size_t kid_len)
{
    for (size_t i = 0; i < rl->n_kids; i++) {
        if (rl->kids[i].len == kid_len && memcmp(rl->kids[i].bytes, kid, kid_len) == 0) {
            return (uint16_t)(i + 1);
        }
    }
    return 0;
}

/* The slot holding the entry, or the empty slot where it would go. Caller holds the lock. */
static rl_slot *
probe(const hc_revocation_list *rl, uint16_t kid, uint8_t type, const uint8_t *hash)
{
    size_t mask = rl->cap - 1;
    size_t i = (size_t)slot_hash(kid, type, hash) & mask;
    for (;;) {
        rl_slot *s = &rl->slots[i];
        if (s->kid == 0 || (s->kid == kid && s->type == type &&
                            memcmp(s->hash, hash, HC_REVOCATION_HASH_LEN) == 0)) {
            return s;
        }
        i = (i + 1) & mask;
    }
}

/* Doubles the table (or makes the first one). Caller holds the write lock. */
static hc_err
grow(hc_revocation_list *rl)
{
    size_t ncap = rl->cap == 0 ? 1024 : rl->cap * 2;
    rl_slot *old = rl->slots;
    size_t ocap = rl->cap;
    rl_slot *slots = calloc(ncap, sizeof *slots);
    if (slots == NULL) {
        return HC_ERR_NOMEM;
    }
    rl->slots = slots;
    rl->cap = ncap;
    for (size_t i = 0; i < ocap; i++) {
        if (old[i].kid != 0) {
            *probe(rl, old[i].kid, old[i].type, old[i].hash) = old[i];
        }
    }
    free(old);
    return HC_OK;
}

/* Adds under the write lock (held by the caller). */
static hc_err
add_locked(hc_revocation_list *rl, const uint8_t *kid, size_t kid_len, hc_revocation_hash_type type,
           const uint8_t *hash)
{
    uint16_t k = find_kid(rl, kid, kid_len);
    if (k == 0) {
        if (rl->n_kids >= RL_MAX_KIDS) {
            return HC_ERR_INPUT_TOO_LARGE;
        }
        if (rl->n_kids == rl->cap_kids) {
            size_t ncap = rl->cap_kids == 0 ? 8 : rl->cap_kids * 2;
            rl_kid *nk = realloc(rl->kids, ncap * sizeof *nk);
            if (nk == NULL) {
                return HC_ERR_NOMEM;
            }
            rl->kids = nk;
            rl->cap_kids = ncap;
        }
        memcpy(rl->kids[rl->n_kids].bytes, kid, kid_len);
        rl->kids[rl->n_kids].len = kid_len;
        k = (uint16_t)++rl->n_kids;
    }
    /* Load factor at most 1/2: probes stay short for the lookups of every verification. */
    if ((rl->count + 1) * 2 > rl->cap) {
        if (rl->count >= RL_MAX_HASHES) {
            return HC_ERR_INPUT_TOO_LARGE;
        }
        hc_err e = grow(rl);
        if (e != HC_OK) {
            return e;
        }
    }
    rl_slot *s = probe(rl, k, (uint8_t)type, hash);
    if (s->kid == 0) {
        if (rl->count >= RL_MAX_HASHES) {
            return HC_ERR_INPUT_TOO_LARGE;
        }
        memcpy(s->hash, hash, HC_REVOCATION_HASH_LEN);
        s->kid = k;
        s->type = (uint8_t)type;
        rl->count++;
    }
    return HC_OK;
}

hc_err
hc_revocation_list_add(hc_revocation_list *rl, const uint8_t *kid, size_t kid_len,
                       hc_revocation_hash_type type, const uint8_t hash[HC_REVOCATION_HASH_LEN])
{
    if (rl == NULL || kid == NULL || hash == NULL || kid_len == 0 ||
        kid_len > HC_REVOCATION_KID_MAX || (unsigned)type >= HC_REVOCATION_HASH_TYPES) {
        return HC_ERR_INVALID_ARG;
    }
    pthread_rwlock_wrlock(&rl->lock);
    hc_err e = add_locked(rl, kid, kid_len, type, hash);
    pthread_rwlock_unlock(&rl->lock);
    return e;
}

bool
hc_revocation_list_contains(const hc_revocation_list *rl, const uint8_t *kid, size_t kid_len,
                            hc_revocation_hash_type type,
                            const uint8_t hash[HC_REVOCATION_HASH_LEN])
{
    bool found = false;
    if (rl == NULL || kid == NULL || hash == NULL || kid_len == 0 ||
        kid_len > HC_REVOCATION_KID_MAX || (unsigned)type >= HC_REVOCATION_HASH_TYPES) {
        return false;
    }
    /* The lock is conceptually const: lookups never change the list. */
    pthread_rwlock_t *lock = (pthread_rwlock_t *)&rl->lock;
    pthread_rwlock_rdlock(lock);
    uint16_t k = find_kid(rl, kid, kid_len);
    if (k != 0 && rl->cap != 0) {
        found = probe(rl, k, (uint8_t)type, hash)->kid != 0;
    }
    pthread_rwlock_unlock(lock);
    return found;
}

bool
hc_revocation_list_has_kid(const hc_revocation_list *rl, const uint8_t *kid, size_t kid_len)
{
    if (rl == NULL || kid == NULL || kid_len == 0 || kid_len > HC_REVOCATION_KID_MAX) {
        return false;
    }
    /* Kids are interned when their first hash is added and never removed. */
    pthread_rwlock_t *lock = (pthread_rwlock_t *)&rl->lock;
    pthread_rwlock_rdlock(lock);
    bool found = find_kid(rl, kid, kid_len) != 0;
    pthread_rwlock_unlock(lock);
    return found;
}

size_t
hc_revocation_list_count(const hc_revocation_list *rl)
{
    if (rl == NULL) {
        return 0;
    }
    pthread_rwlock_t *lock = (pthread_rwlock_t *)&rl->lock;
    pthread_rwlock_rdlock(lock);
    size_t n = rl->count;
    pthread_rwlock_unlock(lock);
    return n;
}

/* A decoded document entry, staged before anything is added. */
typedef struct staged {
    uint8_t kid[HC_REVOCATION_KID_MAX];
    size_t kid_len;
    uint8_t type;
    uint8_t hash[HC_REVOCATION_HASH_LEN];
} staged;

/* Checks and decodes the document into a new array of entries. */
static hc_err
stage_document(const json_t *doc, staged **out, size_t *n_out, char *msg, size_t msg_len)
{
    const json_t *lists = json_object_get(doc, "lists");
    const char *format = json_string_value(json_object_get(doc, "format"));
    const json_t *version = json_object_get(doc, "version");
    staged *st = NULL;
    size_t n = 0, cap = 0;

    if (!json_is_object(doc) || format == NULL || strcmp(format, RL_FORMAT) != 0) {
        hc_msgf(msg, msg_len, "not a revocation list (no \"format\": \"%s\")", RL_FORMAT);
        return HC_ERR_TRUST_INVALID;
    }
    if (!json_is_integer(version) || json_integer_value(version) != RL_VERSION) {
        hc_msgf(msg, msg_len, "unsupported revocation list version (this build reads %s %d)",
                RL_FORMAT, RL_VERSION);
        return HC_ERR_TRUST_INVALID;
    }
    if (!json_is_array(lists)) {
        hc_msgf(msg, msg_len, "\"lists\" is not an array");
        return HC_ERR_TRUST_INVALID;
    }
    for (size_t i = 0; i < json_array_size(lists); i++) {
        const json_t *l = json_array_get(lists, i);
        const char *kid_b64 = json_string_value(json_object_get(l, "kid"));
        const json_t *hashes = json_object_get(l, "hashes");
        uint8_t kid[HC_REVOCATION_KID_MAX];
        size_t kid_len = 0;

        if (kid_b64 == NULL ||
            hc_base64_decode(kid_b64, strlen(kid_b64), false, kid, sizeof kid, &kid_len) != HC_OK ||
            kid_len == 0) {
            hc_msgf(msg, msg_len, "lists[%zu]: \"kid\" is not base64 of 1 to 64 bytes", i);
            goto bad;
        }
        if (!json_is_object(hashes)) {
            hc_msgf(msg, msg_len, "lists[%zu]: \"hashes\" is not an object", i);
            goto bad;
        }
        const char *tname;
        const json_t *arr;
        json_object_foreach((json_t *)hashes, tname, arr)
        {
            int type = -1;
            for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
                if (strcmp(tname, type_names[t]) == 0) {
                    type = t;
                }
            }
            if (type < 0 || !json_is_array(arr)) {
                hc_msgf(msg, msg_len, "lists[%zu]: unknown hash type or not an array", i);
                goto bad;
            }
            for (size_t j = 0; j < json_array_size(arr); j++) {
                const char *h = json_string_value(json_array_get(arr, j));
                uint8_t hash[HC_REVOCATION_HASH_LEN + 3];
                size_t hl = 0;
                if (h == NULL ||
                    hc_base64_decode(h, strlen(h), false, hash, sizeof hash, &hl) != HC_OK ||
                    hl != HC_REVOCATION_HASH_LEN) {
                    hc_msgf(msg, msg_len,
                            "lists[%zu]: a hash is not base64 of 16 bytes (the first 128 bits "
                            "of SHA-256)",
                            i);
                    goto bad;
                }
                if (n >= RL_MAX_DOCUMENT_HASH) {
                    hc_msgf(msg, msg_len, "more than %d hashes in one document",
                            RL_MAX_DOCUMENT_HASH);
                    free(st);
                    return HC_ERR_INPUT_TOO_LARGE;
                }
                if (n == cap) {
                    size_t ncap = cap == 0 ? 64 : cap * 2;
                    staged *ns = realloc(st, ncap * sizeof *ns);
                    if (ns == NULL) {
                        free(st);
                        return HC_ERR_NOMEM;
                    }
                    st = ns;
                    cap = ncap;
                }
                memcpy(st[n].kid, kid, kid_len);
                st[n].kid_len = kid_len;
                st[n].type = (uint8_t)type;
                memcpy(st[n].hash, hash, HC_REVOCATION_HASH_LEN);
                n++;
            }
        }
    }
    *out = st;
    *n_out = n;
    return HC_OK;
bad:
    free(st);
    return HC_ERR_TRUST_INVALID;
}

hc_err
hc_revocation_list_load_buffer(hc_revocation_list *rl, const uint8_t *data, size_t len, char *msg,
                               size_t msg_len)
{
    json_error_t jerr;
    staged *st = NULL;
    size_t n = 0;

    if (rl == NULL || (data == NULL && len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    if (len > RL_MAX_DOCUMENT) {
        hc_msgf(msg, msg_len, "the revocation list is larger than %d MiB", RL_MAX_DOCUMENT >> 20);
        return HC_ERR_INPUT_TOO_LARGE;
    }
    json_t *doc = json_loadb((const char *)data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        hc_msgf(msg, msg_len, "not JSON: %s (line %zu)", jerr.text, (size_t)jerr.line);
        return HC_ERR_TRUST_INVALID;
    }
    hc_err e = stage_document(doc, &st, &n, msg, msg_len);
    json_decref(doc);
    if (e != HC_OK) {
        return e;
    }
    pthread_rwlock_wrlock(&rl->lock);
    for (size_t i = 0; i < n && e == HC_OK; i++) {
        e = add_locked(rl, st[i].kid, st[i].kid_len, (hc_revocation_hash_type)st[i].type,
                       st[i].hash);
    }
    pthread_rwlock_unlock(&rl->lock);
    free(st);
    if (e == HC_ERR_INPUT_TOO_LARGE) {
        hc_msgf(msg, msg_len, "the list would hold more than %d hashes", RL_MAX_HASHES);
    }
    return e;
}

hc_err
hc_revocation_list_load_path(hc_revocation_list *rl, const char *path, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    if (rl == NULL || path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err e = hc_read_file(path, RL_MAX_DOCUMENT, &data, &len);
    if (e == HC_ERR_INPUT_TOO_LARGE) {
        hc_msgf(msg, msg_len, "the revocation list is larger than %d MiB", RL_MAX_DOCUMENT >> 20);
        return e;
    }
    if (e != HC_OK) {
        hc_msgf(msg, msg_len, "cannot read %s", path);
        return e;
    }
    e = hc_revocation_list_load_buffer(rl, data, len, msg, msg_len);
    free(data);
    return e;
}

typedef struct sorted_entry {
    const rl_kid *kid;
    const rl_slot *slot;
} sorted_entry;

static int
cmp_entry(const void *pa, const void *pb)
{
    const sorted_entry *a = pa, *b = pb;
    size_t n = a->kid->len < b->kid->len ? a->kid->len : b->kid->len;
    int c = memcmp(a->kid->bytes, b->kid->bytes, n);
    if (c != 0) {
        return c;
    }
    if (a->kid->len != b->kid->len) {
        return a->kid->len < b->kid->len ? -1 : 1;
    }
    if (a->slot->type != b->slot->type) {
        return a->slot->type < b->slot->type ? -1 : 1;
    }
    return memcmp(a->slot->hash, b->slot->hash, HC_REVOCATION_HASH_LEN);
}

static json_t *
b64_string(const uint8_t *b, size_t n)
{
    char text[HC_BASE64_ENCODED_MAX(HC_REVOCATION_KID_MAX)];
    size_t tl;
    if (hc_base64_encode(b, n, false, text, sizeof text, &tl) != HC_OK) {
        return NULL;
    }
    return json_stringn(text, tl);
}

json_t *
hc_revocation_list_to_json(const hc_revocation_list *rl, int64_t generated_at_ms, int64_t sequence)
{
    char when[32];
    json_t *doc = json_object();
    json_t *lists = json_array();
    sorted_entry *es = NULL;
    size_t n = 0;
    bool ok = doc != NULL && lists != NULL;

    if (rl == NULL) {
        json_decref(doc);
        json_decref(lists);
        return NULL;
    }
    hc_time_format(generated_at_ms, false, when, sizeof when);
    ok = ok && json_object_set_new(doc, "format", json_string(RL_FORMAT)) == 0 &&
         json_object_set_new(doc, "version", json_integer(RL_VERSION)) == 0 &&
         json_object_set_new(doc, "generated_at", json_string(when)) == 0;
    if (ok && sequence >= 0) {
        ok = json_object_set_new(doc, "sequence", json_integer(sequence)) == 0;
    }
    pthread_rwlock_t *lock = (pthread_rwlock_t *)&rl->lock;
    pthread_rwlock_rdlock(lock);
    if (ok && rl->count > 0) {
        es = malloc(rl->count * sizeof *es);
        ok = es != NULL;
        for (size_t i = 0; ok && i < rl->cap; i++) {
            if (rl->slots[i].kid != 0) {
                es[n].kid = &rl->kids[rl->slots[i].kid - 1];
                es[n].slot = &rl->slots[i];
                n++;
            }
        }
    }
    if (ok && n > 0) {
        qsort(es, n, sizeof *es, cmp_entry);
    }
    json_t *cur = NULL, *hashes = NULL;
    const rl_kid *cur_kid = NULL;
    for (size_t i = 0; ok && i < n; i++) {
        if (es[i].kid != cur_kid) {
            cur_kid = es[i].kid;
            cur = json_object();
            hashes = json_object();
            ok = cur != NULL && hashes != NULL &&
                 json_object_set_new(cur, "kid", b64_string(cur_kid->bytes, cur_kid->len)) == 0 &&
                 json_object_set_new(cur, "hashes", hashes) == 0 &&
                 json_array_append_new(lists, cur) == 0;
            if (!ok) {
                break;
            }
        }
        const char *tn = type_names[es[i].slot->type];
        json_t *arr = json_object_get(hashes, tn);
        if (arr == NULL) {
            arr = json_array();
            ok = arr != NULL && json_object_set_new(hashes, tn, arr) == 0;
        }
        ok = ok &&
             json_array_append_new(arr, b64_string(es[i].slot->hash, HC_REVOCATION_HASH_LEN)) == 0;
    }
    pthread_rwlock_unlock(lock);
    free(es);
    if (!ok || json_object_set_new(doc, "lists", lists) != 0) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static void
sha256_prefix(const void *a, size_t alen, const void *b, size_t blen, uint8_t *out)
{
    uint8_t md[32];
    unsigned mdlen = 0;
    /* SHA-256 fetched once (sig.h): EVP_sha256() would fetch it on every certificate. */
    const EVP_MD *sha256 = hc_sig_md_sha256();
    EVP_MD_CTX *c = EVP_MD_CTX_new();
    /* A failure of SHA-256 itself (out of memory) leaves a zero hash, which matches nothing real.
     */
    if (c == NULL || sha256 == NULL || EVP_DigestInit_ex2(c, sha256, NULL) != 1 ||
        EVP_DigestUpdate(c, a, alen) != 1 || (blen > 0 && EVP_DigestUpdate(c, b, blen) != 1) ||
        EVP_DigestFinal_ex(c, md, &mdlen) != 1) {
        memset(md, 0, sizeof md);
    }
    EVP_MD_CTX_free(c);
    memcpy(out, md, HC_REVOCATION_HASH_LEN);
}

void
hc_revocation_hash_uci(const char *uci, size_t len, uint8_t out[HC_REVOCATION_HASH_LEN])
{
    sha256_prefix(uci, len, NULL, 0, out);
}

void
hc_revocation_hash_country_uci(const char *country, const char *uci, size_t len,
                               uint8_t out[HC_REVOCATION_HASH_LEN])
{
    sha256_prefix(country, strlen(country), uci, len, out);
}

hc_err
hc_revocation_hash_signature(const uint8_t *sig, size_t len, bool es256,
                             uint8_t out[HC_REVOCATION_HASH_LEN])
{
    if (sig == NULL || len == 0 || (es256 && len % 2 != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    /* cwa-app-android RevocationCalculation: ES256 -> signature.bisect() (r only). */
    sha256_prefix(sig, es256 ? len / 2 : len, NULL, 0, out);
    return HC_OK;
}
