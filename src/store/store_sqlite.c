/*
 * store_sqlite.c: the SQLite backend of the store (store_internal.h).
 *
 * Durability: WAL journal with synchronous=FULL, so a commit has reached the disk (the WAL is
 * fsynced) when sqlite3_step returns; a certificate the service acknowledged survives kill -9 and
 * power loss (https://www.sqlite.org/pragma.html#pragma_synchronous). Several connections (the
 * pool) share the file: readers never block in WAL mode, writers wait up to the busy timeout.
 * Every statement is prepared once per connection and bound with values; no SQL text is built.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_internal.h"

/* How long a writer waits for another connection's transaction before giving up. */
#define BUSY_TIMEOUT_MS 10000

#define RECORD_COLUMNS                                                                         \
    "uvci, cert_type, country, kid, issued_at_ms, expires_at_ms, hash_uci, hash_country_uci, " \
    "hash_signature, status, revoked_at_ms, revocation_seq"

typedef struct sq_conn {
    sqlite3 *db;
    sqlite3_stmt *insert, *get, *get_blob, *status, *next_seq, *mark_revoked, *revoked_after,
        *count;
} sq_conn;

static hc_err
db_error(sq_conn *c, const char *what, char *msg, size_t msg_len)
{
    hc_msgf(msg, msg_len, "SQLite: %s: %s", what, sqlite3_errmsg(c->db));
    return HC_ERR_IO;
}

static void
sq_disconnect(void *conn)
{
    sq_conn *c = conn;
    if (c == NULL) {
        return;
    }
    sqlite3_stmt *all[] = { c->insert,   c->get,          c->get_blob,      c->status,
                            c->next_seq, c->mark_revoked, c->revoked_after, c->count };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        sqlite3_finalize(all[i]);
    }
    sqlite3_close_v2(c->db);
    free(c);
}

