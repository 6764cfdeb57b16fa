/*
 * certlogic_value.c: the evaluation arena and the value model (certlogic_internal.h): allocation,
 * constructors, truthiness and JavaScript strict equality.
 */
#include <math.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certlogic_internal.h"

struct cl_chunk {
    cl_chunk *next;
    size_t cap, used;
    alignas(max_align_t) unsigned char data[];
};

#define CL_CHUNK_SIZE (64u * 1024)

void
hc_cl_arena_init(cl_arena *a, size_t limit)
{
    a->head = NULL;
    a->used_total = 0;
    a->limit = limit;
}

void
hc_cl_arena_free(cl_arena *a)
{
    cl_chunk *c = a->head;
    while (c != NULL) {
        cl_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->used_total = 0;
}

void *
hc_cl_alloc(cl_ctx *ctx, size_t n)
{
    const size_t align = alignof(max_align_t);
    if (n > ctx->arena.limit) {
        hc_cl_fail(ctx, HC_CERTLOGIC_LIMIT, "evaluation needs more than %zu bytes of memory",
                   (size_t)ctx->arena.limit);
        return NULL;
    }
    n = (n + align - 1) / align * align;
    if (n == 0) {
        n = align;
    }
    cl_chunk *c = ctx->arena.head;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > CL_CHUNK_SIZE ? n : CL_CHUNK_SIZE;
        if (ctx->arena.used_total + cap > ctx->arena.limit) {
            hc_cl_fail(ctx, HC_CERTLOGIC_LIMIT, "evaluation needs more than %zu bytes of memory",
                       (size_t)ctx->arena.limit);
            return NULL;
        }
        c = malloc(sizeof *c + cap);
        if (c == NULL) {
            hc_cl_fail(ctx, HC_CERTLOGIC_NOMEM, "out of memory");
            return NULL;
        }
        c->cap = cap;
        c->used = 0;
        c->next = ctx->arena.head;
        ctx->arena.head = c;
        ctx->arena.used_total += cap;
    }
    void *p = c->data + c->used;
    c->used += n;
    return p;
}

cl_val *
hc_cl_fail(cl_ctx *ctx, hc_certlogic_status st, const char *fmt, ...)
{
    if (ctx->status == HC_CERTLOGIC_OK) {
        ctx->status = st;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ctx->msg, sizeof ctx->msg, fmt, ap);
        va_end(ap);
    }
    return NULL;
}

/* Shared constants: never modified, so sharing them between evaluations is safe. */
static cl_val cl_null_val = { .kind = CL_NULL };
static cl_val cl_true_val = { .kind = CL_BOOL, .u.b = true };
static cl_val cl_false_val = { .kind = CL_BOOL, .u.b = false };

cl_val *
hc_cl_null(void)
{
    return &cl_null_val;
}

cl_val *
hc_cl_bool(bool b)
{
    return b ? &cl_true_val : &cl_false_val;
}

static cl_val *
cl_new(cl_ctx *ctx, cl_kind kind)
{
    cl_val *v = hc_cl_alloc(ctx, sizeof *v);
    if (v != NULL) {
        v->kind = kind;
    }
    return v;
}

cl_val *
hc_cl_num(cl_ctx *ctx, double x)
{
    cl_val *v = cl_new(ctx, CL_NUM);
    if (v != NULL) {
        v->u.num = x;
    }
    return v;
}

cl_val *
hc_cl_str(cl_ctx *ctx, const char *p, size_t n)
{
    cl_val *v = cl_new(ctx, CL_STR);
    if (v != NULL) {
        v->u.str.p = p;
        v->u.str.n = n;
    }
    return v;
}

cl_val *
hc_cl_date(cl_ctx *ctx, hc_time_ms ms)
{
    cl_val *v = cl_new(ctx, CL_DATE);
    if (v != NULL) {
        v->u.ms = ms;
    }
    return v;
}

cl_val *
hc_cl_from_json(cl_ctx *ctx, const json_t *j)
{
    if (j == NULL) {
        return hc_cl_null();
    }
    switch (json_typeof(j)) {
    case JSON_NULL: return hc_cl_null();
    case JSON_TRUE: return hc_cl_bool(true);
    case JSON_FALSE: return hc_cl_bool(false);
    case JSON_INTEGER: return hc_cl_num(ctx, (double)json_integer_value(j));
    case JSON_REAL: return hc_cl_num(ctx, json_real_value(j));
    case JSON_STRING: return hc_cl_str(ctx, json_string_value(j), json_string_length(j));
    case JSON_ARRAY:
    case JSON_OBJECT: {
        cl_val *v = cl_new(ctx, CL_JSON);
        if (v != NULL) {
            v->u.json = j;
        }
        return v;
    }
    }
    return hc_cl_null();
}

bool
hc_cl_is_int(double x)
{
    /* Every double of magnitude 2^53 or more is an integer; below, the int64 round trip decides.
     * (No libm: the module links without -lm.) */
    if (!isfinite(x)) {
        return false;
    }
    if (x >= 9007199254740992.0 || x <= -9007199254740992.0) {
        return true;
    }
    return (double)(int64_t)x == x;
}

bool
hc_cl_json_is_int(const json_t *j, double *out)
{
    double x;
    if (json_is_integer(j)) {
        x = (double)json_integer_value(j);
    } else if (json_is_real(j)) {
        x = json_real_value(j);
    } else {
        return false;
    }
    if (!hc_cl_is_int(x)) {
        return false;
    }
    if (out != NULL) {
        *out = x;
    }
    return true;
}

int
hc_cl_boolsiness(const cl_val *v)
{
    switch (v->kind) {
    case CL_NULL: return 0;
    case CL_BOOL: return v->u.b ? 1 : 0;
    /* JavaScript: typeof "number" && value !== 0 is truthy, so non-integral numbers of the data
     * are truthy too (the spec only speaks of integers, which are the only number literals). */
    case CL_NUM: return v->u.num != 0 ? 1 : 0;
    case CL_STR: return v->u.str.n > 0 ? 1 : 0;
    /* certlogic-js isDictionary() excludes Date objects: a date-time is neither truthy nor falsy.
     */
    case CL_DATE: return -1;
    case CL_JSON:
        return json_is_array(v->u.json) ? (json_array_size(v->u.json) > 0 ? 1 : 0)
                                        : (json_object_size(v->u.json) > 0 ? 1 : 0);
    case CL_ARR: return v->u.arr.n > 0 ? 1 : 0;
    case CL_OBJ: return v->u.obj.n > 0 ? 1 : 0;
    }
    return -1;
}

bool
hc_cl_strict_equal(const cl_val *a, const cl_val *b)
{
    if (a == b) {
        return true;
    }
    if (a->kind != b->kind) {
        return false;
    }
    switch (a->kind) {
    case CL_NULL: return true;
    case CL_BOOL: return a->u.b == b->u.b;
    case CL_NUM: return a->u.num == b->u.num;
    case CL_STR: return a->u.str.n == b->u.str.n && memcmp(a->u.str.p, b->u.str.p, a->u.str.n) == 0;
    /* Two wrappers of the same data node are the same JavaScript object. */
    case CL_JSON: return a->u.json == b->u.json;
    /* Dates, made arrays and objects: identity only (a == b was checked above). */
    case CL_DATE:
    case CL_ARR:
    case CL_OBJ: return false;
    }
    return false;
}
