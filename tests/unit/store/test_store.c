/*
 * test_store.c: the issuance store (include/healthcert/store.h) against SQLite, and against a
 * real PostgreSQL server when HC_TEST_PG_URL names one (tests/cli/test_serve_postgres.sh starts
 * a throw-away server and runs this program with it).
 *
 * The same cases run on both backends: records in and out, duplicates, revocation order, the
 * encrypted payload (wrong key, tampering, a payload moved to another record), SQL metacharacters
 * as values (security.md J8), schema migrations from version 1 and a refused newer schema,
 * concurrent writers through the pool, the key file rules, and no personal data in the database.
 */
#include "testlib.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "healthcert/store.h"
#include "store_internal.h"

typedef struct backend {
    const char *name;
    char url[1100];
    char path[1024]; /* SQLite file */
    const char *pg_url;
} backend;

static backend sqlite_be = { .name = "sqlite" };
static backend pg_be = { .name = "postgres" };
static char tmpdir[] = "/tmp/hc-store-test-XXXXXX";
static unsigned db_counter;
static const uint8_t key1[HC_STORE_KEY_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };
static const uint8_t key2[HC_STORE_KEY_LEN] = { 9, 9, 9 };

static void
quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static bool
contains(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++) {
        if (memcmp(hay + i, needle, m) == 0) {
            return true;
        }
    }
    return false;
}

/* Runs SQL outside the store (for tampering and for building old schemas). */
static void
raw_sql(backend *b, const char *sql)
{
    if (b->pg_url == NULL) {
        sqlite3 *db = NULL;
        char *err = NULL;
        assert_int_equal(sqlite3_open(b->path, &db), SQLITE_OK);
        if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
            fail_msg("SQLite: %s: %s", sql, err);
        }
        sqlite3_close(db);
    } else {
        PGconn *pg = PQconnectdb(b->pg_url);
        assert_int_equal(PQstatus(pg), CONNECTION_OK);
        PQsetNoticeProcessor(pg, quiet, NULL);
        PGresult *res = PQexec(pg, sql);
        ExecStatusType st = PQresultStatus(res);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
            fail_msg("PostgreSQL: %s: %s", sql, PQresultErrorMessage(res));
        }
        PQclear(res);
        PQfinish(pg);
    }
}

/* A fresh, empty database for each test. */
static void
fresh(backend *b)
{
    if (b->pg_url == NULL) {
        snprintf(b->path, sizeof b->path, "%s/t%u.db", tmpdir, ++db_counter);
        snprintf(b->url, sizeof b->url, "sqlite:%s", b->path);
    } else {
        snprintf(b->url, sizeof b->url, "%s", b->pg_url);
        raw_sql(b, "DROP TABLE IF EXISTS certificates, schema_migrations, revocation_counter;"
                   "DROP SEQUENCE IF EXISTS hc_revocation_seq;");
    }
}

static hc_store *
open_store(backend *b, const uint8_t *key)
{
    hc_store_options opt = { .payload_key = key, .connections = 4 };
    hc_store *s = NULL;
    char msg[512] = "";
    hc_err e = hc_store_open(b->url, &opt, &s, msg, sizeof msg);
    if (e != HC_OK) {
        fail_msg("open %s: %d %s", b->name, e, msg);
    }
    return s;
}

static hc_cert_record
make_record(const char *uvci, unsigned i)
{
    hc_cert_record r;
    memset(&r, 0, sizeof r);
    snprintf(r.uvci, sizeof r.uvci, "%s", uvci);
    r.type = "vtr"[i % 3];
    memcpy(r.country, "XX", 3);
    for (int k = 0; k < 8; k++) {
        r.kid[k] = (uint8_t)(0xA0 + k);
    }
    r.issued_at_ms = 1767225600000LL + i;
    r.expires_at_ms = 1798761600000LL + i;
    for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
        memset(r.hashes[t], (int)(i * 3 + (unsigned)t) & 0xff, HC_REVOCATION_HASH_LEN);
    }
    return r;
}

