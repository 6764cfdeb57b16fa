/*
 * cmd_rules.c: `healthcert rules`: evaluate CertLogic expressions, check and test business rules.
 *
 *   healthcert rules eval LOGIC.json DATA.json        (shared/CONTRACT.md)
 *   healthcert rules test [--valuesets PATH] PATH...  rule test cases: pass/fail counts
 *   healthcert rules validate PATH...                 report invalid rules
 *   healthcert rules run --rules PATH --country CC [options] DCC.json
 *                                                     apply a rule set to a DCC payload (JSON)
 *
 * Exit codes (CONTRACT.md): 0 success; 1 the input was judged (invalid expression, evaluation
 * error, failing test or rule, invalid rule); 2 could not check (usage, unreadable file).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certlogic.h"
#include "commands.h"
#include "fileio.h"
#include "hctime.h"
#include "ruleset.h"

/* Expression and data files: data contexts can hold whole value-set collections. */
#define RULES_MAX_INPUT (16u << 20)
/* Printed results are bounded too (a reduce can build a large value). */
#define RULES_MAX_OUTPUT (64u << 20)

static const char usage_main[] =
    "usage: healthcert rules <subcommand> [options]\n"
    "\n"
    "CertLogic business rules (EU DCC validation rules, CertLogic specification 1.3.3).\n"
    "\n"
    "subcommands:\n"
    "  eval LOGIC.json DATA.json   evaluate one CertLogic expression against a data object and\n"
    "                              print the result as JSON\n"
    "  test [--valuesets PATH] PATH...\n"
    "                              run rule test cases ({payload, external, expected}) and print\n"
    "                              pass/fail counts\n"
    "  validate PATH...            check rules (files or folders) and report the invalid ones\n"
    "  run --rules PATH --country CC [options] DCC.json\n"
    "                              apply the rules of arrival country CC to a DCC payload\n"
    "\n"
    "'healthcert rules <subcommand> --help' describes each. Exit codes: 0 success, 1 invalid\n"
    "expression, failed evaluation, failing test or rule, 2 could not check.\n";

static const char usage_eval[] =
    "usage: healthcert rules eval LOGIC.json DATA.json\n"
    "\n"
    "Validates the CertLogic expression in LOGIC.json, evaluates it against the data in\n"
    "DATA.json (any JSON value; '-' reads standard input) and prints the result as JSON on one\n"
    "line, as JSON.stringify writes it (a date-time as \"YYYY-MM-DDThh:mm:ss.sssZ\").\n"
    "\n"
    "Exit codes: 0 evaluated; 1 not valid JSON, invalid expression or evaluation error (the\n"
    "reason on standard error); 2 a file cannot be read.\n";

static const char usage_test[] =
    "usage: healthcert rules test [--valuesets PATH] [--quiet] PATH...\n"
    "\n"
    "Runs rule test cases. A test case is a JSON file {name?, payload, external, expected}; it\n"
    "tests the rule in ../rule.json (the dgc-business-rules-testdata layout\n"
    "<SET>/<RULE-ID>/rule.json + tests/*.json), or an inline \"rule\" or \"logic\". PATH is a\n"
    "test file, a rule.json (runs its tests/ folder) or a folder (searched recursively). A test\n"
    "whose external.validationClock lies outside the rule's [ValidFrom, ValidTo) is skipped;\n"
    "the others must evaluate to expected.\n"
    "\n"
    "  --valuesets PATH  value sets (EU format, a folder of them, or {id: [codes]}) for the\n"
    "                    tests that carry no external.valueSets\n"
    "  --quiet           print only the summary\n"
    "\n"
    "Exit codes: 0 every test passed; 1 a test failed, a rule is invalid or nothing was run;\n"
    "2 a path or file cannot be read.\n";

static const char usage_validate[] =
    "usage: healthcert rules validate [--quiet] PATH...\n"
    "\n"
    "Checks every rule in PATH (a rule file holding one rule or an array, or a folder searched\n"
    "recursively) against the EU gateway rule schema (Identifier, Type, Country, Region,\n"
    "Version, SchemaVersion, Engine, EngineVersion, CertificateType, ValidFrom < ValidTo,\n"
    "Description, AffectedFields) and its Logic against the CertLogic validator.\n"
    "\n"
    "  --quiet  print only invalid rules and the summary\n"
    "\n"
    "Exit codes: 0 all valid; 1 an invalid rule or file; 2 a path cannot be read.\n";

