/*
 * json_schema.c: compile a JSON Schema document once into nodes, then validate instances with
 * them. See json_schema.h for the keyword list; section numbers below are JSON Schema 2020-12
 * (Core: draft-bhutton-json-schema-01, Validation: draft-bhutton-json-schema-validation-01).
 *
 * Invariants:
 * - compiled nodes live in one arena owned by hc_schema and are never written after compilation;
 *   each schema object of the document compiles to exactly one node (memoised by json_t pointer),
 *   so $ref cycles become pointer cycles, not infinite compilation;
 * - validation allocates nothing (except for "propertyNames", which needs the key as a json_t):
 *   the instance path is a stack of borrowed (key, length | index) segments in the caller's frame,
 *   turned into text only when a failure is reported;
 * - validation recursion is bounded by SC_MAX_DEPTH (a $ref cycle that does not descend into the
 *   instance, or a deep instance, fails instead of overflowing the stack);
 * - combinators (anyOf, oneOf, not, if, contains) run their branches "quietly" (no message); when
 *   all alternatives fail, the one that got furthest into the instance is run again to report its
 *   first failure, which is the most specific message a user can act on.
 */
#include "json_schema.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ecma_regex.h"
#include "schema_internal.h"

/* printf-style checking of our formatting helpers (and -Wformat-nonliteral stays quiet). */
#if defined(__GNUC__)
#define SC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SC_PRINTF(fmt, args)
#endif

#define SC_MAX_COMPILE_DEPTH 64    /* nesting of schema objects in the document */
#define SC_MAX_NODES         20000 /* schema objects in one document */
#define SC_MAX_DEPTH         256   /* validation recursion (schema levels applied) */
#define SC_MAX_PATH          64    /* instance path segments kept for messages */
#define SC_MAX_EQUAL_DEPTH   128   /* nesting compared by enum / const / uniqueItems */

/* Instance types as a bit set (2020-12 Validation §6.1.1). */
#define T_NULL    0x01u
#define T_BOOLEAN 0x02u
#define T_OBJECT  0x04u
#define T_ARRAY   0x08u
#define T_NUMBER  0x10u
#define T_INTEGER 0x20u
#define T_STRING  0x40u

/* Keywords present in a node. */
#define KW_FALSE    (1ull << 0) /* the boolean schema false (Core §4.3.2) */
#define KW_REF      (1ull << 1)
#define KW_TYPE     (1ull << 2)
#define KW_ENUM     (1ull << 3)
#define KW_CONST    (1ull << 4)
#define KW_MULTIPLE (1ull << 5)
#define KW_MAX      (1ull << 6)
#define KW_XMAX     (1ull << 7)
#define KW_MIN      (1ull << 8)
#define KW_XMIN     (1ull << 9)
#define KW_MAXLEN   (1ull << 10)
#define KW_MINLEN   (1ull << 11)
#define KW_PATTERN  (1ull << 12)
#define KW_FORMAT   (1ull << 13) /* only when formats are asserted */
#define KW_ITEMS    (1ull << 14)
#define KW_PREFIX   (1ull << 15)
#define KW_MAXITEMS (1ull << 16)
#define KW_MINITEMS (1ull << 17)
#define KW_UNIQUE   (1ull << 18)
#define KW_CONTAINS (1ull << 19)
#define KW_PROPS    (1ull << 20)
#define KW_PPROPS   (1ull << 21)
#define KW_ADDL     (1ull << 22)
#define KW_REQUIRED (1ull << 23)
#define KW_MAXPROPS (1ull << 24)
#define KW_MINPROPS (1ull << 25)
#define KW_DEPREQ   (1ull << 26)
#define KW_PNAMES   (1ull << 27)
#define KW_ALLOF    (1ull << 28)
#define KW_ANYOF    (1ull << 29)
#define KW_ONEOF    (1ull << 30)
#define KW_NOT      (1ull << 31)
#define KW_IF       (1ull << 32)

#define KW_STRING_MASK (KW_MAXLEN | KW_MINLEN | KW_PATTERN | KW_FORMAT)
#define KW_NUMBER_MASK (KW_MULTIPLE | KW_MAX | KW_XMAX | KW_MIN | KW_XMIN)
#define KW_ARRAY_MASK  (KW_ITEMS | KW_PREFIX | KW_MAXITEMS | KW_MINITEMS | KW_UNIQUE | KW_CONTAINS)
#define KW_ITER_MASK   (KW_PROPS | KW_PPROPS | KW_ADDL | KW_PNAMES) /* need a walk over the keys */
#define KW_OBJECT_MASK (KW_ITER_MASK | KW_REQUIRED | KW_MAXPROPS | KW_MINPROPS | KW_DEPREQ)
#define KW_APPLY_MASK  (KW_ALLOF | KW_ANYOF | KW_ONEOF | KW_NOT | KW_IF)

/* FMT_DATE_TIME_ISO: a date-time whose offset may also be ISO 8601's +hh or +hhmm
 * (HC_SCHEMA_ISO_OFFSETS). */
enum sc_format { FMT_NONE, FMT_DATE, FMT_DATE_TIME, FMT_TIME, FMT_DATE_TIME_ISO };

/* A number from the schema, kept exact when it is an integer. */
typedef struct sc_num {
    int is_int;
    json_int_t i;
    double d;
} sc_num;

typedef struct sc_node sc_node;

typedef struct sc_prop {
    const char *name;
    size_t len;
    uint32_t hash;
    const sc_node *node;
} sc_prop;

typedef struct sc_pprop {
    hc_regex *re;
    const char *src;
    const sc_node *node;
} sc_pprop;

typedef struct sc_req {
    const char *name;
    size_t len;
    int prop; /* index in the node's properties (< 64: tracked in the walk's bit set), or -1 */
} sc_req;

typedef struct sc_dep {
    const char *name; /* when this property is present ... */
    size_t len;
    sc_req *req; /* ... these are required */
    size_t nreq;
} sc_dep;

/*
 * anyOf/oneOf whose alternatives are all plain "required" lists differing in exactly one name
 * (the DCC root: oneOf required {ver, nam, dob, v|t|r}; person_name: anyOf required fnt|gnt).
 * Such a combinator is decided by counting the names present, and its failure is reported as
 * "must have exactly one of v, t, r" instead of a branch's "v: is required".
 */
typedef struct sc_alt {
    sc_req *common; /* names all alternatives require */
    size_t ncommon;
    sc_req *names; /* the one distinguishing name of each alternative */
    size_t nnames;
    char text[96]; /* "v, t, r" */
} sc_alt;

struct sc_node {
    uint64_t kw;
    int done; /* compilation of this node finished (its keywords are final) */
    unsigned types;
    int format;
    sc_num max, xmax, min, xmin, mult;
    size_t maxlen, minlen, maxitems, minitems, maxprops, minprops, mincontains, maxcontains;
    int has_maxcontains;
    hc_regex *pattern;
    const char *pattern_src;
    const sc_node *items; /* items after the prefix */
    const sc_node **prefix;
    size_t nprefix;
    const sc_node *contains;
    sc_prop *props;
    size_t nprops;
    uint16_t *ptab; /* open-addressing table of props index + 1 */
    uint32_t pmask;
    sc_pprop *pprops;
    size_t npprops;
    const sc_node *addl;
    sc_req *req;
    size_t nreq;
    sc_dep *deps;
    size_t ndeps;
    const sc_node *pnames;
    const sc_node **allof, **anyof, **oneof;
    size_t nallof, nanyof, noneof;
    const sc_alt *alt_any, *alt_one;
    const sc_node *not_, *if_, *then_, *else_;
    const sc_node *ref;
    const json_t *enums; /* array (owned copy) */
    const json_t *cst;   /* owned copy */
};

/* ------------------------------------------------------------------------------------------ */
/* Arena                                                                                       */

typedef struct sc_chunk {
    struct sc_chunk *next;
    size_t used, cap;
    max_align_t data[];
} sc_chunk;

struct hc_schema {
    sc_chunk *chunks;
    const sc_node *root;
    hc_regex **regexes;
    size_t nregex, capregex;
    json_t **jsons;
    size_t njson, capjson;
};