static const char payload[] =
    "{\"nam\":{\"fn\":\"Muster\",\"gn\":\"Erika\"},\"dob\":\"1964-08-12\"}";

static void
test_roundtrip(void **state)
{
    backend *b = *state;
    fresh(b);
    hc_store *s = open_store(b, key1);
    assert_int_equal(hc_store_initial_schema_version(s), 0);
    assert_string_equal(hc_store_backend(s), b->name);

    hc_cert_record r = make_record("URN:UVCI:01:XX:ROUNDTRIP#1", 1), got;
    bool dup = true;
    assert_int_equal(hc_store_insert(s, &r, (const uint8_t *)payload, strlen(payload), &dup),
                     HC_OK);
    assert_false(dup);
    assert_int_equal(hc_store_get(s, r.uvci, &got), HC_OK);
    assert_string_equal(got.uvci, r.uvci);
    assert_int_equal(got.type, r.type);
    assert_string_equal(got.country, "XX");
    assert_memory_equal(got.kid, r.kid, 8);
    assert_int_equal(got.issued_at_ms, r.issued_at_ms);
    assert_int_equal(got.expires_at_ms, r.expires_at_ms);
    assert_memory_equal(got.hashes, r.hashes, sizeof r.hashes);
    assert_int_equal(got.status, HC_CERT_ACTIVE);
    assert_int_equal(got.revoked_at_ms, 0);

    uint8_t *p = NULL;
    size_t n = 0;
    assert_int_equal(hc_store_get_payload(s, r.uvci, &p, &n), HC_OK);
    assert_int_equal(n, strlen(payload));
    assert_memory_equal(p, payload, n);
    free(p);

    /* The same UVCI twice is refused as a duplicate. */
    assert_int_equal(hc_store_insert(s, &r, (const uint8_t *)payload, strlen(payload), &dup),
                     HC_ERR_INVALID_ARG);
    assert_true(dup);
    assert_int_equal(hc_store_get(s, "URN:UVCI:01:XX:NONE#0", &got), HC_ERR_NOT_FOUND);
    assert_int_equal(hc_store_get_payload(s, "URN:UVCI:01:XX:NONE#0", &p, &n), HC_ERR_NOT_FOUND);

    int64_t total = -1, revoked = -1;
    assert_int_equal(hc_store_count(s, &total, &revoked), HC_OK);
    assert_int_equal(total, 1);
    assert_int_equal(revoked, 0);
    hc_store_close(s);

    /* Reopened: already at the newest schema, the record still there. */
    s = open_store(b, key1);
    assert_int_equal(hc_store_initial_schema_version(s), HC_STORE_SCHEMA_VERSION);
    assert_int_equal(hc_store_get(s, r.uvci, &got), HC_OK);
    hc_store_close(s);
}

