/*
 * rules_fs.c: bounded reading of JSON files and walking of rule / value-set / test folders.
 *
 * Folders are walked in sorted order so that loading, selection ties and test output do not
 * depend on the file system's directory order.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "hc_msg.h"
#include "rules_internal.h"

hc_err
hc_rules_load_json(const char *path, json_t **out, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    hc_err err = hc_read_file(path, HC_RULES_MAX_FILE, &data, &len);
    if (err == HC_ERR_INPUT_TOO_LARGE) {
        hc_msgf(msg, msg_len, "%s: file larger than the limit", path);
        return err;
    }
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "%s: cannot read", path);
        return HC_ERR_IO;
    }
    json_error_t e;
    /* jansson's parser bounds nesting itself (JSON_PARSER_MAX_DEPTH 2048). */
    json_t *j = json_loadb((const char *)data, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    free(data);
    if (j == NULL) {
        hc_msgf(msg, msg_len, "%s: not valid JSON: %s (line %d)", path, e.text, e.line);
        return HC_ERR_STRUCTURE_INVALID;
    }
    *out = j;
    return HC_OK;
}

bool
hc_rules_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct walk {
    bool skip_tests;
    hc_rules_visit_fn visit;
    void *ctx;
    size_t files;
    bool stop;
    char *msg;
    size_t msg_len;
} walk;

static hc_err
walk_dir(walk *w, const char *dir, unsigned depth)
{
    if (depth > HC_RULES_MAX_DIR_DEPTH) {
        hc_msgf(w->msg, w->msg_len, "%s: folders nested too deeply", dir);
        return HC_ERR_INPUT_TOO_LARGE;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        hc_msgf(w->msg, w->msg_len, "%s: cannot read folder", dir);
        return HC_ERR_IO;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    hc_err err = HC_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        if (++w->files > HC_RULES_MAX_FILES) {
            hc_msgf(w->msg, w->msg_len, "%s: more files than the limit", dir);
            err = HC_ERR_INPUT_TOO_LARGE;
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *names);
            if (nn == NULL) {
                err = HC_ERR_NOMEM;
                break;
            }
            names = nn;
        }
        names[n] = strdup(e->d_name);
        if (names[n] == NULL) {
            err = HC_ERR_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (names != NULL) {
        qsort(names, n, sizeof *names, cmp_names);
    }
    for (size_t i = 0; i < n && err == HC_OK && !w->stop; i++) {
        size_t need = strlen(dir) + strlen(names[i]) + 2;
        char *sub = malloc(need);
        if (sub == NULL) {
            err = HC_ERR_NOMEM;
            break;
        }
        snprintf(sub, need, "%s/%s", dir, names[i]);
        if (hc_rules_is_dir(sub)) {
            if (!(w->skip_tests && strcmp(names[i], "tests") == 0)) {
                err = walk_dir(w, sub, depth + 1);
            }
        } else {
            size_t len = strlen(names[i]);
            if (len > 5 && strcmp(names[i] + len - 5, ".json") == 0 && !w->visit(w->ctx, sub)) {
                w->stop = true;
            }
        }
        free(sub);
    }
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
    return err;
}

hc_err
hc_rules_walk(const char *dir, bool skip_tests, hc_rules_visit_fn visit, void *ctx, char *msg,
              size_t msg_len)
{
    walk w = { skip_tests, visit, ctx, 0, false, msg, msg_len };
    return walk_dir(&w, dir, 0);
}
