/* did_doc.c: DID syntax, DID URLs, did:web locations, DID document keys (see did_doc.h). */
#include "did_doc.h"

#include <stdio.h>
#include <string.h>

#include "base58.h"
#include "did_key.h"
#include "hc_msg.h"
#include "jwk.h"

static bool
is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool
hc_did_valid(const char *did, size_t len)
{
    size_t i = 4, start;

    if (did == NULL || len < 7 || len > HC_DID_MAX || memcmp(did, "did:", 4) != 0) {
        return false;
    }
    /* method-name = 1*method-char; method-char = %x61-7A / DIGIT */
    start = i;
    while (i < len && ((did[i] >= 'a' && did[i] <= 'z') || is_digit(did[i]))) {
        i++;
    }
    if (i == start || i >= len || did[i] != ':') {
        return false;
    }
    i++;
    /* method-specific-id = *( *idchar ":" ) 1*idchar; idchar = ALPHA / DIGIT / "." / "-" / "_" /
     * pct-encoded */
    if (i >= len || did[len - 1] == ':') {
        return false;
    }
    for (; i < len; i++) {
        char c = did[i];
        if (c == '%') {
            if (i + 2 >= len || !is_hex(did[i + 1]) || !is_hex(did[i + 2])) {
                return false;
            }
            i += 2;
        } else if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == ':')) {
            return false;
        }
    }
    return true;
}

bool
hc_did_url_split(const char *url, size_t len, size_t *did_len, const char **frag, size_t *frag_len)
{
    const char *hash = url != NULL ? memchr(url, '#', len) : NULL;
    if (hash == NULL) {
        return false;
    }
    size_t dl = (size_t)(hash - url);
    size_t fl = len - dl - 1;
    if (fl == 0 || (dl > 0 && !hc_did_valid(url, dl))) {
        return false;
    }
    /* fragment = *( pchar / "/" / "?" ) (RFC 3986 §3.5); we accept the unreserved characters and
     * pct-encoding, which is what verification method ids use. */
    for (size_t i = dl + 1; i < len; i++) {
        char c = url[i];
        if (!(is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_' || c == '~' ||
              c == '%' || c == ':' || c == '=')) {
            return false;
        }
    }
    *did_len = dl;
    *frag = hash + 1;
    *frag_len = fl;
    return true;
}

/* A DNS host name (RFC 1123 §2.1): labels of 1..63 letters, digits and '-', not at a label's
 * ends. */
static bool
host_valid(const char *h, size_t n)
{
    size_t label = 0;
    if (n == 0 || n > HC_DID_WEB_HOST_MAX) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = h[i];
        if (c == '.') {
            if (label == 0 || h[i - 1] == '-') {
                return false;
            }
            label = 0;
        } else if (is_alpha(c) || is_digit(c) || (c == '-' && label > 0)) {
            if (++label > 63) {
                return false;
            }
        } else {
            return false;
        }
    }
    return label > 0 && h[n - 1] != '-';
}

