/*
 * deflate.c: DEFLATE (RFC 1951) in a zlib container (RFC 1950) for small messages
 * (see issue_deflate.h for the why and the choices).
 *
 * Section references are to RFC 1951 unless noted. Where the time goes for a 400-byte COSE
 * message, and why each part is written the way it is, is in docs/issue.md ("Speed").
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
#define MAX_CHAIN   4096
/* zlib's TOO_FAR: a 3-byte match this far back costs more bits than three literals. */
#define TOO_FAR 4096

#define N_LITLEN    286 /* 0..255 literals, 256 end of block, 257..285 lengths (§3.2.5) */
#define N_DIST      30  /* distance codes 0..29 (§3.2.5) */
#define N_CL        19  /* code length alphabet (§3.2.7) */
#define END_BLOCK   256
#define MAX_BITS    15 /* longest literal/length and distance code (§3.2.7) */
#define MAX_CL_BITS 7  /* longest code length code: lengths are sent in 3 bits (§3.2.7) */

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
/* §3.2.7: extra bits after code length symbols 16 (repeat 3..6), 17 (3..10 zeros), 18 (11..138). */
static const uint8_t cl_extra[N_CL] = { [16] = 2, [17] = 3, [18] = 7 };

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

/* The 3 bytes at p as one number (the hash key; candidates are compared against it), from one
 * 4-byte load where the input has a byte to spare after them. */
