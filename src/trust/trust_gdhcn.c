/*
 * trust_gdhcn.c: GDHCN trust lists (trust_gdhcn.h).
 *
 * Invariants:
 *   - Bounded: the document went through the JSON pre-scan of trust_list_json.c (size, depth,
 *     values) or hc_trust_store_add_gdhcn_buffer's own; at most HC_MAX_TRUST_ENTRIES methods and
 *     X5C_MAX certificates per method are looked at, each certificate at most HC_MAX_CERT_DER.
 *   - A key is loaded only when its JWK and its certificate agree (same curve point or RSA
 *     modulus and exponent): the certificate is what the store keeps, the JWK what the list says.
 *   - A DSC is loaded only when an SCA of its participant issued it, unless no SCA of that
 *     participant is known at all (a DSC-only list; counted as "unchained" and reported).
 *   - Nothing is staged for a method that is skipped; skips are counted by reason.
 */
#include "trust_gdhcn.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "fileio.h"
#include "hc_msg.h"
#include "json_bounded.h"
#include "trust_internal.h"

/* Certificates read from one x5c chain (RFC 7517 §4.7): the key's certificate and its issuers. */
#define X5C_MAX 3
/* Longest coordinate accepted: P-521 (66 bytes) plus the leading zero of Java's BigInteger. */
#define COORD_MAX 67

/* One verification method, read. */
typedef struct gd_method {
    size_t index;
    char participant[8]; /* upper case */
    char domain[24];
    char usage[8]; /* "DSC", "SCA", or another usage */
    const char *listed_kid;
    size_t listed_kid_len;
    X509 *cert;      /* x5c[0], owned until staged */
    bool chain_only; /* an SCA the filter leaves out: used to check DSCs, not loaded */
} gd_method;

/* "#ARG", {"code": "#ARG"} or "ARG" -> "ARG" (upper case, at most cap - 1 of [A-Za-z0-9_-]). */
static bool
code_of(const json_t *v, char *out, size_t cap)
{
    if (json_is_object(v)) {
        v = json_object_get(v, "code");
    }
    const char *s = json_string_value(v);
    out[0] = '\0';
    if (s == NULL) {
        return false;
    }
    s += *s == '#';
    size_t n = strlen(s);
    if (n == 0 || n >= cap) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-')) {
            out[0] = '\0';
            return false;
        }
        out[i] = c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    out[n] = '\0';
    return true;
}

bool
hc_gdhcn_is_trust_list(const json_t *root)
{
    const char *id = json_string_value(json_object_get(root, "id"));
    const json_t *vms = json_object_get(root, "verificationMethod");
    if (id == NULL || strncmp(id, "did:web:", 8) != 0 || !json_is_array(vms)) {
        return false;
    }
    if (strstr(id, ":trustlist") != NULL) {
        return true; /* WHO's trust list DIDs: did:web:<host>:[v2:]trustlist[-ref]:... */
    }
    size_t i;
    json_t *vm;
    json_array_foreach(vms, i, vm)
    {
        if (json_object_get(vm, "keyusage") != NULL || json_object_get(vm, "participant") != NULL ||
            json_object_get(json_object_get(vm, "publicKeyJwk"), "x5c") != NULL) {
            return true;
        }
    }
    return false;
}

/* The participant of a v1 method: the controller DID's last segment ("...:trustlist:nld"). */
static void
participant_from_did(const char *did, char *out, size_t cap)
{
    const char *colon = did != NULL ? strrchr(did, ':') : NULL;
    const char *hash = colon != NULL ? strchr(colon, '#') : NULL;
    char seg[16];
    size_t n = colon == NULL ? 0 : hash != NULL ? (size_t)(hash - colon - 1) : strlen(colon + 1);
    out[0] = '\0';
    if (n == 0 || n >= sizeof seg) {
        return;
    }
    memcpy(seg, colon + 1, n);
    seg[n] = '\0';
    json_t *s = json_string(seg);
    code_of(s, out, cap);
    json_decref(s);
}

/* Decodes a JWK coordinate leniently: either alphabet, padding or not, and at most one leading
 * zero byte beyond the curve size (Java BigInteger). */