static void *
sc_alloc(hc_schema *s, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0) {
        n = align;
    }
    sc_chunk *c = s->chunks;
    if (c == NULL || c->cap - c->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        c = malloc(sizeof *c + cap);
        if (c == NULL) {
            return NULL;
        }
        c->next = s->chunks;
        c->used = 0;
        c->cap = cap;
        s->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

/* ------------------------------------------------------------------------------------------ */
/* Compilation                                                                                 */

typedef struct sc_memo {
    const json_t *json;
    sc_node *node;
} sc_memo;

typedef struct sc_comp {
    hc_schema *s;
    const json_t *doc;
    const char *base_id; /* the root "$id", so "<id>#/..." refers to this document */
    unsigned flags;
    int legacy; /* draft-04/06/07: $ref replaces its siblings, items may be an array */
    int draft4; /* boolean exclusiveMaximum / exclusiveMinimum */
    sc_memo *memo;
    size_t nmemo, capmemo;
    hc_err rc;
    char *err;
    size_t errlen;
    char loc[256]; /* JSON pointer of the keyword being compiled, for messages */
    size_t loclen;
} sc_comp;

SC_PRINTF(3, 4) static void *sc_comp_fail(sc_comp *c, hc_err rc, const char *fmt, ...)
{
    if (c->rc == HC_OK) {
        c->rc = rc;
        if (c->err != NULL && c->errlen > 0) {
            int n = snprintf(c->err, c->errlen, "at #%s: ", c->loc);
            if (n >= 0 && (size_t)n < c->errlen) {
                va_list ap;
                va_start(ap, fmt);
                vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
                va_end(ap);
            }
        }
    }
    return NULL;
}

/* Appends "/token" to the location (truncated silently: it is only for messages). */
static size_t
sc_loc_push(sc_comp *c, const char *token)
{
    size_t old = c->loclen;
    int n = snprintf(c->loc + old, sizeof c->loc - old, "/%s", token);
    if (n > 0) {
        c->loclen = old + (size_t)n < sizeof c->loc ? old + (size_t)n : sizeof c->loc - 1;
    }
    return old;
}

static size_t
sc_loc_push_index(sc_comp *c, size_t i)
{
    char tok[24];
    snprintf(tok, sizeof tok, "%zu", i);
    return sc_loc_push(c, tok);
}

static void
sc_loc_pop(sc_comp *c, size_t old)
{
    c->loclen = old;
    c->loc[old] = '\0';
}

static char *
sc_strdup(sc_comp *c, const char *str, size_t len)
{
    char *p = sc_alloc(c->s, len + 1);
    if (p == NULL) {
        return sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
    }
    memcpy(p, str, len);
    p[len] = '\0';
    return p;
}

static uint32_t
sc_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a: short keys, no adversarial table growth (fixed size) */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static const sc_node *sc_compile_node(sc_comp *c, const json_t *js, int depth);

/*
 * A finished node that holds only "$ref" means exactly its target: return the target instead,
 * so that validating a DCC field ("dn": {"$ref": "#/$defs/dose_posint"}) is one step, not two.
 * A node still being compiled (a $ref cycle) is kept: its keywords are not final yet. The hop
 * bound stops at pure $ref cycles, which validation then reports through its depth bound.
 */
static const sc_node *
sc_shortcut(const sc_node *n)
{
    for (int hops = 0; n != NULL && n->done && n->kw == KW_REF && hops < 16; hops++) {
        n = n->ref;
    }
    return n;
}

/* Compiles the subschema under keyword kw of obj (location kw). */
static const sc_node *
sc_sub(sc_comp *c, const json_t *js, const char *kw, int depth)
{
    size_t old = sc_loc_push(c, kw);
    const sc_node *n = sc_compile_node(c, js, depth + 1);
    sc_loc_pop(c, old);
    return n;
}

/* Compiles a non-empty array of subschemas (allOf, anyOf, oneOf, prefixItems). */
static const sc_node **
sc_sub_array(sc_comp *c, const json_t *arr, const char *kw, int depth, size_t *count)
{
    size_t old = sc_loc_push(c, kw);
    const sc_node **v = NULL;
    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be a non-empty array of schemas");
        goto done;
    }
    size_t n = json_array_size(arr);
    v = sc_alloc(c->s, n * sizeof *v);
    if (v == NULL) {
        sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        size_t o2 = sc_loc_push_index(c, i);
        v[i] = sc_compile_node(c, json_array_get(arr, i), depth + 1);
        sc_loc_pop(c, o2);
        if (v[i] == NULL) {
            v = NULL;
            goto done;
        }
    }
    *count = n;
done:
    sc_loc_pop(c, old);
    return v;
}

static int
sc_get_num(sc_comp *c, const json_t *js, const char *kw, sc_num *out)
{
    if (!json_is_number(js)) {
        size_t old = sc_loc_push(c, kw);
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be a number");
        sc_loc_pop(c, old);
        return -1;
    }
    out->is_int = json_is_integer(js);
    out->i = out->is_int ? json_integer_value(js) : 0;
    out->d = json_number_value(js);
    return 0;
}

/* A non-negative integer keyword value (an integral real such as 1.0 is accepted, §6 intro). */
static int
sc_get_count(sc_comp *c, const json_t *js, const char *kw, size_t *out)
{
    double d = json_is_number(js) ? json_number_value(js) : -1;
    if (!json_is_number(js) || d < 0 || d != floor(d) || d > 1e15) {
        size_t old = sc_loc_push(c, kw);
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be a non-negative integer");
        sc_loc_pop(c, old);
        return -1;
    }
    *out = json_is_integer(js) ? (size_t)json_integer_value(js) : (size_t)d;
    return 0;
}

static hc_regex *
sc_regex(sc_comp *c, const char *src, size_t len, const char *kw)
{
    char why[160];
    hc_regex *re = NULL;
    hc_err rc = hc_regex_compile(src, len, 0, &re, why, sizeof why);
    if (rc != HC_OK) {
        size_t old = sc_loc_push(c, kw);
        sc_comp_fail(c, rc == HC_ERR_NOMEM ? HC_ERR_NOMEM : HC_ERR_INVALID_ARG,
                     "pattern %s cannot be compiled: %s", src, why);
        sc_loc_pop(c, old);
        return NULL;
    }
    if (hc__schema_grow((void **)&c->s->regexes, &c->s->capregex, c->s->nregex + 1,
                        sizeof *c->s->regexes) != 0) {
        hc_regex_free(re);
        sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
        return NULL;
    }
    c->s->regexes[c->s->nregex++] = re;
    return re;
}

static const json_t *
sc_keep_json(sc_comp *c, const json_t *js)
{
    json_t *copy = json_deep_copy(js);
    if (copy == NULL || hc__schema_grow((void **)&c->s->jsons, &c->s->capjson, c->s->njson + 1,
                                        sizeof *c->s->jsons) != 0) {
        json_decref(copy);
        return sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
    }
    c->s->jsons[c->s->njson++] = copy;
    return copy;
}

/* A list of property names (required, dependentRequired): strings, no duplicates (§6.5.3). */
static sc_req *
sc_names(sc_comp *c, const json_t *arr, const char *kw, size_t *count)
{
    size_t old = sc_loc_push(c, kw);
    sc_req *r = NULL;
    if (!json_is_array(arr)) {
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be an array of strings");
        goto done;
    }
    size_t n = json_array_size(arr);
    r = sc_alloc(c->s, (n ? n : 1) * sizeof *r);
    if (r == NULL) {
        sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_array_get(arr, i);
        if (!json_is_string(e)) {
            sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be an array of strings");
            r = NULL;
            goto done;
        }
        r[i].len = json_string_length(e);
        r[i].name = sc_strdup(c, json_string_value(e), r[i].len);
        r[i].prop = -1;
        if (r[i].name == NULL) {
            r = NULL;
            goto done;
        }
    }
    *count = n;
done:
    sc_loc_pop(c, old);
    return r;
}

/* Resolves a $ref (Core §8.2.3.1) within this document: "#", "#/json/pointer" (RFC 6901 in its
 * URI fragment form, §6), optionally prefixed by the document's own $id. */
static const json_t *
sc_resolve(sc_comp *c, const char *ref)
{
    const char *frag = ref;
    size_t idlen = c->base_id ? strlen(c->base_id) : 0;
    if (idlen > 0 && strncmp(ref, c->base_id, idlen) == 0) {
        frag = ref + idlen;
        if (*frag == '\0') {
            return c->doc;
        }
    }
    if (frag[0] != '#') {
        return sc_comp_fail(c, HC_ERR_INVALID_ARG,
                            "$ref %s: only references into this document are supported", ref);
    }
    if (frag[1] == '\0') {
        return c->doc;
    }
    if (frag[1] != '/') {
        return sc_comp_fail(c, HC_ERR_INVALID_ARG, "$ref %s: anchors are not supported", ref);
    }
    const json_t *cur = c->doc;
    const char *p = frag + 1;
    char token[256];
    while (*p == '/') {
        p++;
        size_t n = 0;
        while (*p != '\0' && *p != '/') {
            int ch = (unsigned char)*p++;
            if (ch == '%') { /* percent-decoding of the URI fragment comes first (RFC 6901 §6) */
                int hi = p[0], lo = hi ? p[1] : 0;
                int vh = hi >= '0' && hi <= '9'   ? hi - '0'
                         : hi >= 'a' && hi <= 'f' ? hi - 'a' + 10
                         : hi >= 'A' && hi <= 'F' ? hi - 'A' + 10
                                                  : -1;
                int vl = lo >= '0' && lo <= '9'   ? lo - '0'
                         : lo >= 'a' && lo <= 'f' ? lo - 'a' + 10
                         : lo >= 'A' && lo <= 'F' ? lo - 'A' + 10
                                                  : -1;
                if (vh < 0 || vl < 0) {
                    return sc_comp_fail(c, HC_ERR_INVALID_ARG, "$ref %s: bad percent-encoding",
                                        ref);
                }
                ch = vh * 16 + vl;
                p += 2;
            }
            if (n + 1 >= sizeof token) {
                return sc_comp_fail(c, HC_ERR_INVALID_ARG, "$ref %s: token too long", ref);
            }
            token[n++] = (char)ch;
        }
        /* RFC 6901 §4: "~1" -> "/", then "~0" -> "~" (done in one pass left to right). */
        size_t w = 0;
        for (size_t i = 0; i < n; i++) {
            if (token[i] == '~' && i + 1 < n && (token[i + 1] == '0' || token[i + 1] == '1')) {
                token[w++] = token[i + 1] == '0' ? '~' : '/';
                i++;
            } else if (token[i] == '~') {
                return sc_comp_fail(c, HC_ERR_INVALID_ARG, "$ref %s: bad ~ escape", ref);
            } else {
                token[w++] = token[i];
            }
        }
        if (json_is_object(cur)) {
            cur = json_object_getn(cur, token, w);
        } else if (json_is_array(cur)) {
            size_t idx = 0;
            if (w == 0 || (w > 1 && token[0] == '0')) {
                cur = NULL;
            }
            for (size_t i = 0; cur != NULL && i < w; i++) {
                if (token[i] < '0' || token[i] > '9' || idx > 100000000) {
                    cur = NULL;
                } else {
                    idx = idx * 10 + (size_t)(token[i] - '0');
                }
            }
            cur = cur != NULL ? json_array_get(cur, idx) : NULL;
        } else {
            cur = NULL;
        }
        if (cur == NULL) {
            return sc_comp_fail(c, HC_ERR_INVALID_ARG, "$ref %s does not resolve", ref);
        }
    }
    return cur;
}

