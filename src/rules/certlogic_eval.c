/*
 * certlogic_eval.c: evaluation of validated CertLogic expressions (spec §Operations).
 *
 * Semantics, operation by operation, are those of the spec; where the spec leaves a detail open,
 * certlogic-js (src/evaluator.ts, src/internals.ts) decides, since the official suite is run
 * against it:
 *   - operands are evaluated in order and eagerly, except `if` (only the chosen branch) and `and`
 *     (stops at the first falsy operand; the last operand's value is returned unchecked);
 *   - type checks happen after the operands are evaluated ("Type mismatches can only be detected
 *     after evaluation of operands");
 *   - `===` and `in` use JavaScript strict equality (identity for arrays, objects, date-times);
 *   - numbers are JavaScript numbers (doubles): 42 and 42.0 are the same integer.
 * Every call of eval() is one step; depth, steps, reduce length and memory are bounded
 * (certlogic.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlogic_internal.h"
#include "hc_msg.h"

static cl_val *eval(cl_ctx *ctx, const json_t *expr, const cl_val *data);

/* ---- var (spec §"Data access") ---- */

/*
 * certlogic-js reads each path fragment with parseInt(fragment, 10): leading white space, an
 * optional sign and the longest run of digits; a fragment without digits is a property name. A
 * numeric fragment indexes arrays and names the property String(number) of objects ("01" reads
 * key "1", "2x" reads key "2").
 */
static bool
parse_index(const char *p, size_t n, double *out)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r' || p[i] == '\v' ||
                     p[i] == '\f')) {
        i++;
    }
    bool neg = false;
    if (i < n && (p[i] == '+' || p[i] == '-')) {
        neg = p[i] == '-';
        i++;
    }
    size_t start = i;
    double v = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9') {
        v = v * 10 + (p[i] - '0');
        i++;
    }
    if (i == start) {
        return false;
    }
    *out = neg ? -v : v;
    return true;
}

/* Where a var walk is: inside the caller's JSON data, or at a value made by the evaluation. */
typedef struct cursor {
    const json_t *json; /* non-NULL: at this JSON node */
    const cl_val *val;  /* else: at this value (NULL = JavaScript null/undefined) */
} cursor;

static cursor
step_into(cursor at, const char *frag, size_t n)
{
    cursor none = { NULL, NULL };
    double index = 0;
    bool numeric = parse_index(frag, n, &index);
    char key[40];
    const char *k = frag;
    size_t kn = n;
    if (numeric) {
        hc_cl_format_number(index, key, sizeof key);
        k = key;
        kn = strlen(key);
    }
    if (at.json == NULL && at.val != NULL && at.val->kind == CL_JSON) {
        at.json = at.val->u.json;
    }
    if (at.json != NULL) {
        if (json_is_object(at.json)) {
            const json_t *j = json_object_getn(at.json, k, kn);
            return (cursor){ j, NULL };
        }
        if (json_is_array(at.json) && numeric && index >= 0 &&
            index < (double)json_array_size(at.json)) {
            return (cursor){ json_array_get(at.json, (size_t)index), NULL };
        }
        /* Strings, numbers, booleans, null: no properties (see docs/rules.md on JavaScript's
         * String.prototype). */
        return none;
    }
    if (at.val == NULL) {
        return none;
    }
    if (at.val->kind == CL_ARR) {
        if (numeric && index >= 0 && index < (double)at.val->u.arr.n) {
            return (cursor){ NULL, at.val->u.arr.items[(size_t)index] };
        }
        return none;
    }
    if (at.val->kind == CL_OBJ) {
        for (size_t i = 0; i < at.val->u.obj.n; i++) {
            if (strlen(at.val->u.obj.keys[i]) == kn && memcmp(at.val->u.obj.keys[i], k, kn) == 0) {
                return (cursor){ NULL, at.val->u.obj.vals[i] };
            }
        }
    }
    return none;
}