static void
test_bad_records(void **state)
{
    backend *b = *state;
    fresh(b);
    hc_store *s = open_store(b, key1);
    hc_cert_record r = make_record("URN:UVCI:01:XX:BAD#1", 0);
    r.type = 'x';
    assert_int_equal(hc_store_insert(s, &r, NULL, 0, NULL), HC_ERR_INVALID_ARG);
    r = make_record("URN:UVCI:01:XX:BAD#1", 0);
    memcpy(r.country, "x1", 3);
    assert_int_equal(hc_store_insert(s, &r, NULL, 0, NULL), HC_ERR_INVALID_ARG);
    r = make_record("URN:UVCI:01:XX:\nBAD#1", 0);
    assert_int_equal(hc_store_insert(s, &r, NULL, 0, NULL), HC_ERR_INVALID_ARG);
    r = make_record("", 0);
    assert_int_equal(hc_store_insert(s, &r, NULL, 0, NULL), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_store_insert(NULL, &r, NULL, 0, NULL), HC_ERR_INVALID_ARG);
    /* Lookups of impossible keys are simply not found. */
    hc_cert_record got;
    char longer[300];
    memset(longer, 'A', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    assert_int_equal(hc_store_get(s, longer, &got), HC_ERR_NOT_FOUND);
    assert_int_equal(hc_store_get(s, "", &got), HC_ERR_NOT_FOUND);
    assert_int_equal(hc_store_revoke(s, "a\tb", 1, NULL, NULL), HC_ERR_NOT_FOUND);
    hc_store_close(s);

    /* Without a payload key the store keeps no payloads. */
    s = open_store(b, NULL);
    r = make_record("URN:UVCI:01:XX:NOKEY#1", 0);
    assert_int_equal(hc_store_insert(s, &r, (const uint8_t *)"x", 1, NULL), HC_ERR_UNSUPPORTED);
    hc_store_close(s);
}

/* security.md J8: SQL metacharacters are values, never SQL. */
static void
test_sql_metacharacters(void **state)
{
    backend *b = *state;
    static const char *const hostile[] = {
        "' OR '1'='1",
        "'; DROP TABLE certificates;--",
        "x' UNION SELECT uvci, cert_type FROM certificates --",
        "%27",
        "\\x00\\'\"`$1 ?1 :a @a",
        "URN:UVCI:01:XX:ÄÖÜ#ü",
    };
    fresh(b);
    hc_store *s = open_store(b, key1);
    hc_cert_record plain = make_record("URN:UVCI:01:XX:PLAIN#1", 5), got;
    assert_int_equal(hc_store_insert(s, &plain, NULL, 0, NULL), HC_OK);
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        /* Looked up before it exists: not found, and no other record leaks out. */
        assert_int_equal(hc_store_get(s, hostile[i], &got), HC_ERR_NOT_FOUND);
        assert_int_equal(hc_store_revoke(s, hostile[i], 5, NULL, NULL), HC_ERR_NOT_FOUND);
        hc_cert_record r = make_record(hostile[i], (unsigned)i);
        assert_int_equal(hc_store_insert(s, &r, (const uint8_t *)payload, strlen(payload), NULL),
                         HC_OK);
        assert_int_equal(hc_store_get(s, hostile[i], &got), HC_OK);
        assert_string_equal(got.uvci, hostile[i]);
    }
    int64_t total = 0, revoked = 0;
    assert_int_equal(hc_store_count(s, &total, &revoked), HC_OK);
    assert_int_equal(total, 1 + (int64_t)(sizeof hostile / sizeof hostile[0]));
    bool newly = false;
    assert_int_equal(hc_store_revoke(s, "'; DROP TABLE certificates;--", 7, NULL, &newly), HC_OK);
    assert_true(newly);
    assert_int_equal(hc_store_get(s, "URN:UVCI:01:XX:PLAIN#1", &got), HC_OK);
    assert_int_equal(got.status, HC_CERT_ACTIVE);
    hc_store_close(s);
}

typedef struct seen {
    char uvci[8][HC_STORE_UVCI_MAX];
    int64_t seq[8];
    size_t n;
} seen;

static bool
collect(void *ctx, const hc_cert_record *r)
{
    seen *sn = ctx;
    if (sn->n < 8) {
        snprintf(sn->uvci[sn->n], HC_STORE_UVCI_MAX, "%s", r->uvci);
        sn->seq[sn->n] = r->revocation_seq;
        sn->n++;
    }
    return true;
}

static bool
stop_after_one(void *ctx, const hc_cert_record *r)
{
    (void)r;
    (*(int *)ctx)++;
    return false;
}

