/*
 * deflate.c: DEFLATE (RFC 1951) in a zlib container (RFC 1950) for small messages
 * (see issue_deflate.h for the why and the choices).
 *
 * Section references are to RFC 1951 unless noted.
 */
#include "issue_deflate.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <zlib.h> /* adler32() only */

#define MIN_MATCH 3
#define MAX_MATCH 258
/* zlib level 9 (deflate.c configuration_table): good 32, lazy 258, nice 258, chain 4096. */
#define GOOD_LENGTH 32
#define MAX_LAZY    258
#define NICE_LENGTH 258
#define MAX_CHAIN   4096
/* zlib's TOO_FAR: a 3-byte match this far back costs more bits than three literals. */
#define TOO_FAR 4096

#define N_LITLEN    286 /* 0..255 literals, 256 end of block, 257..285 lengths (§3.2.5) */
#define N_DIST      30  /* distance codes 0..29 (§3.2.5) */
#define N_CL        19  /* code length alphabet (§3.2.7) */
#define END_BLOCK   256
#define MAX_BITS    15 /* longest literal/length and distance code (§3.2.7) */
#define MAX_CL_BITS 7  /* longest code length code: lengths are sent in 3 bits (§3.2.7) */

#define SYM_MATCH 0x80000000u

/* §3.2.5: base lengths and extra bits of length codes 257..285. */
static const uint16_t len_base[29] = { 3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                       15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                       67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
/* §3.2.5: base distances and extra bits of distance codes 0..29. */
static const uint16_t dist_base[30] = { 1,    2,    3,    4,     5,     7,    9,    13,
                                        17,   25,   33,   49,    65,    97,   129,  193,
                                        257,  385,  513,  769,   1025,  1537, 2049, 3073,
                                        4097, 6145, 8193, 12289, 16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                        6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };
/* §3.2.7: the order in which code length code lengths are sent. */
static const uint8_t cl_order[N_CL] = { 16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                        11, 4,  12, 3, 13, 2, 14, 1, 15 };

static unsigned
floor_log2(unsigned v)
{
    return 31u - (unsigned)__builtin_clz(v);
}

/* Length code index 0..28 (code 257 + index) of a match length 3..258. */
static unsigned
len_code(unsigned len)
{
    unsigned l = len - MIN_MATCH;
    if (len == MAX_MATCH) {
        return 28;
    }
    if (l < 8) {
        return l;
    }
    unsigned nb = floor_log2(l) - 2; /* extra bits of this group of four codes */
    return 4 * nb + 4 + ((l >> nb) & 3);
}

/* Distance code 0..29 of a distance 1..32768. */
static unsigned
dist_code(unsigned dist)
{
    unsigned d = dist - 1;
    if (d < 4) {
        return d;
    }
    unsigned nb = floor_log2(d);
    return 2 * nb + ((d >> (nb - 1)) & 1);
}

void
hc_zdeflate_init(hc_zdeflate *z)
{
    z->hash_bits = 8; /* nothing else carries over between inputs */
}

size_t
hc_zdeflate_bound(size_t len)
{
    /* zlib header 2 + stored block header 5 (3 bits padded + LEN + NLEN) + data + Adler-32 4. */
    return len + 2 + 5 + 4;
}

/* ---- LZ77 (zlib level 9's lazy matching) ---- */

/* Knuth's multiplicative hash of the 3 bytes at p, to z->hash_bits bits. */
static unsigned
hash3(const hc_zdeflate *z, const uint8_t *p)
{
    uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
    return (v * 2654435761u) >> (32 - z->hash_bits);
}

static void
insert(hc_zdeflate *z, const uint8_t *in, size_t pos)
{
    unsigned h = hash3(z, in + pos);
    z->prev[pos] = z->head[h];
    z->head[h] = (uint16_t)(pos + 1);
}

/* The longest earlier match for position pos (chain of pos already linked), longer than best. */
static unsigned
longest_match(const hc_zdeflate *z, const uint8_t *in, size_t len, size_t pos, unsigned best,
              unsigned *dist)
{
    unsigned chain = best >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
    size_t left = len - pos;
    unsigned max = left < MAX_MATCH ? (unsigned)left : MAX_MATCH;
    const uint8_t *cur = in + pos;
    unsigned cand = z->prev[pos];

    if (best >= max) {
        return best;
    }
    while (cand != 0 && chain-- > 0) {
        const uint8_t *m = in + (cand - 1);
        /* Cheap rejections first: the byte that would make it longer, then the first two. */
        if (m[best] == cur[best] && m[0] == cur[0] && m[1] == cur[1]) {
            unsigned l = 2;
            while (l < max && m[l] == cur[l]) {
                l++;
            }
            if (l > best) {
                best = l;
                *dist = (unsigned)(pos - (cand - 1));
                if (l >= NICE_LENGTH || l >= max) {
                    break;
                }
            }
        }
        cand = z->prev[cand - 1];
    }
    return best;
}

/* Parses in into z->syms (literal b = b; match = SYM_MATCH | len << 16 | dist); counts freqs. */
static size_t
lz77(hc_zdeflate *z, const uint8_t *in, size_t len, uint32_t *lfreq, uint32_t *dfreq)
{
    size_t n = 0, i = 0;
    unsigned prev_len = MIN_MATCH - 1, prev_dist = 0;
    bool avail = false;

    /* About one bucket per input byte (at least 256): the table to clear stays small (1 KiB for
     * a 400-byte message: every cleared line is one the search touches anyway), and chains stay
     * short. Only speed depends on it: every candidate is compared byte by byte. */
    z->hash_bits = 8;
    while (z->hash_bits < HC_ZDEFLATE_HASH_BITS && (1u << z->hash_bits) < len) {
        z->hash_bits++;
    }
    memset(z->head, 0, sizeof z->head[0] << z->hash_bits);
    while (i < len) {
        unsigned cur_len = MIN_MATCH - 1, cur_dist = 0;
        if (i + MIN_MATCH <= len) {
            insert(z, in, i);
            if (prev_len < MAX_LAZY) {
                /* Only a longer match than the one at i - 1 matters (zlib's prev_length). */
                cur_len = longest_match(z, in, len, i, prev_len, &cur_dist);
                if (cur_len == MIN_MATCH && cur_dist > TOO_FAR) {
                    cur_len = MIN_MATCH - 1;
                }
            }
        }
        if (prev_len >= MIN_MATCH && cur_len <= prev_len) {
            /* The match found at i - 1 is at least as good: take it. */
            z->syms[n++] = SYM_MATCH | (uint32_t)prev_len << 16 | prev_dist;
            lfreq[257 + len_code(prev_len)]++;
            dfreq[dist_code(prev_dist)]++;
            size_t end = i - 1 + prev_len;
            for (size_t p = i + 1; p < end && p + MIN_MATCH <= len; p++) {
                insert(z, in, p);
            }
            i = end;
            avail = false;
            prev_len = MIN_MATCH - 1;
        } else {
            if (avail) {
                z->syms[n++] = in[i - 1];
                lfreq[in[i - 1]]++;
            }
            avail = true;
            prev_len = cur_len;
            prev_dist = cur_dist;
            i++;
        }
    }
    if (avail) {
        z->syms[n++] = in[len - 1];
        lfreq[in[len - 1]]++;
    }
    return n;
}

/* ---- Huffman code lengths ---- */

/* hc_zdeflate_code_lengths (issue_deflate.h). */
void
hc_zdeflate_code_lengths(const uint32_t *freq, unsigned n, unsigned limit, uint8_t *lens)
{
    uint16_t sym[N_LITLEN], tmp[N_LITLEN];
    uint32_t w[N_LITLEN];
    uint32_t a[N_LITLEN] = { 0 }; /* weights, then parents, then depths (see below) */
    unsigned bl_count[N_LITLEN];  /* depths are below m <= N_LITLEN */
    unsigned m = 0;

    /*
     * The loops below avoid data-dependent branches where they can: with ~200 symbols of
     * unpredictable weights, mispredictions cost more than the arithmetic (measured in the
     * issuing pipeline, bench/bench_issue.c).
     */
    memset(lens, 0, n);
    for (unsigned s = 0; s < n; s++) {
        sym[m] = (uint16_t)s;
        m += freq[s] != 0;
    }
    for (unsigned s = 0; m < 2 && s < n; s++) {
        if (freq[s] == 0) {
            sym[m++] = (uint16_t)s; /* a placeholder of weight 1, never emitted */
        }
    }
    for (unsigned k = 0; k < m; k++) {
        w[sym[k]] = freq[sym[k]] + (freq[sym[k]] == 0);
    }
    /* Sort by weight, stable (ties keep symbol order): insertion sort for the small alphabets
     * (distances, code lengths), else an LSD radix sort on 8-bit digits (weights < 65536 because
     * inputs are < 32 KiB), one pass when every weight is below 256. */
    if (m <= 32) {
        for (unsigned k = 1; k < m; k++) {
            uint16_t v = sym[k];
            unsigned j = k;
            while (j > 0 && w[sym[j - 1]] > w[v]) {
                sym[j] = sym[j - 1];
                j--;
            }
            sym[j] = v;
        }
    } else {
        uint32_t max_w = 0;
        for (unsigned k = 0; k < m; k++) {
            max_w = w[sym[k]] > max_w ? w[sym[k]] : max_w;
        }
        for (unsigned shift = 0; shift < 16 && (max_w >> shift) != 0; shift += 8) {
            unsigned count[257] = { 0 };
            for (unsigned k = 0; k < m; k++) {
                count[((w[sym[k]] >> shift) & 0xff) + 1]++;
            }
            for (unsigned b = 0; b < 256; b++) {
                count[b + 1] += count[b];
            }
            for (unsigned k = 0; k < m; k++) {
                tmp[count[(w[sym[k]] >> shift) & 0xff]++] = sym[k];
            }
            memcpy(sym, tmp, m * sizeof *sym);
        }
    }
    /*
     * Huffman code lengths in place (A. Moffat, J. Katajainen, "In-place calculation of
     * minimum-redundancy codes", WADS 1995): a[] holds the sorted weights; pass 1 pairs the two
     * lightest of the leaf and internal-node queues left to right, leaving parent indices behind;
     * pass 2 turns them into internal node depths; pass 3 hands out leaf depths, deepest first.
     */
    for (unsigned k = 0; k < m; k++) {
        a[k] = w[sym[k]];
    }
    int n_ = (int)m, root = 0, leaf = 2, next;
    a[0] += a[1];
    for (next = 1; next < n_ - 1; next++) {
        if (leaf >= n_ || a[root] < a[leaf]) {
            a[next] = a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] = a[leaf++];
        }
        if (leaf >= n_ || (root < next && a[root] < a[leaf])) {
            a[next] += a[root];
            a[root++] = (uint32_t)next;
        } else {
            a[next] += a[leaf++];
        }
    }
    a[n_ - 2] = 0;
    for (next = n_ - 3; next >= 0; next--) {
        a[next] = a[a[next]] + 1;
    }
    int avail = 1, used = 0;
    uint32_t depth = 0;
    root = n_ - 2;
    next = n_ - 1;
    while (avail > 0) {
        while (root >= 0 && a[root] == depth) {
            used++;
            root--;
        }
        while (avail > used) {
            a[next--] = depth;
            avail--;
        }
        avail = 2 * used;
        depth++;
        used = 0;
    }
    /* a[k] is now the length of the k-th lightest symbol; the lightest is the longest. */
    unsigned max_len = a[0];
    memset(bl_count, 0, (max_len + 1) * sizeof *bl_count);
    for (unsigned k = 0; k < m; k++) {
        bl_count[a[k]]++;
    }
    /* Length limit (ITU-T T.81 Annex K.3): move pairs of the deepest leaves up, keeping the code
     * complete (Kraft sum 1), until nothing is deeper than limit. */
    for (unsigned i = max_len; i > limit; i--) {
        while (bl_count[i] > 0) {
            unsigned j = i - 2;
            while (bl_count[j] == 0) {
                j--;
            }
            bl_count[i] -= 2;
            bl_count[i - 1] += 1;
            bl_count[j + 1] += 2;
            bl_count[j] -= 1;
        }
    }
    /* The least frequent symbols get the longest codes. */
    unsigned len = max_len < limit ? max_len : limit, k = 0;
    for (; len > 0; len--) {
        for (unsigned c = 0; c < bl_count[len]; c++) {
            lens[sym[k++]] = (uint8_t)len;
        }
    }
}

