/*
 * rules_internal.h: helpers shared by the rule-set files (ruleset.c, valuesets.c, rules_eval.c,
 * rules_test.c): bounded JSON file loading, folder walking, rule parsing.
 */
#ifndef HC_RULES_INTERNAL_H
#define HC_RULES_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "healthcert/error.h"
#include "ruleset.h"

/* Reads and parses a JSON file (at most HC_RULES_MAX_FILE bytes; any JSON value at top level).
 * HC_ERR_IO, HC_ERR_INPUT_TOO_LARGE or HC_ERR_STRUCTURE_INVALID (not JSON) with msg. */
hc_err hc_rules_load_json(const char *path, json_t **out, char *msg, size_t msg_len);

/* Is path a folder? false for files and for paths that do not exist. */
bool hc_rules_is_dir(const char *path);

/*
 * Calls visit(ctx, file) for every *.json file under dir (recursively, sorted by name, hidden
 * entries skipped; folders named "tests" skipped when skip_tests). Stops when visit returns false.
 * Returns HC_OK, HC_ERR_IO (a folder unreadable) or HC_ERR_INPUT_TOO_LARGE (past
 * HC_RULES_MAX_FILES or HC_RULES_MAX_DIR_DEPTH).
 */
typedef bool (*hc_rules_visit_fn)(void *ctx, const char *file);
hc_err hc_rules_walk(const char *dir, bool skip_tests, hc_rules_visit_fn visit, void *ctx,
                     char *msg, size_t msg_len);

/* Does j look like a rule (an object with Identifier and Logic) or an array of such? */
bool hc_rules_looks_like_rules(const json_t *j);

/* Parses and checks one rule object into out (pointers into rule). msg says why when false. */
bool hc_rule_parse(const json_t *rule, hc_rule *out, char *msg, size_t msg_len);

/* Parses "major.minor.patch". */
bool hc_rules_parse_semver(const char *s, unsigned v[3]);
/* <0, 0, >0 as a is older than, equal to, newer than b. */
int hc_rules_semver_cmp(const unsigned a[3], const unsigned b[3]);

#endif
