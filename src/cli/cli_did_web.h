/*
 * cli_did_web.h: `healthcert verify --resolve-did-web [--ca-file PEM]`: fetches the DID document
 * of a VC-JWT's did:web issuer that no --trust entry names (did:web §3.2 "Read (Resolve)") and
 * makes its keys trust material bound to that DID alone. Off by default; the CLI's only, never the
 * service's (security.md §1.8: a did:web is an attacker-chosen URL).
 */
#ifndef HC_CLI_DID_WEB_H
#define HC_CLI_DID_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include "did_doc.h"
#include "healthcert/trust.h"

/* Distinct did:web issuers one run fetches at most (a --batch of many issuers would otherwise
 * cost one deadline each). */
#define HC_CLI_DID_WEB_MAX 32

/* Deadline of one fetch (connect, TLS handshake, request and response together). */
#define HC_CLI_DID_WEB_TIMEOUT_MS 10000

/* Largest DID document accepted (they hold a few keys: 64 KiB is generous). */
#define HC_CLI_DID_WEB_MAX_BODY (64 * 1024)

typedef struct hc_cli_did_web_seen {
    char did[HC_DID_MAX + 1];
    bool ok;       /* its document's keys are in fetched */
    char why[200]; /* else why not, as given to the verifier */
} hc_cli_did_web_seen;

typedef struct hc_cli_did_web {
    const char *ca_file;     /* --ca-file, NULL: the system's CA store */
    hc_trust_store *fetched; /* the keys of every document fetched, each bound to its DID */
    hc_cli_did_web_seen seen[HC_CLI_DID_WEB_MAX]; /* each DID is fetched once per run */
    size_t n_seen;
} hc_cli_did_web;

/* The hc_did_web_resolver of the verifier options (healthcert/verify.h); ctx is hc_cli_did_web. */
const hc_trust_store *hc_cli_did_web_resolve(void *ctx, const char *did, char *why, size_t why_len);

void hc_cli_did_web_clear(hc_cli_did_web *r);

#endif