static unsigned
sc_type_bit(const char *name)
{
    static const struct {
        const char *name;
        unsigned bit;
    } types[] = { { "null", T_NULL },    { "boolean", T_BOOLEAN }, { "object", T_OBJECT },
                  { "array", T_ARRAY },  { "number", T_NUMBER },   { "integer", T_INTEGER },
                  { "string", T_STRING } };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(name, types[i].name) == 0) {
            return types[i].bit;
        }
    }
    return 0;
}

static int
sc_compile_type(sc_comp *c, sc_node *n, const json_t *t)
{
    size_t old = sc_loc_push(c, "type");
    int rc = 0;
    if (json_is_string(t)) {
        n->types = sc_type_bit(json_string_value(t));
    } else if (json_is_array(t) && json_array_size(t) > 0) {
        size_t i;
        const json_t *e;
        json_array_foreach(t, i, e)
        {
            unsigned b = json_is_string(e) ? sc_type_bit(json_string_value(e)) : 0;
            if (b == 0) {
                n->types = 0;
                break;
            }
            n->types |= b;
        }
    }
    if (n->types == 0) {
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must name JSON Schema types");
        rc = -1;
    }
    n->kw |= KW_TYPE;
    sc_loc_pop(c, old);
    return rc;
}

static int
sc_compile_properties(sc_comp *c, sc_node *n, const json_t *props, int depth)
{
    size_t old = sc_loc_push(c, "properties");
    int rc = -1;
    if (!json_is_object(props)) {
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be an object");
        goto done;
    }
    size_t count = json_object_size(props);
    if (count > 30000) {
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "too many properties");
        goto done;
    }
    uint32_t tab = 4;
    while (tab < count * 2) {
        tab *= 2;
    }
    n->props = sc_alloc(c->s, (count ? count : 1) * sizeof *n->props);
    n->ptab = sc_alloc(c->s, tab * sizeof *n->ptab);
    if (n->props == NULL || n->ptab == NULL) {
        sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
        goto done;
    }
    n->pmask = tab - 1;
    size_t i = 0;
    for (void *it = json_object_iter((json_t *)props); it != NULL;
         it = json_object_iter_next((json_t *)props, it), i++) {
        sc_prop *p = &n->props[i];
        p->len = json_object_iter_key_len(it);
        p->name = sc_strdup(c, json_object_iter_key(it), p->len);
        if (p->name == NULL) {
            goto done;
        }
        p->hash = sc_hash(p->name, p->len);
        size_t o2 = sc_loc_push(c, p->name);
        p->node = sc_shortcut(sc_compile_node(c, json_object_iter_value(it), depth + 1));
        sc_loc_pop(c, o2);
        if (p->node == NULL) {
            goto done;
        }
        uint32_t slot = p->hash & n->pmask;
        while (n->ptab[slot] != 0) {
            slot = (slot + 1) & n->pmask;
        }
        n->ptab[slot] = (uint16_t)(i + 1);
    }
    n->nprops = count;
    n->kw |= KW_PROPS;
    rc = 0;
done:
    sc_loc_pop(c, old);
    return rc;
}

static int
sc_prop_find(const sc_node *n, const char *key, size_t len)
{
    uint32_t h = sc_hash(key, len);
    for (uint32_t i = h & n->pmask;; i = (i + 1) & n->pmask) {
        uint16_t slot = n->ptab[i];
        if (slot == 0) {
            return -1;
        }
        const sc_prop *p = &n->props[slot - 1];
        if (p->hash == h && p->len == len) {
            /* Keys are 2-3 bytes in DCCs: a loop beats a memcmp call. */
            size_t k = 0;
            while (k < len && p->name[k] == key[k]) {
                k++;
            }
            if (k == len) {
                return slot - 1;
            }
        }
    }
}

