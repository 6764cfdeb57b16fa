/*
 * ecma_regex.c: ECMA-262 pattern subset -> Thompson NFA -> (Pike VM | DFA). See ecma_regex.h.
 *
 * Pipeline: the parser (ECMA-262 §22.2.1 grammar, "u" flag rules) builds a small AST; the emitter
 * turns it into an NFA program (instructions SET, SPLIT, JMP, assertions, MATCH), expanding
 * counted repetition {n,m} into copies; the matcher runs that program as a Pike VM, one list of
 * live threads per input position, so the cost is bounded by (program size x input length) and
 * patterns such as (a*)*b cannot backtrack catastrophically. When the program is small and has no
 * word-boundary assertions, compile time also runs the subset construction over "character
 * classes" (the intervals of code points between all boundaries of the pattern's sets) and keeps
 * the resulting DFA; matching then costs one table lookup per input character.
 *
 * Invariants:
 * - every bound (AST nodes, program size, nesting, repetition counts, DFA states) is checked while
 *   building, so hostile patterns cost bounded time and memory at compile time too;
 * - a compiled hc_regex is never written after hc_regex_compile returns (thread-safe matching);
 *   the Pike VM's per-match scratch lives on the stack for programs up to RX_STACK_INSTS, else on
 *   the heap;
 * - both engines decode input the same way (invalid UTF-8 byte -> U+FFFD, one byte), and the fuzz
 *   target checks that they agree.
 */
#include "ecma_regex.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_internal.h"

#define RX_MAX_AST         8192 /* AST nodes: one per pattern atom at most, so ~pattern length */
#define RX_MAX_INSTS       2000 /* NFA instructions after expanding {n,m} */
#define RX_MAX_NEST        64   /* group nesting (the parser and emitter recurse on it) */
#define RX_MAX_REPEAT      1000 /* largest n or m in {n,m} */
#define RX_INF             UINT32_MAX
#define RX_NONE            UINT32_MAX
#define RX_MAX_CP          0x10FFFFu
#define RX_STACK_INSTS     256 /* Pike VM scratch on the stack up to this program size */
#define RX_DFA_MAX_INSTS   512 /* larger programs are not turned into a DFA */
#define RX_DFA_MAX_STATES  256
#define RX_DFA_MAX_CLASSES 64

typedef struct rx_range {
    uint32_t lo, hi; /* inclusive code point range */
} rx_range;

/* A set of code points: sorted disjoint ranges plus a bitmap of its ASCII part (the common case).
 */
typedef struct rx_set {
    uint32_t first, count; /* ranges[first .. first+count) */
    uint32_t ascii[4];
} rx_set;

enum rx_op { OP_SET, OP_SPLIT, OP_JMP, OP_BOL, OP_EOL, OP_WORDB, OP_NWORDB, OP_MATCH };

typedef struct rx_inst {
    uint8_t op;
    uint32_t x, y; /* OP_SET: set index in x; OP_JMP: target x; OP_SPLIT: targets x, y */
} rx_inst;

enum ast_kind {
    AST_EMPTY,
    AST_SET,
    AST_CAT,
    AST_ALT,
    AST_REP,
    AST_BOL,
    AST_EOL,
    AST_WORDB,
    AST_NWORDB
};

typedef struct rx_ast {
    uint8_t kind;
    uint32_t arg;      /* AST_SET: set index; AST_CAT/ALT: first child; AST_REP: the child */
    uint32_t next;     /* next sibling in a CAT/ALT child list */
    uint32_t min, max; /* AST_REP bounds, max RX_INF for unbounded */
} rx_ast;

/* DFA state flags. */
#define DFA_ACCEPT  0x1u /* a match has been seen: the answer is yes whatever follows */
#define DFA_DEAD    0x2u /* no thread alive and none can start: the answer is no */
#define DFA_ACC_END 0x4u /* a match completes if the input ends here ("$" satisfied) */

struct hc_regex {
    rx_inst *prog;
    uint32_t ninst;
    rx_set *sets;
    uint32_t nsets;
    rx_range *ranges;
    uint32_t nranges;
    int anchored_start; /* program starts with "^": no thread can start after position 0 */
    int has_wordb;      /* \b or \B present: the Pike VM needs the next character's class */
    /* DFA (NULL trans when not built) */
    uint16_t *dfa_trans; /* [state * nclasses + class] */
    uint8_t *dfa_flags;
    uint32_t *dfa_bounds; /* class k = code points [bounds[k], bounds[k+1]) */
    uint32_t dfa_nclasses;
    uint8_t dfa_ascii[128]; /* class of each ASCII character */
};

/* ------------------------------------------------------------------------------------------ */
/* UTF-8 and character predicates                                                              */

/*
 * Decodes one UTF-8 sequence at s[0..n) (n >= 1) strictly (RFC 3629 §4: no overlongs, no
 * surrogates, nothing above U+10FFFF). Returns the code point and sets *k to the bytes used; an
 * invalid sequence reads as U+FFFD of one byte, so every input has a well-defined meaning.
 */
static uint32_t
rx_utf8_decode(const unsigned char *s, size_t n, size_t *k)
{
    unsigned char b = s[0];
    if (b < 0x80) {
        *k = 1;
        return b;
    }
    uint32_t cp;
    size_t need;
    uint32_t min;
    if (b >= 0xC2 && b <= 0xDF) {
        cp = b & 0x1Fu;
        need = 1;
        min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        cp = b & 0x0Fu;
        need = 2;
        min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        cp = b & 0x07u;
        need = 3;
        min = 0x10000;
    } else {
        *k = 1;
        return 0xFFFD;
    }
    if (need >= n) {
        *k = 1;
        return 0xFFFD;
    }
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *k = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > RX_MAX_CP || (cp >= 0xD800 && cp <= 0xDFFF)) {
        *k = 1;
        return 0xFFFD;
    }
    *k = need + 1;
    return cp;
}

/* ECMA-262 §22.2.2.9.3 IsWordChar (no "i" flag): [A-Za-z0-9_]. */
static int
rx_is_word(uint32_t cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') ||
           cp == '_';
}

