/*
 * trust_jose.c: trust material as JSON objects and DIDs (trust_internal.h): bare public keys with
 * the issuer they belong to.
 *
 *   JWKS (RFC 7517 §5)   {"keys": [JWK, ...]}: keys bound to no issuer, unless a key carries an
 *                        x5c certificate, whose SAN URI names its issuer (SHC spec
 * §"Certificates"). VCI snapshot         {"issuerInfo": [{"issuer": {"iss", "name"}, "keys": [JWK],
 * "crls": [CRL]}]} (the-commons-project/vci-directory logs/vci_snapshot.json): keys and revocation
 * lists bound to their issuer URL. A one-issuer file of this shape is how a JWKS is bound to its
 * issuer. DID document         {"id": "did:...", "verificationMethod", "assertionMethod"}
 * (did_doc.h): keys bound to the DID, indexed by their fragment. SHC revocation list  {"kid",
 * "method": "rid", "ctr", "rids"} (SHC spec §"Revocation"), as published at
 * <iss>/.well-known/crl/<kid>.json: bound to no issuer. did:key lines        "did:key:z..." one per
 * line: the DIDs trusted (the key is in the DID).
 *
 * A JWK is indexed by its "kid" (or, without one, by its RFC 7638 thumbprint); the thumbprint and
 * the SMART Health Cards "crlVersion" are kept for the verifier. Unusable keys are skipped and
 * counted like trust-list entries; malformed revocation lists fail the input (a skipped rid would
 * silently un-revoke a card).
 */
#include <ctype.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "did_doc.h"
#include "did_key.h"
#include "hc_msg.h"
#include "json_bounded.h"
#include "jwk.h"
#include "jws.h"
#include "trust_internal.h"

/* Certificates in an x5c chain (RFC 7517 §4.7): a signer, an intermediate and a root at most
 * (security.md §5 "chain depth <= 3"). */
#define X5C_MAX 3
/* Timestamps of "rid.<timestamp>" are Unix seconds: 12 digits reach year 33658. */
#define RID_TS_MAX_DIGITS 12

/* A non-negative counter given as a JSON integer or a string of digits (the VCI snapshot writes
 * "ctr": "1" and "crlVersion": "1"). */
static bool
counter_value(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return *out >= 0;
    }
    if (!json_is_string(v)) {
        return false;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (n == 0 || n > 15) {
        return false;
    }
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        x = x * 10 + (s[i] - '0');
    }
    *out = x;
    return true;
}

/* The first uniformResourceIdentifier of the certificate's subjectAltName (RFC 5280 §4.2.1.6). */
static bool
san_uri(X509 *cert, char *out, size_t cap)
{
    GENERAL_NAMES *names = X509_get_ext_d2i(cert, NID_subject_alt_name, NULL, NULL);
    bool found = false;
    for (int i = 0; names != NULL && i < sk_GENERAL_NAME_num(names) && !found; i++) {
        const GENERAL_NAME *gn = sk_GENERAL_NAME_value(names, i);
        if (gn->type != GEN_URI) {
            continue;
        }
        const unsigned char *u = ASN1_STRING_get0_data(gn->d.uniformResourceIdentifier);
        int n = ASN1_STRING_length(gn->d.uniformResourceIdentifier);
        if (n > 0 && (size_t)n < cap && memchr(u, '\0', (size_t)n) == NULL) {
            memcpy(out, u, (size_t)n);
            out[n] = '\0';
            found = true;
        }
    }
    GENERAL_NAMES_free(names);
    return found;
}

/*
 * x5c (RFC 7517 §4.7; SHC spec §"Certificates"): standard base64 DER certificates, leaf first.
 * The leaf's key must be the JWK's, each certificate must be signed by the next, and the leaf's
 * SAN URI is the issuer the key belongs to (written to issuer_out). The chain is not anchored or
 * checked for time here: the key is trusted because the user gave it; x5c only binds it to iss.
 */