static int
sc_compile_pattern_properties(sc_comp *c, sc_node *n, const json_t *pp, int depth)
{
    size_t old = sc_loc_push(c, "patternProperties");
    int rc = -1;
    if (!json_is_object(pp)) {
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be an object");
        goto done;
    }
    size_t count = json_object_size(pp), i = 0;
    n->pprops = sc_alloc(c->s, (count ? count : 1) * sizeof *n->pprops);
    if (n->pprops == NULL) {
        sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (void *it = json_object_iter((json_t *)pp); it != NULL;
         it = json_object_iter_next((json_t *)pp, it), i++) {
        size_t klen = json_object_iter_key_len(it);
        sc_pprop *p = &n->pprops[i];
        p->src = sc_strdup(c, json_object_iter_key(it), klen);
        if (p->src == NULL || (p->re = sc_regex(c, p->src, klen, p->src)) == NULL) {
            goto done;
        }
        size_t o2 = sc_loc_push(c, p->src);
        p->node = sc_compile_node(c, json_object_iter_value(it), depth + 1);
        sc_loc_pop(c, o2);
        if (p->node == NULL) {
            goto done;
        }
    }
    n->npprops = count;
    n->kw |= KW_PPROPS;
    rc = 0;
done:
    sc_loc_pop(c, old);
    return rc;
}

static int
sc_compile_dependent_required(sc_comp *c, sc_node *n, const json_t *deps, const char *kw)
{
    size_t old = sc_loc_push(c, kw);
    int rc = -1;
    if (!json_is_object(deps)) {
        sc_comp_fail(c, HC_ERR_INVALID_ARG, "must be an object");
        goto done;
    }
    size_t count = json_object_size(deps), i = 0;
    n->deps = sc_alloc(c->s, (count ? count : 1) * sizeof *n->deps);
    if (n->deps == NULL) {
        sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (void *it = json_object_iter((json_t *)deps); it != NULL;
         it = json_object_iter_next((json_t *)deps, it), i++) {
        sc_dep *d = &n->deps[i];
        d->len = json_object_iter_key_len(it);
        d->name = sc_strdup(c, json_object_iter_key(it), d->len);
        if (d->name == NULL) {
            goto done;
        }
        const json_t *v = json_object_iter_value(it);
        if (!json_is_array(v)) {
            /* draft-07 "dependencies" with a schema is dependentSchemas: not supported. */
            sc_comp_fail(c, HC_ERR_INVALID_ARG, "schema dependencies are not supported");
            goto done;
        }
        d->req = sc_names(c, v, d->name, &d->nreq);
        if (d->req == NULL) {
            goto done;
        }
    }
    n->ndeps = count;
    n->kw |= KW_DEPREQ;
    rc = 0;
done:
    sc_loc_pop(c, old);
    return rc;
}

/* Recognises alternatives that are plain "required" lists differing in one name each. */
static const sc_alt *
sc_make_alt(sc_comp *c, const sc_node *owner, const sc_node **br, size_t nbr)
{
    if (nbr < 2) {
        return NULL;
    }
    for (size_t i = 0; i < nbr; i++) {
        if (br[i]->kw != KW_REQUIRED) {
            return NULL;
        }
    }
    sc_alt *a = sc_alloc(c->s, sizeof *a);
    sc_req *common = sc_alloc(c->s, (br[0]->nreq ? br[0]->nreq : 1) * sizeof *common);
    sc_req *names = sc_alloc(c->s, nbr * sizeof *names);
    if (a == NULL || common == NULL || names == NULL) {
        return sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
    }
    /* common = names of branch 0 found in every branch */
    for (size_t k = 0; k < br[0]->nreq; k++) {
        const sc_req *r = &br[0]->req[k];
        int everywhere = 1;
        for (size_t i = 1; i < nbr && everywhere; i++) {
            int found = 0;
            for (size_t m = 0; m < br[i]->nreq; m++) {
                found |=
                    br[i]->req[m].len == r->len && memcmp(br[i]->req[m].name, r->name, r->len) == 0;
            }
            everywhere = found;
        }
        if (everywhere) {
            common[a->ncommon++] = *r;
        }
    }
    for (size_t i = 0; i < nbr; i++) {
        if (br[i]->nreq != a->ncommon + 1) {
            return NULL;
        }
        size_t own = 0;
        for (size_t m = 0; m < br[i]->nreq; m++) {
            int in_common = 0;
            for (size_t k = 0; k < a->ncommon; k++) {
                in_common |= common[k].len == br[i]->req[m].len &&
                             memcmp(common[k].name, br[i]->req[m].name, common[k].len) == 0;
            }
            if (!in_common) {
                names[i] = br[i]->req[m];
                names[i].prop = -1;
                own++;
            }
        }
        if (own != 1) {
            return NULL;
        }
        for (size_t j = 0; j < i; j++) {
            if (names[j].len == names[i].len &&
                memcmp(names[j].name, names[i].name, names[i].len) == 0) {
                return NULL; /* two branches with the same name: count semantics differ */
            }
        }
    }
    /* Names that are also properties of the owner are answered by its walk's bit set. */
    for (size_t k = 0; k < a->ncommon; k++) {
        common[k].prop = owner->nprops ? sc_prop_find(owner, common[k].name, common[k].len) : -1;
    }
    for (size_t i = 0; i < nbr; i++) {
        names[i].prop = owner->nprops ? sc_prop_find(owner, names[i].name, names[i].len) : -1;
    }
    a->common = common;
    a->names = names;
    a->nnames = nbr;
    size_t w = 0;
    for (size_t i = 0; i < nbr; i++) {
        int n = snprintf(a->text + w, sizeof a->text - w, "%s%s", i ? ", " : "", names[i].name);
        if (n < 0 || (size_t)n >= sizeof a->text - w) {
            return NULL; /* too long to print: keep the generic path */
        }
        w += (size_t)n;
    }
    return a;
}

/* Keywords whose meaning we do not implement: refusing them keeps a schema from being silently
 * weaker than written. */
static const char *const sc_refused[] = { "$dynamicRef", "$recursiveRef", "unevaluatedItems",
                                          "unevaluatedProperties", "dependentSchemas" };

static const sc_node *
sc_compile_object(sc_comp *c, sc_node *n, const json_t *js, int depth)
{
    const json_t *v;
    for (size_t i = 0; i < sizeof sc_refused / sizeof sc_refused[0]; i++) {
        if (json_object_get(js, sc_refused[i]) != NULL) {
            return sc_comp_fail(c, HC_ERR_INVALID_ARG, "keyword %s is not supported",
                                sc_refused[i]);
        }
    }
    if ((v = json_object_get(js, "$ref")) != NULL) {
        if (!json_is_string(v)) {
            return sc_comp_fail(c, HC_ERR_INVALID_ARG, "$ref must be a string");
        }
        const json_t *target = sc_resolve(c, json_string_value(v));
        if (target == NULL) {
            return NULL;
        }
        size_t old = sc_loc_push(c, "$ref");
        n->ref = sc_compile_node(c, target, depth + 1);
        sc_loc_pop(c, old);
        if (n->ref == NULL) {
            return NULL;
        }
        n->kw |= KW_REF;
        if (c->legacy) {
            return n; /* draft-07 §8.3: all other properties in a "$ref" object are ignored */
        }
    }
    if ((v = json_object_get(js, "type")) != NULL && sc_compile_type(c, n, v) != 0) {
        return NULL;
    }
    if ((v = json_object_get(js, "enum")) != NULL) {
        if (!json_is_array(v)) {
            return sc_comp_fail(c, HC_ERR_INVALID_ARG, "enum must be an array");
        }
        if ((n->enums = sc_keep_json(c, v)) == NULL) {
            return NULL;
        }
        n->kw |= KW_ENUM;
    }
    if ((v = json_object_get(js, "const")) != NULL) {
        if ((n->cst = sc_keep_json(c, v)) == NULL) {
            return NULL;
        }
        n->kw |= KW_CONST;
    }
    /* Numbers (Validation §6.2). */
    if ((v = json_object_get(js, "multipleOf")) != NULL) {
        if (sc_get_num(c, v, "multipleOf", &n->mult) != 0) {
            return NULL;
        }
        if (n->mult.d <= 0) {
            return sc_comp_fail(c, HC_ERR_INVALID_ARG, "multipleOf must be > 0");
        }
        n->kw |= KW_MULTIPLE;
    }
    if ((v = json_object_get(js, "maximum")) != NULL) {
        if (sc_get_num(c, v, "maximum", &n->max) != 0) {
            return NULL;
        }
        n->kw |= KW_MAX;
    }
    if ((v = json_object_get(js, "minimum")) != NULL) {
        if (sc_get_num(c, v, "minimum", &n->min) != 0) {
            return NULL;
        }
        n->kw |= KW_MIN;
    }
    if ((v = json_object_get(js, "exclusiveMaximum")) != NULL) {
        if (c->draft4 && json_is_boolean(v)) { /* draft-04 §5.1.2: a modifier of maximum */
            if (json_is_true(v) && (n->kw & KW_MAX)) {
                n->xmax = n->max;
                n->kw = (n->kw & ~KW_MAX) | KW_XMAX;
            }
        } else {
            if (sc_get_num(c, v, "exclusiveMaximum", &n->xmax) != 0) {
                return NULL;
            }
            n->kw |= KW_XMAX;
        }
    }
    if ((v = json_object_get(js, "exclusiveMinimum")) != NULL) {
        if (c->draft4 && json_is_boolean(v)) {
            if (json_is_true(v) && (n->kw & KW_MIN)) {
                n->xmin = n->min;
                n->kw = (n->kw & ~KW_MIN) | KW_XMIN;
            }
        } else {
            if (sc_get_num(c, v, "exclusiveMinimum", &n->xmin) != 0) {
                return NULL;
            }
            n->kw |= KW_XMIN;
        }
    }
    /* Strings (§6.3). */
    if ((v = json_object_get(js, "maxLength")) != NULL) {
        if (sc_get_count(c, v, "maxLength", &n->maxlen) != 0) {
            return NULL;
        }
        n->kw |= KW_MAXLEN;
    }
    if ((v = json_object_get(js, "minLength")) != NULL) {
        if (sc_get_count(c, v, "minLength", &n->minlen) != 0) {
            return NULL;
        }
        n->kw |= KW_MINLEN;
    }
    if ((v = json_object_get(js, "pattern")) != NULL) {
        if (!json_is_string(v)) {
            return sc_comp_fail(c, HC_ERR_INVALID_ARG, "pattern must be a string");
        }
        size_t len = json_string_length(v);
        n->pattern_src = sc_strdup(c, json_string_value(v), len);
        if (n->pattern_src == NULL ||
            (n->pattern = sc_regex(c, n->pattern_src, len, "pattern")) == NULL) {
            return NULL;
        }
        n->kw |= KW_PATTERN;
    }
    if ((v = json_object_get(js, "format")) != NULL && json_is_string(v)) {
        const char *f = json_string_value(v);
        n->format = strcmp(f, "date") == 0        ? FMT_DATE
                    : strcmp(f, "date-time") == 0 ? FMT_DATE_TIME
                    : strcmp(f, "time") == 0      ? FMT_TIME
                                                  : FMT_NONE;
        if (n->format == FMT_DATE_TIME && (c->flags & HC_SCHEMA_ISO_OFFSETS)) {
            n->format = FMT_DATE_TIME_ISO;
        }
        if (n->format != FMT_NONE && (c->flags & HC_SCHEMA_ASSERT_FORMAT)) {
            n->kw |= KW_FORMAT;
        }
    }
    /* Arrays (Core §10.3.1, Validation §6.4). */
    if ((v = json_object_get(js, "prefixItems")) != NULL) {
        if ((n->prefix = sc_sub_array(c, v, "prefixItems", depth, &n->nprefix)) == NULL) {
            return NULL;
        }
        n->kw |= KW_PREFIX;
    }
    if ((v = json_object_get(js, "items")) != NULL) {
        if (json_is_array(v)) {
            /* draft-07 §9.3.1.1 tuple form; additionalItems then covers the rest. */
            if ((n->prefix = sc_sub_array(c, v, "items", depth, &n->nprefix)) == NULL) {
                return NULL;
            }
            n->kw |= KW_PREFIX;
            const json_t *add = json_object_get(js, "additionalItems");
            if (add != NULL) {
                if ((n->items = sc_sub(c, add, "additionalItems", depth)) == NULL) {
                    return NULL;
                }
                n->kw |= KW_ITEMS;
            }
        } else {
            if ((n->items = sc_shortcut(sc_sub(c, v, "items", depth))) == NULL) {
                return NULL;
            }
            n->kw |= KW_ITEMS;
        }
    }
    if ((v = json_object_get(js, "maxItems")) != NULL) {
        if (sc_get_count(c, v, "maxItems", &n->maxitems) != 0) {
            return NULL;
        }
        n->kw |= KW_MAXITEMS;
    }
    if ((v = json_object_get(js, "minItems")) != NULL) {
        if (sc_get_count(c, v, "minItems", &n->minitems) != 0) {
            return NULL;
        }
        n->kw |= KW_MINITEMS;
    }
    if ((v = json_object_get(js, "uniqueItems")) != NULL && json_is_true(v)) {
        n->kw |= KW_UNIQUE;
    }
    if ((v = json_object_get(js, "contains")) != NULL) {
        if ((n->contains = sc_sub(c, v, "contains", depth)) == NULL) {
            return NULL;
        }
        n->kw |= KW_CONTAINS;
        n->mincontains = 1; /* §6.4.5: default 1 */
        if ((v = json_object_get(js, "minContains")) != NULL &&
            sc_get_count(c, v, "minContains", &n->mincontains) != 0) {
            return NULL;
        }
        if ((v = json_object_get(js, "maxContains")) != NULL) {
            if (sc_get_count(c, v, "maxContains", &n->maxcontains) != 0) {
                return NULL;
            }
            n->has_maxcontains = 1;
        }
    }
    /* Objects (Core §10.3.2, Validation §6.5). */
    if ((v = json_object_get(js, "properties")) != NULL &&
        sc_compile_properties(c, n, v, depth) != 0) {
        return NULL;
    }
    if ((v = json_object_get(js, "patternProperties")) != NULL &&
        sc_compile_pattern_properties(c, n, v, depth) != 0) {
        return NULL;
    }
    if ((v = json_object_get(js, "additionalProperties")) != NULL) {
        if ((n->addl = sc_sub(c, v, "additionalProperties", depth)) == NULL) {
            return NULL;
        }
        n->kw |= KW_ADDL;
    }
    if ((v = json_object_get(js, "propertyNames")) != NULL) {
        if ((n->pnames = sc_sub(c, v, "propertyNames", depth)) == NULL) {
            return NULL;
        }
        n->kw |= KW_PNAMES;
    }
    if ((v = json_object_get(js, "required")) != NULL) {
        if ((n->req = sc_names(c, v, "required", &n->nreq)) == NULL) {
            return NULL;
        }
        for (size_t i = 0; i < n->nreq; i++) {
            n->req[i].prop = n->nprops ? sc_prop_find(n, n->req[i].name, n->req[i].len) : -1;
        }
        n->kw |= KW_REQUIRED;
    }
    if ((v = json_object_get(js, "maxProperties")) != NULL) {
        if (sc_get_count(c, v, "maxProperties", &n->maxprops) != 0) {
            return NULL;
        }
        n->kw |= KW_MAXPROPS;
    }
    if ((v = json_object_get(js, "minProperties")) != NULL) {
        if (sc_get_count(c, v, "minProperties", &n->minprops) != 0) {
            return NULL;
        }
        n->kw |= KW_MINPROPS;
    }
    if ((v = json_object_get(js, "dependentRequired")) != NULL &&
        sc_compile_dependent_required(c, n, v, "dependentRequired") != 0) {
        return NULL;
    }
    if ((v = json_object_get(js, "dependencies")) != NULL && !(n->kw & KW_DEPREQ) &&
        sc_compile_dependent_required(c, n, v, "dependencies") != 0) {
        return NULL;
    }
    /* Applicators (Core §10.2). */
    if ((v = json_object_get(js, "allOf")) != NULL) {
        if ((n->allof = sc_sub_array(c, v, "allOf", depth, &n->nallof)) == NULL) {
            return NULL;
        }
        n->kw |= KW_ALLOF;
    }
    if ((v = json_object_get(js, "anyOf")) != NULL) {
        if ((n->anyof = sc_sub_array(c, v, "anyOf", depth, &n->nanyof)) == NULL) {
            return NULL;
        }
        n->alt_any = sc_make_alt(c, n, n->anyof, n->nanyof);
        n->kw |= KW_ANYOF;
    }
    if ((v = json_object_get(js, "oneOf")) != NULL) {
        if ((n->oneof = sc_sub_array(c, v, "oneOf", depth, &n->noneof)) == NULL) {
            return NULL;
        }
        n->alt_one = sc_make_alt(c, n, n->oneof, n->noneof);
        n->kw |= KW_ONEOF;
    }
    if ((v = json_object_get(js, "not")) != NULL) {
        if ((n->not_ = sc_sub(c, v, "not", depth)) == NULL) {
            return NULL;
        }
        n->kw |= KW_NOT;
    }
    if ((v = json_object_get(js, "if")) != NULL) {
        const json_t *t = json_object_get(js, "then"), *e = json_object_get(js, "else");
        if ((n->if_ = sc_sub(c, v, "if", depth)) == NULL ||
            (t != NULL && (n->then_ = sc_sub(c, t, "then", depth)) == NULL) ||
            (e != NULL && (n->else_ = sc_sub(c, e, "else", depth)) == NULL)) {
            return NULL;
        }
        n->kw |= KW_IF;
    }
    /* Definitions are compiled even when nothing refers to them, so that a pattern the engine
     * cannot run fails the compilation wherever it is written. */
    static const char *const defs_kw[] = { "$defs", "definitions" };
    for (size_t d = 0; d < 2; d++) {
        const json_t *defs = json_object_get(js, defs_kw[d]);
        if (!json_is_object(defs)) {
            continue;
        }
        size_t old = sc_loc_push(c, defs_kw[d]);
        for (void *it = json_object_iter((json_t *)defs); it != NULL && c->rc == HC_OK;
             it = json_object_iter_next((json_t *)defs, it)) {
            size_t o2 = sc_loc_push(c, json_object_iter_key(it));
            sc_compile_node(c, json_object_iter_value(it), depth + 1);
            sc_loc_pop(c, o2);
        }
        sc_loc_pop(c, old);
    }
    n->done = 1;
    return c->rc == HC_OK ? n : NULL;
}

static const sc_node *
sc_compile_node(sc_comp *c, const json_t *js, int depth)
{
    if (c->rc != HC_OK) {
        return NULL;
    }
    if (depth > SC_MAX_COMPILE_DEPTH) {
        return sc_comp_fail(c, HC_ERR_INVALID_ARG, "schema nested too deeply");
    }
    for (size_t i = 0; i < c->nmemo; i++) {
        if (c->memo[i].json == js) {
            return c->memo[i].node;
        }
    }
    if (!json_is_object(js) && !json_is_boolean(js)) {
        return sc_comp_fail(c, HC_ERR_INVALID_ARG, "a schema must be an object or a boolean");
    }
    if (c->nmemo >= SC_MAX_NODES) {
        return sc_comp_fail(c, HC_ERR_INVALID_ARG, "schema too large");
    }
    sc_node *n = sc_alloc(c->s, sizeof *n);
    if (n == NULL ||
        hc__schema_grow((void **)&c->memo, &c->capmemo, c->nmemo + 1, sizeof *c->memo) != 0) {
        return sc_comp_fail(c, HC_ERR_NOMEM, "out of memory");
    }
    /* Registered before its children so that a $ref cycle back to it finds it. */
    c->memo[c->nmemo].json = js;
    c->memo[c->nmemo].node = n;
    c->nmemo++;
    if (json_is_boolean(js)) {
        n->kw = json_is_false(js) ? KW_FALSE : 0;
        n->done = 1;
        return n;
    }
    return sc_compile_object(c, n, js, depth);
}

hc_err
hc_schema_compile(const json_t *doc, unsigned flags, hc_schema **out, char *err, size_t err_len)
{
    if (doc == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    *out = NULL;
    if (err != NULL && err_len > 0) {
        err[0] = '\0';
    }
    hc_schema *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return HC_ERR_NOMEM;
    }
    sc_comp c;
    memset(&c, 0, sizeof c);
    c.s = s;
    c.doc = doc;
    c.flags = flags;
    c.err = err;
    c.errlen = err_len;
    const json_t *v = json_object_get(doc, "$schema");
    if (json_is_string(v)) {
        const char *uri = json_string_value(v);
        c.draft4 = strstr(uri, "draft-04") != NULL;
        c.legacy = c.draft4 || strstr(uri, "draft-06") != NULL || strstr(uri, "draft-07") != NULL;
    }
    v = json_object_get(doc, "$id");
    if (!json_is_string(v)) {
        v = json_object_get(doc, "id"); /* draft-04 spelling */
    }
    c.base_id = json_is_string(v) ? json_string_value(v) : NULL;
    s->root = sc_compile_node(&c, doc, 0);
    free(c.memo);
    if (s->root == NULL || c.rc != HC_OK) {
        hc_err rc = c.rc != HC_OK ? c.rc : HC_ERR_INTERNAL;
        hc_schema_free(s);
        return rc;
    }
    *out = s;
    return HC_OK;
}

void
hc_schema_free(hc_schema *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->nregex; i++) {
        hc_regex_free(s->regexes[i]);
    }
    free(s->regexes);
    for (size_t i = 0; i < s->njson; i++) {
        json_decref(s->jsons[i]);
    }
    free(s->jsons);
    while (s->chunks != NULL) {
        sc_chunk *next = s->chunks->next;
        free(s->chunks);
        s->chunks = next;
    }
    free(s);
}

/* ------------------------------------------------------------------------------------------ */
/* Validation                                                                                  */

typedef struct sc_seg {
    const char *key; /* NULL for an array index */
    size_t len;      /* key length, or the index */
} sc_seg;

typedef struct sc_vctx {
    hc_schema_error *err; /* NULL while running quietly */
    int depth;
    int nseg;
    int fail_score; /* how far the last failure got: 2 x path depth, +1 unless a type mismatch */
    sc_seg seg[SC_MAX_PATH];
} sc_vctx;

static void
sc_push_key(sc_vctx *v, const char *key, size_t len)
{
    if (v->nseg < SC_MAX_PATH) {
        v->seg[v->nseg].key = key;
        v->seg[v->nseg].len = len;
    }
    v->nseg++;
}

static void
sc_push_index(sc_vctx *v, size_t i)
{
    if (v->nseg < SC_MAX_PATH) {
        v->seg[v->nseg].key = NULL;
        v->seg[v->nseg].len = i;
    }
    v->nseg++;
}

static void
sc_pop(sc_vctx *v)
{
    v->nseg--;
}

/* Appends to buf[*w..cap), always NUL-terminated; returns 0, or -1 when it did not fit. */
SC_PRINTF(4, 5) static int sc_append(char *buf, size_t cap, size_t *w, const char *fmt, ...)
{
    if (*w >= cap) {
        return -1;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *w, cap - *w, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap - *w) {
        *w = cap;
        return -1;
    }
    *w += (size_t)n;
    return 0;
}

static int
sc_plain_key(const char *k, size_t len)
{
    if (len == 0) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)k[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '$')) {
            return 0;
        }
    }
    return 1;
}

