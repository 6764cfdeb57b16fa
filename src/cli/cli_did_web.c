/* cli_did_web.c: did:web resolution over HTTPS for verify (see cli_did_web.h). */
#include "cli_did_web.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "https_get.h"
#include "trust_store.h"

/* The answer for one DID, remembered so that a --batch fetches each issuer once. */
static const hc_trust_store *
remember(hc_cli_did_web *r, const char *did, bool ok, const char *why_text, char *why,
         size_t why_len)
{
    hc_cli_did_web_seen *s = &r->seen[r->n_seen++];
    snprintf(s->did, sizeof s->did, "%s", did);
    s->ok = ok;
    snprintf(s->why, sizeof s->why, "%s", ok ? "" : why_text);
    if (!ok) {
        snprintf(why, why_len, "%s", s->why);
    }
    return ok ? r->fetched : NULL;
}

const hc_trust_store *
hc_cli_did_web_resolve(void *ctx, const char *did, char *why, size_t why_len)
{
    hc_cli_did_web *r = ctx;
    char text[200];
    hc_did_web_loc loc;

    for (size_t i = 0; i < r->n_seen; i++) {
        if (strcmp(r->seen[i].did, did) == 0) {
            if (!r->seen[i].ok) {
                snprintf(why, why_len, "%s", r->seen[i].why);
            }
            return r->seen[i].ok ? r->fetched : NULL;
        }
    }
    if (r->n_seen == HC_CLI_DID_WEB_MAX) {
        snprintf(why, why_len, "was not fetched: more than %d did:web issuers in one run",
                 HC_CLI_DID_WEB_MAX);
        return NULL;
    }
    if (hc_did_web_location(did, strlen(did), &loc) != HC_OK) {
        return remember(r, did, false,
                        "was not fetched: the DID's host or path is outside the did:web grammar",
                        why, why_len);
    }
    if (r->fetched == NULL && (r->fetched = hc_trust_store_new()) == NULL) {
        snprintf(why, why_len, "could not be fetched: out of memory");
        return NULL;
    }
    /* did:web §3.2: an HTTP GET of the document; DID Core §7.1.2 names its media type. */
    hc_https_request rq = {
        .host = loc.host,
        .port = loc.port,
        .path = loc.path,
        .accept = "application/did+json, application/json",
        .ca_file = r->ca_file,
        .timeout_ms = HC_CLI_DID_WEB_TIMEOUT_MS,
        .max_body = HC_CLI_DID_WEB_MAX_BODY,
    };
    char *body = NULL, reason[160] = "";
    size_t len = 0;
    if (hc_https_get(&rq, &body, &len, reason, sizeof reason) != HC_OK) {
        snprintf(text, sizeof text, "could not be fetched: %s", reason[0] ? reason : "error");
        return remember(r, did, false, text, why, why_len);
    }
    /* The same loader and rules as a DID document given with --trust, the keys bound to this DID
     * only (its id must be this DID). The message starts with the source: dropped, the verifier's
     * message names the URL already. */
    char msg[300] = "", source[] = "did:web document";
    hc_err e = hc_trust_store_add_did_document(r->fetched, (const unsigned char *)body, len, did,
                                               source, msg, sizeof msg);
    free(body);
    if (e != HC_OK) {
        const char *m = msg;
        if (strncmp(m, source, strlen(source)) == 0 && m[strlen(source)] == ':') {
            m += strlen(source) + 1;
            m += *m == ' ';
        }
        /* Cut to what the remembered reason holds (hc_cli_did_web_seen.why). */
        snprintf(text, sizeof text, "was refused: %.180s", m);
        return remember(r, did, false, text, why, why_len);
    }
    return remember(r, did, true, "", why, why_len);
}

void
hc_cli_did_web_clear(hc_cli_did_web *r)
{
    hc_trust_store_free(r->fetched);
    r->fetched = NULL;
    r->n_seen = 0;
}