static bool
coordinate(const char *text, BIGNUM **out, bool *quirk)
{
    uint8_t buf[COORD_MAX + 3];
    size_t n = 0, len = text != NULL ? strlen(text) : 0;
    if (len == 0 || len > 4 * (COORD_MAX + 2) / 3 + 4 ||
        hc_base64_decode_lenient(text, len, buf, sizeof buf, &n) != HC_OK || n == 0 ||
        n > COORD_MAX) {
        return false;
    }
    *quirk |= text[len - 1] == '=' || strchr(text, '+') != NULL || strchr(text, '/') != NULL ||
              (buf[0] == 0 && n % 2 == 1);
    *out = BN_bin2bn(buf, (int)n, NULL);
    return *out != NULL;
}

/* True when the JWK's public numbers are those of the certificate's key. */
static bool
jwk_matches_cert(const json_t *jwk, EVP_PKEY *key, bool *quirk, const char **why)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    BIGNUM *a = NULL, *b = NULL, *ca = NULL, *cb = NULL;
    bool ok = false;
    if (kty != NULL && strcmp(kty, "EC") == 0) {
        if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
            *why = "an EC key with a certificate of another key type";
            return false;
        }
        ok = coordinate(json_string_value(json_object_get(jwk, "x")), &a, quirk) &&
             coordinate(json_string_value(json_object_get(jwk, "y")), &b, quirk) &&
             EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, &ca) == 1 &&
             EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, &cb) == 1 && BN_cmp(a, ca) == 0 &&
             BN_cmp(b, cb) == 0;
    } else if (kty != NULL && strcmp(kty, "RSA") == 0) {
        if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA &&
            EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA_PSS) {
            *why = "an RSA key with a certificate of another key type";
            return false;
        }
        /* RSA moduli are longer than EC coordinates: compare through the certificate. */
        uint8_t nb[1024];
        size_t nl = 0;
        const char *n = json_string_value(json_object_get(jwk, "n"));
        const char *e = json_string_value(json_object_get(jwk, "e"));
        uint8_t eb[8];
        size_t el = 0;
        ok = n != NULL && e != NULL &&
             hc_base64_decode_lenient(n, strlen(n), nb, sizeof nb, &nl) == HC_OK &&
             hc_base64_decode_lenient(e, strlen(e), eb, sizeof eb, &el) == HC_OK &&
             (a = BN_bin2bn(nb, (int)nl, NULL)) != NULL &&
             (b = BN_bin2bn(eb, (int)el, NULL)) != NULL &&
             EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &ca) == 1 &&
             EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &cb) == 1 && BN_cmp(a, ca) == 0 &&
             BN_cmp(b, cb) == 0;
    } else {
        *why = "kty is neither EC nor RSA";
    }
    if (!ok && *why == NULL) {
        *why = "the publicKeyJwk is not the key of its x5c certificate";
    }
    BN_free(a);
    BN_free(b);
    BN_free(ca);
    BN_free(cb);
    ERR_clear_error();
    return ok;
}

/* x5c[0] as a certificate (standard base64 per RFC 7517 §4.7; either alphabet tolerated). */
static X509 *
first_certificate(const json_t *x5c)
{
    uint8_t der[HC_MAX_CERT_DER];
    size_t n = 0;
    const char *b64 = json_string_value(json_array_get(x5c, 0));
    if (b64 == NULL || hc_base64_decode_lenient(b64, strlen(b64), der, sizeof der, &n) != HC_OK) {
        return NULL;
    }
    return hc_x509_from_der(der, n);
}

static bool
matches(const char *want, const char *have)
{
    return want == NULL || want[0] == '\0' || (have[0] != '\0' && strcasecmp(want, have) == 0);
}

