/*
 * store_internal.h: what the store front (store.c) needs from a backend (store_sqlite.c,
 * store_pg.c): one vtable over one connection. The front owns the pool, the payload encryption
 * and the argument checks; a backend only moves records in and out with prepared statements.
 */
#ifndef HC_STORE_INTERNAL_H
#define HC_STORE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hc_msg.h"
#include "healthcert/store.h"

typedef struct hc_store_backend_ops {
    const char *name;
    /* Opens one connection to target (the URL without "sqlite:"; the whole URL for postgres). */
    hc_err (*connect)(const char *target, void **conn, char *msg, size_t msg_len);
    void (*disconnect)(void *conn);
    /* Migrates the schema to HC_STORE_SCHEMA_VERSION (run on the first connection only) and
     * reports the version found. */
    hc_err (*migrate)(void *conn, int *initial_version, char *msg, size_t msg_len);
    /* Prepares the statements of a connection (after the schema exists). */
    hc_err (*prepare)(void *conn, char *msg, size_t msg_len);
    hc_err (*insert)(void *conn, const hc_cert_record *rec, const uint8_t *blob, size_t len,
                     bool *duplicate);
    /* blob may be NULL (metadata only); else *blob is malloc'd. */
    hc_err (*get)(void *conn, const char *uvci, hc_cert_record *rec, uint8_t **blob, size_t *len);
    hc_err (*revoke)(void *conn, const char *uvci, int64_t now_ms, bool *newly);
    hc_err (*foreach_revoked)(void *conn, int64_t after_seq,
                              bool (*cb)(void *ctx, const hc_cert_record *rec), void *ctx,
                              int64_t *max_seq);
    hc_err (*count)(void *conn, int64_t *total, int64_t *revoked);
} hc_store_backend_ops;

extern const hc_store_backend_ops hc_store_sqlite_ops;
extern const hc_store_backend_ops hc_store_pg_ops;

/* The schema, one entry per version, in order (store_migrations.c). */
typedef struct hc_store_migration {
    int version;
    const char *description;
    const char *sqlite_sql; /* constant DDL, no parameters */
    const char *pg_sql;
} hc_store_migration;

extern const hc_store_migration hc_store_migrations[];
extern const size_t hc_store_migration_count;

/* HC_OK when this build can migrate a database at schema version; HC_ERR_UNSUPPORTED (and msg)
 * when the database is newer than this build (store_migrations.c; both backends ask it). */
hc_err hc_store_check_schema_version(int version, char *msg, size_t msg_len);

/* Status column text. */
#define HC_STORE_STATUS_ACTIVE  "active"
#define HC_STORE_STATUS_REVOKED "revoked"

/* Payload encryption (store_crypt.c). The blob is "HCP1" || key id (8) || nonce (12) || tag (16)
 * || ciphertext. */
#define HC_STORE_BLOB_OVERHEAD (4 + 8 + 12 + 16)
void hc_store_key_id(const uint8_t key[HC_STORE_KEY_LEN], uint8_t id[8]);
hc_err hc_store_seal(const uint8_t key[HC_STORE_KEY_LEN], const char *uvci, const uint8_t *plain,
                     size_t len, uint8_t **blob, size_t *blob_len);
hc_err hc_store_open_blob(const uint8_t key[HC_STORE_KEY_LEN], const char *uvci,
                          const uint8_t *blob, size_t blob_len, uint8_t **plain, size_t *len);

#endif
