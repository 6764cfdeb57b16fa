/*
 * valuesets.c: EU DCC value sets for business rules.
 *
 * Rules see value sets in the "compressed" form {valueSetId: [codes...]}
 * (dgc-business-rules-testdata valuesets/README.md; dgc-certlogic-android ExternalParameter.kt
 * valueSets: Map<String, List<String>>): the codes are the keys of the EU form's valueSetValues
 * (ehn-dcc-development/eu-dcc-valuesets), all of them, as the EU apps pass them. Both forms are
 * read; files of other shapes inside a folder (e.g. vaccine-encoding-instructions.json) are
 * skipped, a single file of another shape is an error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hc_msg.h"
#include "rules_internal.h"

struct hc_valuesets {
    json_t *sets; /* {id: [codes]} */
};

hc_valuesets *
hc_valuesets_new(void)
{
    hc_valuesets *vs = calloc(1, sizeof *vs);
    if (vs == NULL) {
        return NULL;
    }
    vs->sets = json_object();
    if (vs->sets == NULL) {
        free(vs);
        return NULL;
    }
    return vs;
}

void
hc_valuesets_free(hc_valuesets *vs)
{
    if (vs != NULL) {
        json_decref(vs->sets);
        free(vs);
    }
}

const json_t *
hc_valuesets_json(const hc_valuesets *vs)
{
    return vs != NULL ? vs->sets : NULL;
}

size_t
hc_valuesets_count(const hc_valuesets *vs)
{
    return vs != NULL ? json_object_size(vs->sets) : 0;
}

/* The EU form: {valueSetId: "...", valueSetValues: {code: {...}}}. */
static bool
is_eu_form(const json_t *j)
{
    return json_is_object(j) && json_is_string(json_object_get(j, "valueSetId")) &&
           json_is_object(json_object_get(j, "valueSetValues"));
}

/* The compressed form: a non-empty object whose every member is an array of strings. */
static bool
is_compressed_form(const json_t *j)
{
    if (!json_is_object(j) || json_object_size(j) == 0) {
        return false;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)j, key, v)
    {
        if (!json_is_array(v)) {
            return false;
        }
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (!json_is_string(json_array_get(v, i))) {
                return false;
            }
        }
    }
    return true;
}

static bool
is_valuesets(const json_t *j)
{
    if (is_eu_form(j) || is_compressed_form(j)) {
        return true;
    }
    if (json_is_array(j) && json_array_size(j) > 0) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (!is_eu_form(json_array_get(j, i))) {
                return false;
            }
        }
        return true;
    }
    return false;
}

static hc_err
add_eu(hc_valuesets *vs, const json_t *j)
{
    json_t *codes = json_array();
    if (codes == NULL) {
        return HC_ERR_NOMEM;
    }
    const char *code;
    json_t *entry;
    json_object_foreach(json_object_get(j, "valueSetValues"), code, entry)
    {
        if (json_array_append_new(codes, json_string(code)) != 0) {
            json_decref(codes);
            return HC_ERR_NOMEM;
        }
    }
    const char *id = json_string_value(json_object_get(j, "valueSetId"));
    return json_object_set_new(vs->sets, id, codes) == 0 ? HC_OK : HC_ERR_NOMEM;
}

hc_err
hc_valuesets_add_json(hc_valuesets *vs, const json_t *j, char *msg, size_t msg_len)
{
    if (vs == NULL || j == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (!is_valuesets(j)) {
        hc_msgf(msg, msg_len,
                "not a value set: expected {valueSetId, valueSetValues} or {id: [codes]}");
        return HC_ERR_STRUCTURE_INVALID;
    }
    if (is_eu_form(j)) {
        return add_eu(vs, j);
    }
    if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            hc_err err = add_eu(vs, json_array_get(j, i));
            if (err != HC_OK) {
                return err;
            }
        }
        return HC_OK;
    }
    const char *id;
    json_t *codes;
    json_object_foreach((json_t *)j, id, codes)
    {
        json_t *copy = json_deep_copy(codes);
        if (copy == NULL || json_object_set_new(vs->sets, id, copy) != 0) {
            return HC_ERR_NOMEM;
        }
    }
    return HC_OK;
}

typedef struct vs_walk {
    hc_valuesets *vs;
    hc_err err;
    unsigned skipped, added;
    char *msg;
    size_t msg_len;
} vs_walk;

static bool
visit_valueset_file(void *ctx, const char *file)
{
    vs_walk *w = ctx;
    json_t *j = NULL;
    w->err = hc_rules_load_json(file, &j, w->msg, w->msg_len);
    if (w->err != HC_OK) {
        return false;
    }
    if (!is_valuesets(j)) {
        w->skipped++;
    } else {
        w->err = hc_valuesets_add_json(w->vs, j, w->msg, w->msg_len);
        w->added++;
    }
    json_decref(j);
    return w->err == HC_OK;
}

hc_err
hc_valuesets_add_path(hc_valuesets *vs, const char *path, char *msg, size_t msg_len)
{
    if (vs == NULL || path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (!hc_rules_is_dir(path)) {
        json_t *j = NULL;
        hc_err err = hc_rules_load_json(path, &j, msg, msg_len);
        if (err != HC_OK) {
            return err;
        }
        char why[256];
        err = hc_valuesets_add_json(vs, j, why, sizeof why);
        if (err != HC_OK) {
            hc_msgf(msg, msg_len, "%s: %s", path, why);
        }
        json_decref(j);
        return err;
    }
    vs_walk w = { vs, HC_OK, 0, 0, msg, msg_len };
    hc_err err = hc_rules_walk(path, false, visit_valueset_file, &w, msg, msg_len);
    if (err == HC_OK) {
        err = w.err;
    }
    if (err == HC_OK && w.added == 0) {
        hc_msgf(msg, msg_len, "%s: no value sets found", path);
        return HC_ERR_STRUCTURE_INVALID;
    }
    if (err == HC_OK) {
        hc_msgf(msg, msg_len, "%u value set files read, %u other files skipped", w.added,
                w.skipped);
    }
    return err;
}

hc_valuesets *
hc_valuesets_load(const char *path, char *msg, size_t msg_len)
{
    hc_valuesets *vs = hc_valuesets_new();
    if (vs == NULL) {
        hc_msgf(msg, msg_len, "out of memory");
        return NULL;
    }
    if (hc_valuesets_add_path(vs, path, msg, msg_len) != HC_OK) {
        hc_valuesets_free(vs);
        return NULL;
    }
    return vs;
}