static inline uint32_t
key3(const uint8_t *p, const uint8_t *end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (end - p >= 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        return v & 0xffffff;
    }
#else
    (void)end;
#endif
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* Knuth's multiplicative hash of a 3-byte key, to 32 - shift bits. */
static inline unsigned
hash3(uint32_t key, unsigned shift)
{
    return (key * 2654435761u) >> shift;
}

/* How many bytes a and b have in common, up to max (both within the input for max bytes). */
static inline unsigned
common_len(const uint8_t *a, const uint8_t *b, unsigned max)
{
    unsigned l = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight bytes per step: the lowest differing bit of the XOR is in the first differing byte
     * (little-endian loads). */
    while (l + 8 <= max) {
        uint64_t x, y;
        memcpy(&x, a + l, 8);
        memcpy(&y, b + l, 8);
        if (x != y) {
            return l + (unsigned)__builtin_ctzll(x ^ y) / 8;
        }
        l += 8;
    }
#endif
    while (l < max && a[l] == b[l]) {
        l++;
    }
    return l;
}

/*
 * The longest earlier match for the bytes at pos (key: their first three), longer than best
 * (< max), following the chain from cand (position + 1, non-zero). Unchanged best when none.
 */
static inline unsigned
longest_match(const uint16_t *prev, const uint8_t *in, size_t pos, uint32_t key, unsigned cand,
              unsigned best, unsigned max, unsigned *dist)
{
    unsigned chain = best >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
    const uint8_t *cur = in + pos;
    do {
        const uint8_t *m = in + (cand - 1);
        /* Cheap rejections first: the byte that would make it longer, then the first three
         * (another key with the same hash). */
        if (m[best] == cur[best] && key3(m, cur + MIN_MATCH) == key) {
            unsigned l = MIN_MATCH + common_len(m + MIN_MATCH, cur + MIN_MATCH, max - MIN_MATCH);
            if (l > best) {
                best = l;
                *dist = (unsigned)(pos - (cand - 1));
                if (l >= max) {
                    break; /* max <= 258 = zlib level 9's nice_length */
                }
            }
        }
        cand = prev[cand - 1];
    } while (cand != 0 && --chain != 0);
    return best;
}

/*
 * zlib's deflate_slow at level 9, step for step: at each position the match found at the
 * previous one is taken unless this one has a longer match (then the previous byte goes out as a
 * literal and the decision moves on by one). Only the matches are recorded, as pairs
 * z->match[2k] = position, z->match[2k + 1] = length << 16 | distance; the bytes between them are
 * literals, counted and written straight from the input. Returns the number of matches.
 */
static size_t
lz77(hc_zdeflate *z, const uint8_t *in, size_t len, uint32_t *lfreq, uint32_t *dfreq)
{
    uint16_t *head = z->head, *prev = z->prev;
    uint32_t *match = z->match;
    size_t nm = 0, i = 0;

    if (len < MIN_MATCH) {
        return 0;
    }
    /* About eight buckets per input byte (at least 256, at most 2^HC_ZDEFLATE_HASH_BITS): an
     * empty bucket, the usual case, costs one predictable branch, while a candidate of another
     * key costs a comparison and often a misprediction; clearing 8 KiB for a 400-byte message is
     * cheaper than those (measured: 1.5x faster than one bucket per byte). Only speed depends on
     * it: every candidate is compared byte by byte. */
    unsigned bits = 8;
    while (bits < HC_ZDEFLATE_HASH_BITS && (1u << bits) < 8 * len) {
        bits++;
    }
    z->hash_bits = bits;
    const unsigned shift = 32 - bits;
    const size_t last = len - MIN_MATCH; /* the last position with three bytes to hash */
    memset(head, 0, sizeof *head << bits);
    for (;;) {
        /* Nothing pending: the first position with a match (zlib: prev_length 2). */
        unsigned cur_len = 0, cur_dist = 0;
        for (; i <= last; i++) {
            uint32_t key = key3(in + i, in + len);
            unsigned h = hash3(key, shift);
            unsigned cand = head[h];
            prev[i] = (uint16_t)cand;
            head[h] = (uint16_t)(i + 1);
            if (cand != 0) {
                size_t left = len - i;
                unsigned max = left < MAX_MATCH ? (unsigned)left : MAX_MATCH;
                unsigned l = longest_match(prev, in, i, key, cand, MIN_MATCH - 1, max, &cur_dist);
                if (l > MIN_MATCH || (l == MIN_MATCH && cur_dist <= TOO_FAR)) {
                    cur_len = l;
                    break;
                }
            }
        }
        if (cur_len == 0) {
            break; /* no three bytes left to match: the rest are literals */
        }
        /* A match at `at`: lazy evaluation looks for a longer one at the next position. */
        size_t at = i;
        for (;;) {
            unsigned next_len = 0, next_dist = 0;
            i = at + 1;
            if (i <= last) {
                uint32_t key = key3(in + i, in + len);
                unsigned h = hash3(key, shift);
                unsigned cand = head[h];
                prev[i] = (uint16_t)cand;
                head[h] = (uint16_t)(i + 1);
                size_t left = len - i;
                unsigned max = left < MAX_MATCH ? (unsigned)left : MAX_MATCH;
                /* Past MAX_LAZY zlib does not look; a longer match needs cur_len < max. */
                if (cand != 0 && cur_len < MAX_LAZY && cur_len < max) {
                    next_len = longest_match(prev, in, i, key, cand, cur_len, max, &next_dist);
                }
            }
            if (next_len <= cur_len) {
                break;
            }
            at = i; /* the byte at the old position goes out as a literal */
            cur_len = next_len;
            cur_dist = next_dist;
        }
        match[2 * nm] = (uint32_t)at;
        match[2 * nm + 1] = (uint32_t)cur_len << 16 | cur_dist;
        nm++;
        lfreq[257 + len_code(cur_len)]++;
        dfreq[dist_code(cur_dist)]++;
        /* Every position inside the match goes into the chains (zlib level 9 inserts all). */
        size_t end = at + cur_len;
        size_t stop = end <= last ? end : last + 1;
        for (size_t p = i + 1; p < stop; p++) {
            unsigned h = hash3(key3(in + p, in + len), shift);
            prev[p] = head[h];
            head[h] = (uint16_t)(p + 1);
        }
        i = end;
    }
    return nm;
}

/* Literal counts: every byte, less the bytes the matches cover. */
static void
count_literals(const uint8_t *in, size_t len, const uint32_t *match, size_t nm, uint32_t *lfreq)
{
    /* Two tables alternate so that runs of one byte do not wait on their own increments. */
    uint32_t odd[256] = { 0 };
    size_t k = 0;
    for (; k + 1 < len; k += 2) {
        lfreq[in[k]]++;
        odd[in[k + 1]]++;
    }
    if (k < len) {
        lfreq[in[k]]++;
    }
    for (unsigned b = 0; b < 256; b++) {
        lfreq[b] += odd[b];
    }
    for (size_t m = 0; m < nm; m++) {
        const uint8_t *p = in + match[2 * m];
        unsigned l = match[2 * m + 1] >> 16;
        for (unsigned j = 0; j < l; j++) {
            lfreq[p[j]]--;
        }
    }
}

/* ---- Huffman code lengths ---- */

/*
 * Optimal code lengths by rank: sym[0..m) are the coded symbols, lightest first (ties in
 * ascending symbol order), rank_len[k] the length of sym[k] (non-increasing in k).
 */
typedef struct huff {
    unsigned m;
    uint16_t sym[N_LITLEN];
    uint32_t w[N_LITLEN + 1]; /* sorted weights, then the length computation's work array */
    uint8_t rank_len[N_LITLEN];
    uint32_t bits;               /* sum of weight * length: the coded symbols' size, extra aside */
    uint16_t nlen[MAX_BITS + 1]; /* how many symbols have each length */
} huff;

/* Weights below this are sorted by one counting pass (a DCC's symbol counts are far below);
 * heavier inputs take two 8-bit radix passes (weights < 65536: inputs are < 32 KiB). */
#define COUNT_SORT_LIMIT 1024
/* Independent counter sets of the counting sort (depths_by_groups says why). */
#define LANES 4

/*
 * The two-queue Huffman method (leaves sorted by weight; internal nodes come out in
 * non-decreasing weight; the two lightest items are merged, a leaf before an internal node of
 * equal weight) takes items in one global order, and node j is made of the items taken 2j-th and
 * (2j+1)-th. With many equal weights (a DCC has dozens of bytes that occur once or twice), items
 * of one weight are taken together: a group of c leaves of weight x (or a run of c nodes) makes
 * c / 2 nodes of weight 2x at once, an odd one pairs with its neighbour. The merging then has no
 * per-symbol choice to mispredict (measured on DCCs: 20% faster than moffat_katajainen() after
 * the same sort); positions and depths are still written per symbol. It is the same tree as
 * moffat_katajainen() builds (same order, same ties), so the same lengths.
 *
 * Sorts h->sym[0..m) by weight (stable) and leaves the depth of each in h->w[0..m).
 */
static void
depths_by_groups(const uint32_t *freq, huff *h, uint32_t max_w)
{
    unsigned m = h->m;
    uint16_t *sym = h->sym;
    uint16_t count[LANES][COUNT_SORT_LIMIT], tmp[N_LITLEN];
    /* Leaf groups (weight, count) ascending; internal runs (weight, count, first node). */
    uint32_t gw[N_LITLEN], iw[N_LITLEN];
    uint16_t gc[N_LITLEN], ic[N_LITLEN], ifirst[N_LITLEN];
    /* Position in the taking order of each leaf (by rank) and each node (the root has none). */
    uint16_t lpos[N_LITLEN], npos[N_LITLEN], depth[N_LITLEN];

    /*
     * Stable counting sort by weight. The symbols are cut into LANES consecutive parts, each with
     * its own counters, and the parts are stepped through side by side: most symbols share a few
     * weights, and one set of counters would make every step wait on the previous step's store
     * to the same counter.
     */
    unsigned part = (m + LANES - 1) / LANES, ng = 0, at = 0;
    for (unsigned l = 0; l < LANES; l++) {
        memset(count[l], 0, (max_w + 1) * sizeof count[l][0]);
    }
    for (unsigned i = 0; i < part; i++) {
        for (unsigned l = 0; l < LANES; l++) {
            unsigned k = l * part + i;
            if (k < m) {
                count[l][freq[sym[k]]]++;
            }
        }
    }
    for (uint32_t w = 1; w <= max_w; w++) {
        unsigned c = 0;
        for (unsigned l = 0; l < LANES; l++) {
            unsigned n = count[l][w];
            count[l][w] = (uint16_t)(at + c); /* where this part's symbols of weight w go */
            c += n;
        }
        gw[ng] = w;
        gc[ng] = (uint16_t)c;
        ng += c != 0;
        at += c;
    }
    for (unsigned i = 0; i < part; i++) {
        for (unsigned l = 0; l < LANES; l++) {
            unsigned k = l * part + i;
            if (k < m) {
                tmp[count[l][freq[sym[k]]]++] = sym[k];
            }
        }
    }
    memcpy(sym, tmp, m * sizeof *sym);

    unsigned to_take = 2 * (m - 1); /* every item but the root */
    unsigned taken = 0, nodes = 0, gi = 0, qi = 0, qn = 0, rank = 0;
    uint32_t odd_w = 0; /* weight of the item waiting for its pair (taken odd) */
    while (taken < to_take) {
        bool leaf = gi < ng && (qi == qn || gw[gi] <= iw[qi]);
        uint32_t x;
        unsigned k;
        if (leaf) {
            x = gw[gi];
            k = gc[gi++];
            for (unsigned t = 0; t < k; t++) {
                lpos[rank + t] = (uint16_t)(taken + t);
            }
            rank += k;
        } else {
            x = iw[qi];
            k = ic[qi];
            k = k < to_take - taken ? k : to_take - taken; /* the root is never taken */
            for (unsigned t = 0; t < k; t++) {
                npos[ifirst[qi] + t] = (uint16_t)(taken + t);
            }
            qi++;
        }
        /* New nodes: the waiting item with the first of these, then pairs of these. Both are
         * heavier than x, and merging into the last run needs equal weights, so a run being
         * taken never grows. */
        unsigned rest = k;
        for (int half = 0; half < 2; half++) {
            unsigned c = half == 0 ? taken & 1 : rest / 2;
            uint32_t w = half == 0 ? odd_w + x : 2 * x;
            if (c == 0) {
                continue;
            }
            if (qn > qi && iw[qn - 1] == w) {
                ic[qn - 1] = (uint16_t)(ic[qn - 1] + c);
            } else {
                iw[qn] = w;
                ic[qn] = (uint16_t)c;
                ifirst[qn++] = (uint16_t)nodes;
            }
            nodes += c;
            rest -= half == 0 ? 1 : 0;
        }
        odd_w = (rest & 1) ? x : odd_w;
        taken += k;
    }
    /* Depths: the root (node m - 2) is at 0, node j's parent is the node its position pairs
     * into, which was made later, so one pass from the root down; then the leaves. */
    depth[m - 2] = 0;
    for (int j = (int)m - 3; j >= 0; j--) {
        depth[j] = (uint16_t)(depth[npos[j] >> 1] + 1);
    }
    for (unsigned r = 0; r < m; r++) {
        h->w[r] = depth[lpos[r] >> 1] + 1u;
    }
}

/*
 * Huffman code lengths in place (A. Moffat, J. Katajainen, "In-place calculation of
 * minimum-redundancy codes", WADS 1995): a[0..m) holds the sorted weights; pass 1 pairs the two
 * lightest of the leaf and internal-node queues left to right, leaving parent indices behind;
 * pass 2 turns them into internal node depths; pass 3 hands out leaf depths, deepest first.
 * a[m] must exist (a sentinel).
 */
static void
moffat_katajainen(uint32_t *a, unsigned m)
{
    int n_ = (int)m, root = 0, leaf = 2, next;
    /* Pass 1 without branches (the choices are unpredictable, ~2 per symbol): a[m] is a
     * sentinel heavier than any node, so an exhausted leaf queue never wins. A node is taken from
     * the internal queue only when strictly lighter (ties go to leaves, as in the paper). When
     * root reaches next, leaf == next too (leaf + root == 2 * next), so the first pick compares a
     * slot with itself and takes the leaf; the second pick checks root < next because a[next]
     * holds the partial sum by then. Untaken picks store back the value they read. */
    a[m] = UINT32_MAX;
    a[0] += a[1];
    for (next = 1; next < n_ - 1; next++) {
        uint32_t r = a[root], l = a[leaf];
        unsigned tr = r < l;
        a[next] = tr ? r : l;
        a[root] = tr ? (uint32_t)next : r;
        root += (int)tr;
        leaf += (int)(1 - tr);
        r = a[root];
        l = a[leaf];
        tr = (root < next) & (r < l);
        uint32_t w2 = tr ? r : l;
        a[root] = tr ? (uint32_t)next : r;
        a[next] += w2;
        root += (int)tr;
        leaf += (int)(1 - tr);
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
}

static void
huff_build(const uint32_t *freq, unsigned n, unsigned limit, huff *h)
{
    uint16_t *sym = h->sym;
    uint32_t *a = h->w;
    uint32_t max_w = 0;
    unsigned m = 0;

    /* The symbols that occur, in order (branch-free: mispredictions cost more than the work). */
    for (unsigned s = 0; s < n; s++) {
        sym[m] = (uint16_t)s;
        m += freq[s] != 0;
    }
    for (unsigned k = 0; k < m; k++) {
        max_w = freq[sym[k]] > max_w ? freq[sym[k]] : max_w;
    }
    h->m = m;
    if (m > 32 && max_w < COUNT_SORT_LIMIT) {
        depths_by_groups(freq, h, max_w); /* many symbols of small counts: DCC literals */
    } else if (m <= 32) {
        /* As zlib: at least two codes (a one-code code is incomplete, which inflaters refuse for
         * the code length code); placeholders of weight 1 take the first free symbols. */
        for (unsigned s = 0; m < 2 && s < n; s++) {
            if (freq[s] == 0) {
                sym[m++] = (uint16_t)s;
            }
        }
        h->m = m;
        /* Stable sort by weight (ties keep symbol order), then the general method. */
        for (unsigned k = 0; k < m; k++) {
            a[k] = freq[sym[k]] + (freq[sym[k]] == 0);
        }
        for (unsigned k = 1; k < m; k++) {
            uint16_t v = sym[k];
            uint32_t wv = a[k];
            unsigned j = k;
            while (j > 0 && a[j - 1] > wv) {
                sym[j] = sym[j - 1];
                a[j] = a[j - 1];
                j--;
            }
            sym[j] = v;
            a[j] = wv;
        }
        moffat_katajainen(a, m);
    } else {
        uint16_t tmp[N_LITLEN];
        for (unsigned shift = 0; shift < 16 && (max_w >> shift) != 0; shift += 8) {
            unsigned count[257] = { 0 };
            for (unsigned k = 0; k < m; k++) {
                count[((freq[sym[k]] >> shift) & 0xff) + 1]++;
            }
            for (unsigned b = 0; b < 256; b++) {
                count[b + 1] += count[b];
            }
            for (unsigned k = 0; k < m; k++) {
                tmp[count[(freq[sym[k]] >> shift) & 0xff]++] = sym[k];
            }
            memcpy(sym, tmp, m * sizeof *sym);
        }
        for (unsigned k = 0; k < m; k++) {
            a[k] = freq[sym[k]];
        }
        moffat_katajainen(a, m);
    }
    /* a[k] is now the length of the k-th lightest symbol; the lightest is the longest. */
    unsigned max_len = a[0];
    h->bits = 0;
    memset(h->nlen, 0, sizeof h->nlen);
    if (max_len <= limit) {
        /* Counts per length from where each length's ranks end (lengths do not increase with
         * the rank): stores only, where counting up would chain every step on the last. */
        uint16_t end[MAX_BITS + 1] = { 0 }, prev_end = 0;
        for (unsigned k = 0; k < m; k++) {
            h->rank_len[k] = (uint8_t)a[k];
            h->bits += freq[sym[k]] * a[k];
            end[a[k]] = (uint16_t)(k + 1);
        }
        for (unsigned len = MAX_BITS; len > 0; len--) {
            if (end[len] != 0) {
                h->nlen[len] = (uint16_t)(end[len] - prev_end);
                prev_end = end[len];
            }
        }
        return;
    }
    /* Length limit (ITU-T T.81 Annex K.3): move pairs of the deepest leaves up, keeping the code
     * complete (Kraft sum 1), until nothing is deeper than limit. */
    unsigned bl_count[N_LITLEN];
    memset(bl_count, 0, (max_len + 1) * sizeof *bl_count);
    for (unsigned k = 0; k < m; k++) {
        bl_count[a[k]]++;
    }
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
    unsigned k = 0;
    for (unsigned len = limit; len > 0; len--) {
        h->nlen[len] = (uint16_t)bl_count[len];
        for (unsigned c = 0; c < bl_count[len]; c++) {
            h->bits += freq[sym[k]] * len;
            h->rank_len[k++] = (uint8_t)len;
        }
    }
}

/* The lengths of h by symbol into lens[0..n) (0 for symbols without a code). */
static void
huff_assign(const huff *h, unsigned n, uint8_t *lens)
{
    memset(lens, 0, n);
    for (unsigned k = 0; k < h->m; k++) {
        lens[h->sym[k]] = h->rank_len[k];
    }
}

/* hc_zdeflate_code_lengths (issue_deflate.h). */
void
hc_zdeflate_code_lengths(const uint32_t *freq, unsigned n, unsigned limit, uint8_t *lens)
{
    huff h;
    huff_build(freq, n, limit, &h);
    huff_assign(&h, n, lens);
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

/*
 * Canonical codes (§3.2.2), bit-reversed for LSB-first output (§3.1.1), each packed with its
 * length as code | len << 16 (one load per symbol when writing).
 */
static void
build_codes(const uint8_t *lens, unsigned n, uint32_t *codes)
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
        codes[s] = reverse_bits(next_code[l]++, l) | (uint32_t)l << 16;
    }
}

/* ---- the dynamic block's header (§3.2.7) ---- */

/* The code lengths of both alphabets as one sequence (literal/length, then distance). */
#define SEQ_MAX (N_LITLEN + N_DIST)
/* Cost of a code length symbol that the code length code does not have. */
#define NO_CODE 0xffffu

/* The run-length coded sequence: items (a symbol 0..18 and its extra bits' value). */
typedef struct cl_items {
    uint8_t sym[SEQ_MAX], extra[SEQ_MAX];
    unsigned n;
} cl_items;

typedef struct header {
    uint8_t seq[SEQ_MAX]; /* lengths of literal/length 0..hlit-1, then distance 0..hdist-1 */
    unsigned hlit, hdist, hclen;
    unsigned nruns;              /* seq as runs of equal lengths: */
    uint16_t start[SEQ_MAX + 1]; /* run k is seq[start[k]..start[k + 1]) */
    bool refined;                /* the items are the cheapest parse (else zlib's greedy one) */
    uint16_t cost[N_CL]; /* the greedy parse's code length code: bits per item with its extra */
    uint8_t cl_len[N_CL];
    size_t bits; /* the header after the 3-bit block header */
} header;

/*
 * How a run of r equal lengths v is coded (§3.2.7): n18 items "18" (11..138 zeros), n17 "17"
 * (3..10 zeros), n16 "16" (3..6 repeats of the length before), nlit the length itself (for a
 * non-zero run the first item is always one: 16 repeats the previous length).
 */
typedef struct plan {
    unsigned n18, n17, n16, nlit;
} plan;

/* zlib's rule (trees.c scan_tree): 18 while 11 or more zeros are left (138 at most each), then
 * 17 for 3..10, else one by one; a non-zero length, then 16 while 3 or more repeats are left. */
static plan
plan_greedy(unsigned v, unsigned r)
{
    plan p = { 0, 0, 0, 0 };
    if (v == 0) {
        unsigned rem = r % 138;
        p.n18 = r / 138 + (rem >= 11);
        rem = rem >= 11 ? 0 : rem;
        p.n17 = rem >= 3;
        p.nlit = rem >= 3 ? 0 : rem;
    } else {
        unsigned k = r - 1, rem = k % 6;
        p.n16 = k / 6 + (rem >= 3);
        p.nlit = 1 + (rem >= 3 ? 0 : rem);
    }
    return p;
}

/* Bits of a plan under cost[] (code length plus extra bits; NO_CODE makes a plan unusable). */
static uint32_t
plan_cost(plan p, unsigned v, const uint16_t *cost)
{
    return p.n18 * (uint32_t)cost[18] + p.n17 * (uint32_t)cost[17] + p.n16 * (uint32_t)cost[16] +
           p.nlit * (uint32_t)cost[v];
}

/*
 * The cheapest plan under cost[]. With c items of one repeat symbol (range lo..hi) and literals
 * for the rest of k, the cost is linear in c on both sides of k / hi, so only c = 0, floor(k / hi)
 * and ceil(k / hi) (when c * lo <= k) can be cheapest. Zeros: one 18 covers all of 11..138, so
 * beside ceil(r / 138) 18s alone only floor(r / 138) 18s with the rest (k = r % 138) as 17s and
 * zeros count; the 18s can then leave 17s more zeros than k (down to 11 each), so c * lo <= k
 * does not bind. The candidates include the greedy plan, so the result never costs more.
 */
static plan
plan_cheapest(unsigned v, unsigned r, const uint16_t *cost)
{
    plan best = plan_greedy(v, r);
    uint32_t best_cost = plan_cost(best, v, cost);
    unsigned k = v == 0 ? r % 138 : r - 1, hi = v == 0 ? 10 : 6;
    unsigned cs[3] = { 0, k / hi, (k + hi - 1) / hi };
    for (int i = 0; i < 3; i++) {
        unsigned c = cs[i];
        /* c repeat items cover at least 3 each, unless 18s can give up zeros to them. */
        if (3 * c > k && !(v == 0 && r >= 138)) {
            continue;
        }
        unsigned lits = k - (k < hi * c ? k : hi * c);
        plan p = { 0, 0, 0, 0 };
        if (v == 0) {
            p.n18 = r / 138;
            p.n17 = c;
            p.nlit = lits;
        } else {
            p.n16 = c;
            p.nlit = 1 + lits;
        }
        uint32_t pc = plan_cost(p, v, cost);
        if (pc < best_cost) {
            best = p;
            best_cost = pc;
        }
    }
    if (v == 0 && r >= 11) {
        plan p = { (r + 137) / 138, 0, 0, 0 }; /* 11 * n18 <= r holds for r >= 11 */
        uint32_t pc = plan_cost(p, v, cost);
        if (pc < best_cost) {
            best = p;
        }
    }
    return best;
}

/* n items of sym covering total (each lo..hi; feasible by construction of the plans). */
static void
put_items(cl_items *q, unsigned sym, unsigned n, unsigned total, unsigned lo, unsigned hi)
{
    for (; n > 0; n--) {
        unsigned t = total - lo * (n - 1); /* leave the others their minimum */
        t = t < hi ? t : hi;
        q->sym[q->n] = (uint8_t)sym;
        q->extra[q->n] = (uint8_t)(t - lo);
        q->n++;
        total -= t;
    }
}

/* The items of a plan for a run of r lengths v, in an order a decoder accepts. */
static void
plan_items(plan p, unsigned v, unsigned r, cl_items *q)
{
    unsigned lits = p.nlit;
    if (v != 0) {
        q->sym[q->n] = (uint8_t)v; /* the length itself first: 16 repeats it */
        q->extra[q->n++] = 0;
        lits--;
        r--;
    }
    unsigned covered = r - lits;
    if (v == 0) {
        unsigned by18 = covered - 3 * p.n17; /* as much as the 18s take, the 17s keep 3 each */
        by18 = by18 < 138 * p.n18 ? by18 : 138 * p.n18;
        put_items(q, 18, p.n18, by18, 11, 138);
        put_items(q, 17, p.n17, covered - by18, 3, 10);
    } else {
        put_items(q, 16, p.n16, covered, 3, 6);
    }
    for (; lits > 0; lits--) {
        q->sym[q->n] = (uint8_t)v;
        q->extra[q->n++] = 0;
    }
}

/* Bits of the items counted in freq under the code length code lens (after the 3-bit block
 * header: HLIT, HDIST, HCLEN, the code length code's lengths, the items). Sets hclen. */
static size_t
header_bits(const uint32_t *freq, const uint8_t *lens, unsigned *hclen)
{
    unsigned n = N_CL;
    while (n > 4 && lens[cl_order[n - 1]] == 0) {
        n--;
    }
    *hclen = n;
    size_t bits = 5 + 5 + 4 + 3 * (size_t)n;
    for (unsigned s = 0; s < N_CL; s++) {
        bits += freq[s] * (size_t)(lens[s] + cl_extra[s]);
    }
    return bits;
}

/*
 * The header of the dynamic block with the lengths of hl and hd: the sequence, its runs, and the
 * cheaper of two parses: zlib's greedy one, and the cheapest parse under the greedy parse's own
 * code length code (then with a code length code made for it: never more bits than greedy,
 * usually 5..15 fewer, which is what keeps this encoder at or below zlib -9 on DCCs; zlib keeps
 * the greedy parse).
 */

static void
header_make(header *h, const huff *hl, const huff *hd)
{
    uint32_t freq[N_CL] = { 0 };
    uint16_t *start = h->start, choice[SEQ_MAX];
    uint8_t rlen[N_CL];
    unsigned rhclen;

    /* Trailing unused symbols are not sent (HLIT >= 257: end of block is always coded). */
    huff_assign(hl, N_LITLEN, h->seq);
    h->hlit = N_LITLEN;
    while (h->hlit > 257 && h->seq[h->hlit - 1] == 0) {
        h->hlit--;
    }
    huff_assign(hd, N_DIST, h->seq + h->hlit);
    h->hdist = N_DIST;
    while (h->hdist > 1 && h->seq[h->hlit + h->hdist - 1] == 0) {
        h->hdist--;
    }
    /* Runs: a new one wherever the length changes (§3.2.7 lets runs cross from the
     * literal/length lengths into the distance lengths; zlib does not). Without branches (the
     * changes are unpredictable): every position is written as a run start, and the count only
     * moves on at a change. */
    const uint8_t *seq = h->seq;
    unsigned total = h->hlit + h->hdist, nr = 1;
    start[0] = 0;
    for (unsigned i = 1; i < total; i++) {
        start[nr] = (uint16_t)i;
        nr += seq[i] != seq[i - 1];
    }
    start[nr] = (uint16_t)total;
    h->nruns = nr;

    /* The greedy parse's items: every length once, as if all were sent one by one (the counts
     * per length come with the lengths), then corrected for the runs long enough to be coded
     * otherwise (zeros >= 3, other lengths >= 4), which are few. */
    unsigned nonzero = 0, nc = 0;
    for (unsigned len = 1; len <= MAX_BITS; len++) {
        freq[len] = (uint32_t)hl->nlen[len] + hd->nlen[len];
        nonzero += freq[len];
    }
    freq[0] = total - nonzero;
    for (unsigned k = 0; k < nr; k++) {
        unsigned r = (unsigned)(start[k + 1] - start[k]);
        choice[nc] = (uint16_t)k;
        nc += r > 2 + (seq[start[k]] != 0);
    }
    for (unsigned c = 0; c < nc; c++) {
        unsigned v = seq[start[choice[c]]], r = (unsigned)(start[choice[c] + 1] - start[choice[c]]);
        plan g = plan_greedy(v, r);
        freq[v] += g.nlit - r;
        freq[16] += g.n16;
        freq[17] += g.n17;
        freq[18] += g.n18;
    }
    hc_zdeflate_code_lengths(freq, N_CL, MAX_CL_BITS, h->cl_len);
    h->bits = header_bits(freq, h->cl_len, &h->hclen);
    h->refined = false;
    if (nc == 0) {
        return;
    }
    /* The cheapest parse under this code: only the long runs change. */
    for (unsigned s = 0; s < N_CL; s++) {
        h->cost[s] = h->cl_len[s] ? (uint16_t)(h->cl_len[s] + cl_extra[s]) : NO_CODE;
    }
    bool changed = false;
    for (unsigned c = 0; c < nc; c++) {
        unsigned v = seq[start[choice[c]]], r = (unsigned)(start[choice[c] + 1] - start[choice[c]]);
        plan g = plan_greedy(v, r), b = plan_cheapest(v, r, h->cost);
        freq[18] += b.n18 - g.n18;
        freq[17] += b.n17 - g.n17;
        freq[16] += b.n16 - g.n16;
        freq[v] += b.nlit - g.nlit;
        changed |= b.n18 != g.n18 || b.n17 != g.n17 || b.n16 != g.n16 || b.nlit != g.nlit;
    }
    if (!changed) {
        return; /* the greedy parse is the cheapest already */
    }
    hc_zdeflate_code_lengths(freq, N_CL, MAX_CL_BITS, rlen);
    size_t rbits = header_bits(freq, rlen, &rhclen);
    if (rbits < h->bits) {
        h->bits = rbits;
        h->hclen = rhclen;
        h->refined = true;
        memcpy(h->cl_len, rlen, sizeof rlen);
    }
}

/* The header's items (for writing it; the parse header_make counted). */
static void
header_items(const header *h, cl_items *q)
{
    q->n = 0;
    for (unsigned k = 0; k < h->nruns; k++) {
        unsigned v = h->seq[h->start[k]], r = (unsigned)(h->start[k + 1] - h->start[k]);
        plan_items(h->refined ? plan_cheapest(v, r, h->cost) : plan_greedy(v, r), v, r, q);
    }
}

/* ---- output ---- */

/*
 * Bit writer (§3.1.1: LSB first). Every call stores the whole 64-bit accumulator at the output
 * position (unaligned) and moves on by the whole bytes in it: no branch per symbol. It may write
 * up to 8 bytes past the end of the stream, which is why the stream is built in a buffer with
 * 8 bytes of slack (the caller's when it has them, else z->spill).
 */
typedef struct bitw {
    uint8_t *out;
    size_t pos;
    uint64_t acc;
    unsigned n; /* bits in acc, < 8 between calls */
} bitw;

static inline void
store64le(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, 8);
#else
    for (int k = 0; k < 8; k++) {
        p[k] = (uint8_t)(v >> (8 * k));
    }
#endif
}