static const char usage_run[] =
    "usage: healthcert rules run --rules PATH --country CC [options] DCC.json\n"
    "\n"
    "Selects the rules that apply to the DCC payload in DCC.json (the decoded certificate,\n"
    "{ver, nam, dob, v|t|r}) as the EU verifier apps do, evaluates them and prints one line per\n"
    "rule: PASSED, FAILED or OPEN (could not be evaluated), with its identifier and description.\n"
    "\n"
    "  --rules PATH       rule file or folder (repeatable)\n"
    "  --country CC       arrival country (ISO 3166-1 alpha-2)\n"
    "  --region R         arrival region (rules with a Region apply only to it)\n"
    "  --valuesets PATH   value sets (repeatable)\n"
    "  --at TIME          validation clock, ISO 8601 (default: now)\n"
    "  --issuer CC        issuing country (selects its Invalidation rules)\n"
    "  --iat TIME, --exp TIME   issuing and expiry time of the certificate\n"
    "  --json             print the results as a JSON array\n"
    "\n"
    "Exit codes: 0 every rule passed; 1 a rule failed or is open; 2 could not check.\n";

static bool
wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            return true;
        }
    }
    return false;
}

/* Reads a JSON file ("-" = stdin). 0 ok, 1 not JSON, 2 unreadable. */
static int
read_json(const char *path, json_t **out)
{
    uint8_t *data = NULL;
    size_t len = 0;
    hc_err err = hc_read_file(path, RULES_MAX_INPUT, &data, &len);
    if (err == HC_ERR_INPUT_TOO_LARGE) {
        fprintf(stderr, "healthcert rules: %s: larger than %u MiB\n", path,
                (unsigned)(RULES_MAX_INPUT >> 20));
        free(data);
        return 1;
    }
    if (err != HC_OK) {
        fprintf(stderr, "healthcert rules: %s: cannot read\n", path);
        return 2;
    }
    json_error_t e;
    /* As JSON.parse reads it: any value at the top (a data context may be a string), every
     * number a JavaScript number (integers past 64 bits too), "\u0000" allowed in strings. */
    *out = json_loadb((const char *)data, len,
                      JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &e);
    free(data);
    if (*out == NULL) {
        fprintf(stderr, "healthcert rules: %s: not valid JSON: %s (line %d, column %d)\n", path,
                e.text, e.line, e.column);
        return 1;
    }
    return 0;
}

static int
cmd_eval(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_eval, stdout);
        return 0;
    }
    if (argc != 3) {
        fputs(usage_eval, stderr);
        return 2;
    }
    json_t *logic = NULL, *data = NULL;
    int rc = read_json(argv[1], &logic);
    if (rc == 0) {
        rc = read_json(argv[2], &data);
    }
    if (rc != 0) {
        json_decref(logic);
        return rc;
    }
    json_t *result = NULL;
    char msg[512];
    hc_certlogic_status st = hc_certlogic_evaluate(logic, data, &result, msg, sizeof msg);
    json_decref(logic);
    json_decref(data);
    if (st != HC_CERTLOGIC_OK) {
        fprintf(stderr, "healthcert rules eval: %s\n", msg);
        return st == HC_CERTLOGIC_NOMEM ? 2 : 1;
    }
    char *text = hc_certlogic_stringify(result, RULES_MAX_OUTPUT);
    json_decref(result);
    if (text == NULL) {
        fprintf(stderr, "healthcert rules eval: the result is larger than %u MiB\n",
                (unsigned)(RULES_MAX_OUTPUT >> 20));
        return 1;
    }
    printf("%s\n", text);
    free(text);
    return 0;
}

