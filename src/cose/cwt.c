/*
 * cwt.c: CWT claims (RFC 8392 §3) as HCERT uses them: iss, iat, exp and the hcert claim -260.
 */
#include <math.h>
#include <string.h>

#include "cose.h"
#include "hctime.h"

/* NumericDate (RFC 8392 §2): seconds since the epoch, integer or floating point. HCERT asks for
 * integers, but real certificates carry doubles (eu-dcc.md §1.2) and the FAQ asks verifiers to
 * accept "any reasonable type conversion". Bounded to years 1970..9999 so time arithmetic in
 * milliseconds cannot overflow. */
static bool
numeric_date(const hc_cbor_node *n, int64_t *out)
{
    const int64_t max_s = HC_TIME_MAX_MS / 1000;
    if (n->type == HC_CBOR_UINT) {
        if (n->v.u > (uint64_t)max_s) {
            return false;
        }
        *out = (int64_t)n->v.u;
        return true;
    }
    if (n->type == HC_CBOR_FLOAT) {
        double f = n->v.f;
        if (!isfinite(f) || f < 0 || f > (double)max_s) {
            return false;
        }
        *out = (int64_t)floor(f);
        return true;
    }
    /* Negative integers (before 1970), tagged values and text are not NumericDates here. */
    return false;
}

hc_err
hc_cwt_parse(const uint8_t *payload, size_t len, hc_cbor_doc *doc, hc_cwt *out, const char **why)
{
    hc_cwt c;
    uint32_t root;
    const char *dummy;

    if (why == NULL) {
        why = &dummy;
    }
    memset(&c, 0, sizeof c);
    if (hc_cbor_decode(doc, payload, len, &root) != HC_OK) {
        *why = doc->error ? doc->error : "the CWT payload is not well-formed CBOR";
        return HC_ERR_STRUCTURE_INVALID;
    }
    const hc_cbor_node *claims = hc_cbor_node_at(doc, root);
    if (claims->type != HC_CBOR_MAP) {
        *why = "the CWT payload is not a map of claims";
        return HC_ERR_STRUCTURE_INVALID;
    }
    c.claims = root;

    uint32_t i = hc_cbor_map_get_int(doc, root, HC_CWT_ISS);
    if (i != HC_CBOR_NONE) {
        const hc_cbor_node *n = hc_cbor_node_at(doc, i);
        if (n->type != HC_CBOR_TEXT) {
            *why = "the iss claim is not a text string";
            return HC_ERR_STRUCTURE_INVALID;
        }
        c.has_iss = true;
        c.iss = n->ptr;
        c.iss_len = n->len;
    }
    i = hc_cbor_map_get_int(doc, root, HC_CWT_IAT);
    if (i != HC_CBOR_NONE) {
        if (!numeric_date(hc_cbor_node_at(doc, i), &c.iat)) {
            *why = "the iat claim is not a valid NumericDate";
            return HC_ERR_STRUCTURE_INVALID;
        }
        c.has_iat = true;
    }
    i = hc_cbor_map_get_int(doc, root, HC_CWT_EXP);
    if (i != HC_CBOR_NONE) {
        if (!numeric_date(hc_cbor_node_at(doc, i), &c.exp)) {
            *why = "the exp claim is not a valid NumericDate";
            return HC_ERR_STRUCTURE_INVALID;
        }
        c.has_exp = true;
    }
    c.hcert = hc_cbor_map_get_int(doc, root, HC_CWT_HCERT);
    if (c.hcert != HC_CBOR_NONE && hc_cbor_node_at(doc, c.hcert)->type != HC_CBOR_MAP) {
        *why = "the hcert claim (-260) is not a map";
        return HC_ERR_STRUCTURE_INVALID;
    }
    *out = c;
    return HC_OK;
}
