/*
 * ruleset.c: loading and checking EU business rules.
 *
 * The checks are those of the EU gateway's rule schema (dgc-gateway
 * src/main/resources/validation-rule.schema.json, summarised in shared reference eu-dcc.md §3.3):
 *   Identifier  ^(GR|VR|TR|RR|IR)-[A-Z]{2}-\d{4}$, its prefix matching Type/CertificateType
 *               (IR = Invalidation, GR/VR/TR/RR = General/Vaccination/Test/Recovery acceptance)
 *               and its country matching Country (gateway upload checks)
 *   Type        Acceptance | Invalidation
 *   Country     ^[A-Z]{2}$          Region  optional, ^[A-Z0-9]{0,5}$
 *   Version, SchemaVersion, EngineVersion   semantic versions major.minor.patch
 *   Engine      a name ("CERTLOGIC"; other engines load, but evaluate as OPEN)
 *   CertificateType  General | Test | Vaccination | Recovery
 *   Description [{lang, desc}], at least one    AffectedFields  [string], at least one
 *   ValidFrom < ValidTo, ISO 8601 date-times     Logic  a valid CertLogic expression
 * A rule set is loaded all or nothing: a rule that cannot be checked is an error, never skipped.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlogic.h"
#include "hc_msg.h"
#include "rules_internal.h"

struct hc_ruleset {
    hc_rule *rules;
    size_t n, cap;
    json_t *docs;   /* every loaded rule object (keeps the pointers of hc_rule alive) */
    char **sources; /* file names (hc_rule.source points here) */
    size_t nsources, capsources;
};

bool
hc_rules_parse_semver(const char *s, unsigned v[3])
{
    for (int k = 0; k < 3; k++) {
        if (!isdigit((unsigned char)*s)) {
            return false;
        }
        unsigned x = 0;
        int digits = 0;
        while (isdigit((unsigned char)*s)) {
            if (++digits > 9) {
                return false;
            }
            x = x * 10 + (unsigned)(*s++ - '0');
        }
        v[k] = x;
        if (k < 2 && *s++ != '.') {
            return false;
        }
    }
    return *s == '\0';
}

int
hc_rules_semver_cmp(const unsigned a[3], const unsigned b[3])
{
    for (int k = 0; k < 3; k++) {
        if (a[k] != b[k]) {
            return a[k] < b[k] ? -1 : 1;
        }
    }
    return 0;
}

/* A string member of rule, copied into buf (which must hold it). */
static bool
get_string(const json_t *rule, const char *key, char *buf, size_t cap, bool required, char *msg,
           size_t msg_len)
{
    const json_t *v = json_object_get(rule, key);
    buf[0] = '\0';
    if (v == NULL || json_is_null(v)) {
        if (required) {
            hc_msgf(msg, msg_len, "%s is missing", key);
            return false;
        }
        return true;
    }
    if (!json_is_string(v)) {
        hc_msgf(msg, msg_len, "%s is not a string", key);
        return false;
    }
    if (json_string_length(v) >= cap || strlen(json_string_value(v)) != json_string_length(v)) {
        hc_msgf(msg, msg_len, "%s is too long or holds a NUL", key);
        return false;
    }
    memcpy(buf, json_string_value(v), json_string_length(v) + 1);
    return true;
}

static bool
get_version(const json_t *rule, const char *key, char *buf, size_t cap, unsigned num[3], char *msg,
            size_t msg_len)
{
    if (!get_string(rule, key, buf, cap, true, msg, msg_len)) {
        return false;
    }
    if (!hc_rules_parse_semver(buf, num)) {
        hc_msgf(msg, msg_len, "%s \"%s\" is not a version major.minor.patch", key, buf);
        return false;
    }
    return true;
}

static bool
get_time(const json_t *rule, const char *key, hc_time_ms *out, char *msg, size_t msg_len)
{
    char buf[64];
    if (!get_string(rule, key, buf, sizeof buf, true, msg, msg_len)) {
        return false;
    }
    if (strchr(buf, 'T') == NULL || !hc_time_parse_iso8601(buf, strlen(buf), out)) {
        hc_msgf(msg, msg_len, "%s \"%s\" is not an ISO 8601 date-time", key, buf);
        return false;
    }
    return true;
}

