/*
 * cbor_json.c: a decoded CBOR subtree as a jansson value (the mapping is documented at
 * hc_cbor_to_json in cbor.h and in docs/cbor.md, following RFC 8949 §6.1 "Converting from CBOR
 * to JSON").
 *
 * Invariants
 *   - No recursion: open arrays and maps sit on an explicit stack of HC_CBOR_MAX_DEPTH frames, the
 *     decoder's own nesting bound (tags are not frames: they are passed through).
 *   - Children are visited through the `first`/`next` links only, and every index is checked with
 *     hc_cbor_node_at, so a damaged tree gives NULL, never an out-of-bounds read.
 *   - On failure every partial value is released and NULL is returned.
 */
#include "cbor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

/* One array or object under construction. */
typedef struct jframe {
    json_t *container; /* new reference, owned by the frame */
    json_t *key;       /* object: the key text waiting for its value (owned), or NULL */
    uint32_t next;     /* next child node to visit, HC_CBOR_NONE when all were visited */
    uint32_t left;     /* children still to visit: guards against a damaged sibling chain */
} jframe;

/* Decimal text of a CBOR integer of any size (RFC 8949 §3.1: major type 1 is -1 - argument). */
static json_t *
integer_text(const hc_cbor_node *n)
{
    char buf[32];
    if (n->type == HC_CBOR_UINT) {
        snprintf(buf, sizeof buf, "%" PRIu64, n->v.u);
    } else if (n->v.u == UINT64_MAX) {
        /* -1 - (2^64 - 1) = -2^64, one past what uint64_t holds. */
        snprintf(buf, sizeof buf, "-18446744073709551616");
    } else {
        snprintf(buf, sizeof buf, "-%" PRIu64, n->v.u + 1);
    }
    return json_string(buf);
}

static json_t *
bytes_text(const uint8_t *p, size_t len, unsigned flags)
{
    if (flags & HC_CBOR_JSON_BYTES_HEX) {
        char *hex = malloc(2 * len + 1);
        if (hex == NULL) {
            return NULL;
        }
        hc_hex_encode(p, len, hex);
        json_t *s = json_stringn(hex, 2 * len);
        free(hex);
        return s;
    }
    /* RFC 4648 §4 base64 with padding (RFC 8949 §6.1 suggests base64url without; the header
     * contract fixes the padded standard alphabet). */
    size_t cap = HC_BASE64_ENCODED_MAX(len), out_len = 0;
    char *b64 = malloc(cap);
    if (b64 == NULL) {
        return NULL;
    }
    json_t *s = NULL;
    if (hc_base64_encode(p, len, false, b64, cap, &out_len) == HC_OK) {
        s = json_stringn(b64, out_len);
    }
    free(b64);
    return s;
}

/* A converted scalar used as an object key: strings stay, numbers and true/false/null become their
 * JSON text (1.5 -> "1.5", true -> "true"). Arrays and maps never get here: nesting their JSON
 * text would escape quotes again at every level, growing exponentially with depth. Consumes v. */
static json_t *
key_text(json_t *v)
{
    if (json_is_string(v)) {
        return v;
    }
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    json_decref(v);
    if (text == NULL) {
        return NULL;
    }
    json_t *s = json_string(text);
    free(text);
    return s;
}

/* Adds a finished value to the container of frame f. Consumes v; false on failure. */
static bool
attach(jframe *f, json_t *v)
{
    if (json_is_array(f->container)) {
        return json_array_append_new(f->container, v) == 0;
    }
    if (f->key == NULL) {
        f->key = key_text(v);
        return f->key != NULL;
    }
    /* json_object_setn_new keeps a key with embedded NUL (CBOR text may hold U+0000); with
     * duplicate keys (only possible when the decoder did not reject them) the last one wins. */
    int rc = json_object_setn_new(f->container, json_string_value(f->key),
                                  json_string_length(f->key), v);
    json_decref(f->key);
    f->key = NULL;
    return rc == 0;
}

