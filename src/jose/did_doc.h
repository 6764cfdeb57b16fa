/*
 * did_doc.h: DID syntax, DID URLs, did:web locations and the signature keys of a DID document
 * (W3C DID Core 1.0).
 *
 * A DID document is trust material here: it is read from a local file the user names (--trust),
 * or fetched by the CLI when its user asks (verify --resolve-did-web, src/cli/cli_did_web.c), never
 * by the service (security.md §1.8: did:web is an attacker-chosen URL, an SSRF vector for a
 * service). The keys taken from it are those of its assertionMethod
 * relationship (DID Core §5.3.2: "how the DID subject is expected to express claims, such as for
 * the purposes of issuing a Verifiable Credential"), given by reference into verificationMethod
 * or embedded, whose id belongs to the document's own DID. Key formats (DID Specification
 * Registries §"Verification Method Types"):
 *   publicKeyJwk        (JsonWebKey2020 and others): jwk.h rules;
 *   publicKeyMultibase  (Multikey, Ed25519VerificationKey2020): multicodec as in did:key;
 *   publicKeyBase58     (Ed25519VerificationKey2018: the raw 32-byte key; P256Key2021: the
 *                        compressed P-256 point), the legacy forms of the did:key test vectors.
 */
#ifndef HC_DID_DOC_H
#define HC_DID_DOC_H

#include <jansson.h>
#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>

#include "healthcert/error.h"
#include "sig.h"

/* Longest DID accepted (a did:web with a path, a did:key of P-521 is 107). */
#define HC_DID_MAX 256

/* DID Core §3.1: "did:" method-name ":" method-specific-id, without path, query or fragment. */
bool hc_did_valid(const char *did, size_t len);

/*
 * Splits a DID URL into its DID and its fragment (DID Core §3.2): "did:x:y#frag" -> "did:x:y",
 * "frag"; "#frag" (relative) -> "", "frag". False when there is no fragment, or a path or query.
 */
bool hc_did_url_split(const char *url, size_t len, size_t *did_len, const char **frag,
                      size_t *frag_len);

/* Longest host name of a did:web (RFC 1035 §2.3.4: 255 octets on the wire, 253 as text). */
#define HC_DID_WEB_HOST_MAX 253

/* Where a did:web's DID document is (did:web Method Specification §3.2 "Read (Resolve)"). */
typedef struct hc_did_web_loc {
    char host[HC_DID_WEB_HOST_MAX + 1]; /* lower-case letters kept as given; no port */
    unsigned port;                      /* 443 (RFC 2818) unless the DID names one */
    bool has_port;                      /* the DID names the port ("%3A" + digits) */
    char path[HC_DID_MAX + 24];         /* "/.well-known/did.json" or "/a/b/did.json" */
} hc_did_web_loc;

/*
 * The location of a did:web's DID document (did:web §3.2): the method-specific id's first
 * segment is the host, optionally with a port after a percent-encoded colon, the other segments
 * (separated by ':') the path; without a path the document is at /.well-known/did.json.
 * HC_ERR_STRUCTURE_INVALID for anything else than a did:web whose host is a DNS name (labels of
 * letters, digits and '-', RFC 1123 §2.1) with an optional port 1..65535, and whose path segments
 * are non-empty idchars other than "." and ".." (no traversal out of the DID's folder).
 */
hc_err hc_did_web_location(const char *did, size_t len, hc_did_web_loc *out);

/*
 * The https URL a did:web names (hc_did_web_location written as a URL):
 * did:web:example.com -> https://example.com/.well-known/did.json,
 * did:web:example.com%3A8443:a:b -> https://example.com:8443/a/b/did.json.
 */
hc_err hc_did_web_url(const char *did, size_t len, char *out, size_t cap);

/* One signature key of a DID document. */
typedef struct hc_did_method {
    const char *did; /* the document's DID */
    const char *fragment;
    size_t fragment_len;
    EVP_PKEY *key; /* owned by the callee when it returns HC_OK */
    hc_sig_alg alg;
} hc_did_method;

typedef hc_err (*hc_did_method_fn)(void *ctx, const hc_did_method *m);

typedef struct hc_did_doc_report {
    size_t loaded, skipped;
    char first_skip[160];
} hc_did_doc_report;

/*
 * Calls fn for each assertionMethod key of doc. HC_ERR_TRUST_INVALID with why when doc is not a
 * DID document (no valid "id", no assertionMethod); unusable methods are skipped and counted.
 * Errors returned by fn other than HC_ERR_KEY_INVALID stop the walk and are returned.
 */
hc_err hc_did_doc_foreach(const json_t *doc, hc_did_method_fn fn, void *ctx, hc_did_doc_report *rep,
                          char *why, size_t why_len);

#endif