/* The low len bits of v in reverse order (swaps of halves, quarters, ... of a 16-bit word). */
static uint16_t
reverse_bits(unsigned v, unsigned len)
{
    v = ((v >> 1) & 0x5555) | ((v & 0x5555) << 1);
    v = ((v >> 2) & 0x3333) | ((v & 0x3333) << 2);
    v = ((v >> 4) & 0x0f0f) | ((v & 0x0f0f) << 4);
    v = ((v >> 8) & 0x00ff) | ((v & 0x00ff) << 8);
    return (uint16_t)(((uint32_t)v << len) >> 16); /* len 0 gives 0 */
}

/* Canonical codes (§3.2.2), bit-reversed for LSB-first output (§3.1.1). */
static void
build_codes(const uint8_t *lens, unsigned n, uint16_t *codes)
{
    unsigned bl_count[MAX_BITS + 1] = { 0 }, next_code[MAX_BITS + 1] = { 0 };
    unsigned code = 0;
    for (unsigned s = 0; s < n; s++) {
        bl_count[lens[s]]++;
    }
    bl_count[0] = 0;
    for (unsigned bits = 1; bits <= MAX_BITS; bits++) {
        code = (code + bl_count[bits - 1]) << 1;
        next_code[bits] = code;
    }
    /* Unused symbols (length 0) take code 0 from next_code[0], without a branch. */
    for (unsigned s = 0; s < n; s++) {
        unsigned l = lens[s];
        codes[s] = reverse_bits(next_code[l]++, l);
    }
}