static hc_err
sq_connect(const char *target, void **conn, char *msg, size_t msg_len)
{
    sq_conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return HC_ERR_NOMEM;
    }
    /* Create the file readable by its owner only: it holds the UVCIs of everyone issued to
     * (SQLite gives its -wal and -shm files the same mode). */
    int fd = open(target, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        hc_msgf(msg, msg_len, "cannot open the database %s: %s", target, strerror(errno));
        free(c);
        return HC_ERR_IO;
    }
    close(fd);
    if (sqlite3_open_v2(target, &c->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        hc_err e = db_error(c, "open", msg, msg_len);
        sq_disconnect(c);
        return e;
    }
    /* Defensive mode and an untrusted schema: a database file from elsewhere cannot run SQL
     * functions through views or triggers, nor be corrupted with writable_schema. */
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
    sqlite3_db_config(c->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
    sqlite3_stmt *st = NULL;
    bool wal = false;
    if (sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *mode = (const char *)sqlite3_column_text(st, 0);
        wal = mode != NULL && strcmp(mode, "wal") == 0;
    }
    sqlite3_finalize(st);
    if (!wal || sqlite3_exec(c->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON", NULL, NULL,
                             NULL) != SQLITE_OK) {
        hc_err e = db_error(c, "cannot switch to WAL with synchronous=FULL", msg, msg_len);
        sq_disconnect(c);
        return e;
    }
    *conn = c;
    return HC_OK;
}

static hc_err
sq_migrate(void *conn, int *initial_version, char *msg, size_t msg_len)
{
    sq_conn *c = conn;
    sqlite3_stmt *cur = NULL, *add = NULL;
    hc_err e = HC_OK;
    int version = 0;

    /* BEGIN IMMEDIATE takes the write lock first, so two processes starting together migrate
     * one after the other, and the second sees the first's work. */
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        return db_error(c, "begin migration", msg, msg_len);
    }
    if (sqlite3_exec(c->db,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     "  version INTEGER PRIMARY KEY,"
                     "  description TEXT NOT NULL,"
                     "  applied_at_ms INTEGER NOT NULL)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "SELECT coalesce(max(version), 0) FROM schema_migrations", -1,
                           &cur, NULL) != SQLITE_OK ||
        sqlite3_step(cur) != SQLITE_ROW) {
        e = db_error(c, "read the schema version", msg, msg_len);
        goto out;
    }
    version = sqlite3_column_int(cur, 0);
    *initial_version = version;
    e = hc_store_check_schema_version(version, msg, msg_len);
    if (e != HC_OK) {
        goto out;
    }
    /* The Unix time in milliseconds from julianday() (unixepoch() needs SQLite 3.38). */
    if (sqlite3_prepare_v2(c->db,
                           "INSERT INTO schema_migrations (version, description, applied_at_ms) "
                           "VALUES (?1, ?2, "
                           "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))",
                           -1, &add, NULL) != SQLITE_OK) {
        e = db_error(c, "prepare the migration log", msg, msg_len);
        goto out;
    }
    for (size_t i = 0; i < hc_store_migration_count; i++) {
        const hc_store_migration *m = &hc_store_migrations[i];
        if (m->version <= version) {
            continue;
        }
        sqlite3_reset(add);
        sqlite3_bind_int(add, 1, m->version);
        sqlite3_bind_text(add, 2, m->description, -1, SQLITE_STATIC);
        if (sqlite3_exec(c->db, m->sqlite_sql, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_step(add) != SQLITE_DONE) {
            e = db_error(c, "migration", msg, msg_len);
            goto out;
        }
    }
out:
    sqlite3_finalize(cur);
    sqlite3_finalize(add);
    if (e == HC_OK && sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        e = db_error(c, "commit migration", msg, msg_len);
    }
    if (e != HC_OK) {
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return e;
}

static hc_err
sq_prepare(void *conn, char *msg, size_t msg_len)
{
    sq_conn *c = conn;
    struct {
        sqlite3_stmt **st;
        const char *sql;
    } stmts[] = {
        { &c->insert,
          "INSERT INTO certificates (uvci, cert_type, country, kid, issued_at_ms, expires_at_ms, "
          "hash_uci, hash_country_uci, hash_signature, status, payload, created_at_ms) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'active', ?10, ?11)" },
        { &c->get, "SELECT " RECORD_COLUMNS " FROM certificates WHERE uvci = ?1" },
        { &c->get_blob, "SELECT " RECORD_COLUMNS ", payload FROM certificates WHERE uvci = ?1" },
        { &c->status, "SELECT status FROM certificates WHERE uvci = ?1" },
        { &c->next_seq, "UPDATE revocation_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq" },
        { &c->mark_revoked,
          "UPDATE certificates SET status = 'revoked', revoked_at_ms = ?2, revocation_seq = ?3 "
          "WHERE uvci = ?1 AND status = 'active'" },
        { &c->revoked_after, "SELECT " RECORD_COLUMNS " FROM certificates "
                             "WHERE revocation_seq > ?1 ORDER BY revocation_seq" },
        { &c->count, "SELECT count(*), coalesce(sum(status = 'revoked'), 0) FROM certificates" },
    };
    for (size_t i = 0; i < sizeof stmts / sizeof stmts[0]; i++) {
        if (sqlite3_prepare_v3(c->db, stmts[i].sql, -1, SQLITE_PREPARE_PERSISTENT, stmts[i].st,
                               NULL) != SQLITE_OK) {
            return db_error(c, "prepare", msg, msg_len);
        }
    }
    return HC_OK;
}

static hc_err
sq_insert(void *conn, const hc_cert_record *r, const uint8_t *blob, size_t len, bool *duplicate)
{
    sq_conn *c = conn;
    sqlite3_stmt *st = c->insert;
    char type[2] = { r->type, 0 };
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, r->uvci, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, type, 1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, r->country, 2, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 4, r->kid, sizeof r->kid, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 5, r->issued_at_ms);
    sqlite3_bind_int64(st, 6, r->expires_at_ms);
    for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
        sqlite3_bind_blob(st, 7 + t, r->hashes[t], HC_REVOCATION_HASH_LEN, SQLITE_TRANSIENT);
    }
    sqlite3_bind_blob(st, 10, blob, (int)len, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 11, r->issued_at_ms);
    int rc = sqlite3_step(st);
    int ext = sqlite3_extended_errcode(c->db);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_DONE) {
        return HC_OK;
    }
    if (ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        *duplicate = true;
        return HC_ERR_INVALID_ARG;
    }
    return rc == SQLITE_CONSTRAINT ? HC_ERR_INVALID_ARG : HC_ERR_IO;
}

static void
copy_blob(sqlite3_stmt *st, int col, uint8_t *dst, size_t n)
{
    const void *b = sqlite3_column_blob(st, col);
    memset(dst, 0, n);
    if (b != NULL && (size_t)sqlite3_column_bytes(st, col) == n) {
        memcpy(dst, b, n);
    }
}