static bool
path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int
cmd_test(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_test, stdout);
        return 0;
    }
    hc_valuesets *vs = NULL;
    bool quiet = false;
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
        if (strcmp(argv[first], "--quiet") == 0) {
            quiet = true;
        } else if (strcmp(argv[first], "--valuesets") == 0 && first + 1 < argc) {
            char msg[512];
            if (vs == NULL) {
                vs = hc_valuesets_new();
            }
            if (vs == NULL || hc_valuesets_add_path(vs, argv[++first], msg, sizeof msg) != HC_OK) {
                fprintf(stderr, "healthcert rules test: value sets: %s\n", msg);
                hc_valuesets_free(vs);
                return 2;
            }
        } else {
            fprintf(stderr, "healthcert rules test: unknown option %s\n\n%s", argv[first],
                    usage_test);
            hc_valuesets_free(vs);
            return 2;
        }
    }
    if (first >= argc) {
        fputs(usage_test, stderr);
        hc_valuesets_free(vs);
        return 2;
    }
    hc_rules_test_stats stats = { 0 };
    bool missing = false;
    for (int i = first; i < argc; i++) {
        if (!path_exists(argv[i])) {
            fprintf(stderr, "healthcert rules test: %s: no such file or folder\n", argv[i]);
            missing = true;
            continue;
        }
        hc_rules_test_path(argv[i], vs, quiet ? NULL : stdout, stderr, &stats);
    }
    hc_valuesets_free(vs);
    unsigned run = stats.passed + stats.failed;
    printf("%u passed, %u failed, %u skipped", stats.passed, stats.failed, stats.skipped);
    if (stats.invalid_rules > 0) {
        printf(", %u invalid rules", stats.invalid_rules);
    }
    if (stats.errors > 0) {
        printf(", %u unreadable or malformed files", stats.errors);
    }
    printf("\n");
    if (missing) {
        return 2;
    }
    if (run == 0 && stats.skipped == 0) {
        fprintf(stderr, "healthcert rules test: no test cases found\n");
        return 1;
    }
    return stats.failed > 0 || stats.invalid_rules > 0 || stats.errors > 0 ? 1 : 0;
}

typedef struct validate_ctx {
    bool quiet;
    unsigned rules, invalid;
} validate_ctx;

static void
validate_report(void *vctx, const char *source, const char *identifier, const char *problem)
{
    validate_ctx *ctx = vctx;
    if (identifier != NULL) {
        ctx->rules++;
    }
    if (problem == NULL) {
        if (!ctx->quiet) {
            printf("ok       %-12s %s\n", identifier, source);
        }
        return;
    }
    ctx->invalid++;
    printf("INVALID  %-12s %s: %s\n", identifier != NULL ? identifier : "-", source, problem);
}

static int
cmd_validate(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_validate, stdout);
        return 0;
    }
    validate_ctx ctx = { false, 0, 0 };
    int first = 1;
    if (first < argc && strcmp(argv[first], "--quiet") == 0) {
        ctx.quiet = true;
        first++;
    }
    if (first >= argc) {
        fputs(usage_validate, stderr);
        return 2;
    }
    bool missing = false;
    for (int i = first; i < argc; i++) {
        if (!path_exists(argv[i])) {
            fprintf(stderr, "healthcert rules validate: %s: no such file or folder\n", argv[i]);
            missing = true;
            continue;
        }
        hc_rules_validate_path(argv[i], validate_report, &ctx);
    }
    printf("%u rules checked, %u invalid\n", ctx.rules, ctx.invalid);
    if (missing) {
        return 2;
    }
    return ctx.invalid > 0 ? 1 : 0;
}

static bool
parse_time_arg(const char *s, hc_time_ms *out)
{
    return hc_time_parse_iso8601(s, strlen(s), out) ||
           hc_certlogic_parse_datetime(s, strlen(s), out);
}

