/*
 * fuzz_certlogic.c: libFuzzer target for the CertLogic engine and the rule loader (src/rules).
 *
 * Input: a JSON array [logic, data], or the logic and the data as two JSON texts split at the
 * first NUL byte. The input is refused above 64 KiB and above HC_CERTLOGIC_MAX_DEPTH + 8 levels
 * of brackets before jansson sees it: jansson's parser is recursive (bounded only at 2048 levels),
 * and deep inputs only re-test that bound. Then:
 *   - the logic is validated and evaluated against the data (all bounds of certlogic.h apply), the
 *     result printed JSON.stringify-style;
 *   - the logic is taken as a rule (or array of rules) and as value sets; when it loads as rules,
 *     they are selected and evaluated with the data as the DCC payload;
 *   - the raw logic text goes through the date-time, date-of-birth and UVCI primitives.
 * Invariants checked: evaluation gives a result exactly when it says OK, and the result prints.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlogic.h"
#include "ruleset.h"

#define FUZZ_MAX_INPUT (64 * 1024)
#define FUZZ_MAX_DEPTH (HC_CERTLOGIC_MAX_DEPTH + 8)

/* Nesting depth of brackets outside JSON strings; stops counting past the limit. */
static int
bracket_depth(const uint8_t *p, size_t n)
{
    int depth = 0, max = 0;
    bool in_string = false, escaped = false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (in_string) {
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max) {
                max = depth;
                if (max > FUZZ_MAX_DEPTH) {
                    return max;
                }
            }
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}

static json_t *
load(const uint8_t *p, size_t n)
{
    return json_loadb((const char *)p, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
}

static void
exercise_primitives(const uint8_t *p, size_t n)
{
    hc_time_ms t, r;
    char buf[40];
    const char *s = (const char *)p;
    size_t len = n < 64 ? n : 64;
    if (hc_certlogic_parse_datetime(s, len, &t)) {
        hc_certlogic_format_datetime(t, buf, sizeof buf);
        /* Amounts from the input's first bytes, both signs, every unit. */
        int64_t amount = (int64_t)(n > 0 ? p[0] : 0) * (n > 1 ? p[1] : 1) - 9000;
        for (int u = HC_CERTLOGIC_YEAR; u <= HC_CERTLOGIC_HOUR; u++) {
            if (hc_certlogic_plus_time(t, amount, (hc_certlogic_unit)u, &r)) {
                hc_certlogic_format_datetime(r, buf, sizeof buf);
            }
        }
    }
    if (hc_certlogic_dcc_date_of_birth(s, len, &t)) {
        hc_certlogic_format_datetime(t, buf, sizeof buf);
    }
    const char *frag;
    size_t flen;
    for (int64_t i = -1; i < 6; i++) {
        if (hc_certlogic_uvci_fragment(s, n, i, &frag, &flen) &&
            (frag < s || frag + flen > s + n)) {
            abort(); /* a fragment is a view into the input */
        }
    }
}

static void
exercise_rules(const json_t *logic, const json_t *data)
{
    char msg[256];
    (void)hc_rule_check(logic, msg, sizeof msg);
    hc_valuesets *vs = hc_valuesets_new();
    if (vs != NULL) {
        (void)hc_valuesets_add_json(vs, logic, msg, sizeof msg);
    }
    hc_ruleset *rs = hc_ruleset_new();
    if (rs != NULL && hc_ruleset_add_json(rs, logic, "fuzz", msg, sizeof msg) == HC_OK) {
        const hc_rule *first = hc_ruleset_get(rs, 0);
        hc_rules_external ext = { .country = first->country,
                                  .region = first->region,
                                  .clock_ms = first->valid_from,
                                  .issuer_country = first->country };
        hc_rule_result res[8];
        size_t count = hc_rules_evaluate(rs, vs, data, &ext, res, 8);
        for (size_t i = 0; i < count && i < 8; i++) {
            if (res[i].outcome != HC_RULE_PASSED && res[i].outcome != HC_RULE_FAILED &&
                res[i].outcome != HC_RULE_OPEN) {
                abort();
            }
        }
    }
    hc_ruleset_free(rs);
    hc_valuesets_free(vs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT || bracket_depth(data, size) > FUZZ_MAX_DEPTH) {
        return 0;
    }
    json_t *logic = NULL, *ctx = NULL, *pair = NULL;
    const uint8_t *nul = memchr(data, '\0', size);
    if (nul != NULL) {
        logic = load(data, (size_t)(nul - data));
        ctx = load(nul + 1, size - (size_t)(nul - data) - 1);
    } else {
        pair = load(data, size);
        if (json_is_array(pair) && json_array_size(pair) == 2) {
            logic = json_incref(json_array_get(pair, 0));
            ctx = json_incref(json_array_get(pair, 1));
        } else if (pair != NULL) {
            logic = json_incref(pair);
        }
    }
    exercise_primitives(data, nul != NULL ? (size_t)(nul - data) : size);
    if (logic != NULL) {
        hc_certlogic_issue issues[4];
        (void)hc_certlogic_validate(logic, issues, 4);
        json_t *result = NULL;
        char msg[256];
        hc_certlogic_status st = hc_certlogic_evaluate(logic, ctx, &result, msg, sizeof msg);
        if ((st == HC_CERTLOGIC_OK) != (result != NULL)) {
            abort();
        }
        if (result != NULL) {
            char *text = hc_certlogic_stringify(result, 1u << 20);
            free(text);
            json_decref(result);
        }
        exercise_rules(logic, ctx);
    }
    json_decref(logic);
    json_decref(ctx);
    json_decref(pair);
    return 0;
}
