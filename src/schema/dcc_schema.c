/*
 * dcc_schema.c: EU DCC payload validation against the embedded eu-dcc-schema releases.
 *
 * The release files are compiled into the binary (cmake/embed.cmake: data/dcc-schema/
 * <version>.combined-schema.json -> dcc_schemas[]). Each is parsed and compiled into an hc_schema
 * the first time a payload needs it, under a mutex, and kept for the life of the process; after
 * that a validation only reads immutable data (an acquire load of the compiled pointer), so it
 * is thread-safe and allocation-free.
 *
 * Format keywords ("date", "date-time") are annotations when verifying, as JSON Schema 2020-12
 * §7.2.1 makes them by default and as the reference conformance runner (dgc-testdata, Python
 * jsonschema without a format checker) applies them; docs/schema.md has the measured agreement of
 * both choices. An issuer asserts them (hc_dcc_schema_validate_strict): a verifier accepting a
 * certificate dated 2026-13-01 is lenience towards what exists, issuing one is an error.
 *
 * Besides the schema, eu-dcc.md §2.5 requires exactly one of v, t, r. Releases from 1.3.0 state it
 * in their root oneOf (reported by json_schema.c as "must have exactly one of v, t, r"); older
 * releases do not, so the same rule is checked here after the schema.
 */
#include "dcc_schema.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "embedded.h"
#include "json_schema.h"

extern const hc_embedded_file dcc_schemas[];
extern const size_t dcc_schemas_count;

#define DCC_MAX_RELEASES 32
#define DCC_FALLBACK     "1.3.0" /* eu-dcc.md §2.5 */
#define DCC_SUFFIX       ".combined-schema.json"

typedef struct dcc_release {
    char version[16];             /* "1.3.0" */
    const hc_embedded_file *file; /* its schema */
    /* [0] formats as annotations (verifying), [1] formats asserted (issuing) */
    _Atomic(hc_schema *) compiled[2];
    int failed[2]; /* compilation failed once: do not retry (guarded by dcc_lock) */
} dcc_release;

static dcc_release dcc_releases[DCC_MAX_RELEASES];
static size_t dcc_nreleases;
static pthread_once_t dcc_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t dcc_lock = PTHREAD_MUTEX_INITIALIZER;

/* Orders versions numerically (1.10.0 after 1.9.0). */
static int
dcc_version_cmp(const char *a, const char *b)
{
    while (*a != '\0' || *b != '\0') {
        unsigned long x = 0, y = 0;
        while (*a >= '0' && *a <= '9') {
            x = x * 10 + (unsigned long)(*a++ - '0');
        }
        while (*b >= '0' && *b <= '9') {
            y = y * 10 + (unsigned long)(*b++ - '0');
        }
        if (x != y) {
            return x < y ? -1 : 1;
        }
        if (*a == '.') {
            a++;
        }
        if (*b == '.') {
            b++;
        }
        if ((*a != '\0' && (*a < '0' || *a > '9')) || (*b != '\0' && (*b < '0' || *b > '9'))) {
            return strcmp(a, b);
        }
    }
    return 0;
}

/* Lists the embedded releases, sorted by version. Runs once. */
static void
dcc_init_releases(void)
{
    size_t suffix = strlen(DCC_SUFFIX);
    for (size_t i = 0; i < dcc_schemas_count && dcc_nreleases < DCC_MAX_RELEASES; i++) {
        const char *name = dcc_schemas[i].name;
        size_t len = strlen(name);
        if (len <= suffix || len - suffix >= sizeof dcc_releases[0].version ||
            strcmp(name + len - suffix, DCC_SUFFIX) != 0) {
            continue;
        }
        dcc_release *r = &dcc_releases[dcc_nreleases++];
        memcpy(r->version, name, len - suffix);
        r->version[len - suffix] = '\0';
        r->file = &dcc_schemas[i];
        atomic_init(&r->compiled[0], NULL);
        atomic_init(&r->compiled[1], NULL);
    }
    /* Insertion sort: a handful of entries. */
    for (size_t i = 1; i < dcc_nreleases; i++) {
        for (size_t j = i;
             j > 0 && dcc_version_cmp(dcc_releases[j - 1].version, dcc_releases[j].version) > 0;
             j--) {
            dcc_release t;
            memcpy(&t, &dcc_releases[j], sizeof t);
            memcpy(&dcc_releases[j], &dcc_releases[j - 1], sizeof t);
            memcpy(&dcc_releases[j - 1], &t, sizeof t);
        }
    }
}

static const dcc_release *
dcc_find(const char *version)
{
    for (size_t i = 0; i < dcc_nreleases; i++) {
        if (strcmp(dcc_releases[i].version, version) == 0) {
            return &dcc_releases[i];
        }
    }
    return NULL;
}

/* The release for ver: itself, else the newest of its major.minor, else the fallback. */
static dcc_release *
dcc_pick(const char *ver)
{
    pthread_once(&dcc_once, dcc_init_releases);
    if (ver != NULL) {
        const dcc_release *exact = dcc_find(ver);
        if (exact != NULL) {
            return (dcc_release *)exact;
        }
        /* major.minor prefix: up to the second dot. */
        const char *dot = strchr(ver, '.');
        const char *dot2 = dot != NULL ? strchr(dot + 1, '.') : NULL;
        size_t mm = dot == NULL ? 0 : dot2 != NULL ? (size_t)(dot2 - ver) : strlen(ver);
        if (mm > 0 && ver[mm - 1] != '.') {
            dcc_release *best = NULL;
            for (size_t i = 0; i < dcc_nreleases; i++) {
                if (strncmp(dcc_releases[i].version, ver, mm) == 0 &&
                    dcc_releases[i].version[mm] == '.') {
                    best = &dcc_releases[i]; /* sorted: the last one is the newest */
                }
            }
            if (best != NULL) {
                return best;
            }
        }
    }
    return (dcc_release *)dcc_find(DCC_FALLBACK);
}