static int
cmd_run(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_run, stdout);
        return 0;
    }
    hc_ruleset *rs = hc_ruleset_new();
    hc_valuesets *vs = hc_valuesets_new();
    hc_rules_external ext = { 0 };
    ext.clock_ms = hc_time_now();
    const char *input = NULL;
    bool as_json = false;
    char msg[512];
    int rc = 2;
    if (rs == NULL || vs == NULL) {
        goto done;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            as_json = true;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            if (input != NULL) {
                fprintf(stderr, "healthcert rules run: one DCC file only\n");
                goto done;
            }
            input = a;
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "healthcert rules run: %s needs a value\n\n%s", a, usage_run);
            goto done;
        }
        i++;
        if (strcmp(a, "--rules") == 0) {
            if (hc_ruleset_add_path(rs, v, msg, sizeof msg) != HC_OK) {
                fprintf(stderr, "healthcert rules run: rules: %s\n", msg);
                goto done;
            }
        } else if (strcmp(a, "--valuesets") == 0) {
            if (hc_valuesets_add_path(vs, v, msg, sizeof msg) != HC_OK) {
                fprintf(stderr, "healthcert rules run: value sets: %s\n", msg);
                goto done;
            }
        } else if (strcmp(a, "--country") == 0) {
            ext.country = v;
        } else if (strcmp(a, "--region") == 0) {
            ext.region = v;
        } else if (strcmp(a, "--issuer") == 0) {
            ext.issuer_country = v;
        } else if (strcmp(a, "--at") == 0 || strcmp(a, "--iat") == 0 || strcmp(a, "--exp") == 0) {
            hc_time_ms t;
            if (!parse_time_arg(v, &t)) {
                fprintf(stderr, "healthcert rules run: %s: not an ISO 8601 time: %s\n", a, v);
                goto done;
            }
            if (strcmp(a, "--at") == 0) {
                ext.clock_ms = t;
            } else if (strcmp(a, "--iat") == 0) {
                ext.has_iat = true;
                ext.iat_ms = t;
            } else {
                ext.has_exp = true;
                ext.exp_ms = t;
            }
        } else {
            fprintf(stderr, "healthcert rules run: unknown option %s\n\n%s", a, usage_run);
            goto done;
        }
    }
    if (input == NULL || ext.country == NULL || hc_ruleset_count(rs) == 0) {
        fputs(usage_run, stderr);
        goto done;
    }
    json_t *payload = NULL;
    rc = read_json(input, &payload);
    if (rc != 0) {
        goto done;
    }
    size_t n = hc_rules_evaluate(rs, vs, payload, &ext, NULL, 0);
    hc_rule_result *res = calloc(n > 0 ? n : 1, sizeof *res);
    if (res == NULL) {
        json_decref(payload);
        rc = 2;
        goto done;
    }
    hc_rules_evaluate(rs, vs, payload, &ext, res, n);
    json_decref(payload);
    rc = 0;
    json_t *arr = as_json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        if (res[i].outcome != HC_RULE_PASSED) {
            rc = 1;
        }
        if (arr != NULL) {
            json_array_append_new(arr,
                                  json_pack("{s:s, s:s, s:s, s:s, s:s}", "identifier",
                                            res[i].identifier, "version", res[i].version, "outcome",
                                            hc_rule_outcome_name(res[i].outcome), "description",
                                            res[i].description, "message", res[i].message));
        } else {
            printf("%-7s %s %s: %s%s%s\n", hc_rule_outcome_name(res[i].outcome), res[i].identifier,
                   res[i].version, res[i].description, res[i].message[0] != '\0' ? " -- " : "",
                   res[i].message);
        }
    }
    if (arr != NULL) {
        char *text = hc_certlogic_stringify(arr, RULES_MAX_OUTPUT);
        printf("%s\n", text != NULL ? text : "[]");
        free(text);
        json_decref(arr);
    } else if (n == 0) {
        printf("no rules of %s apply to this certificate\n", ext.country);
    }
    free(res);
done:
    hc_ruleset_free(rs);
    hc_valuesets_free(vs);
    return rc;
}

int
hc_cmd_rules(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0 || strcmp(sub, "help") == 0) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (strcmp(sub, "eval") == 0) {
        return cmd_eval(argc - 1, argv + 1);
    }
    if (strcmp(sub, "test") == 0) {
        return cmd_test(argc - 1, argv + 1);
    }
    if (strcmp(sub, "validate") == 0) {
        return cmd_validate(argc - 1, argv + 1);
    }
    if (strcmp(sub, "run") == 0) {
        return cmd_run(argc - 1, argv + 1);
    }
    fprintf(stderr, "healthcert rules: unknown subcommand '%s'\n\n%s", sub, usage_main);
    return 2;
}