/* Reads method i into m; false (counted) when it is skipped. */
static bool
read_method(const json_t *vm, size_t i, const hc_gdhcn_filter *f, gd_method *m, hc_gdhcn_report *r)
{
    memset(m, 0, sizeof *m);
    m->index = i;
    if (json_is_string(vm)) {
        r->references++;
        return false;
    }
    const json_t *jwk = json_object_get(vm, "publicKeyJwk");
    const char *id = json_string_value(json_object_get(vm, "id"));
    if (!json_is_object(vm) || !json_is_object(jwk)) {
        r->broken++;
        hc_msg_note(NULL, r->first_warning, sizeof r->first_warning,
                    "method [%zu]: no publicKeyJwk", i);
        return false;
    }
    /* v2 names participant, domain and usage; v1 only has the DID. */
    if (!code_of(json_object_get(vm, "participant"), m->participant, sizeof m->participant)) {
        participant_from_did(json_string_value(json_object_get(vm, "controller")), m->participant,
                             sizeof m->participant);
    }
    code_of(json_object_get(vm, "domain"), m->domain, sizeof m->domain);
    code_of(json_object_get(vm, "keyusage"), m->usage, sizeof m->usage);
    if (strcmp(m->usage, "CSCA") == 0) {
        memcpy(m->usage, "SCA", 4); /* some DDCC documents write #CSCA for SCA */
    }
    /* Another participant's keys are of no use, not even for checking chains; nor are keys the
     * filter leaves out that are no SCA (when the list says what they are). */
    if (!matches(f != NULL ? f->participant : NULL, m->participant) ||
        (m->usage[0] != '\0' && strcmp(m->usage, "SCA") != 0 &&
         (!matches(f != NULL ? f->domain : NULL, m->domain) ||
          !matches(f != NULL ? f->usage : NULL, m->usage)))) {
        r->filtered++;
        return false;
    }
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    if (kty != NULL && strcmp(kty, "EC") == 0 &&
        (crv == NULL ||
         (strcmp(crv, "P-256") != 0 && strcmp(crv, "P-384") != 0 && strcmp(crv, "P-521") != 0))) {
        r->unsupported++;
        hc_msg_note(NULL, r->first_warning, sizeof r->first_warning,
                    "method [%zu]: curve \"%.20s\" is not supported; skipped", i,
                    crv != NULL ? crv : "(none)");
        return false;
    }
    const json_t *x5c = json_object_get(jwk, "x5c");
    if (!json_is_array(x5c) || json_array_size(x5c) == 0 || json_array_size(x5c) > X5C_MAX) {
        r->unsupported++;
        hc_msg_note(NULL, r->first_warning, sizeof r->first_warning,
                    "method [%zu]: no x5c certificate chain (1-%d certificates)", i, X5C_MAX);
        return false;
    }
    m->cert = first_certificate(x5c);
    if (m->cert == NULL) {
        r->broken++;
        hc_msg_note(NULL, r->first_warning, sizeof r->first_warning,
                    "method [%zu]: x5c[0] is not a base64 DER certificate", i);
        return false;
    }
    if (m->usage[0] == '\0') {
        /* v1 lists say nothing about usage: a CA certificate is an SCA, anything else a DSC. */
        uint32_t flags = X509_get_extension_flags(m->cert);
        memcpy(m->usage, (flags & EXFLAG_CA) ? "SCA" : "DSC", 4);
    }
    if (!matches(f != NULL ? f->domain : NULL, m->domain) ||
        !matches(f != NULL ? f->usage : NULL, m->usage)) {
        r->filtered++;
        if (strcmp(m->usage, "SCA") != 0) {
            goto skip;
        }
        /* An SCA left out by the filter still vouches for the DSCs it issued, if the store
         * would take it (the same vetting as loading it: a supported key, no explicit EC
         * parameters). */
        hc_cert_info ci;
        if (hc_cert_info_from_x509(m->cert, &ci) != HC_OK) {
            goto skip;
        }
        m->chain_only = true;
        return true;
    }
    if (strcmp(m->usage, "DSC") != 0 && strcmp(m->usage, "SCA") != 0) {
        r->other_usage++; /* DECA, DESC, TLS, UP: they sign no health certificates */
        goto skip;
    }
    bool quirk = false;
    const char *why = NULL;
    if (!jwk_matches_cert(jwk, X509_get0_pubkey(m->cert), &quirk, &why)) {
        r->broken++;
        hc_msg_note(NULL, r->first_warning, sizeof r->first_warning, "method [%zu]: %s", i, why);
        goto skip;
    }
    r->coord_quirks += quirk;
    /* The listed kid: publicKeyJwk.kid, else the DID URL fragment (both the same in WHO's data). */
    const char *kid = json_string_value(json_object_get(jwk, "kid"));
    if (kid == NULL && id != NULL && strchr(id, '#') != NULL) {
        kid = strchr(id, '#') + 1;
    }
    m->listed_kid = kid;
    m->listed_kid_len = kid != NULL ? strlen(kid) : 0;
    return true;
skip:
    X509_free(m->cert);
    m->cert = NULL;
    return false;
}

