/*
 * store_migrations.c: the versioned schema of the issuance records (docs/store.md).
 *
 * Versions only ever get appended; a released migration is never edited. Each runs in one
 * transaction with its row in schema_migrations, so a database is always at exactly one version.
 * The SQL is constant DDL (no values from outside reach it).
 */
#include "store_internal.h"

const hc_store_migration hc_store_migrations[] = {
    {
        1,
        "certificates: issuance records with revocation hashes and the encrypted payload",
        "CREATE TABLE certificates ("
        "  uvci TEXT PRIMARY KEY NOT NULL,"
        "  cert_type TEXT NOT NULL CHECK (cert_type IN ('v', 't', 'r')),"
        "  country TEXT NOT NULL CHECK (length(country) = 2),"
        "  kid BLOB NOT NULL CHECK (length(kid) = 8),"
        "  issued_at_ms INTEGER NOT NULL,"
        "  expires_at_ms INTEGER NOT NULL,"
        "  hash_uci BLOB NOT NULL CHECK (length(hash_uci) = 16),"
        "  hash_country_uci BLOB NOT NULL CHECK (length(hash_country_uci) = 16),"
        "  hash_signature BLOB NOT NULL CHECK (length(hash_signature) = 16),"
        "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),"
        "  revoked_at_ms INTEGER,"
        "  payload BLOB NOT NULL,"
        "  created_at_ms INTEGER NOT NULL"
        ");",
        "CREATE TABLE certificates ("
        "  uvci TEXT PRIMARY KEY,"
        "  cert_type TEXT NOT NULL CHECK (cert_type IN ('v', 't', 'r')),"
        "  country TEXT NOT NULL CHECK (length(country) = 2),"
        "  kid BYTEA NOT NULL CHECK (octet_length(kid) = 8),"
        "  issued_at_ms BIGINT NOT NULL,"
        "  expires_at_ms BIGINT NOT NULL,"
        "  hash_uci BYTEA NOT NULL CHECK (octet_length(hash_uci) = 16),"
        "  hash_country_uci BYTEA NOT NULL CHECK (octet_length(hash_country_uci) = 16),"
        "  hash_signature BYTEA NOT NULL CHECK (octet_length(hash_signature) = 16),"
        "  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),"
        "  revoked_at_ms BIGINT,"
        "  payload BYTEA NOT NULL,"
        "  created_at_ms BIGINT NOT NULL"
        ");",
    },
    {
        2,
        "revocation_seq: a store-wide revocation order, so that service instances can follow "
        "each other's revocations incrementally",
        /* Records revoked under version 1 are numbered in the order they were revoked. */
        "ALTER TABLE certificates ADD COLUMN revocation_seq INTEGER;"
        "CREATE TABLE revocation_counter ("
        "  id INTEGER PRIMARY KEY CHECK (id = 1),"
        "  seq INTEGER NOT NULL"
        ");"
        "UPDATE certificates SET revocation_seq = ("
        "  SELECT count(*) FROM certificates AS c2 WHERE c2.status = 'revoked' AND"
        "  (c2.revoked_at_ms < certificates.revoked_at_ms OR"
        "   (c2.revoked_at_ms = certificates.revoked_at_ms AND c2.uvci <= certificates.uvci)))"
        "  WHERE status = 'revoked';"
        "INSERT INTO revocation_counter (id, seq)"
        "  SELECT 1, count(*) FROM certificates WHERE status = 'revoked';"
        "CREATE INDEX certificates_revocation_seq ON certificates (revocation_seq)"
        "  WHERE revocation_seq IS NOT NULL;",
        "ALTER TABLE certificates ADD COLUMN revocation_seq BIGINT;"
        "CREATE SEQUENCE hc_revocation_seq;"
        "UPDATE certificates AS c SET revocation_seq = r.n FROM ("
        "  SELECT uvci, row_number() OVER (ORDER BY revoked_at_ms, uvci) AS n"
        "  FROM certificates WHERE status = 'revoked') AS r"
        "  WHERE c.uvci = r.uvci;"
        "SELECT setval('hc_revocation_seq',"
        "  GREATEST((SELECT count(*) FROM certificates WHERE status = 'revoked'), 1),"
        "  (SELECT count(*) FROM certificates WHERE status = 'revoked') > 0);"
        "CREATE INDEX certificates_revocation_seq ON certificates (revocation_seq)"
        "  WHERE revocation_seq IS NOT NULL;",
    },
};

const size_t hc_store_migration_count = sizeof hc_store_migrations / sizeof hc_store_migrations[0];

hc_err
hc_store_check_schema_version(int version, char *msg, size_t msg_len)
{
    /* A newer schema was written by a newer build: migrating "down" is never attempted, and
     * running on it could misread columns this build does not know. */
    if (version > HC_STORE_SCHEMA_VERSION) {
        return hc_msg_err(HC_ERR_UNSUPPORTED, msg, msg_len,
                          "the database has schema version %d; this build knows up to %d "
                          "(upgrade healthcert)",
                          version, HC_STORE_SCHEMA_VERSION);
    }
    return HC_OK;
}
_Static_assert(sizeof hc_store_migrations / sizeof hc_store_migrations[0] ==
                   HC_STORE_SCHEMA_VERSION,
               "HC_STORE_SCHEMA_VERSION must name the last migration");