/* ---- output ---- */

typedef struct bitw {
    uint8_t *out;
    size_t cap, pos;
    uint64_t acc;
    unsigned n;
    bool overflow;
} bitw;

/* Appends nbits (<= 28) bits of value; whole 32-bit words leave the accumulator at once. */
static inline void
put_bits(bitw *b, uint32_t value, unsigned nbits)
{
    b->acc |= (uint64_t)value << b->n;
    b->n += nbits;
    if (b->n >= 32) {
        if (b->cap - b->pos >= 4) {
            uint32_t word = (uint32_t)b->acc;
            for (int k = 0; k < 4; k++) {
                b->out[b->pos++] = (uint8_t)(word >> (8 * k));
            }
        } else {
            b->overflow = true;
        }
        b->acc >>= 32;
        b->n -= 32;
    }
}

/* Pads to a byte boundary with zero bits and writes out every whole byte. */
static void
flush_bytes(bitw *b)
{
    b->n = (b->n + 7) & ~7u;
    while (b->n > 0) {
        if (b->pos < b->cap) {
            b->out[b->pos++] = (uint8_t)b->acc;
        } else {
            b->overflow = true;
        }
        b->acc >>= 8;
        b->n -= 8;
    }
}

typedef struct codes {
    uint8_t llen[N_LITLEN + 2], dlen[N_DIST]; /* +2: fixed codes 286, 287 exist (§3.2.6) */
    uint16_t lcode[N_LITLEN + 2], dcode[N_DIST];
} codes;