const char *
hc_dcc_schema_version_for(const char *ver)
{
    const dcc_release *r = dcc_pick(ver);
    return r != NULL ? r->version : DCC_FALLBACK;
}

/* The compiled schema of r, compiling it on first use (strict: formats asserted); NULL if it
 * cannot be compiled. */
static const hc_schema *
dcc_compiled(dcc_release *r, bool strict)
{
    hc_schema *s = atomic_load_explicit(&r->compiled[strict], memory_order_acquire);
    if (s != NULL) {
        return s;
    }
    pthread_mutex_lock(&dcc_lock);
    s = atomic_load_explicit(&r->compiled[strict], memory_order_relaxed);
    if (s == NULL && !r->failed[strict]) {
        json_error_t jerr;
        json_t *doc = json_loadb((const char *)r->file->data, r->file->size, 0, &jerr);
        char why[256];
        unsigned flags = strict ? HC_SCHEMA_ASSERT_FORMAT | HC_SCHEMA_ISO_OFFSETS : 0;
        if (doc == NULL || hc_schema_compile(doc, flags, &s, why, sizeof why) != HC_OK) {
            /* An embedded schema that does not compile is a build defect: say so loudly. */
            fprintf(stderr, "healthcert: DCC schema %s cannot be compiled: %s\n", r->version,
                    doc == NULL ? jerr.text : why);
            r->failed[strict] = 1;
            s = NULL;
        } else {
            atomic_store_explicit(&r->compiled[strict], s, memory_order_release);
        }
        json_decref(doc);
    }
    pthread_mutex_unlock(&dcc_lock);
    return s;
}

static void
dcc_message(char *msg, size_t msg_len, const char *text)
{
    if (msg != NULL && msg_len > 0) {
        if (text[0] == '\0') {
            msg[0] = '\0'; /* the success path: no printf machinery (~50 ns) */
        } else {
            snprintf(msg, msg_len, "%s", text);
        }
    }
}

static hc_err dcc_validate(const json_t *dcc, const char *version, bool strict, char *msg,
                           size_t msg_len);

hc_err
hc_dcc_schema_validate(const json_t *dcc, char *msg, size_t msg_len)
{
    return hc_dcc_schema_validate_as(dcc, NULL, msg, msg_len);
}

hc_err
hc_dcc_schema_validate_as(const json_t *dcc, const char *version, char *msg, size_t msg_len)
{
    return dcc_validate(dcc, version, false, msg, msg_len);
}

hc_err
hc_dcc_schema_validate_strict(const json_t *dcc, const char *version, char *msg, size_t msg_len)
{
    return dcc_validate(dcc, version, true, msg, msg_len);
}

static hc_err
dcc_validate(const json_t *dcc, const char *version, bool strict, char *msg, size_t msg_len)
{
    dcc_message(msg, msg_len, "");
    if (dcc == NULL) {
        dcc_message(msg, msg_len, "no payload");
        return HC_ERR_INVALID_ARG;
    }
    const json_t *ver = json_is_object(dcc) ? json_object_get(dcc, "ver") : NULL;
    if (version == NULL) {
        version = json_is_string(ver) ? json_string_value(ver) : NULL;
    }
    dcc_release *r = dcc_pick(version);
    const hc_schema *schema = r != NULL ? dcc_compiled(r, strict) : NULL;
    if (schema == NULL) {
        dcc_message(msg, msg_len, "DCC schema unavailable");
        return HC_ERR_INTERNAL;
    }
    hc_schema_error err;
    hc_err rc = hc_schema_validate(schema, dcc, &err);
    if (rc != HC_OK) {
        if (msg != NULL && msg_len > 0) {
            hc_schema_error_format(&err, msg, msg_len);
        }
        return rc == HC_ERR_SCHEMA_INVALID ? rc : HC_ERR_INTERNAL;
    }
    /* eu-dcc.md §2.5: exactly one of v, t, r (releases before 1.3.0 do not say it). The schema
     * accepted an object, since every release has "type": "object" at the root. */
    static const char *const groups[] = { "v", "t", "r" };
    int has[3];
    size_t present = 0;
    for (size_t i = 0; i < 3; i++) {
        has[i] = json_object_get(dcc, groups[i]) != NULL;
        present += (size_t)has[i];
    }
    if (present == 1) {
        return HC_OK;
    }
    if (msg != NULL && msg_len > 0) {
        if (present == 0) {
            snprintf(msg, msg_len, "must have exactly one of v, t, r");
        } else {
            char found[16] = "";
            for (size_t i = 0, w = 0; i < 3; i++) {
                if (has[i]) {
                    w += (size_t)snprintf(found + w, sizeof found - w, "%s%s", w ? ", " : "",
                                          groups[i]);
                }
            }
            snprintf(msg, msg_len, "must have exactly one of v, t, r (has %s)", found);
        }
    }
    return HC_ERR_SCHEMA_INVALID;
}