/*
 * The SCAs a DSC may chain to: this list's and those already in the store, sorted by (subject name
 * hash, participant) so that each DSC finds its candidates by a binary search. A hostile list of
 * 10 000 SCAs and 10 000 DSCs of one participant then costs 10 000 searches, not 10^8 name
 * comparisons; and at most SCA_TRIES signatures are checked per DSC.
 */
#define SCA_TRIES 8

typedef struct sca_ref {
    unsigned long hash; /* X509_NAME_hash_ex of the subject */
    const char *participant;
    X509 *cert;
} sca_ref;

typedef struct sca_index {
    sca_ref *refs;
    size_t n;
    const char **participants; /* sorted, for "is any SCA of this participant known" */
} sca_index;

static int
ref_cmp(const void *pa, const void *pb)
{
    const sca_ref *a = pa, *b = pb;
    if (a->hash != b->hash) {
        return a->hash < b->hash ? -1 : 1;
    }
    return strcmp(a->participant, b->participant);
}

static int
str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static unsigned long
name_hash(const X509_NAME *name)
{
    int ok = 0;
    unsigned long h = X509_NAME_hash_ex(name, NULL, NULL, &ok);
    return ok ? h : 0;
}

static void
index_add(sca_index *x, X509 *cert, const char *participant)
{
    x->refs[x->n] = (sca_ref){ name_hash(X509_get_subject_name(cert)), participant, cert };
    x->participants[x->n] = participant;
    x->n++;
}

static hc_err
index_build(const hc_trust_store *ts, const gd_method *ms, size_t n, sca_index *x)
{
    size_t count = hc_trust_store_count(ts), cap = n + count;
    memset(x, 0, sizeof *x);
    x->refs = cap > 0 ? malloc(cap * sizeof *x->refs) : NULL;
    x->participants = cap > 0 ? malloc(cap * sizeof *x->participants) : NULL;
    if (cap > 0 && (x->refs == NULL || x->participants == NULL)) {
        free(x->refs);
        free(x->participants);
        return HC_ERR_NOMEM;
    }
    for (size_t j = 0; j < n; j++) {
        if (ms[j].cert != NULL && strcmp(ms[j].usage, "SCA") == 0) {
            index_add(x, ms[j].cert, ms[j].participant);
        }
    }
    /* SCAs loaded earlier (another document of the same network: the v2 .../SCA list). */
    for (size_t j = 0; j < count; j++) {
        const hc_trust_entry *e = hc_trust_store_entry(ts, j);
        if (e->kind == HC_TRUST_X509 && e->participant[0] != '\0' &&
            strcmp(e->certificate_type, "SCA") == 0) {
            index_add(x, e->cert, e->participant);
        }
    }
    if (x->n > 1) {
        qsort(x->refs, x->n, sizeof *x->refs, ref_cmp);
        qsort(x->participants, x->n, sizeof *x->participants, str_cmp);
    }
    ERR_clear_error();
    return HC_OK;
}

/* Chain status of a DSC: 1 issued by a known SCA of its participant, 0 SCAs known but none issued
 * it, -1 no SCA of the participant known. */
static int
chain_status(const sca_index *x, const gd_method *dsc)
{
    const char *p = dsc->participant;
    bool known =
        x->n > 0 && bsearch(&p, x->participants, x->n, sizeof *x->participants, str_cmp) != NULL;
    if (!known) {
        return -1;
    }
    sca_ref key = { name_hash(X509_get_issuer_name(dsc->cert)), dsc->participant, NULL };
    size_t lo = 0, hi = x->n, tries = 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref_cmp(&x->refs[mid], &key) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    for (size_t j = lo; j < x->n && tries < SCA_TRIES && ref_cmp(&x->refs[j], &key) == 0; j++) {
        tries++;
        if (hc_trust_ca_issued(x->refs[j].cert, dsc->cert, NULL)) {
            return 1;
        }
    }
    return 0;
}