static void
test_revocation(void **state)
{
    backend *b = *state;
    fresh(b);
    hc_store *s = open_store(b, key1);
    const char *ids[] = { "URN:UVCI:01:XX:R#1", "URN:UVCI:01:XX:R#2", "URN:UVCI:01:XX:R#3" };
    for (unsigned i = 0; i < 3; i++) {
        hc_cert_record r = make_record(ids[i], i);
        assert_int_equal(hc_store_insert(s, &r, NULL, 0, NULL), HC_OK);
    }
    hc_cert_record got;
    bool newly = false;
    assert_int_equal(hc_store_revoke(s, ids[2], 1000, &got, &newly), HC_OK);
    assert_true(newly);
    assert_int_equal(got.status, HC_CERT_REVOKED);
    assert_int_equal(got.revoked_at_ms, 1000);
    int64_t first_seq = got.revocation_seq;
    assert_true(first_seq > 0);
    /* Again: nothing changes. */
    assert_int_equal(hc_store_revoke(s, ids[2], 2000, &got, &newly), HC_OK);
    assert_false(newly);
    assert_int_equal(got.revoked_at_ms, 1000);
    assert_int_equal(got.revocation_seq, first_seq);
    assert_int_equal(hc_store_revoke(s, ids[0], 3000, &got, &newly), HC_OK);
    assert_true(newly);
    assert_true(got.revocation_seq > first_seq);
    assert_int_equal(hc_store_revoke(s, "URN:UVCI:01:XX:R#9", 1, &got, &newly), HC_ERR_NOT_FOUND);
    assert_false(newly);

    seen sn = { 0 };
    int64_t max = -1;
    assert_int_equal(hc_store_foreach_revoked(s, 0, collect, &sn, &max), HC_OK);
    assert_int_equal(sn.n, 2);
    assert_string_equal(sn.uvci[0], ids[2]);
    assert_string_equal(sn.uvci[1], ids[0]);
    assert_int_equal(max, sn.seq[1]);
    /* Incremental: only what came after. */
    seen later = { 0 };
    assert_int_equal(hc_store_foreach_revoked(s, first_seq, collect, &later, &max), HC_OK);
    assert_int_equal(later.n, 1);
    assert_string_equal(later.uvci[0], ids[0]);
    seen none = { 0 };
    assert_int_equal(hc_store_foreach_revoked(s, max, collect, &none, &max), HC_OK);
    assert_int_equal(none.n, 0);
    /* A callback that stops early leaves the connection usable. */
    int calls = 0;
    assert_int_equal(hc_store_foreach_revoked(s, 0, stop_after_one, &calls, NULL), HC_OK);
    assert_int_equal(calls, 1);
    int64_t total = 0, revoked = 0;
    assert_int_equal(hc_store_count(s, &total, &revoked), HC_OK);
    assert_int_equal(total, 3);
    assert_int_equal(revoked, 2);
    hc_store_close(s);
}

static void
test_payload_encryption(void **state)
{
    backend *b = *state;
    uint8_t *p = NULL;
    size_t n = 0;
    fresh(b);
    hc_store *s = open_store(b, key1);
    hc_cert_record a = make_record("URN:UVCI:01:XX:ENC#A", 1);
    hc_cert_record c = make_record("URN:UVCI:01:XX:ENC#C", 2);
    assert_int_equal(hc_store_insert(s, &a, (const uint8_t *)payload, strlen(payload), NULL),
                     HC_OK);
    assert_int_equal(hc_store_insert(s, &c, (const uint8_t *)"other", 5, NULL), HC_OK);
    hc_store_close(s);

    /* Another key does not open it. */
    s = open_store(b, key2);
    assert_int_equal(hc_store_get_payload(s, a.uvci, &p, &n), HC_ERR_KEY_INVALID);
    hc_store_close(s);

    /* A payload moved to another record does not open there (the UVCI is associated data). */
    raw_sql(b, "UPDATE certificates SET payload = (SELECT payload FROM certificates WHERE uvci = "
               "'URN:UVCI:01:XX:ENC#A') WHERE uvci = 'URN:UVCI:01:XX:ENC#C'");
    s = open_store(b, key1);
    assert_int_equal(hc_store_get_payload(s, c.uvci, &p, &n), HC_ERR_KEY_INVALID);
    assert_int_equal(hc_store_get_payload(s, a.uvci, &p, &n), HC_OK);
    free(p);
    hc_store_close(s);

    /* Nothing of the payload is in the database in the clear. */
    if (b->pg_url == NULL) {
        FILE *f = fopen(b->path, "rb");
        static char buf[1 << 20];
        size_t got = fread(buf, 1, sizeof buf, f);
        fclose(f);
        assert_false(contains(buf, got, "Muster"));
        assert_false(contains(buf, got, "1964-08-12"));
        /* The file is its owner's alone. */
        struct stat st;
        assert_int_equal(stat(b->path, &st), 0);
        assert_int_equal(st.st_mode & 077, 0);
    }

    /* One flipped byte of the ciphertext: refused, nothing released. */
    if (b->pg_url == NULL) {
        raw_sql(b, "UPDATE certificates SET payload = substr(payload, 1, 40) || "
                   "x'00' || substr(payload, 42) WHERE uvci = 'URN:UVCI:01:XX:ENC#A'");
    } else {
        raw_sql(b, "UPDATE certificates SET payload = set_byte(payload, 40, "
                   "get_byte(payload, 40) # 1) WHERE uvci = 'URN:UVCI:01:XX:ENC#A'");
    }
    s = open_store(b, key1);
    p = NULL;
    assert_int_equal(hc_store_get_payload(s, a.uvci, &p, &n), HC_ERR_KEY_INVALID);
    assert_null(p);
    hc_store_close(s);
}