static cl_val *
eval_var(cl_ctx *ctx, const json_t *path, const cl_val *data)
{
    if (!json_is_string(path)) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "not of the form { \"var\": \"<path>\" }");
    }
    const char *p = json_string_value(path);
    size_t n = json_string_length(path);
    if (n == 0) {
        return (cl_val *)data; /* "" is the whole data context */
    }
    cursor at = { NULL, data };
    size_t start = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || p[i] == '.') {
            at = step_into(at, p + start, i - start);
            if (at.json == NULL && at.val == NULL) {
                return hc_cl_null();
            }
            start = i + 1;
        }
    }
    return at.json != NULL ? hc_cl_from_json(ctx, at.json) : (cl_val *)at.val;
}

/* ---- helpers ---- */

static const char *
shown(const cl_val *v, char *buf, size_t cap)
{
    hc_cl_val_js_string(v, buf, cap);
    return buf;
}

static bool
is_array(const cl_val *v, size_t *n)
{
    if (v->kind == CL_ARR) {
        *n = v->u.arr.n;
        return true;
    }
    if (v->kind == CL_JSON && json_is_array(v->u.json)) {
        *n = json_array_size(v->u.json);
        return true;
    }
    return false;
}

/* Item i of an array value (is_array true). */
static cl_val *
array_item(cl_ctx *ctx, const cl_val *arr, size_t i)
{
    if (arr->kind == CL_ARR) {
        return arr->u.arr.items[i];
    }
    return hc_cl_from_json(ctx, json_array_get(arr->u.json, i));
}

/* a === j for an item j of a data array, without making a value for j (value sets are long). */
static bool
strict_equal_json(const cl_val *a, const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_NULL: return a->kind == CL_NULL;
    case JSON_TRUE: return a->kind == CL_BOOL && a->u.b;
    case JSON_FALSE: return a->kind == CL_BOOL && !a->u.b;
    case JSON_INTEGER: return a->kind == CL_NUM && a->u.num == (double)json_integer_value(j);
    case JSON_REAL: return a->kind == CL_NUM && a->u.num == json_real_value(j);
    case JSON_STRING:
        return a->kind == CL_STR && a->u.str.n == json_string_length(j) &&
               memcmp(a->u.str.p, json_string_value(j), a->u.str.n) == 0;
    case JSON_ARRAY:
    case JSON_OBJECT: return a->kind == CL_JSON && a->u.json == j;
    }
    return false;
}

/* ---- if, and, ! (spec §"If-then-else", §"Operations with infix operators", §"Negation") ---- */

static cl_val *
eval_if(cl_ctx *ctx, const json_t *values, const cl_val *data)
{
    char buf[96];
    cl_val *guard = eval(ctx, json_array_get(values, 0), data);
    if (guard == NULL) {
        return NULL;
    }
    switch (hc_cl_boolsiness(guard)) {
    case 1: return eval(ctx, json_array_get(values, 1), data);
    case 0: return eval(ctx, json_array_get(values, 2), data);
    default:
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "if-guard evaluates to something neither truthy, nor falsy: %s",
                          shown(guard, buf, sizeof buf));
    }
}

static cl_val *
eval_and(cl_ctx *ctx, const json_t *values, const cl_val *data)
{
    /* A left fold starting at true: a falsy accumulator is returned as is, a truthy one is
     * replaced by the next operand's value, anything else is an error. */
    cl_val *acc = hc_cl_bool(true);
    for (size_t i = 0; i < json_array_size(values); i++) {
        switch (hc_cl_boolsiness(acc)) {
        case 0: return acc;
        case 1:
            acc = eval(ctx, json_array_get(values, i), data);
            if (acc == NULL) {
                return NULL;
            }
            break;
        default:
            return hc_cl_fail(
                ctx, HC_CERTLOGIC_ERROR,
                "all operands of an \"and\" operation must be either truthy or falsy");
        }
    }
    return acc;
}