static const char *
check_x5c(const json_t *x5c, EVP_PKEY *key, char *issuer_out, size_t cap)
{
    X509 *chain[X5C_MAX] = { NULL };
    size_t n = json_array_size(x5c);
    const char *why = NULL;

    if (!json_is_array(x5c) || n == 0 || n > X5C_MAX) {
        return "x5c is not an array of 1 to 3 certificates";
    }
    for (size_t i = 0; i < n && why == NULL; i++) {
        json_t *c = json_array_get(x5c, i);
        uint8_t der[HC_MAX_CERT_DER];
        size_t len = 0;
        if (!json_is_string(c) ||
            hc_base64_decode(json_string_value(c), json_string_length(c), false, der, sizeof der,
                             &len) != HC_OK ||
            (chain[i] = hc_x509_from_der(der, len)) == NULL) {
            why = "x5c holds something that is not a base64 DER certificate";
        }
    }
    if (why == NULL && EVP_PKEY_eq(X509_get0_pubkey(chain[0]), key) != 1) {
        why = "the x5c certificate's key is not the JWK's key";
    }
    for (size_t i = 0; why == NULL && i + 1 < n; i++) {
        EVP_PKEY *up = X509_get0_pubkey(chain[i + 1]);
        if (X509_check_issued(chain[i + 1], chain[i]) != X509_V_OK || up == NULL ||
            X509_verify(chain[i], up) != 1) {
            why = "the x5c chain is broken (a certificate not signed by the next)";
        }
    }
    if (why == NULL && !san_uri(chain[0], issuer_out, cap)) {
        why = "the x5c certificate has no subjectAltName URI naming the issuer";
    }
    for (size_t i = 0; i < n; i++) {
        X509_free(chain[i]);
    }
    ERR_clear_error();
    return why;
}

/* One JWK of a JWKS or snapshot: staged, or skipped and counted. issuer "" = unbound. */
static hc_err
stage_jwk(hc_trust_store *ts, const json_t *jwk, size_t index, const char *issuer,
          const char *source, hc__trust_report *rep)
{
    EVP_PKEY *key = NULL;
    const char *why = NULL;
    char x5c_issuer[256] = "";
    char thumb[HC_JWK_THUMBPRINT_LEN];
    int64_t crl_version = 0;

    hc_err e = hc_jwk_public_key(jwk, &key, NULL, &why);
    if (e == HC_ERR_KEY_INVALID) {
        hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip, "key [%zu]: %s", index,
                    why);
        return HC_OK;
    }
    if (e != HC_OK) {
        return e;
    }
    if (hc_jwk_thumbprint(key, thumb) != HC_OK) {
        EVP_PKEY_free(key);
        return HC_ERR_INTERNAL;
    }
    json_t *kid = json_object_get(jwk, "kid");
    json_t *crlv = json_object_get(jwk, "crlVersion");
    json_t *x5c = json_object_get(jwk, "x5c");
    if (kid != NULL && (!json_is_string(kid) || json_string_length(kid) == 0)) {
        why = "\"kid\" is not a non-empty string";
    } else if (crlv != NULL && !counter_value(crlv, &crl_version)) {
        why = "\"crlVersion\" is not a counter";
    } else if (x5c != NULL) {
        why = check_x5c(x5c, key, x5c_issuer, sizeof x5c_issuer);
        if (why == NULL && issuer[0] != '\0' && strcmp(issuer, x5c_issuer) != 0) {
            why = "the x5c certificate names another issuer than the one listing the key";
        }
    }
    if (why != NULL) {
        EVP_PKEY_free(key);
        hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip, "key [%zu]: %s", index,
                    why);
        return HC_OK;
    }
    const char *k = kid != NULL ? json_string_value(kid) : thumb;
    size_t klen = kid != NULL ? json_string_length(kid) : strlen(thumb);
    hc_trust_entry *entry = NULL;
    e = hc__trust_stage_jwk(ts, key, k, klen, issuer[0] ? issuer : x5c_issuer, source, &entry,
                            &why);
    if (e == HC_ERR_TRUST_INVALID) {
        EVP_PKEY_free(key);
        hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip, "key [%zu]: %s", index,
                    why);
        return HC_OK;
    }
    if (e != HC_OK) {
        EVP_PKEY_free(key);
        return e;
    }
    memcpy(entry->thumbprint, thumb, sizeof thumb);
    entry->crl_version = crl_version;
    entry->issuer_from_x5c = issuer[0] == '\0' && x5c_issuer[0] != '\0';
    rep->staged++;
    return HC_OK;
}