static void
sc_format_path(const sc_vctx *v, char *buf, size_t cap)
{
    size_t w = 0;
    buf[0] = '\0';
    int shown = v->nseg < SC_MAX_PATH ? v->nseg : SC_MAX_PATH;
    for (int i = 0; i < shown; i++) {
        const sc_seg *s = &v->seg[i];
        int rc;
        if (s->key == NULL) {
            rc = sc_append(buf, cap, &w, "[%zu]", s->len);
        } else if (sc_plain_key(s->key, s->len)) {
            rc = sc_append(buf, cap, &w, "%s%.*s", i ? "." : "", (int)s->len, s->key);
        } else {
            rc = sc_append(buf, cap, &w, "[\"%.*s\"]", (int)s->len, s->key);
        }
        if (rc != 0) {
            break;
        }
    }
    if (v->nseg > shown || w >= cap) {
        /* Cut: end with "..." so a reader knows the path is longer. */
        size_t end = w < cap ? w : cap - 1;
        if (end > cap - 4) {
            end = cap - 4;
        }
        memcpy(buf + end, "...", 4);
    }
}

/* Records a failure at the current path; formats it only when a caller wants the message. */
SC_PRINTF(2, 3) static int sc_fail(sc_vctx *v, const char *fmt, ...)
{
    v->fail_score = 2 * v->nseg + 1;
    if (v->err != NULL) {
        sc_format_path(v, v->err->path, sizeof v->err->path);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(v->err->message, sizeof v->err->message, fmt, ap);
        va_end(ap);
    }
    return 0;
}