/* Appends nbits (<= 32) bits of value (no bits above nbits set). */
static inline void
put_bits(bitw *b, uint32_t value, unsigned nbits)
{
    b->acc |= (uint64_t)value << b->n;
    b->n += nbits; /* < 8 + 32 */
    store64le(b->out + b->pos, b->acc);
    b->pos += b->n >> 3;
    b->acc >>= b->n & ~7u;
    b->n &= 7;
}

/* A packed code (build_codes: code | length << 16). */
static inline void
put_code(bitw *b, uint32_t packed)
{
    put_bits(b, packed & 0xffff, packed >> 16);
}

/* Pads to a byte boundary with zero bits (§3.2.4 before stored data; the zlib trailer). */
static void
align_byte(bitw *b)
{
    b->pos += b->n > 0;
    b->acc = 0;
    b->n = 0;
}

typedef struct codes {
    uint8_t llen[N_LITLEN + 2], dlen[N_DIST];    /* +2: fixed codes 286, 287 exist (§3.2.6) */
    uint32_t lcode[N_LITLEN + 2], dcode[N_DIST]; /* code | length << 16 (build_codes) */
} codes;

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

/* Extra bits of the length and distance codes (§3.2.5): the same under any code. */
static uint32_t
extra_bits(const uint32_t *lfreq, const uint32_t *dfreq)
{
    uint32_t bits = 0; /* < 8 * 32768 * 2: no overflow */
    for (unsigned s = END_BLOCK + 1; s < N_LITLEN; s++) {
        bits += lfreq[s] * len_extra[s - 257];
    }
    for (unsigned s = 0; s < N_DIST; s++) {
        bits += dfreq[s] * dist_extra[s];
    }
    return bits;
}