/* A database made by schema version 1 (with revoked records) is migrated to the newest. */
static void
test_migration_from_v1(void **state)
{
    backend *b = *state;
    char sql[4096];
    fresh(b);
    const hc_store_migration *m1 = &hc_store_migrations[0];
    assert_int_equal(m1->version, 1);
    snprintf(sql, sizeof sql,
             "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT "
             "NULL, applied_at_ms BIGINT NOT NULL); %s "
             "INSERT INTO schema_migrations VALUES (1, 'v1', 0);",
             b->pg_url == NULL ? m1->sqlite_sql : m1->pg_sql);
    if (b->pg_url == NULL) {
        /* The file must exist with the store's mode before raw_sql creates it. */
        FILE *f = fopen(b->path, "w");
        fclose(f);
        chmod(b->path, 0600);
    }
    raw_sql(b, sql);
    const char *blob = b->pg_url == NULL ? "x'00'" : "'\\x00'::bytea";
    const char *kid = b->pg_url == NULL ? "x'0102030405060708'" : "'\\x0102030405060708'::bytea";
    const char *h = b->pg_url == NULL ? "x'00112233445566778899aabbccddeeff'"
                                      : "'\\x00112233445566778899aabbccddeeff'::bytea";
    const struct {
        const char *uvci, *status;
        int revoked_at;
    } rows[] = { { "U1", "revoked", 300 }, { "U2", "active", 0 }, { "U3", "revoked", 100 } };
    for (size_t i = 0; i < 3; i++) {
        char at[16];
        snprintf(at, sizeof at, "%d", rows[i].revoked_at);
        snprintf(sql, sizeof sql,
                 "INSERT INTO certificates (uvci, cert_type, country, kid, issued_at_ms, "
                 "expires_at_ms, hash_uci, hash_country_uci, hash_signature, status, "
                 "revoked_at_ms, payload, created_at_ms) VALUES ('%s', 'v', 'XX', %s, 1, 2, %s, "
                 "%s, %s, '%s', %s, %s, 1)",
                 rows[i].uvci, kid, h, h, h, rows[i].status, rows[i].revoked_at ? at : "NULL",
                 blob);
        raw_sql(b, sql);
    }
    hc_store *s = open_store(b, key1);
    assert_int_equal(hc_store_initial_schema_version(s), 1);
    seen sn = { 0 };
    int64_t max = 0;
    assert_int_equal(hc_store_foreach_revoked(s, 0, collect, &sn, &max), HC_OK);
    /* Numbered in the order they were revoked: U3 (t=100), then U1 (t=300). */
    assert_int_equal(sn.n, 2);
    assert_string_equal(sn.uvci[0], "U3");
    assert_int_equal(sn.seq[0], 1);
    assert_string_equal(sn.uvci[1], "U1");
    assert_int_equal(sn.seq[1], 2);
    /* The next revocation continues the sequence. */
    hc_cert_record got;
    assert_int_equal(hc_store_revoke(s, "U2", 500, &got, NULL), HC_OK);
    assert_int_equal(got.revocation_seq, 3);
    hc_store_close(s);
}