/* Bits of the symbols (with extra bits) under c. */
static size_t
data_bits(const uint32_t *lfreq, const uint32_t *dfreq, const codes *c)
{
    size_t bits = 0;
    for (unsigned s = 0; s < N_LITLEN; s++) {
        bits += (size_t)lfreq[s] * (c->llen[s] + (s > END_BLOCK ? len_extra[s - 257] : 0));
    }
    for (unsigned s = 0; s < N_DIST; s++) {
        bits += (size_t)dfreq[s] * (c->dlen[s] + dist_extra[s]);
    }
    return bits;
}

static void
put_symbols(bitw *b, const uint32_t *syms, size_t n, const codes *c)
{
    for (size_t k = 0; k < n; k++) {
        uint32_t s = syms[k];
        if ((s & SYM_MATCH) == 0) {
            put_bits(b, c->lcode[s], c->llen[s]);
            continue;
        }
        unsigned len = (s >> 16) & 0x1ff, dist = s & 0xffff; /* distances < 32768 here */
        unsigned lc = len_code(len), dc = dist_code(dist);
        /* Each code with its extra bits in one call: at most 15 + 5 and 15 + 13 bits. */
        put_bits(b, c->lcode[257 + lc] | (len - len_base[lc]) << c->llen[257 + lc],
                 c->llen[257 + lc] + len_extra[lc]);
        put_bits(b, c->dcode[dc] | (dist - dist_base[dc]) << c->dlen[dc],
                 c->dlen[dc] + dist_extra[dc]);
    }
    put_bits(b, c->lcode[END_BLOCK], c->llen[END_BLOCK]);
}