static cl_val *
eval_not(cl_ctx *ctx, const json_t *values, const cl_val *data)
{
    char buf[96];
    cl_val *v = eval(ctx, json_array_get(values, 0), data);
    if (v == NULL) {
        return NULL;
    }
    switch (hc_cl_boolsiness(v)) {
    case 0: return hc_cl_bool(true);
    case 1: return hc_cl_bool(false);
    default:
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "operand of ! evaluates to something neither truthy, nor falsy: %s",
                          shown(v, buf, sizeof buf));
    }
}

/* ---- the other infix operators ---- */

static bool
compare(const char *op, double l, double r)
{
    /* after/before/not-after/not-before are >, <, <=, >= on the time values. */
    if (strcmp(op, "<") == 0 || strcmp(op, "before") == 0) {
        return l < r;
    }
    if (strcmp(op, ">") == 0 || strcmp(op, "after") == 0) {
        return l > r;
    }
    if (strcmp(op, "<=") == 0 || strcmp(op, "not-after") == 0) {
        return l <= r;
    }
    return l >= r; /* ">=", "not-before" */
}

static cl_val *
eval_infix(cl_ctx *ctx, const char *op, const json_t *values, const cl_val *data)
{
    if (strcmp(op, "and") == 0) {
        return eval_and(ctx, values, data);
    }
    cl_val *args[3];
    size_t n = json_array_size(values);
    if (n < 2 || n > 3) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "wrong number of operands to \"%s\"", op);
    }
    for (size_t i = 0; i < n; i++) {
        args[i] = eval(ctx, json_array_get(values, i), data);
        if (args[i] == NULL) {
            return NULL;
        }
    }
    if (strcmp(op, "===") == 0) {
        return hc_cl_bool(hc_cl_strict_equal(args[0], args[1]));
    }
    if (strcmp(op, "in") == 0) {
        size_t len;
        if (!is_array(args[1], &len)) {
            return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                              "right-hand side of an \"in\" operation must be an array");
        }
        for (size_t i = 0; i < len; i++) {
            bool eq = args[1]->kind == CL_ARR
                          ? hc_cl_strict_equal(args[0], args[1]->u.arr.items[i])
                          : strict_equal_json(args[0], json_array_get(args[1]->u.json, i));
            if (eq) {
                return hc_cl_bool(true);
            }
        }
        return hc_cl_bool(false);
    }
    if (strcmp(op, "+") == 0) {
        if (args[0]->kind != CL_NUM || !hc_cl_is_int(args[0]->u.num) || args[1]->kind != CL_NUM ||
            !hc_cl_is_int(args[1]->u.num)) {
            return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                              "operands of this operation must both be integers");
        }
        return hc_cl_num(ctx, args[0]->u.num + args[1]->u.num);
    }
    bool on_dates = strcmp(op, "after") == 0 || strcmp(op, "before") == 0 ||
                    strcmp(op, "not-after") == 0 || strcmp(op, "not-before") == 0;
    double x[3];
    for (size_t i = 0; i < n; i++) {
        if (on_dates) {
            if (args[i]->kind != CL_DATE) {
                return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                                  "all operands of a date-time comparison must be date-times");
            }
            x[i] = (double)args[i]->u.ms;
        } else {
            if (args[i]->kind != CL_NUM || !hc_cl_is_int(args[i]->u.num)) {
                return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                                  "all operands of a comparison operation must be of integer type");
            }
            x[i] = args[i]->u.num;
        }
    }
    bool r = compare(op, x[0], x[1]) && (n == 2 || compare(op, x[1], x[2]));
    return hc_cl_bool(r);
}

/* ---- plusTime, dccDateOfBirth (spec §"Offset date-time", §"DCC Date of birth") ---- */