/* Bits of the symbols under the fixed codes (§3.2.6: literals 0..143 8 bits, 144..255 9,
 * 256..279 7, 280..287 8; distances 5), extra bits aside. */
static uint32_t
fixed_bits(const uint32_t *lfreq, const uint32_t *dfreq)
{
    uint32_t bits = 0;
    for (unsigned s = 0; s < N_LITLEN; s++) {
        bits += lfreq[s] * fixed.llen[s];
    }
    for (unsigned s = 0; s < N_DIST; s++) {
        bits += dfreq[s] * 5;
    }
    return bits;
}

/* The literals in[from..to), several per call: the writer's steps depend on each other, so
 * fewer and longer ones go faster. Two codes are at most 30 bits; under the fixed codes (at most
 * 9 bits a literal, §3.2.6) three are at most 27. */
static inline void
put_literals(bitw *b, const uint8_t *in, size_t from, size_t to, const uint32_t *lcode, bool fix)
{
    size_t k = from;
    if (fix) {
        for (; k + 2 < to; k += 3) {
            uint32_t x = lcode[in[k]], y = lcode[in[k + 1]], z = lcode[in[k + 2]];
            unsigned xl = x >> 16, yl = y >> 16;
            put_bits(b, (x & 0xffff) | (y & 0xffff) << xl | (z & 0xffff) << (xl + yl),
                     xl + yl + (z >> 16));
        }
    }
    for (; k + 1 < to; k += 2) {
        uint32_t x = lcode[in[k]], y = lcode[in[k + 1]];
        put_bits(b, (x & 0xffff) | (y & 0xffff) << (x >> 16), (x >> 16) + (y >> 16));
    }
    if (k < to) {
        put_code(b, lcode[in[k]]);
    }
}