static void
test_newer_schema_refused(void **state)
{
    backend *b = *state;
    fresh(b);
    hc_store *s = open_store(b, key1);
    hc_store_close(s);
    raw_sql(b, "INSERT INTO schema_migrations VALUES (99, 'from the future', 0)");
    char msg[256] = "";
    hc_store_options opt = { .payload_key = key1 };
    s = NULL;
    assert_int_equal(hc_store_open(b->url, &opt, &s, msg, sizeof msg), HC_ERR_UNSUPPORTED);
    assert_null(s);
    assert_non_null(strstr(msg, "schema version 99"));
}

typedef struct worker_arg {
    hc_store *s;
    int id;
    int ok;
} worker_arg;

static void *
writer(void *p)
{
    worker_arg *a = p;
    for (int i = 0; i < 40; i++) {
        char uvci[64];
        hc_cert_record got;
        snprintf(uvci, sizeof uvci, "URN:UVCI:01:XX:W%d-%d#Z", a->id, i);
        hc_cert_record r = make_record(uvci, (unsigned)i);
        if (hc_store_insert(a->s, &r, (const uint8_t *)payload, strlen(payload), NULL) == HC_OK &&
            hc_store_get(a->s, uvci, &got) == HC_OK) {
            a->ok++;
        }
        if (i % 10 == 0) {
            hc_store_revoke(a->s, uvci, i, NULL, NULL);
        }
    }
    return NULL;
}

static void
test_concurrent_writers(void **state)
{
    backend *b = *state;
    pthread_t th[8];
    worker_arg args[8];
    fresh(b);
    hc_store *s = open_store(b, key1);
    for (int i = 0; i < 8; i++) {
        args[i] = (worker_arg){ s, i, 0 };
        pthread_create(&th[i], NULL, writer, &args[i]);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(args[i].ok, 40);
    }
    int64_t total = 0, revoked = 0;
    assert_int_equal(hc_store_count(s, &total, &revoked), HC_OK);
    assert_int_equal(total, 320);
    assert_int_equal(revoked, 32);
    /* Every revocation took its own sequence number. */
    seen sn = { 0 };
    int64_t max = 0;
    assert_int_equal(hc_store_foreach_revoked(s, 0, collect, &sn, &max), HC_OK);
    assert_int_equal(max, 32);
    hc_store_close(s);
}

static void
test_urls(void **state)
{
    (void)state;
    hc_store *s = NULL;
    char msg[256] = "";
    assert_int_equal(hc_store_open("mysql://localhost/x", NULL, &s, msg, sizeof msg),
                     HC_ERR_UNSUPPORTED);
    assert_int_equal(hc_store_open("", NULL, &s, msg, sizeof msg), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_store_open("sqlite:", NULL, &s, msg, sizeof msg), HC_ERR_INVALID_ARG);
    assert_int_equal(hc_store_open("sqlite:/nonexistent-dir/x.db", NULL, &s, msg, sizeof msg),
                     HC_ERR_IO);
    assert_null(s);
    /* A refused connection names no password. */
    assert_int_equal(
        hc_store_open("postgres://hc:secret-pw@127.0.0.1:1/none", NULL, &s, msg, sizeof msg),
        HC_ERR_IO);
    assert_null(strstr(msg, "secret-pw"));
    /* A plain path is SQLite. */
    char path[256];
    snprintf(path, sizeof path, "%s/plain.db", tmpdir);
    assert_int_equal(hc_store_open(path, NULL, &s, msg, sizeof msg), HC_OK);
    assert_string_equal(hc_store_backend(s), "sqlite");
    hc_store_close(s);
    snprintf(path, sizeof path, "sqlite://%s/slashes.db", tmpdir);
    assert_int_equal(hc_store_open(path, NULL, &s, msg, sizeof msg), HC_OK);
    hc_store_close(s);
    hc_store_close(NULL);
}