static hc_err
stage_keys(hc_trust_store *ts, const json_t *keys, const char *issuer, const char *source,
           hc__trust_report *rep)
{
    size_t i;
    json_t *jwk;
    json_array_foreach(keys, i, jwk)
    {
        hc_err e = stage_jwk(ts, jwk, i, issuer, source, rep);
        if (e != HC_OK) {
            return e;
        }
    }
    return HC_OK;
}

static int
rid_cmp(const void *a, const void *b)
{
    return strcmp(((const hc_trust_rid *)a)->rid, ((const hc_trust_rid *)b)->rid);
}

/*
 * One SHC revocation list (SHC spec §"Revocation"): method "rid" (the only one defined), a counter,
 * and rids of the base64url alphabet, at most 24 characters, each optionally followed by "." and a
 * timestamp in Unix seconds. A duplicate rid is refused: which of two timestamps counts would be a
 * guess. On failure why says what is wrong and nothing is returned.
 */
static hc_trust_crl *
parse_crl(const json_t *o, const char *issuer, const char *source, char *why, size_t why_len)
{
    const char *kid = json_string_value(json_object_get(o, "kid"));
    json_t *rids = json_object_get(o, "rids");
    json_t *method = json_object_get(o, "method");
    int64_t ctr = 0;
    hc_trust_crl *crl = NULL;

    if (kid == NULL || json_string_length(json_object_get(o, "kid")) == 0 ||
        strlen(kid) > HC_TRUST_KID_MAX) {
        snprintf(why, why_len, "revocation list: no valid \"kid\"");
        return NULL;
    }
    if (!json_is_string(method) || strcmp(json_string_value(method), "rid") != 0) {
        snprintf(why, why_len,
                 "revocation list for %.60s: method is not \"rid\" (the only "
                 "method SMART Health Cards defines)",
                 kid);
        return NULL;
    }
    if (!counter_value(json_object_get(o, "ctr"), &ctr)) {
        snprintf(why, why_len, "revocation list for %.60s: \"ctr\" is not a counter", kid);
        return NULL;
    }
    if (!json_is_array(rids) || json_array_size(rids) > HC_SHC_CRL_MAX_RIDS) {
        snprintf(why, why_len,
                 "revocation list for %.60s: \"rids\" is not an array of at most "
                 "%d entries",
                 kid, HC_SHC_CRL_MAX_RIDS);
        return NULL;
    }
    crl = calloc(1, sizeof *crl);
    size_t n = json_array_size(rids);
    if (crl == NULL || (n > 0 && (crl->rids = calloc(n, sizeof *crl->rids)) == NULL)) {
        hc__trust_crl_free(crl);
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    crl->kid_len = strlen(kid);
    memcpy(crl->kid, kid, crl->kid_len);
    crl->ctr = ctr;
    snprintf(crl->issuer, sizeof crl->issuer, "%s", issuer);
    snprintf(crl->source, sizeof crl->source, "%.120s", source);
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_array_get(rids, i);
        const char *s = json_string_value(r);
        size_t len = json_string_length(r), rl = 0;
        while (s != NULL && rl < len && hc_jws_is_b64url_char(s[rl])) {
            rl++;
        }
        bool ok = s != NULL && rl > 0 && rl <= HC_SHC_RID_MAX;
        hc_trust_rid *out = &crl->rids[i];
        if (ok && rl < len) {
            /* ".<timestamp>": digits only */
            size_t digits = len - rl - 1;
            ok = s[rl] == '.' && digits > 0 && digits <= RID_TS_MAX_DIGITS;
            int64_t ts = 0;
            for (size_t k = rl + 1; ok && k < len; k++) {
                ok = isdigit((unsigned char)s[k]) != 0;
                ts = ts * 10 + (s[k] - '0');
            }
            out->has_before = ok;
            out->before_s = ts;
        }
        if (!ok) {
            snprintf(why, why_len,
                     "revocation list for %.60s: rids[%zu] is not a base64url rid of at most 24 "
                     "characters with an optional .timestamp",
                     kid, i);
            hc__trust_crl_free(crl);
            return NULL;
        }
        memcpy(out->rid, s, rl);
        out->rid[rl] = '\0';
    }
    crl->n_rids = n;
    if (n > 1) {
        qsort(crl->rids, n, sizeof *crl->rids, rid_cmp);
    }
    for (size_t i = 1; i < n; i++) {
        if (strcmp(crl->rids[i - 1].rid, crl->rids[i].rid) == 0) {
            snprintf(why, why_len, "revocation list for %.60s: rid %s is listed twice", kid,
                     crl->rids[i].rid);
            hc__trust_crl_free(crl);
            return NULL;
        }
    }
    return crl;
}

