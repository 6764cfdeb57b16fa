/*
 * healthcert/trust.h: the trust store, the keys a verifier trusts.
 *
 * Loaded once (at start-up), read by any number of verifier threads; not modified while verifiers
 * use it. Material is detected by content:
 *   - a PEM file with one or more certificates, or one DER certificate;
 *   - a folder of such files (not recursive; files it cannot read are reported, not skipped);
 *   - an EU gateway-style trust list: a JSON array of {kid, country, certificateType, rawData}
 *     (rawData = base64 DER; entries whose certificateType is not DSC are kept as CA material);
 *   - a JWKS {"keys": [...]}, a VCI directory snapshot {"issuerInfo": [...]}, a SMART Health Cards
 *     revocation list {"kid", "method", "rids"}, a DID document, did:key lines (docs/shc.md,
 *     docs/vc.md): bare public keys bound to an issuer URL or DID;
 * later formats (GDHCN lists) add to the same store.
 */
#ifndef HEALTHCERT_TRUST_H
#define HEALTHCERT_TRUST_H

#include <stddef.h>

#include "healthcert/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hc_trust_store hc_trust_store;

hc_trust_store *hc_trust_store_new(void);
void hc_trust_store_free(hc_trust_store *ts);

/*
 * Adds the trust material at path. On failure returns HC_ERR_IO (unreadable) or
 * HC_ERR_TRUST_INVALID (not trust material, or malformed) and writes a reason into msg (may be
 * NULL). Nothing is added from a file that fails as a whole; a trust list with some unusable
 * entries loads the usable ones and reports the count of skipped ones in msg.
 */
hc_err hc_trust_store_add_path(hc_trust_store *ts, const char *path, char *msg, size_t msg_len);

/* As hc_trust_store_add_path for bytes already in memory; source names them in messages. */
hc_err hc_trust_store_add_buffer(hc_trust_store *ts, const unsigned char *data, size_t len,
                                 const char *source, char *msg, size_t msg_len);

/* Number of usable keys in the store. */
size_t hc_trust_store_count(const hc_trust_store *ts);

#ifdef __cplusplus
}
#endif
#endif
