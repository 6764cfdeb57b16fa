/*
 * store_pg.c: the PostgreSQL backend of the store (store_internal.h), through libpq.
 *
 * For deployments that outgrow one machine: several stateless service instances share one
 * database. Every statement is prepared once per connection (PQprepare) and run with bound
 * values (PQexecPrepared); bytea values travel in binary, everything else as text. Durability is
 * the server's: a COMMIT (here: each autocommitted statement) returns after the WAL is flushed
 * with PostgreSQL's default synchronous_commit = on. A broken connection is reset and the
 * statement retried once when retrying cannot apply it twice (never for an insert).
 */
#include <libpq-fe.h>
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define RECORD_COLUMNS                                                                         \
    "uvci, cert_type, country, kid, issued_at_ms, expires_at_ms, hash_uci, hash_country_uci, " \
    "hash_signature, status, revoked_at_ms, revocation_seq"

/* pg_advisory_xact_lock key that serialises migrations of concurrently starting instances
 * ("hcstore1" in ASCII). */
#define MIGRATION_LOCK_KEY "7523114276254856497"

/* SQLSTATE unique_violation (PostgreSQL Appendix A). */
#define SQLSTATE_UNIQUE_VIOLATION "23505"

typedef struct pg_conn {
    PGconn *pg;
} pg_conn;

static const struct {
    const char *name, *sql;
    int nparams;
} statements[] = {
    { "hc_insert",
      "INSERT INTO certificates (uvci, cert_type, country, kid, issued_at_ms, expires_at_ms, "
      "hash_uci, hash_country_uci, hash_signature, status, payload, created_at_ms) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11) "
      /* A duplicate is "0 rows", not an error: PostgreSQL would log a unique violation with
       * the key's value, i.e. the UVCI (security.md J11: no UVCI in logs). */
      "ON CONFLICT (uvci) DO NOTHING",
      11 },
    { "hc_get", "SELECT " RECORD_COLUMNS " FROM certificates WHERE uvci = $1", 1 },
    { "hc_get_blob", "SELECT " RECORD_COLUMNS ", payload FROM certificates WHERE uvci = $1", 1 },
    { "hc_revoke",
      "UPDATE certificates SET status = 'revoked', revoked_at_ms = $2, "
      "revocation_seq = nextval('hc_revocation_seq') WHERE uvci = $1 AND status = 'active' "
      "RETURNING revocation_seq",
      2 },
    { "hc_exists", "SELECT 1 FROM certificates WHERE uvci = $1", 1 },
    { "hc_revoked_after",
      "SELECT " RECORD_COLUMNS " FROM certificates WHERE revocation_seq > $1 "
      "ORDER BY revocation_seq",
      1 },
    { "hc_count", "SELECT count(*), count(*) FILTER (WHERE status = 'revoked') FROM certificates",
      0 },
};

/* libpq prints NOTICEs ("relation already exists, skipping") to stderr by default. */
static void
quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void
pg_disconnect(void *conn)
{
    pg_conn *c = conn;
    if (c != NULL) {
        PQfinish(c->pg);
        free(c);
    }
}

static hc_err
pg_connect(const char *target, void **conn, char *msg, size_t msg_len)
{
    /* Entries before the expanded URL are defaults the URL may override (libpq
     * PQconnectdbParams, expand_dbname). A statement timeout keeps a stuck database from
     * holding a service worker thread for ever. */
    const char *const keys[] = { "connect_timeout", "application_name", "options", "dbname", NULL };
    const char *const values[] = { "10", "healthcert", "-c statement_timeout=10000", target, NULL };
    pg_conn *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return HC_ERR_NOMEM;
    }
    c->pg = PQconnectdbParams(keys, values, 1);
    if (c->pg == NULL || PQstatus(c->pg) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password. */
        hc_msgf(msg, msg_len, "cannot connect to PostgreSQL: %s",
                c->pg != NULL ? PQerrorMessage(c->pg) : "out of memory");
        pg_disconnect(c);
        return HC_ERR_IO;
    }
    PQsetNoticeProcessor(c->pg, quiet_notices, NULL);
    *conn = c;
    return HC_OK;
}