static hc_err
stage_crl_object(hc_trust_store *ts, const json_t *o, const char *issuer, const char *source,
                 hc__trust_report *rep, char *why, size_t why_len)
{
    hc_trust_crl *crl = parse_crl(o, issuer, source, why, why_len);
    if (crl == NULL) {
        return strcmp(why, "out of memory") == 0 ? HC_ERR_NOMEM : HC_ERR_TRUST_INVALID;
    }
    hc_err e = hc__trust_stage_crl(ts, crl);
    if (e != HC_OK) {
        hc__trust_crl_free(crl);
        snprintf(why, why_len, "%s", hc_err_str(e));
        return e;
    }
    rep->crls++;
    return HC_OK;
}

/* The VCI directory snapshot (see the file comment). */
static hc_err
stage_snapshot(hc_trust_store *ts, const json_t *info, const char *source, hc__trust_report *rep,
               char *why, size_t why_len)
{
    size_t i;
    json_t *item;
    json_array_foreach(info, i, item)
    {
        json_t *iss = json_object_get(json_object_get(item, "issuer"), "iss");
        json_t *keys = json_object_get(item, "keys");
        json_t *crls = json_object_get(item, "crls");
        if (!json_is_string(iss) || json_string_length(iss) == 0 ||
            json_string_length(iss) >= sizeof(((hc_trust_entry *)0)->issuer) ||
            !json_is_array(keys)) {
            hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip,
                        "issuerInfo [%zu]: no issuer.iss URL or no keys array", i);
            continue;
        }
        hc_err e = stage_keys(ts, keys, json_string_value(iss), source, rep);
        if (e != HC_OK) {
            snprintf(why, why_len, "%s", hc_err_str(e));
            return e;
        }
        if (crls != NULL && !json_is_array(crls)) {
            snprintf(why, why_len, "issuerInfo [%zu]: \"crls\" is not an array", i);
            return HC_ERR_TRUST_INVALID;
        }
        size_t k;
        json_t *crl;
        json_array_foreach(crls, k, crl)
        {
            e = stage_crl_object(ts, crl, json_string_value(iss), source, rep, why, why_len);
            if (e != HC_OK) {
                return e;
            }
        }
    }
    return HC_OK;
}

typedef struct did_ctx {
    hc_trust_store *ts;
    const char *source;
    hc__trust_report *rep;
    EVP_PKEY *did_key; /* for a did:key document: the key its DID is */
} did_ctx;

static hc_err
stage_did_method(void *ctx, const hc_did_method *m)
{
    did_ctx *c = ctx;
    const char *reason = NULL;
    hc_trust_entry *entry = NULL;
    if (c->did_key != NULL && EVP_PKEY_eq(c->did_key, m->key) != 1) {
        return HC_ERR_KEY_INVALID; /* a did:key document can only hold the DID's own key */
    }
    hc_err e = hc__trust_stage_jwk(c->ts, m->key, m->fragment, m->fragment_len, m->did, c->source,
                                   &entry, &reason);
    if (e == HC_ERR_TRUST_INVALID) {
        return HC_ERR_KEY_INVALID;
    }
    if (e == HC_OK && hc_jwk_thumbprint(m->key, entry->thumbprint) != HC_OK) {
        entry->thumbprint[0] = '\0';
    }
    if (e == HC_OK) {
        c->rep->staged++;
    }
    return e;
}