/* The block's symbols: literals between the matches, the matches, end of block. */
static void
put_symbols(bitw *bw, const uint8_t *in, size_t len, const uint32_t *match, size_t nm,
            const codes *c)
{
    /* A local copy: stores through the output pointer could alias *bw, which would keep the
     * compiler from holding the writer in registers. */
    bitw local = *bw, *b = &local;
    size_t done = 0;
    for (size_t k = 0; k < nm; k++) {
        size_t at = match[2 * k];
        unsigned ml = match[2 * k + 1] >> 16, dist = match[2 * k + 1] & 0xffff;
        put_literals(b, in, done, at, c->lcode, c == &fixed);
        unsigned lc = len_code(ml), dc = dist_code(dist);
        uint32_t le = c->lcode[257 + lc], de = c->dcode[dc];
        /* Each code with its extra bits in one call: at most 15 + 5 and 15 + 13 bits. */
        put_bits(b, (le & 0xffff) | (ml - len_base[lc]) << (le >> 16), (le >> 16) + len_extra[lc]);
        put_bits(b, (de & 0xffff) | (dist - dist_base[dc]) << (de >> 16),
                 (de >> 16) + dist_extra[dc]);
        done = at + ml;
    }
    put_literals(b, in, done, len, c->lcode, c == &fixed);
    put_code(b, c->lcode[END_BLOCK]);
    *bw = local;
}