static hc_err
pg_fail(pg_conn *c, PGresult *res, const char *what, char *msg, size_t msg_len)
{
    hc_msgf(msg, msg_len, "PostgreSQL: %s: %s", what,
            res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
    PQclear(res);
    return HC_ERR_IO;
}

/* Runs constant SQL (DDL, transaction control) without parameters. */
static bool
run(pg_conn *c, const char *sql, PGresult **keep)
{
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType st = PQresultStatus(res);
    bool ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
    if (keep != NULL) {
        *keep = res; /* the caller reads it, or reports its error */
    } else {
        PQclear(res);
    }
    return ok;
}

static hc_err
pg_migrate(void *conn, int *initial_version, char *msg, size_t msg_len)
{
    pg_conn *c = conn;
    PGresult *res = NULL;
    hc_err e = HC_OK;

    if (!run(c, "BEGIN", &res)) {
        return pg_fail(c, res, "begin migration", msg, msg_len);
    }
    PQclear(res);
    /* One migrating instance at a time: the lock is held until COMMIT. */
    if (!run(c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK_KEY ")", &res)) {
        e = pg_fail(c, res, "lock for migration", msg, msg_len);
        goto out;
    }
    PQclear(res);
    if (!run(c,
             "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "  version INTEGER PRIMARY KEY,"
             "  description TEXT NOT NULL,"
             "  applied_at_ms BIGINT NOT NULL)",
             &res)) {
        e = pg_fail(c, res, "create schema_migrations", msg, msg_len);
        goto out;
    }
    PQclear(res);
    if (!run(c, "SELECT coalesce(max(version), 0) FROM schema_migrations", &res) ||
        PQntuples(res) != 1) {
        e = pg_fail(c, res, "read the schema version", msg, msg_len);
        goto out;
    }
    int version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    *initial_version = version;
    e = hc_store_check_schema_version(version, msg, msg_len);
    if (e != HC_OK) {
        goto out;
    }
    for (size_t i = 0; i < hc_store_migration_count; i++) {
        const hc_store_migration *m = &hc_store_migrations[i];
        char vtext[16];
        if (m->version <= version) {
            continue;
        }
        snprintf(vtext, sizeof vtext, "%d", m->version);
        const char *params[2] = { vtext, m->description };
        if (!run(c, m->pg_sql, &res)) {
            e = pg_fail(c, res, "migration", msg, msg_len);
            goto out;
        }
        PQclear(res);
        res =
            PQexecParams(c->pg,
                         "INSERT INTO schema_migrations (version, description, applied_at_ms) "
                         "VALUES ($1, $2, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)",
                         2, NULL, params, NULL, NULL, 0);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            e = pg_fail(c, res, "record the migration", msg, msg_len);
            goto out;
        }
        PQclear(res);
    }
    if (!run(c, "COMMIT", &res)) {
        e = pg_fail(c, res, "commit migration", msg, msg_len);
        res = NULL;
    }
    PQclear(res);
    return e;
out:
    run(c, "ROLLBACK", NULL);
    return e;
}

static hc_err
pg_prepare(void *conn, char *msg, size_t msg_len)
{
    pg_conn *c = conn;
    for (size_t i = 0; i < sizeof statements / sizeof statements[0]; i++) {
        PGresult *res =
            PQprepare(c->pg, statements[i].name, statements[i].sql, statements[i].nparams, NULL);
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            return pg_fail(c, res, "prepare", msg, msg_len);
        }
        PQclear(res);
    }
    return HC_OK;
}

/*
 * Runs a prepared statement. When the connection broke, resets it, prepares again and, when
 * retry is allowed, runs the statement once more. The result is the caller's to PQclear.
 */
static PGresult *
exec(pg_conn *c, const char *name, int n, const char *const *values, const int *lengths,
     const int *formats, bool retry)
{
    PGresult *res = PQexecPrepared(c->pg, name, n, values, lengths, formats, 0);
    if (PQstatus(c->pg) == CONNECTION_OK) {
        return res;
    }
    PQreset(c->pg);
    if (PQstatus(c->pg) != CONNECTION_OK || pg_prepare(c, NULL, 0) != HC_OK || !retry) {
        return res;
    }
    PQclear(res);
    return PQexecPrepared(c->pg, name, n, values, lengths, formats, 0);
}