static hc_err
stage_did_doc(hc_trust_store *ts, const json_t *doc, const char *source, hc__trust_report *rep,
              char *why, size_t why_len)
{
    hc_did_doc_report drep;
    did_ctx c = { ts, source, rep, NULL };
    const char *id = json_string_value(json_object_get(doc, "id"));
    if (id != NULL && strncmp(id, "did:key:", 8) == 0 &&
        hc_did_key_resolve(id, strlen(id), &c.did_key, NULL, NULL) != HC_OK) {
        snprintf(why, why_len, "the DID document's id is not a valid did:key");
        return HC_ERR_TRUST_INVALID;
    }
    hc_err e = hc_did_doc_foreach(doc, stage_did_method, &c, &drep, why, why_len);
    EVP_PKEY_free(c.did_key);
    rep->skipped += drep.skipped;
    if (drep.first_skip[0] != '\0' && rep->first_skip[0] == '\0') {
        snprintf(rep->first_skip, sizeof rep->first_skip, "%s", drep.first_skip);
    }
    return e;
}

/* A DID document in memory that must be the document of one DID (a fetched did:web). */
typedef struct did_doc_input {
    const uint8_t *data;
    size_t len;
    const char *did;
} did_doc_input;

static hc_err
stage_did_doc_of(void *ctx, hc_trust_store *ts, const char *source, hc__trust_report *rep,
                 char *why, size_t why_len)
{
    const did_doc_input *in = ctx;
    json_t *root = NULL;
    char jwhy[160] = "";
    if (hc_json_parse_bounded((const char *)in->data, in->len, &hc_json_payload_limits, &root, jwhy,
                              sizeof jwhy) != HC_OK) {
        snprintf(why, why_len, "not a JSON document: %s", jwhy);
        return HC_ERR_TRUST_INVALID;
    }
    hc_err e = HC_ERR_TRUST_INVALID;
    const char *id = json_string_value(json_object_get(root, "id"));
    if (!json_is_object(root)) {
        snprintf(why, why_len, "not a DID document (a JSON object)");
    } else if (id == NULL) {
        snprintf(why, why_len, "not a DID document (no \"id\")");
    } else if (strcmp(id, in->did) != 0) {
        /* did:web §3.2 ("Read"): the resolved document's id must be the DID resolved, else a
         * host could vouch for keys of another DID. */
        snprintf(why, why_len, "its id %.80s is not the DID %.80s", id, in->did);
    } else {
        e = stage_did_doc(ts, root, source, rep, why, why_len);
        if (e == HC_OK && rep->staged == 0) {
            snprintf(why, why_len, "no usable key: %zu skipped (first: %s)", rep->skipped,
                     rep->first_skip[0] ? rep->first_skip : "none listed");
            e = HC_ERR_TRUST_INVALID;
        }
    }
    json_decref(root);
    return e;
}

hc_err
hc_trust_store_add_did_document(hc_trust_store *ts, const unsigned char *data, size_t len,
                                const char *did, const char *source, char *msg, size_t msg_len)
{
    if (ts == NULL || data == NULL || did == NULL) {
        if (msg != NULL && msg_len > 0) {
            snprintf(msg, msg_len, "invalid argument");
        }
        return HC_ERR_INVALID_ARG;
    }
    did_doc_input in = { data, len, did };
    return hc__trust_add_staged(ts, source != NULL ? source : did, stage_did_doc_of, &in, msg,
                                msg_len);
}