/* The code length sequence of a dynamic header, run-length coded (§3.2.7). */
typedef struct cl_seq {
    uint8_t sym[N_LITLEN + N_DIST], extra[N_LITLEN + N_DIST];
    unsigned n;
    uint32_t freq[N_CL];
} cl_seq;

static void
cl_put(cl_seq *q, unsigned sym, unsigned extra)
{
    q->sym[q->n] = (uint8_t)sym;
    q->extra[q->n] = (uint8_t)extra;
    q->n++;
    q->freq[sym]++;
}

static void
rle_lengths(const uint8_t *lens, unsigned total, cl_seq *q)
{
    q->n = 0;
    memset(q->freq, 0, sizeof q->freq);
    for (unsigned i = 0; i < total;) {
        unsigned cur = lens[i], run = 1;
        while (i + run < total && lens[i + run] == cur) {
            run++;
        }
        i += run;
        if (cur == 0) {
            while (run >= 11) { /* 18: 11..138 zeros, 7 extra bits */
                unsigned r = run < 138 ? run : 138;
                cl_put(q, 18, r - 11);
                run -= r;
            }
            if (run >= 3) { /* 17: 3..10 zeros, 3 extra bits */
                cl_put(q, 17, run - 3);
                run = 0;
            }
        } else {
            cl_put(q, cur, 0);
            run--;
            while (run >= 3) { /* 16: repeat the previous length 3..6 times, 2 extra bits */
                unsigned r = run < 6 ? run : 6;
                cl_put(q, 16, r - 3);
                run -= r;
            }
        }
        while (run > 0) {
            cl_put(q, cur, 0);
            run--;
        }
    }
}

/* The fixed codes (§3.2.6), made once. */
static codes fixed;
static pthread_once_t fixed_once = PTHREAD_ONCE_INIT;

