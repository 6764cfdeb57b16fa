/*
 * format_schema.c: payload model validation (format_schema.h).
 *
 * The models are compiled into the binary (cmake/embed.cmake: data/format-schema/<name>.schema.json
 * -> format_schemas[]) and compiled by json_schema.c on first use, under a mutex; afterwards a
 * validation only reads immutable data (an acquire load of the compiled pointer), as in
 * dcc_schema.c. "format" keywords stay annotations; dates are checked by the models' patterns.
 */
#include "format_schema.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "embedded.h"
#include "json_schema.h"

extern const hc_embedded_file format_schemas[];
extern const size_t format_schemas_count;

#define MODEL_SUFFIX ".schema.json"

typedef struct model {
    const char *name;
    _Atomic(hc_schema *) compiled;
    int failed; /* guarded by lock */
} model;

static model models[] = {
    { HC_MODEL_DDCC_VS, NULL, 0 }, { HC_MODEL_DDCC_TR, NULL, 0 },   { HC_MODEL_DDCC_RC1, NULL, 0 },
    { HC_MODEL_DVC_MIN, NULL, 0 }, { HC_MODEL_ICAO_VACC, NULL, 0 }, { HC_MODEL_ICAO_TEST, NULL, 0 },
};
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static const hc_schema *
compiled(model *m)
{
    hc_schema *s = atomic_load_explicit(&m->compiled, memory_order_acquire);
    if (s != NULL) {
        return s;
    }
    pthread_mutex_lock(&lock);
    s = atomic_load_explicit(&m->compiled, memory_order_relaxed);
    if (s == NULL && !m->failed) {
        char file[64], why[256] = "";
        snprintf(file, sizeof file, "%s%s", m->name, MODEL_SUFFIX);
        const hc_embedded_file *f = hc_embedded_find(format_schemas, format_schemas_count, file);
        json_error_t jerr;
        json_t *doc = f != NULL ? json_loadb((const char *)f->data, f->size, 0, &jerr) : NULL;
        if (doc == NULL || hc_schema_compile(doc, 0, &s, why, sizeof why) != HC_OK) {
            /* An embedded model that does not compile is a build defect: say so loudly. */
            fprintf(stderr, "healthcert: payload model %s cannot be compiled: %s\n", m->name,
                    f == NULL     ? "not embedded"
                    : doc == NULL ? jerr.text
                                  : why);
            m->failed = 1;
            s = NULL;
        } else {
            atomic_store_explicit(&m->compiled, s, memory_order_release);
        }
        json_decref(doc);
    }
    pthread_mutex_unlock(&lock);
    return s;
}

hc_err
hc_format_schema_validate(const char *name, const json_t *instance, char *msg, size_t msg_len)
{
    if (msg != NULL && msg_len > 0) {
        msg[0] = '\0';
    }
    for (size_t i = 0; i < sizeof models / sizeof models[0]; i++) {
        if (strcmp(models[i].name, name) != 0) {
            continue;
        }
        const hc_schema *s = compiled(&models[i]);
        if (s == NULL) {
            return HC_ERR_INTERNAL;
        }
        hc_schema_error err;
        hc_err e = hc_schema_validate(s, instance, &err);
        if (e != HC_OK && msg != NULL) {
            hc_schema_error_format(&err, msg, msg_len);
        }
        return e;
    }
    return HC_ERR_INTERNAL;
}