static cl_val *
eval_plus_time(cl_ctx *ctx, const json_t *values, const cl_val *data)
{
    char buf[96];
    double amount;
    /* Amount and unit are literals (checked by validation); only the date operand evaluates. */
    if (!hc_cl_json_is_int(json_array_get(values, 1), &amount)) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "\"amount\" argument (#2) of \"plusTime\" must be an integer");
    }
    const char *unit = json_string_value(json_array_get(values, 2));
    hc_certlogic_unit u;
    if (unit == NULL) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "\"unit\" argument (#3) of \"plusTime\" missing");
    } else if (strcmp(unit, "year") == 0) {
        u = HC_CERTLOGIC_YEAR;
    } else if (strcmp(unit, "month") == 0) {
        u = HC_CERTLOGIC_MONTH;
    } else if (strcmp(unit, "day") == 0) {
        u = HC_CERTLOGIC_DAY;
    } else if (strcmp(unit, "hour") == 0) {
        u = HC_CERTLOGIC_HOUR;
    } else {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "\"unit\" argument (#3) of \"plusTime\" must be a string with one of the "
                          "time units: year, month, day, hour");
    }
    cl_val *s = eval(ctx, json_array_get(values, 0), data);
    if (s == NULL) {
        return NULL;
    }
    if (s->kind != CL_STR) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "date argument of \"plusTime\" must be a string");
    }
    hc_time_ms t;
    if (!hc_certlogic_parse_datetime(s->u.str.p, s->u.str.n, &t)) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "not an allowed date or date-time format: %s",
                          shown(s, buf, sizeof buf));
    }
    /* Amounts beyond int64 leave the Date range whatever the date. */
    if (amount != 0 && (amount < -9.0e18 || amount > 9.0e18 ||
                        !hc_certlogic_plus_time(t, (int64_t)amount, u, &t))) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "plusTime result is outside the range of date-times: %s plus %.0f %s",
                          shown(s, buf, sizeof buf), amount, unit);
    }
    return hc_cl_date(ctx, t);
}

static cl_val *
eval_dob(cl_ctx *ctx, const json_t *values, const cl_val *data)
{
    char buf[96];
    cl_val *s = eval(ctx, json_array_get(values, 0), data);
    if (s == NULL) {
        return NULL;
    }
    if (s->kind != CL_STR) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "operand of \"dccDateOfBirth\" must be a string");
    }
    hc_time_ms t;
    if (!hc_certlogic_dcc_date_of_birth(s->u.str.p, s->u.str.n, &t)) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "can't parse \"%s\" as an EU DCC date-of-birth",
                          shown(s, buf, sizeof buf));
    }
    return hc_cl_date(ctx, t);
}

/* ---- reduce (spec §"Reduction") ---- */

static cl_val *
eval_reduce(cl_ctx *ctx, const json_t *values, const cl_val *data)
{
    cl_val *operand = eval(ctx, json_array_get(values, 0), data);
    if (operand == NULL) {
        return NULL;
    }
    size_t n;
    if (operand->kind == CL_NULL) {
        return eval(ctx, json_array_get(values, 2), data);
    }
    if (!is_array(operand, &n)) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "operand of reduce evaluated to a non-null non-array");
    }
    if (n > HC_CERTLOGIC_MAX_REDUCE) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_LIMIT,
                          "reduce operand has %zu items, more than the limit of %u", n,
                          (unsigned)HC_CERTLOGIC_MAX_REDUCE);
    }
    cl_val *acc = eval(ctx, json_array_get(values, 2), data);
    if (acc == NULL) {
        return NULL;
    }
    const json_t *lambda = json_array_get(values, 1);
    static const char *const keys[2] = { "accumulator", "current" };
    for (size_t i = 0; i < n; i++) {
        /* The lambda sees { "accumulator": ..., "current": ... } only: the spec's optional "data"
         * key (patched-reduce.json, marked skip) is not added, as in certlogic-js. */
        cl_val *lctx = hc_cl_alloc(ctx, sizeof *lctx);
        cl_val **vals = hc_cl_alloc(ctx, 2 * sizeof *vals);
        cl_val *current = array_item(ctx, operand, i);
        if (lctx == NULL || vals == NULL || current == NULL) {
            return NULL;
        }
        vals[0] = acc;
        vals[1] = current;
        lctx->kind = CL_OBJ;
        lctx->u.obj.keys = (const char **)keys;
        lctx->u.obj.vals = vals;
        lctx->u.obj.n = 2;
        acc = eval(ctx, lambda, lctx);
        if (acc == NULL) {
            return NULL;
        }
    }
    return acc;
}