static void
fixed_init(void)
{
    codes *c = &fixed;
    for (unsigned s = 0; s < N_LITLEN + 2; s++) {
        c->llen[s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
    }
    memset(c->dlen, 5, sizeof c->dlen);
    build_codes(c->llen, N_LITLEN + 2, c->lcode);
    build_codes(c->dlen, N_DIST, c->dcode);
}

hc_err
hc_zdeflate_compress(hc_zdeflate *z, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                     size_t *out_len)
{
    uint32_t lfreq[N_LITLEN] = { 0 }, dfreq[N_DIST] = { 0 };
    codes dyn;
    cl_seq q;
    uint8_t cl_len[N_CL];
    uint16_t cl_code[N_CL];
    uint8_t all_lens[N_LITLEN + N_DIST];

    if (len > HC_ZDEFLATE_MAX_IN) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    size_t nsyms = len ? lz77(z, in, len, lfreq, dfreq) : 0;
    lfreq[END_BLOCK] = 1;

    /* Dynamic codes and the size of each block type, in bits after the 3-bit block header. */
    hc_zdeflate_code_lengths(lfreq, N_LITLEN, MAX_BITS, dyn.llen);
    hc_zdeflate_code_lengths(dfreq, N_DIST, MAX_BITS, dyn.dlen);
    unsigned hlit = N_LITLEN, hdist = N_DIST, hclen = N_CL;
    while (hlit > 257 && dyn.llen[hlit - 1] == 0) {
        hlit--;
    }
    while (hdist > 1 && dyn.dlen[hdist - 1] == 0) {
        hdist--;
    }
    memcpy(all_lens, dyn.llen, hlit);
    memcpy(all_lens + hlit, dyn.dlen, hdist);
    rle_lengths(all_lens, hlit + hdist, &q);
    hc_zdeflate_code_lengths(q.freq, N_CL, MAX_CL_BITS, cl_len);
    while (hclen > 4 && cl_len[cl_order[hclen - 1]] == 0) {
        hclen--;
    }
    size_t dyn_bits = 5 + 5 + 4 + 3 * (size_t)hclen + data_bits(lfreq, dfreq, &dyn);
    for (unsigned k = 0; k < q.n; k++) {
        unsigned s = q.sym[k];
        dyn_bits += cl_len[s] + (s == 16 ? 2 : s == 17 ? 3 : s == 18 ? 7 : 0);
    }
    pthread_once(&fixed_once, fixed_init);
    size_t fix_bits = data_bits(lfreq, dfreq, &fixed);
    /* Stored: padding to a byte (5 bits: 16 header bits + 3 block header bits) + LEN + NLEN +
     * the bytes. */
    size_t stored_bits = 5 + 32 + 8 * len;

    bitw b = { .out = out, .cap = cap };
    put_bits(&b, 0x78, 8); /* CMF: deflate, 32 KiB window (RFC 1950 §2.2) */
    put_bits(&b, 0xda, 8); /* FLG: FLEVEL 3, no dictionary, FCHECK (0x78da % 31 == 0) */
    if (stored_bits <= dyn_bits && stored_bits <= fix_bits) {
        put_bits(&b, 1, 3); /* BFINAL, BTYPE 00 (§3.2.4) */
        flush_bytes(&b);
        put_bits(&b, (uint32_t)len, 16);
        put_bits(&b, (uint32_t)(~len & 0xffff), 16);
        for (size_t k = 0; k < len; k++) {
            put_bits(&b, in[k], 8);
        }
    } else if (fix_bits <= dyn_bits) {
        put_bits(&b, 1 | 1 << 1, 3); /* BFINAL, BTYPE 01 */
        put_symbols(&b, z->syms, nsyms, &fixed);
    } else {
        /* The codes themselves are needed only now (their lengths gave the sizes). */
        build_codes(dyn.llen, N_LITLEN, dyn.lcode);
        build_codes(dyn.dlen, N_DIST, dyn.dcode);
        build_codes(cl_len, N_CL, cl_code);
        put_bits(&b, 1 | 2 << 1, 3); /* BFINAL, BTYPE 10 */
        put_bits(&b, hlit - 257, 5);
        put_bits(&b, hdist - 1, 5);
        put_bits(&b, hclen - 4, 4);
        for (unsigned k = 0; k < hclen; k++) {
            put_bits(&b, cl_len[cl_order[k]], 3);
        }
        for (unsigned k = 0; k < q.n; k++) {
            unsigned s = q.sym[k];
            put_bits(&b, cl_code[s], cl_len[s]);
            if (s >= 16) {
                put_bits(&b, q.extra[k], s == 16 ? 2 : s == 17 ? 3 : 7);
            }
        }
        put_symbols(&b, z->syms, nsyms, &dyn);
    }
    flush_bytes(&b);
    uint32_t adler = (uint32_t)adler32(adler32(0L, Z_NULL, 0), in, (uInt)len);
    for (int shift = 24; shift >= 0; shift -= 8) { /* RFC 1950 §2.2: most significant first */
        put_bits(&b, (adler >> shift) & 0xff, 8);
    }
    flush_bytes(&b);
    if (b.overflow) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }
    *out_len = b.pos;
    return HC_OK;
}