json_t *
hc_cbor_to_json(const hc_cbor_doc *doc, uint32_t i, unsigned flags)
{
    jframe stack[HC_CBOR_MAX_DEPTH];
    unsigned sp = 0;
    json_t *v = NULL;
    uint32_t cur = i;

    for (;;) {
        const hc_cbor_node *n = hc_cbor_node_at(doc, cur);
        /* Tags are dropped: the JSON value is that of the tagged item (RFC 8949 §6.1). The child
         * of a tag always has a higher index, so this ends. */
        while (n != NULL && n->type == HC_CBOR_TAG) {
            if (n->first <= cur) {
                n = NULL;
                break;
            }
            cur = n->first;
            n = hc_cbor_node_at(doc, cur);
        }
        if (n == NULL) {
            goto fail;
        }
        bool as_key =
            sp > 0 && json_is_object(stack[sp - 1].container) && stack[sp - 1].key == NULL;

        switch (n->type) {
        case HC_CBOR_UINT:
        case HC_CBOR_NINT:
            if (as_key) {
                v = integer_text(n); /* exact even beyond int64 */
            } else if (n->v.u <= (uint64_t)INT64_MAX) {
                v = json_integer(n->type == HC_CBOR_UINT ? (json_int_t)n->v.u
                                                         : -1 - (json_int_t)n->v.u);
            } else {
                /* Beyond int64 (jansson's json_int_t): the nearest double. */
                v = json_real(n->type == HC_CBOR_UINT ? (double)n->v.u : -1.0 - (double)n->v.u);
            }
            break;
        case HC_CBOR_BYTES: v = bytes_text(n->ptr, n->len, flags); break;
        case HC_CBOR_TEXT: v = json_stringn((const char *)n->ptr, n->len); break;
        case HC_CBOR_ARRAY:
        case HC_CBOR_MAP:
            if (as_key) {
                /* An array or map key: the base64 (or hex) text of its CBOR encoding, which is
                 * linear in its size and keeps distinct keys distinct. */
                v = bytes_text(n->raw, n->raw_len, flags);
                break;
            }
            if (sp == HC_CBOR_MAX_DEPTH) {
                goto fail;
            }
            stack[sp].container = n->type == HC_CBOR_ARRAY ? json_array() : json_object();
            if (stack[sp].container == NULL) {
                goto fail;
            }
            stack[sp].key = NULL;
            stack[sp].next = n->first;
            stack[sp].left = n->type == HC_CBOR_ARRAY ? n->count : 2 * n->count;
            sp++;
            goto advance;
        case HC_CBOR_FALSE: v = json_false(); break;
        case HC_CBOR_TRUE: v = json_true(); break;
        case HC_CBOR_NULL:
        case HC_CBOR_UNDEFINED: v = json_null(); break;
        case HC_CBOR_SIMPLE: v = json_integer((json_int_t)n->v.u); break;
        case HC_CBOR_FLOAT:
            /* JSON has no NaN or infinity (RFC 8259 §6): json_real refuses them, and so do we. */
            v = json_real(n->v.f);
            break;
        default: goto fail;
        }
        if (v == NULL) {
            goto fail;
        }
        if (sp == 0) {
            return v;
        }
        if (!attach(&stack[sp - 1], v)) {
            v = NULL;
            goto fail;
        }
        v = NULL;

    advance:
        /* Visit the next child of the innermost open container; close the containers that have
         * none left, attaching each to its parent. */
        for (;;) {
            jframe *f = &stack[sp - 1];
            if (f->left > 0) {
                if (f->next == HC_CBOR_NONE) {
                    goto fail;
                }
                cur = f->next;
                const hc_cbor_node *child = hc_cbor_node_at(doc, cur);
                if (child == NULL) {
                    goto fail;
                }
                f->next = child->next;
                f->left--;
                break;
            }
            json_t *done = f->container;
            if (f->key != NULL) { /* a key without value: not from our decoder */
                json_decref(f->key);
                f->key = NULL;
                json_decref(done);
                sp--;
                goto fail;
            }
            sp--;
            if (sp == 0) {
                return done;
            }
            if (!attach(&stack[sp - 1], done)) {
                goto fail;
            }
        }
    }

fail:
    json_decref(v);
    while (sp > 0) {
        sp--;
        json_decref(stack[sp].key);
        json_decref(stack[sp].container);
    }
    return NULL;
}