/* ---- extractFromUVCI (spec §"Extract data from an UCI") ---- */

static cl_val *
eval_uvci(cl_ctx *ctx, const json_t *values, const cl_val *data)
{
    cl_val *s = eval(ctx, json_array_get(values, 0), data);
    if (s == NULL) {
        return NULL;
    }
    if (s->kind != CL_NULL && s->kind != CL_STR) {
        return hc_cl_fail(
            ctx, HC_CERTLOGIC_ERROR,
            "\"UVCI\" argument (#1) of \"extractFromUVCI\" must be either a string or "
            "null");
    }
    double index;
    if (!hc_cl_json_is_int(json_array_get(values, 1), &index)) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "\"index\" argument (#2) of \"extractFromUVCI\" must be an integer");
    }
    if (s->kind == CL_NULL || index < 0 || index > (double)INT64_MAX / 2) {
        return hc_cl_null();
    }
    const char *frag;
    size_t frag_len;
    if (!hc_certlogic_uvci_fragment(s->u.str.p, s->u.str.n, (int64_t)index, &frag, &frag_len)) {
        return hc_cl_null();
    }
    /* A view into the operand string: no copy needed. */
    return hc_cl_str(ctx, frag, frag_len);
}

/* ---- dispatch ---- */

static cl_val *
eval_array(cl_ctx *ctx, const json_t *expr, const cl_val *data)
{
    size_t n = json_array_size(expr);
    cl_val *v = hc_cl_alloc(ctx, sizeof *v);
    cl_val **items = hc_cl_alloc(ctx, (n > 0 ? n : 1) * sizeof *items);
    if (v == NULL || items == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        items[i] = eval(ctx, json_array_get(expr, i), data);
        if (items[i] == NULL) {
            return NULL;
        }
    }
    v->kind = CL_ARR;
    v->u.arr.items = items;
    v->u.arr.n = n;
    return v;
}

static cl_val *
eval_operation(cl_ctx *ctx, const json_t *expr, const cl_val *data)
{
    if (json_object_size(expr) != 1) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "unrecognised expression object encountered");
    }
    void *it = json_object_iter((json_t *)expr);
    const char *op = json_object_iter_key(it);
    const json_t *values = json_object_iter_value(it);
    if (strlen(op) != json_object_iter_key_len(it)) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "unrecognised operator: \"%s\"", op);
    }
    if (strcmp(op, "var") == 0) {
        return eval_var(ctx, values, data);
    }
    if (!json_is_array(values) || json_array_size(values) == 0) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR,
                          "operation not of the form { \"<operator>\": [ <values...> ] }");
    }
    if (strcmp(op, "if") == 0) {
        return eval_if(ctx, values, data);
    }
    if (hc_cl_is_infix_operator(op)) {
        return eval_infix(ctx, op, values, data);
    }
    if (strcmp(op, "!") == 0) {
        return eval_not(ctx, values, data);
    }
    if (strcmp(op, "plusTime") == 0) {
        return eval_plus_time(ctx, values, data);
    }
    if (strcmp(op, "reduce") == 0) {
        return eval_reduce(ctx, values, data);
    }
    if (strcmp(op, "extractFromUVCI") == 0) {
        return eval_uvci(ctx, values, data);
    }
    if (strcmp(op, "dccDateOfBirth") == 0) {
        return eval_dob(ctx, values, data);
    }
    return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "unrecognised operator: \"%s\"", op);
}