static unsigned
sc_instance_type(const json_t *j)
{
    switch (json_typeof(j)) {
    case JSON_OBJECT: return T_OBJECT;
    case JSON_ARRAY: return T_ARRAY;
    case JSON_STRING: return T_STRING;
    case JSON_INTEGER: return T_INTEGER | T_NUMBER;
    case JSON_REAL: {
        /* §6.1.1 / Core §4.2.2: "integer" is any number with a zero fractional part. */
        double d = json_real_value(j);
        return T_NUMBER | (isfinite(d) && d == floor(d) ? T_INTEGER : 0);
    }
    case JSON_TRUE:
    case JSON_FALSE: return T_BOOLEAN;
    default: return T_NULL;
    }
}

static const char *
sc_type_names(unsigned types, char *buf, size_t cap)
{
    static const char *const names[] = { "null",   "boolean", "object", "array",
                                         "number", "integer", "string" };
    size_t w = 0;
    int first = 1;
    buf[0] = '\0';
    for (unsigned i = 0; i < 7; i++) {
        if (types & (1u << i)) {
            sc_append(buf, cap, &w, "%s%s", first ? "" : " or ", names[i]);
            first = 0;
        }
    }
    return buf;
}

/*
 * Compares an instance number with a schema number: <0, 0, >0. Integers compare exactly; an
 * integer against a fractional limit compares with the limit's floor, so no int64 -> double
 * rounding can let 2^53 + 1 pass a maximum of 2^53.
 */
static int
sc_num_cmp(const json_t *j, const sc_num *lim)
{
    if (json_is_integer(j)) {
        json_int_t x = json_integer_value(j);
        if (lim->is_int) {
            return (x > lim->i) - (x < lim->i);
        }
        double f = floor(lim->d);
        if (f >= 9223372036854775808.0) {
            return -1;
        }
        if (f < -9223372036854775808.0) {
            return 1;
        }
        json_int_t fi = (json_int_t)f;
        if (x != fi) {
            return (x > fi) - (x < fi);
        }
        return f == lim->d ? 0 : -1;
    }
    double x = json_number_value(j), l = lim->is_int ? (double)lim->i : lim->d;
    return (x > l) - (x < l);
}

static const char *
sc_num_str(const sc_num *n, char *buf, size_t cap)
{
    if (n->is_int) {
        snprintf(buf, cap, "%" JSON_INTEGER_FORMAT, n->i);
    } else {
        snprintf(buf, cap, "%.17g", n->d);
    }
    return buf;
}

/* JSON value equality for enum / const / uniqueItems (Core §4.2.2: numbers compare by value). */
static int
sc_equal(const json_t *a, const json_t *b, int depth)
{
    if (depth > SC_MAX_EQUAL_DEPTH) {
        return 0;
    }
    if (json_is_number(a) && json_is_number(b)) {
        if (json_is_integer(a) && json_is_integer(b)) {
            return json_integer_value(a) == json_integer_value(b);
        }
        if (json_is_integer(b)) {
            const json_t *t = a;
            a = b;
            b = t;
        }
        if (json_is_integer(a)) {
            sc_num lim = { 0, 0, json_real_value(b) };
            return sc_num_cmp(a, &lim) == 0;
        }
        return json_real_value(a) == json_real_value(b);
    }
    if (json_typeof(a) != json_typeof(b)) {
        return 0;
    }
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_ARRAY: {
        size_t n = json_array_size(a);
        if (n != json_array_size(b)) {
            return 0;
        }
        for (size_t i = 0; i < n; i++) {
            if (!sc_equal(json_array_get(a, i), json_array_get(b, i), depth + 1)) {
                return 0;
            }
        }
        return 1;
    }
    case JSON_OBJECT: {
        if (json_object_size(a) != json_object_size(b)) {
            return 0;
        }
        for (void *it = json_object_iter((json_t *)a); it != NULL;
             it = json_object_iter_next((json_t *)a, it)) {
            const json_t *o =
                json_object_getn(b, json_object_iter_key(it), json_object_iter_key_len(it));
            if (o == NULL || !sc_equal(json_object_iter_value(it), o, depth + 1)) {
                return 0;
            }
        }
        return 1;
    }
    default: return 1; /* true, false, null: same type is same value */
    }
}

/* ---- format (Validation §7.3.1, RFC 3339 §5.6) ---- */

static int
sc_digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* RFC 3339 full-date = date-fullyear "-" date-month "-" date-mday, with the days of each month
 * (§5.7, leap years per the Gregorian rule in Appendix C). */
static int
sc_is_date(const char *s, size_t len)
{
    if (len != 10 || s[4] != '-' || s[7] != '-') {
        return 0;
    }
    int y = sc_digits(s, 4), m = sc_digits(s + 5, 2), d = sc_digits(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1) {
        return 0;
    }
    static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* RFC 3339 full-time = partial-time time-offset; a leap second (60) is accepted on any day. With
 * iso, the offset may also be ISO 8601's basic "+hh" or "+hhmm" (ISO 8601-1:2019 §4.3.13). */
static int
sc_is_time(const char *s, size_t len, int iso)
{
    if (len < 9 || s[2] != ':' || s[5] != ':') {
        return 0;
    }
    int h = sc_digits(s, 2), mi = sc_digits(s + 3, 2), se = sc_digits(s + 6, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) {
        return 0;
    }
    size_t i = 8;
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
        }
        if (i == start) {
            return 0;
        }
    }
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        return i + 1 == len;
    }
    if (i < len && (s[i] == '+' || s[i] == '-') && len - i == 6 && s[i + 3] == ':') {
        int oh = sc_digits(s + i + 1, 2), om = sc_digits(s + i + 4, 2);
        return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
    }
    if (iso && i < len && (s[i] == '+' || s[i] == '-') && (len - i == 3 || len - i == 5)) {
        int oh = sc_digits(s + i + 1, 2), om = len - i == 5 ? sc_digits(s + i + 3, 2) : 0;
        return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
    }
    return 0;
}

