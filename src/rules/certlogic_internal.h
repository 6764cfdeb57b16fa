/*
 * certlogic_internal.h: the evaluator's value model, shared by the certlogic_*.c files only.
 *
 * Why an own value type instead of jansson values: CertLogic has date-times (JavaScript Date
 * objects in the reference implementation), which are neither JSON strings nor objects, and the
 * operators `===` and `in` compare arrays and objects by identity (JavaScript's strict equality),
 * which must be reproduced (two evaluations of the literal [1] are different arrays, two accesses
 * of the same data object are the same object). Values live in a per-evaluation arena that is
 * freed at once, so sharing needs no reference counting.
 *
 * Data from the caller is never copied: a string value points into the jansson string, an array
 * or object of the data is wrapped (CL_JSON) and walked in place.
 */
#ifndef HC_CERTLOGIC_INTERNAL_H
#define HC_CERTLOGIC_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "certlogic.h"

typedef enum cl_kind {
    CL_NULL,
    CL_BOOL,
    CL_NUM,  /* a JavaScript number: every JSON number, integer or not */
    CL_STR,  /* UTF-8 bytes, not NUL-terminated */
    CL_DATE, /* a date-time: Unix milliseconds */
    CL_JSON, /* an array or object of the data context (borrowed, walked in place) */
    CL_ARR,  /* an array made by the evaluation (array literal) */
    CL_OBJ,  /* an object made by the evaluation (reduce's {accumulator, current}) */
} cl_kind;

typedef struct cl_val cl_val;
struct cl_val {
    cl_kind kind;
    union {
        bool b;
        double num;
        hc_time_ms ms;
        struct {
            const char *p;
            size_t n;
        } str;
        const json_t *json;
        struct {
            cl_val **items;
            size_t n;
        } arr;
        struct {
            const char **keys;
            cl_val **vals;
            size_t n;
        } obj;
    } u;
};

/* Bump allocator: chunks freed together at the end of one evaluation, total bounded. */
typedef struct cl_chunk cl_chunk;
typedef struct cl_arena {
    cl_chunk *head;
    size_t used_total;
    size_t limit;
} cl_arena;

/* The state of one evaluation. The first error wins: once status != OK, evaluation unwinds. */
typedef struct cl_ctx {
    cl_arena arena;
    size_t steps;
    unsigned depth;
    hc_certlogic_status status;
    char msg[256];
} cl_ctx;

void hc_cl_arena_init(cl_arena *a, size_t limit);
void hc_cl_arena_free(cl_arena *a);
/* n bytes aligned for any value; NULL (and ctx status LIMIT/NOMEM) when it cannot. */
void *hc_cl_alloc(cl_ctx *ctx, size_t n);

/* Records the first error of the evaluation (printf-style message). Always returns NULL. */
cl_val *hc_cl_fail(cl_ctx *ctx, hc_certlogic_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Constructors (arena-allocated; null/true/false are shared constants). */
cl_val *hc_cl_null(void);
cl_val *hc_cl_bool(bool b);
cl_val *hc_cl_num(cl_ctx *ctx, double x);
cl_val *hc_cl_str(cl_ctx *ctx, const char *p, size_t n);
cl_val *hc_cl_date(cl_ctx *ctx, hc_time_ms ms);
/* The value of a JSON node of the data: scalars converted, arrays/objects wrapped. */
cl_val *hc_cl_from_json(cl_ctx *ctx, const json_t *j);

/* JavaScript's Number.isInteger. */
bool hc_cl_is_int(double x);
/* A JSON node that is a number which is an integer in JavaScript (42 and 42.0 alike). */
bool hc_cl_json_is_int(const json_t *j, double *out);

/* CertLogic truthiness (spec §"Truthy and falsy values"; certlogic-js internals.ts boolsiness):
 * 1 truthy, 0 falsy, -1 neither (date-times, for one). */
int hc_cl_boolsiness(const cl_val *v);

/* JavaScript strict equality (===): scalars by value, arrays/objects/dates by identity. */
bool hc_cl_strict_equal(const cl_val *a, const cl_val *b);

/* A new JSON value for v (dates as ISO strings); NULL and ctx status set on failure. */
json_t *hc_cl_to_json(cl_ctx *ctx, const cl_val *v);

/* Appends the JavaScript Number::toString form of x to buf (NUL-terminated; cap >= 32). */
void hc_cl_format_number(double x, char *buf, size_t cap);

/* How a JavaScript template literal `${v}` renders a JSON value (for certlogic-js's messages):
 * strings raw, arrays comma-joined, objects "[object Object]". Truncated to cap. */
void hc_cl_js_string(const json_t *v, char *buf, size_t cap);
void hc_cl_val_js_string(const cl_val *v, char *buf, size_t cap);

/* True when op is one of the 12 operators certlogic-js evaluates as "infix". */
bool hc_cl_is_infix_operator(const char *op);

#endif