static cl_val *
eval(cl_ctx *ctx, const json_t *expr, const cl_val *data)
{
    if (ctx->status != HC_CERTLOGIC_OK) {
        return NULL;
    }
    if (++ctx->steps > HC_CERTLOGIC_MAX_STEPS) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_LIMIT, "evaluation takes more than %u steps",
                          (unsigned)HC_CERTLOGIC_MAX_STEPS);
    }
    if (expr == NULL) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "invalid CertLogic expression: missing operand");
    }
    double x;
    switch (json_typeof(expr)) {
    case JSON_STRING: return hc_cl_str(ctx, json_string_value(expr), json_string_length(expr));
    case JSON_TRUE: return hc_cl_bool(true);
    case JSON_FALSE: return hc_cl_bool(false);
    case JSON_INTEGER:
    case JSON_REAL:
        if (!hc_cl_json_is_int(expr, &x)) {
            return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "invalid CertLogic expression: %g",
                              json_number_value(expr));
        }
        return hc_cl_num(ctx, x);
    case JSON_NULL:
        return hc_cl_fail(ctx, HC_CERTLOGIC_ERROR, "invalid CertLogic expression: null");
    case JSON_ARRAY:
    case JSON_OBJECT: break;
    }
    if (ctx->depth >= HC_CERTLOGIC_MAX_DEPTH) {
        return hc_cl_fail(ctx, HC_CERTLOGIC_LIMIT, "expression is nested more than %u levels deep",
                          (unsigned)HC_CERTLOGIC_MAX_DEPTH);
    }
    ctx->depth++;
    cl_val *r = json_is_array(expr) ? eval_array(ctx, expr, data) : eval_operation(ctx, expr, data);
    ctx->depth--;
    return r;
}

/* ---- public entry ---- */

const char *
hc_certlogic_status_name(hc_certlogic_status st)
{
    switch (st) {
    case HC_CERTLOGIC_OK: return "ok";
    case HC_CERTLOGIC_INVALID: return "invalid";
    case HC_CERTLOGIC_ERROR: return "error";
    case HC_CERTLOGIC_LIMIT: return "limit";
    case HC_CERTLOGIC_NOMEM: return "nomem";
    }
    return "unknown";
}

hc_certlogic_status
hc_certlogic_evaluate(const json_t *expr, const json_t *data, json_t **result, char *msg,
                      size_t msg_len)
{
    hc_certlogic_issue issue;
    size_t n = hc_certlogic_validate(expr, &issue, 1);
    if (n > 0) {
        if (msg != NULL && msg_len > 0) {
            char where[80] = "";
            if (issue.expr != NULL) {
                char *text = hc_certlogic_stringify(issue.expr, 60);
                if (text != NULL) {
                    snprintf(where, sizeof where, " in %s", text);
                } else {
                    snprintf(where, sizeof where, " in a long sub-expression");
                }
                free(text);
            }
            snprintf(msg, msg_len, "invalid CertLogic expression: %s%s%s", issue.message, where,
                     n > 1 ? " (and more issues)" : "");
        }
        return HC_CERTLOGIC_INVALID;
    }
    cl_ctx *ctx = calloc(1, sizeof *ctx);
    if (ctx == NULL) {
        hc_msgf(msg, msg_len, "out of memory");
        return HC_CERTLOGIC_NOMEM;
    }
    hc_cl_arena_init(&ctx->arena, HC_CERTLOGIC_MAX_MEMORY);
    ctx->status = HC_CERTLOGIC_OK;
    json_t *out = NULL;
    cl_val *root = hc_cl_from_json(ctx, data);
    cl_val *v = root != NULL ? eval(ctx, expr, root) : NULL;
    if (v != NULL) {
        out = hc_cl_to_json(ctx, v);
    }
    hc_certlogic_status st = ctx->status;
    if (st == HC_CERTLOGIC_OK && out == NULL) {
        st = HC_CERTLOGIC_NOMEM;
        snprintf(ctx->msg, sizeof ctx->msg, "out of memory");
    }
    if (st == HC_CERTLOGIC_OK) {
        *result = out;
    } else {
        json_decref(out);
        hc_msgf(msg, msg_len, "%s", ctx->msg);
    }
    hc_cl_arena_free(&ctx->arena);
    free(ctx);
    return st;
}