static int
sc_check_format(int fmt, const char *s, size_t len)
{
    switch (fmt) {
    case FMT_DATE: return sc_is_date(s, len);
    case FMT_TIME: return sc_is_time(s, len, 0);
    case FMT_DATE_TIME:
    case FMT_DATE_TIME_ISO:
        return len > 11 && (s[10] == 'T' || s[10] == 't') && sc_is_date(s, 10) &&
               sc_is_time(s + 11, len - 11, fmt == FMT_DATE_TIME_ISO);
    default: return 1;
    }
}

/* ---- the walk ---- */

static int sc_validate(sc_vctx *v, const sc_node *n, const json_t *j);

/* Runs n without recording a message; returns its verdict (fail_score says how far it got). */
static int
sc_quiet(sc_vctx *v, const sc_node *n, const json_t *j)
{
    hc_schema_error *save = v->err;
    v->err = NULL;
    int ok = sc_validate(v, n, j);
    v->err = save;
    return ok;
}

static size_t
sc_code_points(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += ((unsigned char)s[i] & 0xC0) != 0x80; /* count every byte that starts a sequence */
    }
    return n;
}

static int
sc_validate_string(sc_vctx *v, const sc_node *n, const json_t *j)
{
    const char *s = json_string_value(j);
    size_t len = json_string_length(j);
    uint64_t kw = n->kw;
    if (kw & (KW_MAXLEN | KW_MINLEN)) {
        /* §6.3.1: length in characters (code points), not bytes. A byte count already inside
         * both bounds needs no decoding: code points <= bytes. */
        size_t cps = len;
        if (((kw & KW_MAXLEN) && len > n->maxlen) || (kw & KW_MINLEN)) {
            cps = sc_code_points(s, len);
        }
        if ((kw & KW_MAXLEN) && cps > n->maxlen) {
            return sc_fail(v, "must have at most %zu character%s", n->maxlen,
                           n->maxlen == 1 ? "" : "s");
        }
        if ((kw & KW_MINLEN) && cps < n->minlen) {
            return sc_fail(v, "must have at least %zu character%s", n->minlen,
                           n->minlen == 1 ? "" : "s");
        }
    }
    if (kw & KW_PATTERN) {
        int m = hc_regex_match(n->pattern, s, len);
        if (m < 0) {
            return sc_fail(v, "pattern %s could not be run (out of memory)", n->pattern_src);
        }
        if (m == 0) {
            return sc_fail(v, "does not match %s", n->pattern_src);
        }
    }
    if ((kw & KW_FORMAT) && !sc_check_format(n->format, s, len)) {
        return sc_fail(v, "is not a valid %s (RFC 3339)",
                       n->format == FMT_DATE   ? "date"
                       : n->format == FMT_TIME ? "time"
                                               : "date-time");
    }
    return 1;
}

static int
sc_validate_number(sc_vctx *v, const sc_node *n, const json_t *j)
{
    uint64_t kw = n->kw;
    char b[32];
    if (kw & KW_MULTIPLE) {
        int ok;
        if (json_is_integer(j) && n->mult.is_int) {
            ok = n->mult.i == -1 || json_integer_value(j) % n->mult.i == 0;
        } else {
            double q = json_number_value(j) / n->mult.d;
            ok = isfinite(q) && q == floor(q);
        }
        if (!ok) {
            return sc_fail(v, "must be a multiple of %s", sc_num_str(&n->mult, b, sizeof b));
        }
    }
    if ((kw & KW_MAX) && sc_num_cmp(j, &n->max) > 0) {
        return sc_fail(v, "must be <= %s", sc_num_str(&n->max, b, sizeof b));
    }
    if ((kw & KW_XMAX) && sc_num_cmp(j, &n->xmax) >= 0) {
        return sc_fail(v, "must be < %s", sc_num_str(&n->xmax, b, sizeof b));
    }
    if ((kw & KW_MIN) && sc_num_cmp(j, &n->min) < 0) {
        return sc_fail(v, "must be >= %s", sc_num_str(&n->min, b, sizeof b));
    }
    if ((kw & KW_XMIN) && sc_num_cmp(j, &n->xmin) <= 0) {
        return sc_fail(v, "must be > %s", sc_num_str(&n->xmin, b, sizeof b));
    }
    return 1;
}

static int
sc_validate_array(sc_vctx *v, const sc_node *n, const json_t *j)
{
    uint64_t kw = n->kw;
    size_t size = json_array_size(j);
    if ((kw & KW_MINITEMS) && size < n->minitems) {
        return sc_fail(v, "must have at least %zu item%s", n->minitems,
                       n->minitems == 1 ? "" : "s");
    }
    if ((kw & KW_MAXITEMS) && size > n->maxitems) {
        return sc_fail(v, "must have at most %zu item%s", n->maxitems, n->maxitems == 1 ? "" : "s");
    }
    if (kw & KW_UNIQUE) {
        for (size_t a = 0; a < size; a++) {
            for (size_t b = a + 1; b < size; b++) {
                if (sc_equal(json_array_get(j, a), json_array_get(j, b), 0)) {
                    return sc_fail(v, "must not contain equal items ([%zu] and [%zu])", a, b);
                }
            }
        }
    }
    size_t i = 0;
    if (kw & KW_PREFIX) {
        for (; i < size && i < n->nprefix; i++) {
            sc_push_index(v, i);
            int ok = sc_validate(v, n->prefix[i], json_array_get(j, i));
            sc_pop(v);
            if (!ok) {
                return 0;
            }
        }
    }
    if (kw & KW_ITEMS) {
        for (; i < size; i++) {
            sc_push_index(v, i);
            int ok = sc_validate(v, n->items, json_array_get(j, i));
            sc_pop(v);
            if (!ok) {
                return 0;
            }
        }
    }
    if (kw & KW_CONTAINS) {
        size_t count = 0;
        for (size_t k = 0; k < size; k++) {
            count += (size_t)sc_quiet(v, n->contains, json_array_get(j, k));
        }
        if (count < n->mincontains) {
            return sc_fail(v, "must contain at least %zu matching item%s", n->mincontains,
                           n->mincontains == 1 ? "" : "s");
        }
        if (n->has_maxcontains && count > n->maxcontains) {
            return sc_fail(v, "must contain at most %zu matching item%s", n->maxcontains,
                           n->maxcontains == 1 ? "" : "s");
        }
    }
    return 1;
}

static int
sc_has(const json_t *j, const sc_req *r, uint64_t seen, int walked)
{
    if (walked && r->prop >= 0 && r->prop < 64) {
        return (int)((seen >> r->prop) & 1u);
    }
    return json_object_getn(j, r->name, r->len) != NULL;
}

static int
sc_fail_required(sc_vctx *v, const sc_req *r, const char *why)
{
    sc_push_key(v, r->name, r->len);
    sc_fail(v, "is required%s", why);
    sc_pop(v);
    return 0;
}

/* seen/walked report which declared properties the walk found, for the combinators. */
static int
sc_validate_object(sc_vctx *v, const sc_node *n, const json_t *j, uint64_t *seen_out,
                   int *walked_out)
{
    uint64_t kw = n->kw;
    if (kw & (KW_MINPROPS | KW_MAXPROPS)) {
        size_t size = json_object_size(j);
        if ((kw & KW_MINPROPS) && size < n->minprops) {
            return sc_fail(v, "must have at least %zu propert%s", n->minprops,
                           n->minprops == 1 ? "y" : "ies");
        }
        if ((kw & KW_MAXPROPS) && size > n->maxprops) {
            return sc_fail(v, "must have at most %zu propert%s", n->maxprops,
                           n->maxprops == 1 ? "y" : "ies");
        }
    }
    /* One walk over the instance's members applies properties, patternProperties,
     * additionalProperties and propertyNames, and notes which declared properties are present
     * (bit set, first 64) so that "required" needs no lookups. */
    uint64_t seen = 0;
    int walked = (kw & KW_ITER_MASK) != 0;
    if (walked) {
        json_t *obj = (json_t *)j; /* jansson's iterator API is not const-qualified */
        for (void *it = json_object_iter(obj); it != NULL; it = json_object_iter_next(obj, it)) {
            const char *key = json_object_iter_key(it);
            size_t klen = json_object_iter_key_len(it);
            const json_t *val = json_object_iter_value(it);
            int matched = 0, ok = 1;
            sc_push_key(v, key, klen);
            if (n->nprops > 0) {
                int idx = sc_prop_find(n, key, klen);
                if (idx >= 0) {
                    matched = 1;
                    if (idx < 64) {
                        seen |= (uint64_t)1 << idx;
                    }
                    ok = sc_validate(v, n->props[idx].node, val);
                }
            }
            for (size_t p = 0; ok && p < n->npprops; p++) {
                int m = hc_regex_match(n->pprops[p].re, key, klen);
                if (m < 0) {
                    ok = sc_fail(v, "pattern %s could not be run", n->pprops[p].src);
                } else if (m > 0) {
                    matched = 1;
                    ok = sc_validate(v, n->pprops[p].node, val);
                }
            }
            if (ok && !matched && (kw & KW_ADDL)) {
                ok = sc_validate(v, n->addl, val);
            }
            if (ok && (kw & KW_PNAMES)) {
                json_t *name = json_stringn_nocheck(key, klen);
                ok = name != NULL ? sc_validate(v, n->pnames, name)
                                  : sc_fail(v, "out of memory checking the property name");
                json_decref(name);
            }
            sc_pop(v);
            if (!ok) {
                return 0;
            }
        }
    }
    if (kw & KW_REQUIRED) {
        for (size_t i = 0; i < n->nreq; i++) {
            if (!sc_has(j, &n->req[i], seen, walked)) {
                return sc_fail_required(v, &n->req[i], "");
            }
        }
    }
    *seen_out = seen;
    *walked_out = walked;
    if (kw & KW_DEPREQ) {
        for (size_t d = 0; d < n->ndeps; d++) {
            const sc_dep *dep = &n->deps[d];
            if (json_object_getn(j, dep->name, dep->len) == NULL) {
                continue;
            }
            for (size_t i = 0; i < dep->nreq; i++) {
                if (json_object_getn(j, dep->req[i].name, dep->req[i].len) == NULL) {
                    char why[96];
                    snprintf(why, sizeof why, " when %.*s is present", (int)dep->len, dep->name);
                    return sc_fail_required(v, &dep->req[i], why);
                }
            }
        }
    }
    return 1;
}