static void
test_key_files(void **state)
{
    (void)state;
    char path[256], msg[256] = "";
    uint8_t k[HC_STORE_KEY_LEN], k2[HC_STORE_KEY_LEN];
    snprintf(path, sizeof path, "%s/payload.key", tmpdir);
    assert_int_equal(hc_store_write_new_key_file(path, msg, sizeof msg), HC_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(hc_store_read_key_file(path, k, msg, sizeof msg), HC_OK);
    /* Never overwritten: that would lose every payload. */
    assert_int_equal(hc_store_write_new_key_file(path, msg, sizeof msg), HC_ERR_IO);
    assert_int_equal(hc_store_read_key_file(path, k2, msg, sizeof msg), HC_OK);
    assert_memory_equal(k, k2, sizeof k);
    /* Readable by others: refused. */
    chmod(path, 0644);
    assert_int_equal(hc_store_read_key_file(path, k, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_non_null(strstr(msg, "chmod 600"));
    /* 32 raw bytes are a key too; anything else is not. */
    snprintf(path, sizeof path, "%s/raw.key", tmpdir);
    FILE *f = fopen(path, "wb");
    fwrite(key1, 1, sizeof key1, f);
    fclose(f);
    chmod(path, 0600);
    assert_int_equal(hc_store_read_key_file(path, k, msg, sizeof msg), HC_OK);
    assert_memory_equal(k, key1, sizeof k);
    snprintf(path, sizeof path, "%s/bad.key", tmpdir);
    f = fopen(path, "wb");
    fputs("not a key\n", f);
    fclose(f);
    chmod(path, 0600);
    assert_int_equal(hc_store_read_key_file(path, k, msg, sizeof msg), HC_ERR_KEY_INVALID);
    assert_int_equal(hc_store_read_key_file("/nonexistent/key", k, msg, sizeof msg), HC_ERR_IO);
    assert_int_equal(hc_store_read_key_file(tmpdir, k, msg, sizeof msg), HC_ERR_KEY_INVALID);
}

#define BACKEND_TESTS(state)                                         \
    cmocka_unit_test_prestate(test_roundtrip, state),                \
        cmocka_unit_test_prestate(test_bad_records, state),          \
        cmocka_unit_test_prestate(test_sql_metacharacters, state),   \
        cmocka_unit_test_prestate(test_revocation, state),           \
        cmocka_unit_test_prestate(test_payload_encryption, state),   \
        cmocka_unit_test_prestate(test_migration_from_v1, state),    \
        cmocka_unit_test_prestate(test_newer_schema_refused, state), \
        cmocka_unit_test_prestate(test_concurrent_writers, state)

int
main(void)
{
    int failed = 0;
    if (mkdtemp(tmpdir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    const struct CMUnitTest sqlite_tests[] = {
        BACKEND_TESTS(&sqlite_be),
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_key_files),
    };
    failed += cmocka_run_group_tests_name("store-sqlite", sqlite_tests, NULL, NULL);
    pg_be.pg_url = getenv("HC_TEST_PG_URL");
    if (pg_be.pg_url != NULL && pg_be.pg_url[0] != 0) {
        const struct CMUnitTest pg_tests[] = { BACKEND_TESTS(&pg_be) };
        failed += cmocka_run_group_tests_name("store-postgres", pg_tests, NULL, NULL);
    } else {
        printf("store-postgres: skipped (HC_TEST_PG_URL unset; tests/cli/test_serve_postgres.sh "
               "runs it against a real server)\n");
    }
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", tmpdir);
    }
    return failed;
}