static bool
all_match(const char *s, size_t min, size_t max, int (*pred)(int))
{
    size_t n = strlen(s);
    if (n < min || n > max) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!pred((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

static int
is_upper_az(int c)
{
    return c >= 'A' && c <= 'Z';
}

static int
is_upper_alnum(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool
check_identifier(const hc_rule *r, char *msg, size_t msg_len)
{
    const char *id = r->identifier;
    static const char *const prefixes[] = { "GR", "VR", "TR", "RR", "IR" };
    bool prefix_ok = false;
    for (size_t i = 0; i < 5; i++) {
        prefix_ok |= strncmp(id, prefixes[i], 2) == 0;
    }
    if (strlen(id) != 10 || !prefix_ok || id[2] != '-' || !is_upper_az(id[3]) ||
        !is_upper_az(id[4]) || id[5] != '-' || !isdigit((unsigned char)id[6]) ||
        !isdigit((unsigned char)id[7]) || !isdigit((unsigned char)id[8]) ||
        !isdigit((unsigned char)id[9])) {
        hc_msgf(msg, msg_len, "Identifier \"%s\" does not match (GR|VR|TR|RR|IR)-CC-0000", id);
        return false;
    }
    if (strncmp(id + 3, r->country, 2) != 0) {
        hc_msgf(msg, msg_len, "Identifier \"%s\" does not name Country %s", id, r->country);
        return false;
    }
    const char *want;
    if (r->type == HC_RULE_INVALIDATION) {
        want = "IR";
    } else {
        switch (r->cert_type) {
        case HC_RULE_GENERAL: want = "GR"; break;
        case HC_RULE_TEST: want = "TR"; break;
        case HC_RULE_VACCINATION: want = "VR"; break;
        default: want = "RR"; break;
        }
    }
    if (strncmp(id, want, 2) != 0) {
        hc_msgf(msg, msg_len, "Identifier \"%s\" should start with %s for a%s %s rule", id, want,
                r->type == HC_RULE_INVALIDATION ? "n" : "",
                r->type == HC_RULE_INVALIDATION ? "Invalidation"
                                                : hc_rule_cert_type_name(r->cert_type));
        return false;
    }
    return true;
}

static bool
check_descriptions(const json_t *d, const char **english, char *msg, size_t msg_len)
{
    if (!json_is_array(d) || json_array_size(d) == 0) {
        hc_msgf(msg, msg_len, "Description must be a non-empty array of {lang, desc}");
        return false;
    }
    *english = NULL;
    size_t i;
    const json_t *item;
    json_array_foreach(d, i, item)
    {
        const char *lang = json_string_value(json_object_get(item, "lang"));
        const char *desc = json_string_value(json_object_get(item, "desc"));
        if (lang == NULL || desc == NULL || desc[0] == '\0' || strlen(lang) != 2 ||
            !isalpha((unsigned char)lang[0]) || !isalpha((unsigned char)lang[1])) {
            hc_msgf(msg, msg_len, "Description[%zu] must have a two-letter lang and a desc", i);
            return false;
        }
        if (*english == NULL && (strcmp(lang, "en") == 0 || strcmp(lang, "EN") == 0)) {
            *english = desc;
        }
    }
    if (*english == NULL) {
        *english = json_string_value(json_object_get(json_array_get(d, 0), "desc"));
    }
    return true;
}

bool
hc_rule_parse(const json_t *rule, hc_rule *r, char *msg, size_t msg_len)
{
    char buf[64];
    memset(r, 0, sizeof *r);
    if (!json_is_object(rule)) {
        hc_msgf(msg, msg_len, "a rule must be a JSON object");
        return false;
    }
    r->json = rule;
    if (!get_string(rule, "Identifier", r->identifier, sizeof r->identifier, true, msg, msg_len)) {
        /* Too long for the field: say what it is. */
        return false;
    }
    if (!get_string(rule, "Type", buf, sizeof buf, true, msg, msg_len)) {
        return false;
    }
    if (strcmp(buf, "Acceptance") == 0) {
        r->type = HC_RULE_ACCEPTANCE;
    } else if (strcmp(buf, "Invalidation") == 0) {
        r->type = HC_RULE_INVALIDATION;
    } else {
        hc_msgf(msg, msg_len, "Type \"%s\" is not Acceptance or Invalidation", buf);
        return false;
    }
    char country[8], region[16];
    if (!get_string(rule, "Country", country, sizeof country, true, msg, msg_len)) {
        return false;
    }
    if (!all_match(country, 2, 2, is_upper_az)) {
        hc_msgf(msg, msg_len, "Country \"%s\" is not two capital letters (ISO 3166-1 alpha-2)",
                country);
        return false;
    }
    memcpy(r->country, country, 3);
    if (!get_string(rule, "Region", region, sizeof region, false, msg, msg_len)) {
        return false;
    }
    if (!all_match(region, 0, 5, is_upper_alnum)) {
        hc_msgf(msg, msg_len, "Region \"%s\" is not at most 5 capital letters or digits", region);
        return false;
    }
    memcpy(r->region, region, strlen(region) + 1);
    if (!get_version(rule, "Version", r->version, sizeof r->version, r->version_num, msg,
                     msg_len) ||
        !get_version(rule, "SchemaVersion", r->schema_version, sizeof r->schema_version,
                     r->schema_version_num, msg, msg_len) ||
        !get_version(rule, "EngineVersion", r->engine_version, sizeof r->engine_version,
                     r->engine_version_num, msg, msg_len)) {
        return false;
    }
    if (!get_string(rule, "Engine", r->engine, sizeof r->engine, true, msg, msg_len)) {
        return false;
    }
    if (r->engine[0] == '\0') {
        hc_msgf(msg, msg_len, "Engine is empty");
        return false;
    }
    if (!get_string(rule, "CertificateType", buf, sizeof buf, true, msg, msg_len)) {
        return false;
    }
    if (strcmp(buf, "General") == 0) {
        r->cert_type = HC_RULE_GENERAL;
    } else if (strcmp(buf, "Test") == 0) {
        r->cert_type = HC_RULE_TEST;
    } else if (strcmp(buf, "Vaccination") == 0) {
        r->cert_type = HC_RULE_VACCINATION;
    } else if (strcmp(buf, "Recovery") == 0) {
        r->cert_type = HC_RULE_RECOVERY;
    } else {
        hc_msgf(msg, msg_len,
                "CertificateType \"%s\" is not General, Test, Vaccination or Recovery", buf);
        return false;
    }
    if (!check_identifier(r, msg, msg_len)) {
        return false;
    }
    if (!get_time(rule, "ValidFrom", &r->valid_from, msg, msg_len) ||
        !get_time(rule, "ValidTo", &r->valid_to, msg, msg_len)) {
        return false;
    }
    if (r->valid_from >= r->valid_to) {
        hc_msgf(msg, msg_len, "ValidFrom is not before ValidTo");
        return false;
    }
    r->descriptions = json_object_get(rule, "Description");
    if (!check_descriptions(r->descriptions, &r->description, msg, msg_len)) {
        return false;
    }
    r->affected_fields = json_object_get(rule, "AffectedFields");
    if (!json_is_array(r->affected_fields) || json_array_size(r->affected_fields) == 0) {
        hc_msgf(msg, msg_len, "AffectedFields must be a non-empty array of field names");
        return false;
    }
    for (size_t i = 0; i < json_array_size(r->affected_fields); i++) {
        if (!json_is_string(json_array_get(r->affected_fields, i))) {
            hc_msgf(msg, msg_len, "AffectedFields[%zu] is not a string", i);
            return false;
        }
    }
    r->logic = json_object_get(rule, "Logic");
    if (r->logic == NULL) {
        hc_msgf(msg, msg_len, "Logic is missing");
        return false;
    }
    if (strcmp(r->engine, "CERTLOGIC") == 0) {
        hc_certlogic_issue issue;
        size_t n = hc_certlogic_validate(r->logic, &issue, 1);
        if (n > 0) {
            char *where = issue.expr != NULL ? hc_certlogic_stringify(issue.expr, 60) : NULL;
            hc_msgf(msg, msg_len, "Logic is not valid CertLogic: %s%s%s%s", issue.message,
                    where != NULL ? " in " : "", where != NULL ? where : "",
                    n > 1 ? " (and more issues)" : "");
            free(where);
            return false;
        }
    }
    return true;
}

bool
hc_rule_check(const json_t *rule, char *msg, size_t msg_len)
{
    hc_rule r;
    return hc_rule_parse(rule, &r, msg, msg_len);
}

bool
hc_rules_looks_like_rules(const json_t *j)
{
    if (json_is_object(j)) {
        return json_object_get(j, "Identifier") != NULL && json_object_get(j, "Logic") != NULL;
    }
    if (json_is_array(j) && json_array_size(j) > 0) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            if (!hc_rules_looks_like_rules(json_array_get(j, i)) ||
                !json_is_object(json_array_get(j, i))) {
                return false;
            }
        }
        return true;
    }
    return false;
}

/* ---- the rule set ---- */

hc_ruleset *
hc_ruleset_new(void)
{
    hc_ruleset *rs = calloc(1, sizeof *rs);
    if (rs == NULL) {
        return NULL;
    }
    rs->docs = json_array();
    if (rs->docs == NULL) {
        free(rs);
        return NULL;
    }
    return rs;
}

void
hc_ruleset_free(hc_ruleset *rs)
{
    if (rs == NULL) {
        return;
    }
    for (size_t i = 0; i < rs->nsources; i++) {
        free(rs->sources[i]);
    }
    free(rs->sources);
    free(rs->rules);
    json_decref(rs->docs);
    free(rs);
}

size_t
hc_ruleset_count(const hc_ruleset *rs)
{
    return rs != NULL ? rs->n : 0;
}

const hc_rule *
hc_ruleset_get(const hc_ruleset *rs, size_t i)
{
    return rs != NULL && i < rs->n ? &rs->rules[i] : NULL;
}

static const char *
intern_source(hc_ruleset *rs, const char *source)
{
    if (rs->nsources > 0 && strcmp(rs->sources[rs->nsources - 1], source) == 0) {
        return rs->sources[rs->nsources - 1];
    }
    if (rs->nsources == rs->capsources) {
        size_t cap = rs->capsources ? rs->capsources * 2 : 16;
        char **ns = realloc(rs->sources, cap * sizeof *ns);
        if (ns == NULL) {
            return NULL;
        }
        rs->sources = ns;
        rs->capsources = cap;
    }
    char *copy = strdup(source);
    if (copy == NULL) {
        return NULL;
    }
    rs->sources[rs->nsources++] = copy;
    return copy;
}

/* Parses every rule of j (object or array) into a staging list; all or nothing. */
static hc_err
stage_rules(const json_t *j, const char *source, hc_rule **out, size_t *n, size_t *cap, char *msg,
            size_t msg_len)
{
    size_t count = json_is_array(j) ? json_array_size(j) : 1;
    if (!json_is_array(j) && !json_is_object(j)) {
        hc_msgf(msg, msg_len, "%s: not a rule or an array of rules", source);
        return HC_ERR_STRUCTURE_INVALID;
    }
    if (count == 0) {
        hc_msgf(msg, msg_len, "%s: an empty array, no rules", source);
        return HC_ERR_STRUCTURE_INVALID;
    }
    for (size_t i = 0; i < count; i++) {
        const json_t *rule = json_is_array(j) ? json_array_get(j, i) : j;
        if (*n >= HC_RULES_MAX_RULES) {
            hc_msgf(msg, msg_len, "%s: more than %u rules", source, (unsigned)HC_RULES_MAX_RULES);
            return HC_ERR_INPUT_TOO_LARGE;
        }
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 64;
            hc_rule *nr = realloc(*out, nc * sizeof *nr);
            if (nr == NULL) {
                hc_msgf(msg, msg_len, "out of memory");
                return HC_ERR_NOMEM;
            }
            *out = nr;
            *cap = nc;
        }
        char why[384];
        if (!hc_rule_parse(rule, &(*out)[*n], why, sizeof why)) {
            const char *id = json_string_value(json_object_get(rule, "Identifier"));
            if (json_is_array(j)) {
                hc_msgf(msg, msg_len, "%s: rule #%zu (%.20s): %s", source, i,
                        id != NULL ? id : "no Identifier", why);
            } else {
                hc_msgf(msg, msg_len, "%s: rule %.20s: %s", source,
                        id != NULL ? id : "without Identifier", why);
            }
            return HC_ERR_STRUCTURE_INVALID;
        }
        (*out)[*n].source = source;
        (*n)++;
    }
    return HC_OK;
}

/* Moves staged rules into rs (their JSON kept alive by rs->docs). */
static hc_err
commit_rules(hc_ruleset *rs, hc_rule *staged, size_t n, const json_t *const *docs, size_t ndocs)
{
    if (rs->n + n > HC_RULES_MAX_RULES) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (rs->n + n > rs->cap) {
        size_t cap = rs->cap ? rs->cap : 64;
        while (cap < rs->n + n) {
            cap *= 2;
        }
        hc_rule *nr = realloc(rs->rules, cap * sizeof *nr);
        if (nr == NULL) {
            return HC_ERR_NOMEM;
        }
        rs->rules = nr;
        rs->cap = cap;
    }
    for (size_t i = 0; i < ndocs; i++) {
        if (json_array_append(rs->docs, (json_t *)docs[i]) != 0) {
            return HC_ERR_NOMEM;
        }
    }
    if (n > 0) {
        memcpy(rs->rules + rs->n, staged, n * sizeof *staged);
        rs->n += n;
    }
    return HC_OK;
}

hc_err
hc_ruleset_add_json(hc_ruleset *rs, const json_t *rules, const char *source, char *msg,
                    size_t msg_len)
{
    if (rs == NULL || rules == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    const char *src = intern_source(rs, source != NULL ? source : "(memory)");
    if (src == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_rule *staged = NULL;
    size_t n = 0, cap = 0;
    hc_err err = stage_rules(rules, src, &staged, &n, &cap, msg, msg_len);
    if (err == HC_OK) {
        err = commit_rules(rs, staged, n, &rules, 1);
        if (err == HC_ERR_INPUT_TOO_LARGE) {
            hc_msgf(msg, msg_len, "%s: more than %u rules in the set", src,
                    (unsigned)HC_RULES_MAX_RULES);
        }
    }
    free(staged);
    return err;
}

/* Folder loading: every file that looks like rules is staged; the set is committed at the end. */
typedef struct folder_load {
    hc_ruleset *rs;
    hc_rule *staged;
    size_t n, cap;
    json_t *docs;
    hc_err err;
    char *msg;
    size_t msg_len;
} folder_load;

static bool
visit_rule_file(void *vctx, const char *file)
{
    folder_load *fl = vctx;
    json_t *j = NULL;
    char why[384];
    hc_err err = hc_rules_load_json(file, &j, why, sizeof why);
    if (err != HC_OK) {
        fl->err = err;
        hc_msgf(fl->msg, fl->msg_len, "%s", why);
        return false;
    }
    if (!hc_rules_looks_like_rules(j)) {
        json_decref(j); /* another kind of JSON file (value sets, tests, tooling): not ours */
        return true;
    }
    const char *src = intern_source(fl->rs, file);
    if (src == NULL || json_array_append_new(fl->docs, j) != 0) {
        fl->err = HC_ERR_NOMEM;
        return false;
    }
    fl->err = stage_rules(j, src, &fl->staged, &fl->n, &fl->cap, fl->msg, fl->msg_len);
    return fl->err == HC_OK;
}

hc_err
hc_ruleset_add_path(hc_ruleset *rs, const char *path, char *msg, size_t msg_len)
{
    if (rs == NULL || path == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (!hc_rules_is_dir(path)) {
        json_t *j = NULL;
        hc_err err = hc_rules_load_json(path, &j, msg, msg_len);
        if (err != HC_OK) {
            return err;
        }
        err = hc_ruleset_add_json(rs, j, path, msg, msg_len);
        json_decref(j);
        return err;
    }
    folder_load fl = { rs, NULL, 0, 0, json_array(), HC_OK, msg, msg_len };
    if (fl.docs == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_err err = hc_rules_walk(path, true, visit_rule_file, &fl, msg, msg_len);
    if (err == HC_OK) {
        err = fl.err;
    }
    if (err == HC_OK && fl.n == 0) {
        hc_msgf(msg, msg_len, "%s: no rules found", path);
        err = HC_ERR_STRUCTURE_INVALID;
    }
    if (err == HC_OK) {
        const json_t **docs = malloc((json_array_size(fl.docs) + 1) * sizeof *docs);
        if (docs == NULL) {
            err = HC_ERR_NOMEM;
        } else {
            for (size_t i = 0; i < json_array_size(fl.docs); i++) {
                docs[i] = json_array_get(fl.docs, i);
            }
            err = commit_rules(rs, fl.staged, fl.n, docs, json_array_size(fl.docs));
            free(docs);
            if (err == HC_ERR_INPUT_TOO_LARGE) {
                hc_msgf(msg, msg_len, "%s: more than %u rules in the set", path,
                        (unsigned)HC_RULES_MAX_RULES);
            }
        }
    }
    free(fl.staged);
    json_decref(fl.docs);
    return err;
}

hc_ruleset *
hc_ruleset_load(const char *path, char *msg, size_t msg_len)
{
    hc_ruleset *rs = hc_ruleset_new();
    if (rs == NULL) {
        hc_msgf(msg, msg_len, "out of memory");
        return NULL;
    }
    if (hc_ruleset_add_path(rs, path, msg, msg_len) != HC_OK) {
        hc_ruleset_free(rs);
        return NULL;
    }
    return rs;
}

/* ---- validation report (healthcert rules validate) ---- */

typedef struct validate_walk {
    hc_rule_report_fn report;
    void *ctx;
    size_t bad;
    bool in_folder;
} validate_walk;

static void
report_file(validate_walk *vw, const char *file)
{
    json_t *j = NULL;
    char why[384];
    if (hc_rules_load_json(file, &j, why, sizeof why) != HC_OK) {
        vw->report(vw->ctx, file, NULL, why);
        vw->bad++;
        return;
    }
    if (vw->in_folder && !hc_rules_looks_like_rules(j)) {
        json_decref(j);
        return;
    }
    if (!json_is_object(j) && !json_is_array(j)) {
        vw->report(vw->ctx, file, NULL, "not a rule or an array of rules");
        vw->bad++;
        json_decref(j);
        return;
    }
    size_t count = json_is_array(j) ? json_array_size(j) : 1;
    for (size_t i = 0; i < count; i++) {
        const json_t *rule = json_is_array(j) ? json_array_get(j, i) : j;
        const char *id = json_string_value(json_object_get(rule, "Identifier"));
        char idbuf[32];
        if (id == NULL) {
            snprintf(idbuf, sizeof idbuf, "#%zu", i);
            id = idbuf;
        }
        if (hc_rule_check(rule, why, sizeof why)) {
            vw->report(vw->ctx, file, id, NULL);
        } else {
            vw->report(vw->ctx, file, id, why);
            vw->bad++;
        }
    }
    json_decref(j);
}

static bool
visit_validate(void *ctx, const char *file)
{
    report_file(ctx, file);
    return true;
}

size_t
hc_rules_validate_path(const char *path, hc_rule_report_fn report, void *ctx)
{
    validate_walk vw = { report, ctx, 0, false };
    if (!hc_rules_is_dir(path)) {
        report_file(&vw, path);
        return vw.bad;
    }
    vw.in_folder = true;
    char why[384];
    if (hc_rules_walk(path, true, visit_validate, &vw, why, sizeof why) != HC_OK) {
        report(ctx, path, NULL, why);
        vw.bad++;
    }
    return vw.bad;
}
