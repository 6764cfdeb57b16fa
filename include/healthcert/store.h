/*
 * healthcert/store.h: issuance records, the issuer's memory of what it signed.
 *
 * One interface, two backends chosen by the URL given to hc_store_open:
 *   "sqlite:PATH" or a plain PATH   SQLite, the embedded default (WAL journal, synchronous=FULL:
 *                                   a record is on disk when hc_store_insert returns)
 *   "postgres://..." / "postgresql://..."  PostgreSQL (libpq connection URI), for several
 *                                   stateless service instances sharing one database
 *
 * A record keeps what an issuer needs to answer for and revoke a certificate: its identifier
 * (UVCI), type, issuing country, signer kid, issuing and expiry times, its three EU revocation
 * hashes (healthcert/revocation.h), its status, and the signed payload encrypted at rest with
 * AES-256-GCM under a key from a file (so a lost certificate can be re-issued, and a copy of the
 * database alone discloses no health data). Only prepared statements touch the database; the
 * schema is versioned and migrated forward when a store is opened (docs/store.md).
 *
 * A store is shared by any number of threads: it holds a pool of connections and each call takes
 * one for its duration (waiting when all are busy).
 */
#ifndef HEALTHCERT_STORE_H
#define HEALTHCERT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "healthcert/error.h"
#include "healthcert/revocation.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The DCC schema bounds a UVCI to 80 characters (ci maxLength); the record keeps up to 127. */
#define HC_STORE_UVCI_MAX 128
/* AES-256-GCM key size. */
#define HC_STORE_KEY_LEN 32
/* The newest schema version this build migrates to. */
#define HC_STORE_SCHEMA_VERSION 2

typedef enum hc_cert_status {
    HC_CERT_ACTIVE = 0,
    HC_CERT_REVOKED = 1,
} hc_cert_status;

typedef struct hc_cert_record {
    char uvci[HC_STORE_UVCI_MAX];
    char type;       /* 'v', 't' or 'r' */
    char country[3]; /* ISO 3166-1 alpha-2 of the issuer (CWT iss) */
    uint8_t kid[8];  /* the signer's kid (HCERT Appendix A.1) */
    int64_t issued_at_ms, expires_at_ms;
    /* The EU revocation hashes (eu-dcc.md §4.3), indexed by hc_revocation_hash_type. */
    uint8_t hashes[HC_REVOCATION_HASH_TYPES][HC_REVOCATION_HASH_LEN];
    hc_cert_status status;
    int64_t revoked_at_ms;  /* 0 unless revoked */
    int64_t revocation_seq; /* order of revocation (increasing, store-wide), 0 unless revoked */
} hc_cert_record;

typedef struct hc_store hc_store;

typedef struct hc_store_options {
    /* AES-256-GCM key for payloads; NULL: hc_store_insert refuses payloads and
     * hc_store_get_payload answers HC_ERR_UNSUPPORTED. */
    const uint8_t *payload_key;
    size_t connections; /* pool size; 0 = 4 */
} hc_store_options;

/*
 * Opens (creating when needed) the store at url and migrates its schema to
 * HC_STORE_SCHEMA_VERSION. A database whose schema is newer than this build is refused.
 * HC_ERR_IO (cannot open or connect), HC_ERR_UNSUPPORTED (unknown URL scheme, newer schema),
 * HC_ERR_INTERNAL (a migration failed), with a reason in msg (never the password of a URL).
 */
hc_err hc_store_open(const char *url, const hc_store_options *opt, hc_store **out, char *msg,
                     size_t msg_len);
void hc_store_close(hc_store *s);

/* "sqlite" or "postgres". */
const char *hc_store_backend(const hc_store *s);
/* The schema version found when the store was opened, before migrating (0: new database). */
int hc_store_initial_schema_version(const hc_store *s);

/*
 * Adds a record with its payload (encrypted here; the UVCI is bound to the ciphertext as
 * associated data, so a payload cannot be moved to another record). Returns when the record is
 * committed. HC_ERR_INVALID_ARG for a record that is malformed or whose UVCI is already stored
 * (*duplicate set, may be NULL), HC_ERR_IO when the database fails.
 */
hc_err hc_store_insert(hc_store *s, const hc_cert_record *rec, const uint8_t *payload, size_t len,
                       bool *duplicate);

/* The record with that UVCI (HC_ERR_NOT_FOUND when none). */
hc_err hc_store_get(hc_store *s, const char *uvci, hc_cert_record *out);

/* The decrypted payload of the record (malloc'd; the caller frees it, after wiping it).
 * HC_ERR_NOT_FOUND, HC_ERR_KEY_INVALID when the key does not open it (another key, or tampered). */
hc_err hc_store_get_payload(hc_store *s, const char *uvci, uint8_t **payload, size_t *len);

/*
 * Marks the record revoked at now_ms and fills *out (may be NULL) with it. Revoking a revoked
 * record changes nothing and succeeds (*newly = false, may be NULL). HC_ERR_NOT_FOUND.
 */
hc_err hc_store_revoke(hc_store *s, const char *uvci, int64_t now_ms, hc_cert_record *out,
                       bool *newly);

/*
 * Calls cb for every revoked record whose revocation_seq > after_seq, in revocation_seq order,
 * and sets *max_seq to the largest seq seen (after_seq when none). cb returns false to stop.
 */
hc_err hc_store_foreach_revoked(hc_store *s, int64_t after_seq,
                                bool (*cb)(void *ctx, const hc_cert_record *rec), void *ctx,
                                int64_t *max_seq);

/* Number of records, and of revoked ones. */
hc_err hc_store_count(hc_store *s, int64_t *total, int64_t *revoked);

/*
 * Reads an AES-256-GCM key file: 32 raw bytes, or 64 hex digits (with an optional line break).
 * Refuses a file that group or others may read (the key is the payloads' only protection):
 * HC_ERR_KEY_INVALID with a reason; HC_ERR_IO when unreadable.
 */
hc_err hc_store_read_key_file(const char *path, uint8_t key[HC_STORE_KEY_LEN], char *msg,
                              size_t msg_len);

/* Writes a new random key file (64 hex digits, mode 0600). Refuses to overwrite. */
hc_err hc_store_write_new_key_file(const char *path, char *msg, size_t msg_len);

#ifdef __cplusplus
}
#endif
#endif