hc_err
hc_did_web_location(const char *did, size_t len, hc_did_web_loc *out)
{
    static const char prefix[] = "did:web:";
    size_t i = sizeof prefix - 1;

    if (did == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    if (!hc_did_valid(did, len) || len <= i || memcmp(did, prefix, i) != 0) {
        return HC_ERR_STRUCTURE_INVALID;
    }
    /* did:web §3.2: the first ':'-separated segment is the domain name, with a port after a
     * percent-encoded colon. */
    size_t h = i;
    while (i < len && did[i] != ':' && did[i] != '%') {
        i++;
    }
    if (!host_valid(did + h, i - h)) {
        return HC_ERR_STRUCTURE_INVALID;
    }
    memcpy(out->host, did + h, i - h);
    out->port = 443; /* RFC 2818 §2.3: the https default */
    if (i < len && did[i] == '%') {
        if (len - i < 4 || did[i + 1] != '3' || (did[i + 2] != 'A' && did[i + 2] != 'a')) {
            return HC_ERR_STRUCTURE_INVALID; /* no other percent-encoding in a host name */
        }
        unsigned long port = 0;
        size_t d = 0;
        for (i += 3; i < len && is_digit(did[i]) && d < 6; i++, d++) {
            port = port * 10 + (unsigned long)(did[i] - '0');
        }
        if (d == 0 || d > 5 || port == 0 || port > 65535 || (i < len && did[i] != ':')) {
            return HC_ERR_STRUCTURE_INVALID;
        }
        out->port = (unsigned)port;
        out->has_port = true;
    }
    /* §3.2: the other segments are the path, ending in did.json; without a path the document is
     * /.well-known/did.json. */
    size_t o = 0;
    while (i < len) {
        size_t s = ++i; /* past the ':' */
        while (i < len && did[i] != ':') {
            /* Percent-encoding is refused in the path: a server that decodes %2F or %2E%2E would
             * serve a document from outside the DID's folder. */
            if (did[i] == '%') {
                return HC_ERR_STRUCTURE_INVALID;
            }
            i++;
        }
        size_t n = i - s;
        if (n == 0 || (n == 1 && did[s] == '.') || (n == 2 && did[s] == '.' && did[s + 1] == '.')) {
            return HC_ERR_STRUCTURE_INVALID;
        }
        if (o + 1 + n + sizeof "/did.json" > sizeof out->path) {
            return HC_ERR_STRUCTURE_INVALID;
        }
        out->path[o++] = '/';
        memcpy(out->path + o, did + s, n);
        o += n;
    }
    snprintf(out->path + o, sizeof out->path - o, "%s",
             o > 0 ? "/did.json" : "/.well-known/did.json");
    return HC_OK;
}

hc_err
hc_did_web_url(const char *did, size_t len, char *out, size_t cap)
{
    hc_did_web_loc loc;

    if (did == NULL || out == NULL || cap == 0) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err e = hc_did_web_location(did, len, &loc);
    if (e != HC_OK) {
        return e;
    }
    char port[8] = "";
    if (loc.has_port) {
        snprintf(port, sizeof port, ":%u", loc.port);
    }
    int n = snprintf(out, cap, "https://%s%s%s", loc.host, port, loc.path);
    if (n < 0 || (size_t)n >= cap) {
        out[0] = '\0';
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    return HC_OK;
}

/* The fragment of a verification method id that belongs to did ("did#f" or "#f"), or NULL. */
static const char *
own_fragment(const char *id, size_t id_len, const char *did, size_t *frag_len)
{
    size_t dl;
    const char *frag;
    if (!hc_did_url_split(id, id_len, &dl, &frag, frag_len)) {
        return NULL;
    }
    if (dl != 0 && (dl != strlen(did) || memcmp(id, did, dl) != 0)) {
        return NULL; /* a key of another DID: not this document's to vouch for */
    }
    return frag;
}

/* The key of one verification method object (see did_doc.h for the forms). */
static hc_err
method_key(const json_t *vm, EVP_PKEY **key, hc_sig_alg *alg, const char **why)
{
    json_t *jwk = json_object_get(vm, "publicKeyJwk");
    if (jwk != NULL) {
        return hc_jwk_public_key(jwk, key, alg, why);
    }
    json_t *mb = json_object_get(vm, "publicKeyMultibase");
    if (json_is_string(mb)) {
        return hc_did_key_multibase_key(json_string_value(mb), json_string_length(mb), key, alg,
                                        why);
    }
    json_t *b58 = json_object_get(vm, "publicKeyBase58");
    const char *type = json_string_value(json_object_get(vm, "type"));
    if (json_is_string(b58) && type != NULL) {
        uint8_t raw[HC_BASE58_MAX_BYTES];
        size_t n = 0;
        if (hc_base58_decode(json_string_value(b58), json_string_length(b58), raw, sizeof raw,
                             &n) != HC_OK) {
            *why = "publicKeyBase58 is not base58btc";
            return HC_ERR_KEY_INVALID;
        }
        hc_sig_alg a = HC_SIG_NONE;
        if (strcmp(type, "Ed25519VerificationKey2018") == 0 && n == 32) {
            a = HC_SIG_EDDSA; /* the raw key (Ed25519 Signature 2018 suite) */
        } else if (strcmp(type, "P256Key2021") == 0 && n == 33) {
            a = HC_SIG_ES256; /* the compressed point */
        }
        if (a == HC_SIG_NONE) {
            *why = "publicKeyBase58 of an unsupported type or size";
            return HC_ERR_KEY_INVALID;
        }
        hc_err e = hc_jwk_key_from_point(a, raw, n, key);
        if (e == HC_OK) {
            *alg = a;
        } else {
            *why = "publicKeyBase58 is not a valid key";
        }
        return e;
    }
    *why = "no publicKeyJwk, publicKeyMultibase or publicKeyBase58";
    return HC_ERR_KEY_INVALID;
}

/* The verification method object that id names in doc's verificationMethod list. */
static const json_t *
find_method(const json_t *doc, const char *did, const char *frag, size_t frag_len)
{
    json_t *list = json_object_get(doc, "verificationMethod");
    size_t i;
    json_t *vm;
    json_array_foreach(list, i, vm)
    {
        const char *id = json_string_value(json_object_get(vm, "id"));
        size_t fl;
        const char *f = id != NULL ? own_fragment(id, strlen(id), did, &fl) : NULL;
        if (f != NULL && fl == frag_len && memcmp(f, frag, fl) == 0) {
            return vm;
        }
    }
    return NULL;
}

hc_err
hc_did_doc_foreach(const json_t *doc, hc_did_method_fn fn, void *ctx, hc_did_doc_report *rep,
                   char *why, size_t why_len)
{
    hc_did_doc_report local;
    if (rep == NULL) {
        rep = &local;
    }
    memset(rep, 0, sizeof *rep);
    char scratch[8];
    if (why == NULL || why_len == 0) {
        why = scratch;
        why_len = sizeof scratch;
    }
    why[0] = '\0';
    const char *did = json_string_value(json_object_get(doc, "id"));
    if (!json_is_object(doc) || did == NULL || !hc_did_valid(did, strlen(did))) {
        snprintf(why, why_len, "not a DID document (no valid DID in \"id\")");
        return HC_ERR_TRUST_INVALID;
    }
    json_t *am = json_object_get(doc, "assertionMethod");
    if (!json_is_array(am) || json_array_size(am) == 0) {
        snprintf(why, why_len,
                 "the DID document has no assertionMethod (no key may issue credentials)");
        return HC_ERR_TRUST_INVALID;
    }
    size_t i;
    json_t *ref;
    json_array_foreach(am, i, ref)
    {
        const json_t *vm = NULL;
        const char *frag = NULL;
        size_t frag_len = 0;
        const char *id = json_is_string(ref) ? json_string_value(ref)
                                             : json_string_value(json_object_get(ref, "id"));
        if (id != NULL) {
            frag = own_fragment(id, strlen(id), did, &frag_len);
        }
        if (frag == NULL) {
            hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip,
                        "assertionMethod [%zu]: not a key id of %s", i, did);
            continue;
        }
        vm = json_is_string(ref) ? find_method(doc, did, frag, frag_len) : ref;
        if (vm == NULL) {
            hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip,
                        "assertionMethod [%zu]: no such verificationMethod", i);
            continue;
        }
        hc_did_method m = { .did = did, .fragment = frag, .fragment_len = frag_len };
        const char *kwhy = NULL;
        hc_err e = method_key(vm, &m.key, &m.alg, &kwhy);
        if (e == HC_ERR_KEY_INVALID) {
            hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip,
                        "assertionMethod [%zu]: %s", i, kwhy != NULL ? kwhy : "unusable key");
            continue;
        }
        if (e != HC_OK) {
            return e;
        }
        e = fn(ctx, &m);
        if (e == HC_ERR_KEY_INVALID) {
            EVP_PKEY_free(m.key);
            hc_msg_note(&rep->skipped, rep->first_skip, sizeof rep->first_skip,
                        "assertionMethod [%zu]: refused", i);
            continue;
        }
        if (e != HC_OK) {
            EVP_PKEY_free(m.key);
            return e;
        }
        rep->loaded++;
    }
    return HC_OK;
}