hc_err
hc_zdeflate_compress(hc_zdeflate *z, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                     size_t *out_len)
{
    uint32_t lfreq[N_LITLEN] = { 0 }, dfreq[N_DIST] = { 0 };
    huff hl, hd;
    header h;

    if (len > HC_ZDEFLATE_MAX_IN) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    pthread_once(&fixed_once, fixed_init);
    size_t nm = lz77(z, in, len, lfreq, dfreq);
    count_literals(in, len, z->match, nm, lfreq);
    lfreq[END_BLOCK] = 1;

    /* The size of each block type, in bits after the 3-bit block header. */
    huff_build(lfreq, N_LITLEN, MAX_BITS, &hl);
    huff_build(dfreq, N_DIST, MAX_BITS, &hd);
    header_make(&h, &hl, &hd);
    size_t extra = extra_bits(lfreq, dfreq);
    size_t dyn_bits = h.bits + hl.bits + hd.bits + extra;
    size_t fix_bits = fixed_bits(lfreq, dfreq) + extra;
    /* Stored: padding to a byte (5 bits: 16 header bits + 3 block header bits) + LEN + NLEN +
     * the bytes. */
    size_t stored_bits = 5 + 32 + 8 * len;
    size_t block_bits = stored_bits < fix_bits ? stored_bits : fix_bits;
    block_bits = dyn_bits < block_bits ? dyn_bits : block_bits;
    /* The exact size: header 2 + block (3 bits + the above, padded) + Adler-32 4. */
    size_t need = 2 + (3 + block_bits + 7) / 8 + 4;
    if (cap < need) {
        return HC_ERR_BUFFER_TOO_SMALL;
    }

    bitw b = { .out = cap - need >= 8 ? out : z->spill };
    put_bits(&b, 0x78, 8); /* CMF: deflate, 32 KiB window (RFC 1950 §2.2) */
    put_bits(&b, 0xda, 8); /* FLG: FLEVEL 3, no dictionary, FCHECK (0x78da % 31 == 0) */
    if (block_bits == stored_bits) {
        put_bits(&b, 1, 3); /* BFINAL, BTYPE 00 (§3.2.4) */
        align_byte(&b);
        put_bits(&b, (uint32_t)len, 16);
        put_bits(&b, (uint32_t)(~len & 0xffff), 16);
        memcpy(b.out + b.pos, in, len);
        b.pos += len;
    } else if (block_bits == fix_bits) {
        put_bits(&b, 1 | 1 << 1, 3); /* BFINAL, BTYPE 01 */
        put_symbols(&b, in, len, z->match, nm, &fixed);
    } else {
        /* The codes and the header's items are needed only now (lengths gave the sizes). */
        codes c;
        cl_items q;
        uint32_t cl_code[N_CL];
        memset(c.llen, 0, sizeof c.llen);
        memcpy(c.llen, h.seq, h.hlit);
        memset(c.dlen, 0, sizeof c.dlen);
        memcpy(c.dlen, h.seq + h.hlit, h.hdist);
        build_codes(c.llen, N_LITLEN, c.lcode);
        build_codes(c.dlen, N_DIST, c.dcode);
        build_codes(h.cl_len, N_CL, cl_code);
        header_items(&h, &q);
        put_bits(&b, 1 | 2 << 1, 3); /* BFINAL, BTYPE 10 */
        put_bits(&b, h.hlit - 257, 5);
        put_bits(&b, h.hdist - 1, 5);
        put_bits(&b, h.hclen - 4, 4);
        for (unsigned k = 0; k < h.hclen; k++) {
            put_bits(&b, h.cl_len[cl_order[k]], 3);
        }
        for (unsigned k = 0; k < q.n; k++) {
            unsigned s = q.sym[k];
            put_bits(&b, (cl_code[s] & 0xffff) | (uint32_t)q.extra[k] << h.cl_len[s],
                     h.cl_len[s] + cl_extra[s]);
        }
        put_symbols(&b, in, len, z->match, nm, &c);
    }
    align_byte(&b);
    uint32_t adler = (uint32_t)adler32(adler32(0L, Z_NULL, 0), in, (uInt)len);
    put_bits(&b, __builtin_bswap32(adler), 32); /* RFC 1950 §2.2: most significant byte first */
    if (b.pos != need) {
        return HC_ERR_INTERNAL; /* the sizes above and the bits written disagree: a bug */
    }
    if (b.out != out) {
        memcpy(out, b.out, need);
    }
    *out_len = need;
    return HC_OK;
}