/* Stages m's certificate; the participant tags the entry. Counts kid mismatches. */
static hc_err
stage(hc_trust_store *ts, gd_method *m, const char *source, hc__trust_report *rep,
      hc_gdhcn_report *r)
{
    const hc_trust_entry *e = NULL;
    const char *reason = NULL;
    hc_err err = hc__trust_stage_x509(ts, m->cert, NULL, m->usage, source, &e, &reason);
    if (err == HC_ERR_TRUST_INVALID) {
        r->broken++;
        hc_msg_note(NULL, r->first_warning, sizeof r->first_warning, "method [%zu]: %s", m->index,
                    reason);
        X509_free(m->cert);
        m->cert = NULL;
        return HC_OK;
    }
    if (err != HC_OK) {
        return err;
    }
    m->cert = NULL; /* the store owns it now */
    /* The entry is staged by this load and not yet visible to any reader: tagging it is part of
     * staging it (hc__trust_stage_x509 returns it read-only for the common case). */
    hc_trust_entry *w = (hc_trust_entry *)e;
    snprintf(w->participant, sizeof w->participant, "%s", m->participant);
    rep->staged++;
    if (strcmp(m->usage, "SCA") == 0) {
        r->sca++;
    } else {
        r->dsc++;
    }
    if (m->listed_kid != NULL) {
        uint8_t kid[HC_TRUST_KID_MAX];
        size_t kl = 0;
        if (hc_base64_decode_lenient(m->listed_kid, m->listed_kid_len, kid, sizeof kid, &kl) !=
                HC_OK ||
            kl != e->kid_len || memcmp(kid, e->kid, kl) != 0) {
            r->kid_mismatch++;
            rep->kid_mismatch++;
        }
    }
    return HC_OK;
}

hc_err
hc__trust_stage_gdhcn(hc_trust_store *ts, const json_t *root, const char *source,
                      const hc_gdhcn_filter *filter, hc__trust_report *rep, hc_gdhcn_report *r,
                      char *why, size_t why_len)
{
    const json_t *vms = json_object_get(root, "verificationMethod");
    hc_err err = HC_OK;
    size_t n = json_array_size(vms);

    memset(r, 0, sizeof *r);
    if (!hc_gdhcn_is_trust_list(root)) {
        snprintf(why, why_len,
                 "not a GDHCN trust list (a did:web document with verification "
                 "methods)");
        return HC_ERR_TRUST_INVALID;
    }
    if (n > HC_MAX_TRUST_ENTRIES) {
        snprintf(why, why_len, "more than %d verification methods", HC_MAX_TRUST_ENTRIES);
        return HC_ERR_TRUST_INVALID;
    }
    gd_method *ms = n > 0 ? calloc(n, sizeof *ms) : NULL;
    if (n > 0 && ms == NULL) {
        return HC_ERR_NOMEM;
    }
    r->methods = n;
    for (size_t i = 0; i < n; i++) {
        read_method(json_array_get(vms, i), i, filter, &ms[i], r);
    }
    /* SCAs first, so that DSCs of the same list can chain to them. */
    for (size_t i = 0; err == HC_OK && i < n; i++) {
        if (ms[i].cert != NULL && !ms[i].chain_only && strcmp(ms[i].usage, "SCA") == 0) {
            /* Keep a reference for the chain checks below: staging hands the certificate to the
             * store. An SCA the store refused is no issuer either. */
            X509 *keep = ms[i].cert;
            size_t before = rep->staged;
            if (X509_up_ref(keep) != 1) {
                err = HC_ERR_INTERNAL;
                break;
            }
            err = stage(ts, &ms[i], source, rep, r);
            if (err != HC_OK || rep->staged == before) {
                X509_free(keep);
            } else {
                ms[i].cert = keep;
            }
        }
    }
    sca_index x = { NULL, 0, NULL };
    if (err == HC_OK) {
        err = index_build(ts, ms, n, &x);
    }
    for (size_t i = 0; err == HC_OK && i < n; i++) {
        if (ms[i].cert == NULL || strcmp(ms[i].usage, "DSC") != 0) {
            continue;
        }
        int chain = chain_status(&x, &ms[i]);
        if (chain == 0) {
            r->chain_failed++;
            hc_msg_note(NULL, r->first_warning, sizeof r->first_warning,
                        "method [%zu]: DSC of %s not issued by any SCA of %s; skipped", i,
                        ms[i].participant, ms[i].participant);
            X509_free(ms[i].cert);
            ms[i].cert = NULL;
            continue;
        }
        r->chained += chain == 1;
        r->unchained += chain == -1;
        err = stage(ts, &ms[i], source, rep, r);
    }
    free(x.refs);
    free(x.participants);
    for (size_t i = 0; i < n; i++) {
        X509_free(ms[i].cert);
    }
    free(ms);
    if (err != HC_OK) {
        snprintf(why, why_len, "%s", hc_err_str(err));
        return err;
    }
    if (rep->staged == 0) {
        snprintf(why, why_len,
                 "GDHCN trust list with no usable DSC or SCA key (%zu methods, %zu "
                 "references%s%s)",
                 r->methods, r->references, r->first_warning[0] ? "; first: " : "",
                 r->first_warning);
        return HC_ERR_TRUST_INVALID;
    }
    return HC_OK;
}

