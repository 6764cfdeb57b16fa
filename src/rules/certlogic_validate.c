/*
 * certlogic_validate.c: validation of CertLogic expressions before evaluation.
 *
 * The spec (§Introduction) requires the evaluator to reject an invalid expression before
 * evaluating it: an unknown operator, or a known one whose operands do not follow the spec for it
 * (§Operations). The checks, their order and their messages follow certlogic-js's validator
 * (src/validation/format-validator.ts), which the official validation suite
 * (tests/vectors/certlogic/validation-testSuite) is written against: every issue is reported, depth
 * first, with the sub-expression it concerns. Two checks are ours: the nesting bound
 * (HC_CERTLOGIC_MAX_DEPTH, so that neither validation nor evaluation can exhaust the stack) and the
 * operand check of dccDateOfBirth (added to the spec in 1.3.0, after that validator was written).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "certlogic_internal.h"

typedef struct collector {
    hc_certlogic_issue *issues;
    size_t max;
    size_t count;
} collector;

static void issue(collector *c, const json_t *expr, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
issue(collector *c, const json_t *expr, const char *fmt, ...)
{
    if (c->count < c->max) {
        hc_certlogic_issue *is = &c->issues[c->count];
        is->expr = expr;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(is->message, sizeof is->message, fmt, ap);
        va_end(ap);
    }
    c->count++;
}

bool
hc_cl_is_infix_operator(const char *op)
{
    static const char *const infix[] = {
        "===", "and", "<", ">", "<=", ">=", "in", "+", "after", "before", "not-after", "not-before"
    };
    for (size_t i = 0; i < sizeof infix / sizeof infix[0]; i++) {
        if (strcmp(op, infix[i]) == 0) {
            return true;
        }
    }
    return false;
}

static bool
is_comparison(const char *op)
{
    return strcmp(op, "<") == 0 || strcmp(op, ">") == 0 || strcmp(op, "<=") == 0 ||
           strcmp(op, ">=") == 0 || strcmp(op, "after") == 0 || strcmp(op, "before") == 0 ||
           strcmp(op, "not-after") == 0 || strcmp(op, "not-before") == 0;
}

static void validate_rec(collector *c, const json_t *expr, unsigned depth);

/* Validates operands [0, n) of values, n capped at the array size. */
static void
validate_first(collector *c, const json_t *values, size_t n, unsigned depth)
{
    size_t size = json_array_size(values);
    for (size_t i = 0; i < n && i < size; i++) {
        validate_rec(c, json_array_get(values, i), depth + 1);
    }
}

/* certlogic-js: path === "" || /^([^\.]+?)(\.[^\.]+?)*$/ : non-empty fragments, single dots. */
static bool
valid_path(const char *p, size_t n)
{
    if (n == 0) {
        return true;
    }
    if (p[0] == '.' || p[n - 1] == '.') {
        return false;
    }
    for (size_t i = 1; i < n; i++) {
        if (p[i] == '.' && p[i - 1] == '.') {
            return false;
        }
    }
    return true;
}

static bool
is_time_unit(const json_t *v)
{
    if (!json_is_string(v)) {
        return false;
    }
    const char *s = json_string_value(v);
    return strcmp(s, "year") == 0 || strcmp(s, "month") == 0 || strcmp(s, "day") == 0 ||
           strcmp(s, "hour") == 0;
}