/* anyOf / oneOf over plain "required" alternatives (see sc_alt), decided by counting names. */
static int
sc_validate_alt(sc_vctx *v, const sc_alt *a, const json_t *j, int exactly_one, uint64_t seen,
                int walked)
{
    for (size_t k = 0; k < a->ncommon; k++) {
        if (!sc_has(j, &a->common[k], seen, walked)) {
            return sc_fail_required(v, &a->common[k], "");
        }
    }
    size_t present = 0;
    for (size_t i = 0; i < a->nnames; i++) {
        present += (size_t)sc_has(j, &a->names[i], seen, walked);
    }
    if (present == 0) {
        return sc_fail(v, "must have %s of %s", exactly_one ? "exactly one" : "at least one",
                       a->text);
    }
    if (exactly_one && present > 1) {
        char found[96];
        size_t w = 0;
        found[0] = '\0';
        for (size_t i = 0; i < a->nnames; i++) {
            if (sc_has(j, &a->names[i], seen, walked)) {
                sc_append(found, sizeof found, &w, "%s%s", w ? ", " : "", a->names[i].name);
            }
        }
        return sc_fail(v, "must have exactly one of %s (has %s)", a->text, found);
    }
    return 1;
}

/* All alternatives failed: report the one that got deepest into the instance. */
/* All alternatives failed: report the one that got furthest, i.e. deepest into the instance, and
 * at equal depth one that at least had the right type ("must be >= 10" says more than "must be of
 * type string" when either a string or an integer >= 10 would do). Ties go to the first. */
static int
sc_fail_best(sc_vctx *v, const sc_node **alts, const json_t *j, size_t best, int best_score)
{
    if (v->err != NULL) {
        sc_validate(v, alts[best], j); /* fails again, now recording its message */
    }
    v->fail_score = best_score;
    return 0;
}

static int
sc_validate_apply(sc_vctx *v, const sc_node *n, const json_t *j, uint64_t seen, int walked)
{
    uint64_t kw = n->kw;
    if (kw & KW_ALLOF) {
        for (size_t i = 0; i < n->nallof; i++) {
            if (!sc_validate(v, n->allof[i], j)) {
                return 0;
            }
        }
    }
    if (kw & KW_ANYOF) {
        if (n->alt_any != NULL && json_is_object(j)) {
            if (!sc_validate_alt(v, n->alt_any, j, 0, seen, walked)) {
                return 0;
            }
        } else {
            size_t best = 0;
            int best_score = -1, ok = 0;
            for (size_t i = 0; i < n->nanyof && !ok; i++) {
                ok = sc_quiet(v, n->anyof[i], j);
                if (!ok && v->fail_score > best_score) {
                    best_score = v->fail_score;
                    best = i;
                }
            }
            if (!ok) {
                return sc_fail_best(v, n->anyof, j, best, best_score);
            }
        }
    }
    if (kw & KW_ONEOF) {
        if (n->alt_one != NULL && json_is_object(j)) {
            if (!sc_validate_alt(v, n->alt_one, j, 1, seen, walked)) {
                return 0;
            }
        } else {
            size_t best = 0, first = 0, count = 0;
            int best_score = -1;
            for (size_t i = 0; i < n->noneof && count < 2; i++) {
                if (sc_quiet(v, n->oneof[i], j)) {
                    if (count++ == 0) {
                        first = i;
                    } else {
                        return sc_fail(v,
                                       "must match exactly one oneOf alternative (matches #%zu "
                                       "and #%zu)",
                                       first, i);
                    }
                } else if (v->fail_score > best_score) {
                    best_score = v->fail_score;
                    best = i;
                }
            }
            if (count == 0) {
                return sc_fail_best(v, n->oneof, j, best, best_score);
            }
        }
    }
    if ((kw & KW_NOT) && sc_quiet(v, n->not_, j)) {
        return sc_fail(v, "must not match the \"not\" schema");
    }
    if (kw & KW_IF) {
        const sc_node *branch = sc_quiet(v, n->if_, j) ? n->then_ : n->else_;
        if (branch != NULL && !sc_validate(v, branch, j)) {
            return 0;
        }
    }
    return 1;
}

static int
sc_validate_node(sc_vctx *v, const sc_node *n, const json_t *j)
{
    uint64_t kw = n->kw;
    if (kw & KW_FALSE) {
        return sc_fail(v, "is not allowed");
    }
    if ((kw & KW_REF) && !sc_validate(v, n->ref, j)) {
        return 0;
    }
    if ((kw & KW_TYPE) && !(sc_instance_type(j) & n->types)) {
        char b[96];
        sc_fail(v, "must be of type %s", sc_type_names(n->types, b, sizeof b));
        v->fail_score--; /* a wrong type got less far than a wrong value of the right type */
        return 0;
    }
    if ((kw & KW_CONST) && !sc_equal(j, n->cst, 0)) {
        return sc_fail(v, "must be equal to the constant of the schema");
    }
    if (kw & KW_ENUM) {
        int found = 0;
        for (size_t i = 0; i < json_array_size(n->enums) && !found; i++) {
            found = sc_equal(j, json_array_get(n->enums, i), 0);
        }
        if (!found) {
            return sc_fail(v, "must be one of the values of the enum");
        }
    }
    uint64_t seen = 0;
    int walked = 0;
    switch (json_typeof(j)) {
    case JSON_STRING:
        if ((kw & KW_STRING_MASK) && !sc_validate_string(v, n, j)) {
            return 0;
        }
        break;
    case JSON_INTEGER:
    case JSON_REAL:
        if ((kw & KW_NUMBER_MASK) && !sc_validate_number(v, n, j)) {
            return 0;
        }
        break;
    case JSON_ARRAY:
        if ((kw & KW_ARRAY_MASK) && !sc_validate_array(v, n, j)) {
            return 0;
        }
        break;
    case JSON_OBJECT:
        if ((kw & KW_OBJECT_MASK) && !sc_validate_object(v, n, j, &seen, &walked)) {
            return 0;
        }
        break;
    default: break;
    }
    if ((kw & KW_APPLY_MASK) && !sc_validate_apply(v, n, j, seen, walked)) {
        return 0;
    }
    return 1;
}

static int
sc_validate(sc_vctx *v, const sc_node *n, const json_t *j)
{
    if (v->depth >= SC_MAX_DEPTH) {
        return sc_fail(v, "nesting too deep to validate");
    }
    v->depth++;
    int ok = sc_validate_node(v, n, j);
    v->depth--;
    return ok;
}

hc_err
hc_schema_validate(const hc_schema *schema, const json_t *instance, hc_schema_error *err)
{
    if (err != NULL) {
        err->path[0] = '\0';
        err->message[0] = '\0';
    }
    if (schema == NULL || instance == NULL) {
        if (err != NULL) {
            snprintf(err->message, sizeof err->message, "no schema or no instance");
        }
        return HC_ERR_INVALID_ARG;
    }
    sc_vctx v;
    v.err = err;
    v.depth = 0;
    v.nseg = 0;
    v.fail_score = 0;
    return sc_validate(&v, schema->root, instance) ? HC_OK : HC_ERR_SCHEMA_INVALID;
}

const char *
hc_schema_error_format(const hc_schema_error *err, char *buf, size_t len)
{
    if (buf == NULL || len == 0) {
        return buf;
    }
    if (err == NULL) {
        buf[0] = '\0';
    } else if (err->path[0] != '\0') {
        snprintf(buf, len, "%s: %s", err->path, err->message);
    } else {
        snprintf(buf, len, "%s", err->message);
    }
    return buf;
}