hc_err
hc__trust_stage_json_object(hc_trust_store *ts, json_t *root, const char *source,
                            hc__trust_report *rep, char *why, size_t why_len)
{
    json_t *keys = json_object_get(root, "keys");
    json_t *info = json_object_get(root, "issuerInfo");
    const char *id = json_string_value(json_object_get(root, "id"));
    hc_err e;

    if (json_is_array(keys)) {
        e = stage_keys(ts, keys, "", source, rep);
    } else if (json_is_array(info)) {
        e = stage_snapshot(ts, info, source, rep, why, why_len);
    } else if (id != NULL && strncmp(id, "did:", 4) == 0) {
        e = stage_did_doc(ts, root, source, rep, why, why_len);
    } else if (json_object_get(root, "rids") != NULL && json_object_get(root, "method") != NULL) {
        return stage_crl_object(ts, root, "", source, rep, why, why_len);
    } else if (json_object_get(root, "participating_issuers") != NULL) {
        snprintf(why, why_len,
                 "a VCI issuer directory lists issuers but no keys: use the "
                 "directory snapshot (vci_snapshot.json) or the issuers' JWKS");
        return HC_ERR_TRUST_INVALID;
    } else {
        snprintf(why, why_len,
                 "a JSON object that is no JWKS {\"keys\"}, VCI snapshot "
                 "{\"issuerInfo\"}, DID document {\"id\": \"did:...\"} or SMART Health "
                 "Cards revocation list");
        return HC_ERR_TRUST_INVALID;
    }
    if (e == HC_OK && rep->staged == 0 && rep->crls == 0) {
        snprintf(why, why_len, "no usable key: %zu skipped (first: %s)", rep->skipped,
                 rep->first_skip[0] ? rep->first_skip : "none listed");
        return HC_ERR_TRUST_INVALID;
    }
    if (e != HC_OK && why[0] == '\0') {
        snprintf(why, why_len, "%s", hc_err_str(e));
    }
    return e;
}

bool
hc__trust_is_did_lines(const uint8_t *data, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && isspace(data[i])) {
            i++;
        }
        if (i < len && data[i] == '#') {
            while (i < len && data[i] != '\n') {
                i++;
            }
            continue;
        }
        return len - i >= 8 && memcmp(data + i, "did:key:", 8) == 0;
    }
    return false;
}

hc_err
hc__trust_stage_did_lines(hc_trust_store *ts, const uint8_t *data, size_t len, const char *source,
                          hc__trust_report *rep, char *why, size_t why_len)
{
    size_t line = 0;
    for (size_t i = 0; i < len;) {
        size_t end = i;
        while (end < len && data[end] != '\n') {
            end++;
        }
        const char *s = (const char *)data + i;
        size_t n = end - i;
        i = end + 1;
        line++;
        while (n > 0 && isspace((unsigned char)s[0])) {
            s++;
            n--;
        }
        while (n > 0 && isspace((unsigned char)s[n - 1])) {
            n--;
        }
        if (n == 0 || s[0] == '#') {
            continue;
        }
        if (rep->staged >= HC_MAX_TRUST_ENTRIES) {
            snprintf(why, why_len, "more than %d DIDs", HC_MAX_TRUST_ENTRIES);
            return HC_ERR_TRUST_INVALID;
        }
        EVP_PKEY *key = NULL;
        const char *reason = NULL;
        hc_err e = hc_did_key_resolve(s, n, &key, NULL, &reason);
        if (e != HC_OK) {
            snprintf(why, why_len, "line %zu: not a usable did:key (%s)", line,
                     reason != NULL ? reason : hc_err_str(e));
            return e == HC_ERR_NOMEM ? e : HC_ERR_TRUST_INVALID;
        }
        char did[HC_DID_KEY_MAX];
        snprintf(did, sizeof did, "%.*s", (int)n, s);
        hc_trust_entry *entry = NULL;
        /* did:key §3.1.2: the verification method id is the DID + "#" + its multibase value. */
        e = hc__trust_stage_jwk(ts, key, did + 8, n - 8, did, source, &entry, &reason);
        if (e != HC_OK) {
            EVP_PKEY_free(key);
            snprintf(why, why_len, "line %zu: %s", line,
                     e == HC_ERR_TRUST_INVALID ? reason : hc_err_str(e));
            return e;
        }
        if (hc_jwk_thumbprint(key, entry->thumbprint) != HC_OK) {
            entry->thumbprint[0] = '\0';
        }
        rep->staged++;
    }
    if (rep->staged == 0) {
        snprintf(why, why_len, "no DID in the file");
        return HC_ERR_TRUST_INVALID;
    }
    return HC_OK;
}