static void
validate_operation(collector *c, const json_t *expr, const char *op, const json_t *values,
                   unsigned depth)
{
    char shown[96];
    size_t n = json_array_size(values);
    if (strcmp(op, "if") == 0) {
        if (n != 3) {
            issue(c, expr,
                  "an \"if\"-operation must have exactly 3 values/operands, but it has %zu", n);
        }
        validate_first(c, values, 3, depth);
    } else if (hc_cl_is_infix_operator(op)) {
        size_t max = n;
        if (strcmp(op, "and") == 0) {
            if (n < 2) {
                issue(c, expr, "an \"and\" operation must have at least 2 operands, but it has %zu",
                      n);
            }
        } else if (is_comparison(op)) {
            max = 3;
            if (n < 2 || n > 3) {
                issue(c, expr,
                      "an operation with operator \"%s\" must have 2 or 3 operands, but it has %zu",
                      op, n);
            }
        } else {
            max = 2;
            if (n != 2) {
                issue(c, expr,
                      "an operation with operator \"%s\" must have 2 operands, but it has %zu", op,
                      n);
            }
        }
        validate_first(c, values, max, depth);
    } else if (strcmp(op, "!") == 0) {
        if (n == 1) {
            validate_first(c, values, 1, depth);
        } else {
            issue(
                c, expr,
                "a !-operation (logical not/negation) must have exactly 1 operand, but it has %zu",
                n);
        }
    } else if (strcmp(op, "plusTime") == 0) {
        if (n != 3) {
            issue(c, expr,
                  "a \"plusTime\"-operation must have exactly 3 values/operands, but it has %zu",
                  n);
        }
        validate_first(c, values, 1, depth);
        if (n > 1 && !hc_cl_json_is_int(json_array_get(values, 1), NULL)) {
            hc_cl_js_string(json_array_get(values, 1), shown, sizeof shown);
            issue(c, expr,
                  "\"amount\" argument (#2) of \"plusTime\" must be an integer, but it is: %s",
                  shown);
        }
        if (n > 2 && !is_time_unit(json_array_get(values, 2))) {
            hc_cl_js_string(json_array_get(values, 2), shown, sizeof shown);
            issue(c, expr,
                  "\"unit\" argument (#3) of \"plusTime\" must be a string equal to one of year, "
                  "month, day, hour, but it is: %s",
                  shown);
        }
    } else if (strcmp(op, "reduce") == 0) {
        if (n != 3) {
            issue(c, expr,
                  "a \"reduce\"-operation must have exactly 3 values/operands, but it has %zu", n);
        }
        validate_first(c, values, 3, depth);
    } else if (strcmp(op, "extractFromUVCI") == 0) {
        if (n != 2) {
            issue(c, expr,
                  "an \"extractFromUVCI\"-operation must have exactly 2 values/operands, but it "
                  "has %zu",
                  n);
        }
        validate_first(c, values, 1, depth);
        if (n > 1 && !hc_cl_json_is_int(json_array_get(values, 1), NULL)) {
            hc_cl_js_string(json_array_get(values, 1), shown, sizeof shown);
            issue(
                c, expr,
                "\"index\" argument (#2) of \"extractFromUVCI\" must be an integer, but it is: %s",
                shown);
        }
    } else if (strcmp(op, "dccDateOfBirth") == 0) {
        if (n != 1) {
            issue(
                c, expr,
                "a \"dccDateOfBirth\"-operation must have exactly 1 value/operand, but it has %zu",
                n);
        }
        validate_first(c, values, 1, depth);
    } else {
        issue(c, expr, "unrecognised operator: \"%s\"", op);
    }
}

static void
validate_rec(collector *c, const json_t *expr, unsigned depth)
{
    char shown[96];
    if (depth > HC_CERTLOGIC_MAX_DEPTH) {
        issue(c, expr, "expression is nested more than %u levels deep",
              (unsigned)HC_CERTLOGIC_MAX_DEPTH);
        return;
    }
    switch (json_typeof(expr)) {
    case JSON_STRING:
    case JSON_TRUE:
    case JSON_FALSE:
    case JSON_INTEGER: return;
    case JSON_REAL:
        /* JSON.parse gives 42.0 as the integer 42; only non-integral numbers are invalid. */
        if (!hc_cl_json_is_int(expr, NULL)) {
            hc_cl_js_string(expr, shown, sizeof shown);
            issue(c, expr, "%s is a non-integer number", shown);
        }
        return;
    case JSON_NULL: issue(c, expr, "invalid CertLogic expression"); return;
    case JSON_ARRAY:
        for (size_t i = 0; i < json_array_size(expr); i++) {
            validate_rec(c, json_array_get(expr, i), depth + 1);
        }
        return;
    case JSON_OBJECT: break;
    }
    size_t nkeys = json_object_size(expr);
    if (nkeys != 1) {
        issue(c, expr, "expression object must have exactly one key, but it has %zu", nkeys);
        return;
    }
    void *it = json_object_iter((json_t *)expr);
    const char *op = json_object_iter_key(it);
    const json_t *values = json_object_iter_value(it);
    if (strlen(op) != json_object_iter_key_len(it)) {
        /* A key with "\u0000" names no operator (it would compare equal to its prefix). */
        issue(c, expr, "unrecognised operator: \"%s\"", op);
        return;
    }
    if (strcmp(op, "var") == 0) {
        if (!json_is_string(values)) {
            issue(c, expr, "not of the form { \"var\": \"<path>\" }");
        } else if (!valid_path(json_string_value(values), json_string_length(values))) {
            issue(c, expr, "data access path doesn't have a valid format: %.160s",
                  json_string_value(values));
        }
        return;
    }
    if (!json_is_array(values)) {
        issue(c, expr, "operation not of the form { \"<operator>\": [ <values...> ] }");
        return;
    }
    validate_operation(c, expr, op, values, depth);
}

size_t
hc_certlogic_validate(const json_t *expr, hc_certlogic_issue *issues, size_t max)
{
    collector c = { issues, issues != NULL ? max : 0, 0 };
    if (expr == NULL) {
        issue(&c, NULL, "invalid CertLogic expression");
        return c.count;
    }
    validate_rec(&c, expr, 0);
    return c.count;
}