/* Fills r from the RECORD_COLUMNS of the current row. */
static void
read_record(sqlite3_stmt *st, hc_cert_record *r)
{
    const char *uvci = (const char *)sqlite3_column_text(st, 0);
    const char *type = (const char *)sqlite3_column_text(st, 1);
    const char *country = (const char *)sqlite3_column_text(st, 2);
    const char *status = (const char *)sqlite3_column_text(st, 9);
    memset(r, 0, sizeof *r);
    snprintf(r->uvci, sizeof r->uvci, "%s", uvci != NULL ? uvci : "");
    r->type = type != NULL ? type[0] : '?';
    snprintf(r->country, sizeof r->country, "%s", country != NULL ? country : "");
    copy_blob(st, 3, r->kid, sizeof r->kid);
    r->issued_at_ms = sqlite3_column_int64(st, 4);
    r->expires_at_ms = sqlite3_column_int64(st, 5);
    for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
        copy_blob(st, 6 + t, r->hashes[t], HC_REVOCATION_HASH_LEN);
    }
    r->status = status != NULL && strcmp(status, HC_STORE_STATUS_REVOKED) == 0 ? HC_CERT_REVOKED
                                                                               : HC_CERT_ACTIVE;
    r->revoked_at_ms = sqlite3_column_int64(st, 10);
    r->revocation_seq = sqlite3_column_int64(st, 11);
}

static hc_err
sq_get(void *conn, const char *uvci, hc_cert_record *rec, uint8_t **blob, size_t *len)
{
    sq_conn *c = conn;
    sqlite3_stmt *st = blob != NULL ? c->get_blob : c->get;
    hc_err e = HC_OK;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, uvci, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_record(st, rec);
        if (blob != NULL) {
            size_t n = (size_t)sqlite3_column_bytes(st, 12);
            const void *b = sqlite3_column_blob(st, 12);
            *blob = malloc(n + 1);
            if (*blob == NULL) {
                e = HC_ERR_NOMEM;
            } else {
                if (n > 0) {
                    memcpy(*blob, b, n);
                }
                *len = n;
            }
        }
    } else {
        e = rc == SQLITE_DONE ? HC_ERR_NOT_FOUND : HC_ERR_IO;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return e;
}

static hc_err
sq_revoke(void *conn, const char *uvci, int64_t now_ms, bool *newly)
{
    sq_conn *c = conn;
    hc_err e = HC_OK;
    *newly = false;
    if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        return HC_ERR_IO;
    }
    sqlite3_reset(c->status);
    sqlite3_bind_text(c->status, 1, uvci, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(c->status);
    if (rc == SQLITE_DONE) {
        e = HC_ERR_NOT_FOUND;
    } else if (rc != SQLITE_ROW) {
        e = HC_ERR_IO;
    } else if (strcmp((const char *)sqlite3_column_text(c->status, 0), HC_STORE_STATUS_ACTIVE) ==
               0) {
        sqlite3_reset(c->next_seq);
        if (sqlite3_step(c->next_seq) != SQLITE_ROW) {
            e = HC_ERR_IO;
        } else {
            int64_t seq = sqlite3_column_int64(c->next_seq, 0);
            sqlite3_reset(c->next_seq);
            sqlite3_reset(c->mark_revoked);
            sqlite3_bind_text(c->mark_revoked, 1, uvci, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(c->mark_revoked, 2, now_ms);
            sqlite3_bind_int64(c->mark_revoked, 3, seq);
            if (sqlite3_step(c->mark_revoked) != SQLITE_DONE) {
                e = HC_ERR_IO;
            } else {
                *newly = true;
            }
            sqlite3_reset(c->mark_revoked);
        }
        sqlite3_reset(c->next_seq);
    }
    sqlite3_reset(c->status);
    sqlite3_clear_bindings(c->status);
    if ((e == HC_OK && sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)) {
        return HC_OK;
    }
    sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    *newly = false;
    return e == HC_OK ? HC_ERR_IO : e;
}

static hc_err
sq_foreach_revoked(void *conn, int64_t after_seq, bool (*cb)(void *ctx, const hc_cert_record *rec),
                   void *ctx, int64_t *max_seq)
{
    sq_conn *c = conn;
    sqlite3_stmt *st = c->revoked_after;
    hc_cert_record r;
    int rc;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, after_seq);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_record(st, &r);
        if (r.revocation_seq > *max_seq) {
            *max_seq = r.revocation_seq;
        }
        if (!cb(ctx, &r)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? HC_OK : HC_ERR_IO;
}

static hc_err
sq_count(void *conn, int64_t *total, int64_t *revoked)
{
    sq_conn *c = conn;
    hc_err e = HC_ERR_IO;
    sqlite3_reset(c->count);
    if (sqlite3_step(c->count) == SQLITE_ROW) {
        *total = sqlite3_column_int64(c->count, 0);
        *revoked = sqlite3_column_int64(c->count, 1);
        e = HC_OK;
    }
    sqlite3_reset(c->count);
    return e;
}

const hc_store_backend_ops hc_store_sqlite_ops = {
    .name = "sqlite",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .migrate = sq_migrate,
    .prepare = sq_prepare,
    .insert = sq_insert,
    .get = sq_get,
    .revoke = sq_revoke,
    .foreach_revoked = sq_foreach_revoked,
    .count = sq_count,
};