static hc_err
pg_insert(void *conn, const hc_cert_record *r, const uint8_t *blob, size_t len, bool *duplicate)
{
    pg_conn *c = conn;
    char type[2] = { r->type, 0 }, issued[24], expires[24];
    snprintf(issued, sizeof issued, "%lld", (long long)r->issued_at_ms);
    snprintf(expires, sizeof expires, "%lld", (long long)r->expires_at_ms);
    const char *values[11] = {
        r->uvci,
        type,
        r->country,
        (const char *)r->kid,
        issued,
        expires,
        (const char *)r->hashes[HC_REVOCATION_UCI],
        (const char *)r->hashes[HC_REVOCATION_COUNTRYCODEUCI],
        (const char *)r->hashes[HC_REVOCATION_SIGNATURE],
        (const char *)blob,
        issued,
    };
    const int lengths[11] = { 0, 0, 0, 8, 0, 0, 16, 16, 16, (int)len, 0 };
    const int formats[11] = { 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0 };
    /* No retry: an insert whose answer was lost may have committed. */
    PGresult *res = exec(c, "hc_insert", 11, values, lengths, formats, false);
    hc_err e = HC_OK;
    if (PQresultStatus(res) == PGRES_COMMAND_OK && strcmp(PQcmdTuples(res), "0") == 0) {
        *duplicate = true;
        e = HC_ERR_INVALID_ARG;
    } else if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        if (state != NULL && strcmp(state, SQLSTATE_UNIQUE_VIOLATION) == 0) {
            *duplicate = true;
            e = HC_ERR_INVALID_ARG;
        } else {
            e = state != NULL && state[0] == '2' && state[1] == '3' ? HC_ERR_INVALID_ARG
                                                                    : HC_ERR_IO;
        }
    }
    PQclear(res);
    return e;
}

/* bytea in text output format "\x0a1b..." (bytea_output = hex, the default since 9.0). */
static void
copy_bytea(const PGresult *res, int row, int col, uint8_t *dst, size_t n)
{
    const char *t = PQgetvalue(res, row, col);
    memset(dst, 0, n);
    if (t == NULL || t[0] != '\\' || t[1] != 'x' || strlen(t + 2) != 2 * n) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int j = 0; j < 2; j++) {
            char ch = t[2 + 2 * i + (size_t)j];
            v = v * 16 + (unsigned)(ch >= 'a'   ? ch - 'a' + 10
                                    : ch >= 'A' ? ch - 'A' + 10
                                                : ch - '0');
        }
        dst[i] = (uint8_t)(v & 0xff);
    }
}

static int64_t
int_at(const PGresult *res, int row, int col)
{
    return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static void
read_record(const PGresult *res, int row, hc_cert_record *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->uvci, sizeof r->uvci, "%s", PQgetvalue(res, row, 0));
    r->type = PQgetvalue(res, row, 1)[0];
    snprintf(r->country, sizeof r->country, "%s", PQgetvalue(res, row, 2));
    copy_bytea(res, row, 3, r->kid, sizeof r->kid);
    r->issued_at_ms = int_at(res, row, 4);
    r->expires_at_ms = int_at(res, row, 5);
    for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
        copy_bytea(res, row, 6 + t, r->hashes[t], HC_REVOCATION_HASH_LEN);
    }
    r->status = strcmp(PQgetvalue(res, row, 9), HC_STORE_STATUS_REVOKED) == 0 ? HC_CERT_REVOKED
                                                                              : HC_CERT_ACTIVE;
    r->revoked_at_ms = int_at(res, row, 10);
    r->revocation_seq = int_at(res, row, 11);
}