static int
rx_set_contains(const hc_regex *re, const rx_set *set, uint32_t cp)
{
    if (cp < 128) {
        return (set->ascii[cp >> 5] >> (cp & 31)) & 1u;
    }
    if (set->count == 0) {
        return 0; /* "[]": and ranges may be NULL when no set has any */
    }
    const rx_range *r = re->ranges + set->first;
    size_t lo = 0, hi = set->count;
    while (lo < hi) { /* binary search over sorted disjoint ranges */
        size_t mid = lo + (hi - lo) / 2;
        if (cp < r[mid].lo) {
            hi = mid;
        } else if (cp > r[mid].hi) {
            lo = mid + 1;
        } else {
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Compiler state                                                                              */

typedef struct rx_comp {
    const unsigned char *p;
    size_t len, pos;
    rx_ast *ast;
    size_t nast, capast;
    rx_range *ranges; /* final ranges of all sets */
    size_t nranges, capranges;
    rx_set *sets;
    size_t nsets, capsets;
    rx_range *tmp; /* the set being built */
    size_t ntmp, captmp;
    rx_inst *prog;
    size_t ninst, capinst;
    hc_err err;
    char *errbuf;
    size_t errlen;
} rx_comp;

/* Records the first error (with the byte offset where parsing stood) and returns RX_NONE. */
static uint32_t
rx_fail(rx_comp *c, hc_err err, const char *what)
{
    if (c->err == HC_OK) {
        c->err = err;
        if (c->errbuf != NULL && c->errlen > 0) {
            snprintf(c->errbuf, c->errlen, "%s at offset %zu", what, c->pos);
        }
    }
    return RX_NONE;
}

/* See schema_internal.h. */
int
hc__schema_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) {
        return 0;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    while (ncap < need) {
        ncap *= 2;
    }
    void *n = realloc(*arr, ncap * elem);
    if (n == NULL) {
        return -1;
    }
    *arr = n;
    *cap = ncap;
    return 0;
}

static uint32_t
rx_new_node(rx_comp *c, uint8_t kind, uint32_t arg)
{
    if (c->nast >= RX_MAX_AST) {
        return rx_fail(c, HC_ERR_UNSUPPORTED, "pattern too large");
    }
    if (hc__schema_grow((void **)&c->ast, &c->capast, c->nast + 1, sizeof *c->ast) != 0) {
        return rx_fail(c, HC_ERR_NOMEM, "out of memory");
    }
    rx_ast *n = &c->ast[c->nast];
    n->kind = kind;
    n->arg = arg;
    n->next = RX_NONE;
    n->min = n->max = 0;
    return (uint32_t)c->nast++;
}

/* ---- set building ---- */

static int
rx_tmp_add(rx_comp *c, uint32_t lo, uint32_t hi)
{
    if (hc__schema_grow((void **)&c->tmp, &c->captmp, c->ntmp + 1, sizeof *c->tmp) != 0) {
        rx_fail(c, HC_ERR_NOMEM, "out of memory");
        return -1;
    }
    c->tmp[c->ntmp].lo = lo;
    c->tmp[c->ntmp].hi = hi;
    c->ntmp++;
    return 0;
}

static int
rx_range_cmp(const void *a, const void *b)
{
    const rx_range *x = a, *y = b;
    return (x->lo > y->lo) - (x->lo < y->lo);
}

/* Sorts and merges c->tmp in place (overlapping or adjacent ranges become one). */
static void
rx_tmp_normalize(rx_comp *c)
{
    if (c->ntmp == 0) {
        return;
    }
    qsort(c->tmp, c->ntmp, sizeof *c->tmp, rx_range_cmp);
    size_t w = 0;
    for (size_t i = 1; i < c->ntmp; i++) {
        if (c->tmp[i].lo <= c->tmp[w].hi + 1) {
            if (c->tmp[i].hi > c->tmp[w].hi) {
                c->tmp[w].hi = c->tmp[i].hi;
            }
        } else {
            c->tmp[++w] = c->tmp[i];
        }
    }
    c->ntmp = w + 1;
}

/* Adds to c->tmp the ranges r[0..n) (sorted, disjoint), or their complement over all code points.
 */
static int
rx_tmp_add_ranges(rx_comp *c, const rx_range *r, size_t n, int negate)
{
    if (!negate) {
        for (size_t i = 0; i < n; i++) {
            if (rx_tmp_add(c, r[i].lo, r[i].hi) != 0) {
                return -1;
            }
        }
        return 0;
    }
    uint32_t next = 0;
    for (size_t i = 0; i < n; i++) {
        if (r[i].lo > next && rx_tmp_add(c, next, r[i].lo - 1) != 0) {
            return -1;
        }
        next = r[i].hi + 1;
    }
    if (next <= RX_MAX_CP) {
        return rx_tmp_add(c, next, RX_MAX_CP);
    }
    return 0;
}

/* The class escapes of ECMA-262 §22.2.2.9 CharacterClassEscape. */
static const rx_range rx_digit[] = { { '0', '9' } };
static const rx_range rx_wordc[] = { { '0', '9' }, { 'A', 'Z' }, { '_', '_' }, { 'a', 'z' } };
/* WhiteSpace (§12.2: TAB VT FF SP NBSP ZWNBSP and category Zs) plus LineTerminator (§12.3). */
static const rx_range rx_space[] = { { 0x09, 0x0D },     { 0x20, 0x20 },     { 0xA0, 0xA0 },
                                     { 0x1680, 0x1680 }, { 0x2000, 0x200A }, { 0x2028, 0x2029 },
                                     { 0x202F, 0x202F }, { 0x205F, 0x205F }, { 0x3000, 0x3000 },
                                     { 0xFEFF, 0xFEFF } };
/* "." is everything but a LineTerminator (§22.2.2.8 without the "s" flag). */
static const rx_range rx_lineterm[] = { { 0x0A, 0x0A }, { 0x0D, 0x0D }, { 0x2028, 0x2029 } };

#define RX_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Adds class escape letter e (d D s S w W) to c->tmp. */
static int
rx_tmp_add_escape_class(rx_comp *c, int e)
{
    switch (e) {
    case 'd': return rx_tmp_add_ranges(c, rx_digit, RX_COUNT(rx_digit), 0);
    case 'D': return rx_tmp_add_ranges(c, rx_digit, RX_COUNT(rx_digit), 1);
    case 'w': return rx_tmp_add_ranges(c, rx_wordc, RX_COUNT(rx_wordc), 0);
    case 'W': return rx_tmp_add_ranges(c, rx_wordc, RX_COUNT(rx_wordc), 1);
    case 's': return rx_tmp_add_ranges(c, rx_space, RX_COUNT(rx_space), 0);
    default: return rx_tmp_add_ranges(c, rx_space, RX_COUNT(rx_space), 1); /* 'S' */
    }
}

/* Turns c->tmp (optionally complemented) into a new set; returns its index or RX_NONE. */
static uint32_t
rx_tmp_finish(rx_comp *c, int negate)
{
    rx_tmp_normalize(c);
    size_t n = c->ntmp;
    if (negate) {
        /* Complement a copy of tmp back into tmp. */
        size_t before = c->ntmp;
        rx_range *copy = malloc((before ? before : 1) * sizeof *copy);
        if (copy == NULL) {
            return rx_fail(c, HC_ERR_NOMEM, "out of memory");
        }
        if (before > 0) { /* tmp is still NULL after an empty class such as [^] */
            memcpy(copy, c->tmp, before * sizeof *copy);
        }
        c->ntmp = 0;
        int rc = rx_tmp_add_ranges(c, copy, before, 1);
        free(copy);
        if (rc != 0) {
            return RX_NONE;
        }
        n = c->ntmp;
    }
    if (hc__schema_grow((void **)&c->ranges, &c->capranges, c->nranges + n, sizeof *c->ranges) !=
            0 ||
        hc__schema_grow((void **)&c->sets, &c->capsets, c->nsets + 1, sizeof *c->sets) != 0) {
        return rx_fail(c, HC_ERR_NOMEM, "out of memory");
    }
    rx_set *s = &c->sets[c->nsets];
    memset(s, 0, sizeof *s);
    s->first = (uint32_t)c->nranges;
    s->count = (uint32_t)n;
    for (size_t i = 0; i < n; i++) {
        rx_range r = c->tmp[i];
        c->ranges[c->nranges++] = r;
        for (uint32_t cp = r.lo; cp <= r.hi && cp < 128; cp++) {
            s->ascii[cp >> 5] |= 1u << (cp & 31);
        }
    }
    c->ntmp = 0;
    return (uint32_t)c->nsets++;
}

static uint32_t
rx_single_set(rx_comp *c, uint32_t cp)
{
    c->ntmp = 0;
    if (rx_tmp_add(c, cp, cp) != 0) {
        return RX_NONE;
    }
    return rx_tmp_finish(c, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Parser (ECMA-262 §22.2.1 Pattern grammar, [+UnicodeMode])                                  */

static int
rx_peek(const rx_comp *c)
{
    return c->pos < c->len ? c->p[c->pos] : -1;
}

static int
rx_peek_at(const rx_comp *c, size_t off)
{
    return c->pos + off < c->len ? c->p[c->pos + off] : -1;
}

/* Reads one literal code point of the pattern (which must be valid UTF-8). */
static uint32_t
rx_read_cp(rx_comp *c)
{
    size_t k;
    uint32_t cp = rx_utf8_decode(c->p + c->pos, c->len - c->pos, &k);
    if (cp == 0xFFFD && k == 1) {
        /* U+FFFD itself is EF BF BD (3 bytes); a 1-byte U+FFFD is a decoding error. */
        return rx_fail(c, HC_ERR_INVALID_ARG, "invalid UTF-8 in pattern");
    }
    c->pos += k;
    return cp;
}

static int
rx_hexval(int ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* Reads exactly n hex digits; returns the value or RX_NONE (no error recorded). */
static uint32_t
rx_read_hex(rx_comp *c, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++) {
        int h = rx_hexval(rx_peek_at(c, (size_t)i));
        if (h < 0) {
            return RX_NONE;
        }
        v = v * 16 + (uint32_t)h;
    }
    c->pos += (size_t)n;
    return v;
}

/* ECMA-262 §22.2.1 RegExpUnicodeEscapeSequence after "\u": HHHH, a surrogate pair \uHHHH\uHHHH,
 * or {H...}. */
static uint32_t
rx_read_unicode_escape(rx_comp *c)
{
    if (rx_peek(c) == '{') {
        c->pos++;
        uint32_t v = 0;
        size_t digits = 0;
        int h;
        while ((h = rx_hexval(rx_peek(c))) >= 0) {
            v = v * 16 + (uint32_t)h;
            c->pos++;
            if (v > RX_MAX_CP) {
                return rx_fail(c, HC_ERR_INVALID_ARG, "\\u{...} above U+10FFFF");
            }
            digits++;
        }
        if (digits == 0 || rx_peek(c) != '}') {
            return rx_fail(c, HC_ERR_INVALID_ARG, "invalid \\u{...} escape");
        }
        c->pos++;
        return v;
    }
    uint32_t v = rx_read_hex(c, 4);
    if (v == RX_NONE) {
        return rx_fail(c, HC_ERR_INVALID_ARG, "invalid \\u escape");
    }
    if (v >= 0xD800 && v <= 0xDBFF && rx_peek(c) == '\\' && rx_peek_at(c, 1) == 'u') {
        size_t save = c->pos;
        c->pos += 2;
        uint32_t lo = rx_read_hex(c, 4);
        if (lo != RX_NONE && lo >= 0xDC00 && lo <= 0xDFFF) {
            return 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
        }
        c->pos = save; /* not a pair: the lead surrogate stands alone */
    }
    return v;
}

/*
 * CharacterEscape (§22.2.1) after the backslash, for the escape letter at c->pos: returns the code
 * point or RX_NONE with an error recorded. in_class allows the class-only escapes.
 */
static uint32_t
rx_char_escape(rx_comp *c, int in_class)
{
    int e = rx_peek(c);
    if (e < 0) {
        return rx_fail(c, HC_ERR_INVALID_ARG, "\\ at end of pattern");
    }
    c->pos++;
    switch (e) {
    case 'f': return 0x0C;
    case 'n': return 0x0A;
    case 'r': return 0x0D;
    case 't': return 0x09;
    case 'v': return 0x0B;
    case 'c': {
        int l = rx_peek(c);
        if ((l >= 'a' && l <= 'z') || (l >= 'A' && l <= 'Z')) {
            c->pos++;
            return (uint32_t)l % 32;
        }
        return rx_fail(c, HC_ERR_INVALID_ARG, "invalid \\c escape");
    }
    case '0':
        if (rx_peek(c) >= '0' && rx_peek(c) <= '9') {
            return rx_fail(c, HC_ERR_INVALID_ARG, "invalid octal escape");
        }
        return 0;
    case 'x': {
        uint32_t v = rx_read_hex(c, 2);
        if (v == RX_NONE) {
            return rx_fail(c, HC_ERR_INVALID_ARG, "invalid \\x escape");
        }
        return v;
    }
    case 'u': return rx_read_unicode_escape(c);
    case '^':
    case '$':
    case '\\':
    case '.':
    case '*':
    case '+':
    case '?':
    case '(':
    case ')':
    case '[':
    case ']':
    case '{':
    case '}':
    case '|':
    case '/': return (uint32_t)e; /* IdentityEscape[+UnicodeMode]: SyntaxCharacter or "/" */
    case '-':
        /* ClassEscape "\-" (u mode); outside a class it is an Annex B identity escape whose
         * meaning (a literal "-") is unambiguous, so it is accepted there too. */
        return '-';
    case 'b':
        if (in_class) {
            return 0x08; /* ClassEscape \b is backspace */
        }
        break;
    default: break;
    }
    if (e >= '1' && e <= '9') {
        c->pos--;
        return rx_fail(c, HC_ERR_UNSUPPORTED, "back-references are not supported");
    }
    if (e == 'p' || e == 'P') {
        c->pos--;
        return rx_fail(c, HC_ERR_UNSUPPORTED, "Unicode property escapes are not supported");
    }
    if (e == 'k') {
        c->pos--;
        return rx_fail(c, HC_ERR_UNSUPPORTED, "named back-references are not supported");
    }
    c->pos--;
    return rx_fail(c, HC_ERR_INVALID_ARG, "invalid escape");
}

static int
rx_is_class_escape(int e)
{
    return e == 'd' || e == 'D' || e == 's' || e == 'S' || e == 'w' || e == 'W';
}

/*
 * One ClassAtom (§22.2.1): a code point (returned, *is_set = 0) or a class escape added to tmp
 * (*is_set = 1). RX_NONE on error.
 */
static uint32_t
rx_class_atom(rx_comp *c, int *is_set)
{
    *is_set = 0;
    if (rx_peek(c) != '\\') {
        return rx_read_cp(c);
    }
    c->pos++;
    int e = rx_peek(c);
    if (rx_is_class_escape(e)) {
        c->pos++;
        *is_set = 1;
        if (rx_tmp_add_escape_class(c, e) != 0) {
            return RX_NONE;
        }
        return 0;
    }
    return rx_char_escape(c, 1);
}

/* CharacterClass after "[" (§22.2.1 ClassContents, NonemptyClassRanges). */
static uint32_t
rx_parse_class(rx_comp *c)
{
    int negate = 0;
    if (rx_peek(c) == '^') {
        negate = 1;
        c->pos++;
    }
    c->ntmp = 0;
    for (;;) {
        int ch = rx_peek(c);
        if (ch < 0) {
            return rx_fail(c, HC_ERR_INVALID_ARG, "missing ]");
        }
        if (ch == ']') {
            c->pos++;
            break;
        }
        int a_set, b_set;
        uint32_t a = rx_class_atom(c, &a_set);
        if (c->err != HC_OK) {
            return RX_NONE;
        }
        if (rx_peek(c) == '-' && rx_peek_at(c, 1) >= 0 && rx_peek_at(c, 1) != ']') {
            c->pos++;
            uint32_t b = rx_class_atom(c, &b_set);
            if (c->err != HC_OK) {
                return RX_NONE;
            }
            if (a_set || b_set) {
                return rx_fail(c, HC_ERR_INVALID_ARG, "class escape used as a range bound");
            }
            if (a > b) {
                return rx_fail(c, HC_ERR_INVALID_ARG, "range out of order in character class");
            }
            if (rx_tmp_add(c, a, b) != 0) {
                return RX_NONE;
            }
        } else if (!a_set && rx_tmp_add(c, a, a) != 0) {
            return RX_NONE;
        }
    }
    return rx_tmp_finish(c, negate);
}

static uint32_t rx_parse_disjunction(rx_comp *c, int depth);

/* Reads a decimal number for {n,m}; RX_NONE when there is none. Values past RX_MAX_REPEAT
 * saturate to RX_MAX_REPEAT + 1 so the caller can refuse them. */
static uint32_t
rx_read_count(rx_comp *c)
{
    if (rx_peek(c) < '0' || rx_peek(c) > '9') {
        return RX_NONE;
    }
    uint32_t v = 0;
    while (rx_peek(c) >= '0' && rx_peek(c) <= '9') {
        v = v * 10 + (uint32_t)(rx_peek(c) - '0');
        if (v > RX_MAX_REPEAT) {
            v = RX_MAX_REPEAT + 1;
        }
        c->pos++;
    }
    return v;
}

/* Group after "(" (§22.2.1 Atom: ( GroupSpecifier Disjunction ) and (?: Disjunction )). */
static uint32_t
rx_parse_group(rx_comp *c, int depth)
{
    if (rx_peek(c) == '?') {
        int k = rx_peek_at(c, 1);
        if (k == ':') {
            c->pos += 2;
        } else if (k == '=' || k == '!') {
            return rx_fail(c, HC_ERR_UNSUPPORTED, "look-ahead is not supported");
        } else if (k == '<' && (rx_peek_at(c, 2) == '=' || rx_peek_at(c, 2) == '!')) {
            return rx_fail(c, HC_ERR_UNSUPPORTED, "look-behind is not supported");
        } else if (k == '<') {
            /* Named group: the name does not matter for a yes/no match. */
            c->pos += 2;
            size_t start = c->pos;
            for (;;) {
                int ch = rx_peek(c);
                if (ch == '>') {
                    break;
                }
                if (ch < 0 || !(rx_is_word(ch) || ch == '$' || ch >= 0x80) ||
                    (c->pos == start && ch >= '0' && ch <= '9')) {
                    return rx_fail(c, HC_ERR_INVALID_ARG, "invalid group name");
                }
                c->pos++;
            }
            if (c->pos == start) {
                return rx_fail(c, HC_ERR_INVALID_ARG, "empty group name");
            }
            c->pos++;
        } else {
            return rx_fail(c, HC_ERR_INVALID_ARG, "invalid group");
        }
    }
    if (depth >= RX_MAX_NEST) {
        return rx_fail(c, HC_ERR_UNSUPPORTED, "groups nested too deeply");
    }
    uint32_t inner = rx_parse_disjunction(c, depth + 1);
    if (inner == RX_NONE) {
        return RX_NONE;
    }
    if (rx_peek(c) != ')') {
        return rx_fail(c, HC_ERR_INVALID_ARG, "missing )");
    }
    c->pos++;
    return inner;
}

/* Term (§22.2.1): Assertion | Atom Quantifier? */
static uint32_t
rx_parse_term(rx_comp *c, int depth)
{
    int ch = rx_peek(c);
    uint32_t atom;
    int assertion = 0;
    switch (ch) {
    case '^':
        c->pos++;
        atom = rx_new_node(c, AST_BOL, 0);
        assertion = 1;
        break;
    case '$':
        c->pos++;
        atom = rx_new_node(c, AST_EOL, 0);
        assertion = 1;
        break;
    case '(':
        c->pos++;
        atom = rx_parse_group(c, depth);
        break;
    case '.':
        c->pos++;
        c->ntmp = 0;
        if (rx_tmp_add_ranges(c, rx_lineterm, RX_COUNT(rx_lineterm), 0) != 0) {
            return RX_NONE;
        }
        atom = rx_tmp_finish(c, 1);
        atom = atom == RX_NONE ? RX_NONE : rx_new_node(c, AST_SET, atom);
        break;
    case '[':
        c->pos++;
        atom = rx_parse_class(c);
        atom = atom == RX_NONE ? RX_NONE : rx_new_node(c, AST_SET, atom);
        break;
    case '*':
    case '+':
    case '?':
    case '{': return rx_fail(c, HC_ERR_INVALID_ARG, "nothing to repeat");
    case ']':
    case '}': return rx_fail(c, HC_ERR_INVALID_ARG, "lone quantifier bracket");
    case '\\': {
        int e = rx_peek_at(c, 1);
        if (e == 'b' || e == 'B') {
            c->pos += 2;
            atom = rx_new_node(c, e == 'b' ? AST_WORDB : AST_NWORDB, 0);
            assertion = 1;
        } else if (rx_is_class_escape(e)) {
            c->pos += 2;
            c->ntmp = 0;
            if (rx_tmp_add_escape_class(c, e) != 0) {
                return RX_NONE;
            }
            atom = rx_tmp_finish(c, 0);
            atom = atom == RX_NONE ? RX_NONE : rx_new_node(c, AST_SET, atom);
        } else {
            c->pos++;
            uint32_t cp = rx_char_escape(c, 0);
            atom = cp == RX_NONE ? RX_NONE : rx_single_set(c, cp);
            atom = atom == RX_NONE ? RX_NONE : rx_new_node(c, AST_SET, atom);
        }
        break;
    }
    default: {
        uint32_t cp = rx_read_cp(c);
        atom = cp == RX_NONE ? RX_NONE : rx_single_set(c, cp);
        atom = atom == RX_NONE ? RX_NONE : rx_new_node(c, AST_SET, atom);
        break;
    }
    }
    if (atom == RX_NONE || c->err != HC_OK) {
        return RX_NONE;
    }

    /* Quantifier (§22.2.1). */
    uint32_t min, max;
    ch = rx_peek(c);
    if (ch == '*') {
        min = 0;
        max = RX_INF;
        c->pos++;
    } else if (ch == '+') {
        min = 1;
        max = RX_INF;
        c->pos++;
    } else if (ch == '?') {
        min = 0;
        max = 1;
        c->pos++;
    } else if (ch == '{') {
        c->pos++;
        min = rx_read_count(c);
        if (min == RX_NONE) {
            return rx_fail(c, HC_ERR_INVALID_ARG, "incomplete quantifier");
        }
        max = min;
        if (rx_peek(c) == ',') {
            c->pos++;
            if (rx_peek(c) == '}') {
                max = RX_INF;
            } else if ((max = rx_read_count(c)) == RX_NONE) { /* RX_NONE == RX_INF: test first */
                return rx_fail(c, HC_ERR_INVALID_ARG, "incomplete quantifier");
            }
        }
        if (rx_peek(c) != '}') {
            return rx_fail(c, HC_ERR_INVALID_ARG, "incomplete quantifier");
        }
        c->pos++;
        if (min > RX_MAX_REPEAT || (max != RX_INF && max > RX_MAX_REPEAT)) {
            return rx_fail(c, HC_ERR_UNSUPPORTED, "repetition count above 1000");
        }
        if (max < min) {
            return rx_fail(c, HC_ERR_INVALID_ARG, "numbers out of order in {} quantifier");
        }
    } else {
        return atom;
    }
    if (assertion) {
        /* [+UnicodeMode] forbids quantified assertions (Annex B allows them only without u). */
        return rx_fail(c, HC_ERR_INVALID_ARG, "nothing to repeat");
    }
    if (rx_peek(c) == '?') {
        c->pos++; /* lazy: same set of matches, so the same yes/no answer */
    }
    uint32_t rep = rx_new_node(c, AST_REP, atom);
    if (rep == RX_NONE) {
        return RX_NONE;
    }
    c->ast[rep].min = min;
    c->ast[rep].max = max;
    return rep;
}

/* Alternative (§22.2.1): Term* up to "|", ")" or the end. */
static uint32_t
rx_parse_alternative(rx_comp *c, int depth)
{
    uint32_t first = RX_NONE, last = RX_NONE;
    size_t count = 0;
    while (rx_peek(c) >= 0 && rx_peek(c) != '|' && rx_peek(c) != ')') {
        uint32_t t = rx_parse_term(c, depth);
        if (t == RX_NONE) {
            return RX_NONE;
        }
        if (first == RX_NONE) {
            first = t;
        } else {
            c->ast[last].next = t;
        }
        last = t;
        count++;
    }
    if (count == 0) {
        return rx_new_node(c, AST_EMPTY, 0);
    }
    if (count == 1) {
        return first;
    }
    return rx_new_node(c, AST_CAT, first);
}

/* Disjunction (§22.2.1): Alternative ( "|" Alternative )* */
static uint32_t
rx_parse_disjunction(rx_comp *c, int depth)
{
    uint32_t first = rx_parse_alternative(c, depth);
    if (first == RX_NONE || rx_peek(c) != '|') {
        return first;
    }
    uint32_t last = first;
    while (rx_peek(c) == '|') {
        c->pos++;
        uint32_t n = rx_parse_alternative(c, depth);
        if (n == RX_NONE) {
            return RX_NONE;
        }
        c->ast[last].next = n;
        last = n;
    }
    return rx_new_node(c, AST_ALT, first);
}

/* ------------------------------------------------------------------------------------------ */
/* Emitter: AST -> NFA program                                                                 */

static uint32_t
rx_emit(rx_comp *c, uint8_t op, uint32_t x, uint32_t y)
{
    if (c->ninst >= RX_MAX_INSTS) {
        return rx_fail(c, HC_ERR_UNSUPPORTED, "pattern too large after expanding repetitions");
    }
    if (hc__schema_grow((void **)&c->prog, &c->capinst, c->ninst + 1, sizeof *c->prog) != 0) {
        return rx_fail(c, HC_ERR_NOMEM, "out of memory");
    }
    c->prog[c->ninst].op = op;
    c->prog[c->ninst].x = x;
    c->prog[c->ninst].y = y;
    return (uint32_t)c->ninst++;
}

/* Emits node; recursion depth is bounded by the group nesting (RX_MAX_NEST). 0 or -1. */
static int
rx_gen(rx_comp *c, uint32_t node)
{
    rx_ast n = c->ast[node];
    switch (n.kind) {
    case AST_EMPTY: return 0;
    case AST_SET: return rx_emit(c, OP_SET, n.arg, 0) == RX_NONE ? -1 : 0;
    case AST_BOL: return rx_emit(c, OP_BOL, 0, 0) == RX_NONE ? -1 : 0;
    case AST_EOL: return rx_emit(c, OP_EOL, 0, 0) == RX_NONE ? -1 : 0;
    case AST_WORDB: return rx_emit(c, OP_WORDB, 0, 0) == RX_NONE ? -1 : 0;
    case AST_NWORDB: return rx_emit(c, OP_NWORDB, 0, 0) == RX_NONE ? -1 : 0;
    case AST_CAT:
        for (uint32_t ch = n.arg; ch != RX_NONE; ch = c->ast[ch].next) {
            if (rx_gen(c, ch) != 0) {
                return -1;
            }
        }
        return 0;
    case AST_ALT: {
        /* SPLIT a1, next; a1; JMP end; next: SPLIT a2, next2; ... ak; end:
         * The pending JMPs are chained through their x field until end is known. */
        uint32_t jumps = RX_NONE;
        for (uint32_t ch = n.arg; ch != RX_NONE; ch = c->ast[ch].next) {
            if (c->ast[ch].next == RX_NONE) {
                if (rx_gen(c, ch) != 0) {
                    return -1;
                }
                break;
            }
            uint32_t split = rx_emit(c, OP_SPLIT, 0, 0);
            if (split == RX_NONE) {
                return -1;
            }
            c->prog[split].x = (uint32_t)c->ninst;
            if (rx_gen(c, ch) != 0) {
                return -1;
            }
            uint32_t j = rx_emit(c, OP_JMP, jumps, 0);
            if (j == RX_NONE) {
                return -1;
            }
            jumps = j;
            c->prog[split].y = (uint32_t)c->ninst;
        }
        while (jumps != RX_NONE) {
            uint32_t next = c->prog[jumps].x;
            c->prog[jumps].x = (uint32_t)c->ninst;
            jumps = next;
        }
        return 0;
    }
    case AST_REP: {
        for (uint32_t i = 0; i < n.min; i++) {
            uint32_t start = (uint32_t)c->ninst;
            if (rx_gen(c, n.arg) != 0) {
                return -1;
            }
            if (n.max == RX_INF && i + 1 == n.min) {
                /* x{n,}: the last mandatory copy loops back on itself. */
                return rx_emit(c, OP_SPLIT, start, (uint32_t)c->ninst + 1) == RX_NONE ? -1 : 0;
            }
        }
        if (n.max == RX_INF) { /* x*: L: SPLIT body, end; body; JMP L; end: */
            uint32_t l = rx_emit(c, OP_SPLIT, 0, 0);
            if (l == RX_NONE) {
                return -1;
            }
            c->prog[l].x = l + 1;
            if (rx_gen(c, n.arg) != 0 || rx_emit(c, OP_JMP, l, 0) == RX_NONE) {
                return -1;
            }
            c->prog[l].y = (uint32_t)c->ninst;
            return 0;
        }
        /* x{0,k} optional copies: SPLIT a, end; a: x; SPLIT b, end; b: x; ... end:
         * The SPLITs are chained through y until end is known. */
        uint32_t splits = RX_NONE;
        for (uint32_t i = n.min; i < n.max; i++) {
            uint32_t s = rx_emit(c, OP_SPLIT, 0, splits);
            if (s == RX_NONE) {
                return -1;
            }
            c->prog[s].x = s + 1;
            splits = s;
            if (rx_gen(c, n.arg) != 0) {
                return -1;
            }
        }
        while (splits != RX_NONE) {
            uint32_t next = c->prog[splits].y;
            c->prog[splits].y = (uint32_t)c->ninst;
            splits = next;
        }
        return 0;
    }
    default: return -1;
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Pike VM                                                                                     */

typedef struct rx_ctx {
    int at_start, at_end;        /* position is 0 / the input length */
    int word_before, word_after; /* IsWordChar of the characters around the position */
} rx_ctx;

/*
 * Adds the thread at pc and everything reachable from it without consuming input to list
 * (only OP_SET threads are stored). mark[] == gen means "already added at this position", which
 * also stops empty loops. Returns 1 when MATCH is reachable: for test() that ends the search.
 * stack must hold 2 * ninst + 2 entries: each instruction is expanded once and pushes <= 2.
 */
static int
rx_pike_add(const hc_regex *re, uint32_t *mark, uint32_t gen, uint32_t *list, uint32_t *n,
            uint32_t *stack, uint32_t pc0, const rx_ctx *ctx)
{
    size_t sp = 0;
    stack[sp++] = pc0;
    while (sp > 0) {
        uint32_t pc = stack[--sp];
        if (mark[pc] == gen) {
            continue;
        }
        mark[pc] = gen;
        const rx_inst *in = &re->prog[pc];
        switch (in->op) {
        case OP_SET: list[(*n)++] = pc; break;
        case OP_JMP: stack[sp++] = in->x; break;
        case OP_SPLIT:
            stack[sp++] = in->y;
            stack[sp++] = in->x;
            break;
        case OP_BOL:
            if (ctx->at_start) {
                stack[sp++] = pc + 1;
            }
            break;
        case OP_EOL:
            if (ctx->at_end) {
                stack[sp++] = pc + 1;
            }
            break;
        case OP_WORDB:
            if (ctx->word_before != ctx->word_after) {
                stack[sp++] = pc + 1;
            }
            break;
        case OP_NWORDB:
            if (ctx->word_before == ctx->word_after) {
                stack[sp++] = pc + 1;
            }
            break;
        case OP_MATCH: return 1;
        default: break;
        }
    }
    return 0;
}

static int
rx_word_at(const unsigned char *s, size_t len, size_t pos)
{
    if (pos >= len) {
        return 0;
    }
    size_t k;
    return rx_is_word(rx_utf8_decode(s + pos, len - pos, &k));
}

static int
rx_pike_run(const hc_regex *re, const unsigned char *s, size_t len, uint32_t *mark, uint32_t *l0,
            uint32_t *l1, uint32_t *stack)
{
    memset(mark, 0, re->ninst * sizeof *mark);
    uint32_t gen = 1, n0 = 0, n1;
    rx_ctx ctx = { 1, len == 0, 0, re->has_wordb ? rx_word_at(s, len, 0) : 0 };
    if (rx_pike_add(re, mark, gen, l0, &n0, stack, 0, &ctx)) {
        return 1;
    }
    size_t pos = 0;
    while (pos < len) {
        size_t k;
        uint32_t cp = rx_utf8_decode(s + pos, len - pos, &k);
        size_t next = pos + k;
        ctx.at_start = 0;
        ctx.at_end = next == len;
        ctx.word_before = rx_is_word(cp);
        ctx.word_after = re->has_wordb ? rx_word_at(s, len, next) : 0;
        gen++;
        n1 = 0;
        for (uint32_t i = 0; i < n0; i++) {
            uint32_t pc = l0[i];
            if (rx_set_contains(re, &re->sets[re->prog[pc].x], cp) &&
                rx_pike_add(re, mark, gen, l1, &n1, stack, pc + 1, &ctx)) {
                return 1;
            }
        }
        /* Unanchored search (JSON Schema patterns are not implicitly anchored): a new thread
         * starts at every position. */
        if (!re->anchored_start && rx_pike_add(re, mark, gen, l1, &n1, stack, 0, &ctx)) {
            return 1;
        }
        uint32_t *t = l0;
        l0 = l1;
        l1 = t;
        n0 = n1;
        pos = next;
        if (n0 == 0 && re->anchored_start) {
            return 0;
        }
    }
    return 0;
}

static int
rx_pike_match(const hc_regex *re, const unsigned char *s, size_t len)
{
    if (re->ninst <= RX_STACK_INSTS) {
        uint32_t mark[RX_STACK_INSTS], l0[RX_STACK_INSTS], l1[RX_STACK_INSTS];
        uint32_t stack[2 * RX_STACK_INSTS + 2];
        return rx_pike_run(re, s, len, mark, l0, l1, stack);
    }
    uint32_t *buf = malloc((5 * (size_t)re->ninst + 2) * sizeof *buf);
    if (buf == NULL) {
        return -1;
    }
    int rc = rx_pike_run(re, s, len, buf, buf + re->ninst, buf + 2 * (size_t)re->ninst,
                         buf + 3 * (size_t)re->ninst);
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------------------------------ */
/* DFA (subset construction at compile time)                                                   */

typedef struct rx_dfa_build {
    const hc_regex *re;
    size_t nwords;     /* 64-bit words per state bitset */
    uint64_t *sets;    /* [state * nwords] */
    uint64_t *visited; /* closure scratch */
    uint32_t *stack;   /* closure scratch, 2 * ninst + 2 */
    uint32_t nstates;
    uint32_t nclasses;
    uint32_t *bounds;
    uint16_t *trans;
    uint8_t *flags;
} rx_dfa_build;

/*
 * Closure of pc into set (bitset of OP_SET and blocked OP_EOL instructions), as rx_pike_add but
 * over bitsets. Word-boundary programs never get here. Returns 1 when MATCH is reachable.
 * b->visited is not cleared here: the closures that build one target set share it (the closure
 * of a union is the union of the closures), so one transition costs O(program), not
 * O(program^2); the caller clears it per target set.
 */
static int
rx_dfa_closure(rx_dfa_build *b, uint64_t *set, uint32_t pc0, int at_start, int at_end)
{
    const hc_regex *re = b->re;
    size_t sp = 0;
    int matched = 0;
    b->stack[sp++] = pc0;
    while (sp > 0) {
        uint32_t pc = b->stack[--sp];
        uint64_t bit = (uint64_t)1 << (pc & 63);
        if (b->visited[pc >> 6] & bit) {
            continue;
        }
        b->visited[pc >> 6] |= bit;
        const rx_inst *in = &re->prog[pc];
        switch (in->op) {
        case OP_SET:
            if (set != NULL) {
                set[pc >> 6] |= bit;
            }
            break;
        case OP_JMP: b->stack[sp++] = in->x; break;
        case OP_SPLIT:
            b->stack[sp++] = in->y;
            b->stack[sp++] = in->x;
            break;
        case OP_BOL:
            if (at_start) {
                b->stack[sp++] = pc + 1;
            }
            break;
        case OP_EOL:
            if (at_end) {
                b->stack[sp++] = pc + 1;
            } else if (set != NULL) {
                set[pc >> 6] |= bit; /* blocked until we know the input ends here */
            }
            break;
        case OP_MATCH: matched = 1; break;
        default: break;
        }
    }
    return matched;
}

/* DFA_ACC_END when some blocked "$" of set leads to MATCH at the end of the input. */
static uint8_t
rx_dfa_end_flag(rx_dfa_build *b, const uint64_t *set, int at_start)
{
    memset(b->visited, 0, b->nwords * sizeof *b->visited);
    for (uint32_t pc = 0; pc < b->re->ninst; pc++) {
        if ((set[pc >> 6] >> (pc & 63)) & 1u && b->re->prog[pc].op == OP_EOL &&
            rx_dfa_closure(b, NULL, pc + 1, at_start, 1)) {
            return DFA_ACC_END;
        }
    }
    return 0;
}

static int
rx_u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint32_t
rx_class_of(const uint32_t *bounds, uint32_t n, uint32_t cp)
{
    uint32_t lo = 0, hi = n; /* largest k with bounds[k] <= cp; bounds[0] == 0 */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (bounds[mid] <= cp) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The character classes: every set boundary splits the code space; 0 when there are too many. */
static uint32_t
rx_dfa_classes(const hc_regex *re, uint32_t **out)
{
    size_t cap = 2;
    for (uint32_t pc = 0; pc < re->ninst; pc++) {
        if (re->prog[pc].op == OP_SET) {
            cap += 2 * (size_t)re->sets[re->prog[pc].x].count;
        }
    }
    uint32_t *b = malloc(cap * sizeof *b);
    if (b == NULL) {
        return 0;
    }
    size_t n = 0;
    b[n++] = 0;
    for (uint32_t pc = 0; pc < re->ninst; pc++) {
        if (re->prog[pc].op != OP_SET) {
            continue;
        }
        const rx_set *s = &re->sets[re->prog[pc].x];
        for (uint32_t i = 0; i < s->count; i++) {
            const rx_range *r = &re->ranges[s->first + i];
            b[n++] = r->lo;
            if (r->hi < RX_MAX_CP) {
                b[n++] = r->hi + 1;
            }
        }
    }
    qsort(b, n, sizeof *b, rx_u32_cmp);
    size_t w = 1;
    for (size_t i = 1; i < n; i++) {
        if (b[i] != b[w - 1]) {
            b[w++] = b[i];
        }
    }
    if (w > RX_DFA_MAX_CLASSES) {
        free(b);
        return 0;
    }
    *out = b;
    return (uint32_t)w;
}

/* Finds set among states [2, nstates) or adds it; RX_NONE when the state budget is exhausted. */
static uint32_t
rx_dfa_state(rx_dfa_build *b, const uint64_t *set)
{
    size_t bytes = b->nwords * sizeof(uint64_t);
    for (uint32_t s = 2; s < b->nstates; s++) {
        if (memcmp(b->sets + s * b->nwords, set, bytes) == 0) {
            return s;
        }
    }
    if (b->nstates >= RX_DFA_MAX_STATES) {
        return RX_NONE;
    }
    uint32_t s = b->nstates++;
    memcpy(b->sets + s * b->nwords, set, bytes);
    int empty = 1;
    for (size_t i = 0; i < b->nwords; i++) {
        if (set[i] != 0) {
            empty = 0;
        }
    }
    b->flags[s] = (uint8_t)((empty ? DFA_DEAD : 0) | rx_dfa_end_flag(b, set, 0));
    return s;
}

/*
 * Subset construction. State 0 is the start (position 0, where "^" holds; never shared with a
 * later state because "^" makes it different), state 1 the absorbing "matched" state. Every
 * other state is the set of live threads at a position, including the thread that starts there
 * (unanchored search). Leaves re without a DFA when a budget is exceeded.
 */
static void
rx_dfa_build_all(hc_regex *re)
{
    if (re->has_wordb || re->ninst > RX_DFA_MAX_INSTS) {
        return;
    }
    rx_dfa_build b;
    memset(&b, 0, sizeof b);
    b.re = re;
    b.nwords = (re->ninst + 63) / 64;
    b.nclasses = rx_dfa_classes(re, &b.bounds);
    if (b.nclasses == 0) {
        return;
    }
    b.sets = calloc(RX_DFA_MAX_STATES * b.nwords, sizeof *b.sets);
    b.visited = calloc(b.nwords, sizeof *b.visited);
    b.stack = malloc((2 * (size_t)re->ninst + 2) * sizeof *b.stack);
    b.trans = calloc((size_t)RX_DFA_MAX_STATES * b.nclasses, sizeof *b.trans);
    b.flags = calloc(RX_DFA_MAX_STATES, 1);
    uint64_t *t = calloc(b.nwords, sizeof *t);
    int ok = b.sets && b.visited && b.stack && b.trans && b.flags && t;
    if (ok) {
        b.nstates = 2;
        b.flags[1] = DFA_ACCEPT;
        memset(b.visited, 0, b.nwords * sizeof *b.visited);
        if (rx_dfa_closure(&b, b.sets, 0, 1, 0)) {
            b.flags[0] = DFA_ACCEPT;
        } else {
            b.flags[0] = rx_dfa_end_flag(&b, b.sets, 1);
        }
        for (uint32_t s = 0; ok && s < b.nstates; s++) {
            if (b.flags[s] & (DFA_ACCEPT | DFA_DEAD)) {
                for (uint32_t k = 0; k < b.nclasses; k++) {
                    b.trans[s * b.nclasses + k] = (uint16_t)s; /* absorbing */
                }
                continue;
            }
            for (uint32_t k = 0; ok && k < b.nclasses; k++) {
                memset(t, 0, b.nwords * sizeof *t);
                memset(b.visited, 0, b.nwords * sizeof *b.visited);
                int matched = 0;
                const uint64_t *cur = b.sets + s * b.nwords;
                for (uint32_t pc = 0; pc < re->ninst && !matched; pc++) {
                    if (((cur[pc >> 6] >> (pc & 63)) & 1u) && re->prog[pc].op == OP_SET &&
                        rx_set_contains(re, &re->sets[re->prog[pc].x], b.bounds[k])) {
                        matched = rx_dfa_closure(&b, t, pc + 1, 0, 0);
                    }
                }
                if (!matched) {
                    matched = rx_dfa_closure(&b, t, 0, 0, 0);
                }
                uint32_t target = matched ? 1 : rx_dfa_state(&b, t);
                if (target == RX_NONE) {
                    ok = 0;
                } else {
                    b.trans[s * b.nclasses + k] = (uint16_t)target;
                }
            }
        }
    }
    if (ok) {
        re->dfa_trans = b.trans;
        re->dfa_flags = b.flags;
        re->dfa_bounds = b.bounds;
        re->dfa_nclasses = b.nclasses;
        for (uint32_t cp = 0; cp < 128; cp++) {
            re->dfa_ascii[cp] = (uint8_t)rx_class_of(b.bounds, b.nclasses, cp);
        }
    } else {
        free(b.trans);
        free(b.flags);
        free(b.bounds);
    }
    free(b.sets);
    free(b.visited);
    free(b.stack);
    free(t);
}

static int
rx_dfa_match(const hc_regex *re, const unsigned char *s, size_t len)
{
    uint32_t st = 0, nc = re->dfa_nclasses;
    size_t i = 0;
    while (i < len) {
        uint8_t fl = re->dfa_flags[st];
        if (fl & DFA_ACCEPT) {
            return 1;
        }
        if (fl & DFA_DEAD) {
            return 0;
        }
        uint32_t k;
        if (s[i] < 0x80) {
            k = re->dfa_ascii[s[i]];
            i++;
        } else {
            size_t n;
            uint32_t cp = rx_utf8_decode(s + i, len - i, &n);
            k = rx_class_of(re->dfa_bounds, nc, cp);
            i += n;
        }
        st = re->dfa_trans[st * nc + k];
    }
    return (re->dfa_flags[st] & (DFA_ACCEPT | DFA_ACC_END)) != 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Public API                                                                                  */

static void
rx_comp_free(rx_comp *c)
{
    free(c->ast);
    free(c->ranges);
    free(c->sets);
    free(c->tmp);
    free(c->prog);
}

hc_err
hc_regex_compile(const char *pattern, size_t len, unsigned flags, hc_regex **out, char *err,
                 size_t err_len)
{
    if (out == NULL || (pattern == NULL && len > 0)) {
        return HC_ERR_INVALID_ARG;
    }
    *out = NULL;
    if (err != NULL && err_len > 0) {
        err[0] = '\0';
    }
    rx_comp c;
    memset(&c, 0, sizeof c);
    c.p = (const unsigned char *)(pattern != NULL ? pattern : "");
    c.len = len;
    c.errbuf = err;
    c.errlen = err_len;

    uint32_t root = rx_parse_disjunction(&c, 0);
    if (root != RX_NONE && c.err == HC_OK && c.pos < c.len) {
        rx_fail(&c, HC_ERR_INVALID_ARG, "unmatched )"); /* the only way the top level stops early */
    }
    if (c.err == HC_OK && (rx_gen(&c, root) != 0 || rx_emit(&c, OP_MATCH, 0, 0) == RX_NONE)) {
        rx_fail(&c, HC_ERR_INTERNAL, "cannot emit program");
    }
    if (c.err != HC_OK) {
        hc_err e = c.err;
        rx_comp_free(&c);
        return e;
    }

    hc_regex *re = calloc(1, sizeof *re);
    if (re == NULL) {
        rx_comp_free(&c);
        return HC_ERR_NOMEM;
    }
    /* The compiler's arrays become the regex's (no copy); the rest is dropped. */
    re->prog = c.prog;
    re->ninst = (uint32_t)c.ninst;
    re->sets = c.sets;
    re->nsets = (uint32_t)c.nsets;
    re->ranges = c.ranges;
    re->nranges = (uint32_t)c.nranges;
    c.prog = NULL;
    c.sets = NULL;
    c.ranges = NULL;
    for (uint32_t pc = 0; pc < re->ninst; pc++) {
        if (re->prog[pc].op == OP_WORDB || re->prog[pc].op == OP_NWORDB) {
            re->has_wordb = 1;
        }
    }
    re->anchored_start = re->prog[0].op == OP_BOL;
    rx_comp_free(&c);
    if (!(flags & HC_REGEX_NO_DFA)) {
        rx_dfa_build_all(re); /* optional: on failure the Pike VM remains */
    }
    *out = re;
    return HC_OK;
}

int
hc_regex_match(const hc_regex *re, const char *text, size_t len)
{
    if (re == NULL || (text == NULL && len > 0)) {
        return -1;
    }
    const unsigned char *s = (const unsigned char *)(text != NULL ? text : "");
    if (re->dfa_trans != NULL) {
        return rx_dfa_match(re, s, len);
    }
    return rx_pike_match(re, s, len);
}

int
hc_regex_uses_dfa(const hc_regex *re)
{
    return re != NULL && re->dfa_trans != NULL;
}

void
hc_regex_free(hc_regex *re)
{
    if (re == NULL) {
        return;
    }
    free(re->prog);
    free(re->sets);
    free(re->ranges);
    free(re->dfa_trans);
    free(re->dfa_flags);
    free(re->dfa_bounds);
    free(re);
}