const char *
hc_gdhcn_report_text(const hc_gdhcn_report *r, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "GDHCN: %zu methods; %zu DSC (%zu chained to an SCA, %zu without SCA), %zu SCA; "
             "skipped %zu other usage, %zu unsupported, %zu broken, %zu failed chain, %zu "
             "filtered, %zu references; %zu quirky coordinates",
             r->methods, r->dsc, r->chained, r->unchained, r->sca, r->other_usage, r->unsupported,
             r->broken, r->chain_failed, r->filtered, r->references, r->coord_quirks);
    return buf;
}

/* ---- the public entry points with a filter ---- */

typedef struct gd_ctx {
    const uint8_t *data;
    size_t len;
    const hc_gdhcn_filter *filter;
    hc_gdhcn_report *r;
} gd_ctx;

static hc_err
stage_input(void *ctx, hc_trust_store *ts, const char *source, hc__trust_report *rep, char *why,
            size_t why_len)
{
    gd_ctx *c = ctx;
    if (c->len > HC_MAX_TRUST_FILE) {
        snprintf(why, why_len, "larger than %d MiB", HC_MAX_TRUST_FILE / (1024 * 1024));
        return HC_ERR_TRUST_INVALID;
    }
    /* Depth and value count are bounded before jansson allocates per value (a GDHCN method is
     * about 25 values; the v1 list of 373 methods has some 10 000). */
    static const hc_json_limits limits = { HC_MAX_TRUST_FILE, HC_MAX_JSON_DEPTH,
                                           (size_t)HC_MAX_TRUST_ENTRIES * 32 };
    json_t *root = NULL;
    char jwhy[160] = "";
    if (hc_json_parse_bounded((const char *)c->data, c->len, &limits, &root, jwhy, sizeof jwhy) !=
        HC_OK) {
        snprintf(why, why_len, "not valid JSON within the bounds: %s", jwhy);
        return HC_ERR_TRUST_INVALID;
    }
    hc_err err = hc__trust_stage_gdhcn(ts, root, source, c->filter, rep, c->r, why, why_len);
    if (err == HC_OK) {
        hc_gdhcn_report_text(c->r, rep->note, sizeof rep->note);
    }
    json_decref(root);
    return err;
}

hc_err
hc_trust_store_add_gdhcn_buffer(hc_trust_store *ts, const unsigned char *data, size_t len,
                                const char *source, const hc_gdhcn_filter *filter,
                                hc_gdhcn_report *rep, char *msg, size_t msg_len)
{
    hc_gdhcn_report local;
    gd_ctx c = { data, len, filter, rep != NULL ? rep : &local };
    if (ts == NULL || (data == NULL && len != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    return hc__trust_add_staged(ts, source != NULL ? source : "(buffer)", stage_input, &c, msg,
                                msg_len);
}

hc_err
hc_trust_store_add_gdhcn_path(hc_trust_store *ts, const char *path, const hc_gdhcn_filter *filter,
                              hc_gdhcn_report *rep, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    if (ts == NULL || path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err err = hc_read_file(path, HC_MAX_TRUST_FILE, &data, &len);
    if (err != HC_OK) {
        if (msg != NULL && msg_len > 0) {
            snprintf(msg, msg_len, "%s: %s", path,
                     err == HC_ERR_INPUT_TOO_LARGE ? "larger than 8 MiB" : "cannot be read");
        }
        return err == HC_ERR_INPUT_TOO_LARGE ? HC_ERR_TRUST_INVALID : err;
    }
    err = hc_trust_store_add_gdhcn_buffer(ts, data, len, path, filter, rep, msg, msg_len);
    free(data);
    return err;
}