static hc_err
pg_get(void *conn, const char *uvci, hc_cert_record *rec, uint8_t **blob, size_t *len)
{
    pg_conn *c = conn;
    const char *values[1] = { uvci };
    PGresult *res = exec(c, blob != NULL ? "hc_get_blob" : "hc_get", 1, values, NULL, NULL, true);
    hc_err e = HC_OK;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        e = HC_ERR_IO;
    } else if (PQntuples(res) == 0) {
        e = HC_ERR_NOT_FOUND;
    } else {
        read_record(res, 0, rec);
        if (blob != NULL) {
            size_t n = 0;
            unsigned char *b = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 12), &n);
            *blob = b != NULL ? malloc(n + 1) : NULL;
            if (*blob == NULL) {
                e = HC_ERR_NOMEM;
            } else {
                memcpy(*blob, b, n);
                *len = n;
            }
            PQfreemem(b);
        }
    }
    PQclear(res);
    return e;
}

static hc_err
pg_revoke(void *conn, const char *uvci, int64_t now_ms, bool *newly)
{
    pg_conn *c = conn;
    char now[24];
    snprintf(now, sizeof now, "%lld", (long long)now_ms);
    const char *values[2] = { uvci, now };
    /* One statement: the row lock makes a concurrent revoke of the same record wait and then
     * find it revoked, so each record takes exactly one sequence number. */
    PGresult *res = exec(c, "hc_revoke", 2, values, NULL, NULL, true);
    *newly = false;
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        PQclear(res);
        return HC_ERR_IO;
    }
    if (PQntuples(res) == 1) {
        *newly = true;
        PQclear(res);
        return HC_OK;
    }
    PQclear(res);
    res = exec(c, "hc_exists", 1, values, NULL, NULL, true);
    hc_err e = PQresultStatus(res) != PGRES_TUPLES_OK ? HC_ERR_IO
               : PQntuples(res) == 0                  ? HC_ERR_NOT_FOUND
                                                      : HC_OK;
    PQclear(res);
    return e;
}

static hc_err
pg_foreach_revoked(void *conn, int64_t after_seq, bool (*cb)(void *ctx, const hc_cert_record *rec),
                   void *ctx, int64_t *max_seq)
{
    pg_conn *c = conn;
    char after[24];
    hc_cert_record r;
    hc_err e = HC_OK;
    bool go = true;
    snprintf(after, sizeof after, "%lld", (long long)after_seq);
    const char *values[1] = { after };
    if (PQstatus(c->pg) != CONNECTION_OK) {
        PQreset(c->pg);
        if (PQstatus(c->pg) != CONNECTION_OK || pg_prepare(c, NULL, 0) != HC_OK) {
            return HC_ERR_IO;
        }
    }
    /* Single-row mode: a long list streams through one row at a time. */
    if (PQsendQueryPrepared(c->pg, "hc_revoked_after", 1, values, NULL, NULL, 0) != 1 ||
        PQsetSingleRowMode(c->pg) != 1) {
        return HC_ERR_IO;
    }
    PGresult *res;
    while ((res = PQgetResult(c->pg)) != NULL) {
        ExecStatusType st = PQresultStatus(res);
        if (st == PGRES_SINGLE_TUPLE && go) {
            read_record(res, 0, &r);
            if (r.revocation_seq > *max_seq) {
                *max_seq = r.revocation_seq;
            }
            go = cb(ctx, &r);
        } else if (st != PGRES_SINGLE_TUPLE && st != PGRES_TUPLES_OK) {
            e = HC_ERR_IO;
        }
        /* The remaining rows are drained even after the callback stopped: the connection must
         * be idle before its next statement. */
        PQclear(res);
    }
    return e;
}

static hc_err
pg_count(void *conn, int64_t *total, int64_t *revoked)
{
    pg_conn *c = conn;
    PGresult *res = exec(c, "hc_count", 0, NULL, NULL, NULL, true);
    hc_err e = HC_ERR_IO;
    if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1) {
        *total = int_at(res, 0, 0);
        *revoked = int_at(res, 0, 1);
        e = HC_OK;
    }
    PQclear(res);
    return e;
}

const hc_store_backend_ops hc_store_pg_ops = {
    .name = "postgres",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .migrate = pg_migrate,
    .prepare = pg_prepare,
    .insert = pg_insert,
    .get = pg_get,
    .revoke = pg_revoke,
    .foreach_revoked = pg_foreach_revoked,
    .count = pg_count,
};
