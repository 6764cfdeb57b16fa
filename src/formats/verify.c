/*
 * verify.c: hc_verify / hc_decode: input detection (image or text), normalisation, bounds and
 * dispatch to the format that owns the text's prefix.
 */
#include <stdlib.h>
#include <string.h>

#include "hctime.h"
#include "pipeline.h"
#include "qr.h"
#include "verdict_build.h"

/* Every format, by context identifier. */
static const hc_format *const formats[] = {
    &hc_format_eu_dcc,   &hc_format_shc,      &hc_format_vc_jwt_qr,
    &hc_format_jws_text, &hc_format_ch_light, &hc_format_vdsnc,
};

hc_verifier *
hc_verifier_new(const hc_verify_options *opt)
{
    hc_verifier *v = calloc(1, sizeof *v);
    if (v == NULL) {
        return NULL;
    }
    if (opt != NULL) {
        v->opt = *opt;
    }
    hc_sig_cache_init(&v->sig_cache);
    v->zlib = hc_inflater_new(HC_DEFLATE_ZLIB);
    v->raw = hc_inflater_new(HC_DEFLATE_RAW);
    if (v->zlib == NULL || v->raw == NULL) {
        hc_inflater_free(v->zlib);
        hc_inflater_free(v->raw);
        free(v);
        return NULL;
    }
    return v;
}

void
hc_verifier_free(hc_verifier *v)
{
    if (v != NULL) {
        hc_sig_cache_clear(&v->sig_cache);
        hc_inflater_free(v->zlib);
        hc_inflater_free(v->raw);
        free(v);
    }
}

int64_t
hc_verifier_clock(const hc_verifier *v)
{
    return v->opt.has_clock ? v->opt.clock_ms : hc_time_now();
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/*
 * Surrounding white space is ignored (shared/CONTRACT.md), trailing SPACE characters included.
 * SPACE is a Base45 digit (RFC 9285 §4, value 36), but never the last one of a valid text: the
 * last character of a group is its most significant digit, at most 32 in a triple (65535 / 45^2)
 * and 5 in a pair (255 / 45), so a Base45 text that ends in SPACE cannot decode. No other format
 * (numeric shc:/, base64url JWS, JSON seals) has a SPACE that white space around it could hide.
 */
static void
trim(const char **s, size_t *len)
{
    while (*len > 0 && is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && is_space((*s)[*len - 1])) {
        (*len)--;
    }
}

/* "HC" followed by a version character [1-9A-Z] and ':' (HCERT spec §4.2.2): a future version. */
static bool
is_future_hcert(const char *s, size_t len)
{
    return len >= 4 && s[0] == 'H' && s[1] == 'C' &&
           ((s[2] >= '2' && s[2] <= '9') || (s[2] >= 'A' && s[2] <= 'Z')) && s[3] == ':';
}

static hc_err
run(hc_verifier *v, const uint8_t *input, size_t len, hc_mode mode, hc_verdict *out)
{
    const char *text;
    size_t tlen;

    hc_verdict_init(out);
    if (v == NULL || (input == NULL && len != 0)) {
        hc_verdict_fail(out, HC_ERR_INVALID_ARG, "no verifier or no input");
        return HC_ERR_INVALID_ARG;
    }
    if (hc_qr_is_image(input, len)) {
        if (len > HC_MAX_IMAGE_BYTES) {
            hc_verdict_fail(out, HC_ERR_INPUT_TOO_LARGE, "the image is larger than %d MiB",
                            HC_MAX_IMAGE_BYTES >> 20);
            return HC_OK;
        }
        size_t n = 0;
        hc_err e = hc_qr_decode_image(input, len, v->text, sizeof v->text, &n);
        if (e == HC_ERR_BUFFER_TOO_SMALL) {
            e = HC_ERR_INPUT_TOO_LARGE;
        }
        if (e != HC_OK) {
            hc_verdict_fail(out, hc_err_is_verdict(e) ? e : HC_ERR_IMAGE_UNREADABLE,
                            "no readable QR code in the image");
            return hc_err_is_verdict(e) || e == HC_OK ? HC_OK : e;
        }
        text = v->text;
        tlen = n;
    } else {
        if (len > HC_MAX_INPUT_TEXT) {
            hc_verdict_fail(out, HC_ERR_INPUT_TOO_LARGE,
                            "the input is %zu bytes; no credential is larger than %d", len,
                            HC_MAX_INPUT_TEXT);
            return HC_OK;
        }
        text = (const char *)input;
        tlen = len;
    }
    trim(&text, &tlen);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        size_t plen = strlen(formats[i]->prefix);
        if (tlen >= plen && memcmp(text, formats[i]->prefix, plen) == 0) {
            return formats[i]->run(v, text, tlen, mode, out);
        }
    }
    if (is_future_hcert(text, tlen)) {
        hc_verdict_fail(out, HC_ERR_PREFIX_UNKNOWN,
                        "'%.4s' is a version of the EU health certificate this verifier does not "
                        "support (only HC1:)",
                        text);
    } else if (tlen == 0) {
        hc_verdict_fail(out, HC_ERR_PREFIX_UNKNOWN, "the input is empty");
    } else {
        hc_verdict_fail(out, HC_ERR_PREFIX_UNKNOWN,
                        "the text does not start with a known health certificate prefix "
                        "(HC1:, LT1:, shc:/, vc-jwt:/, a compact JWS eyJ..., or a JSON visible "
                        "digital seal)");
    }
    return HC_OK;
}

hc_err
hc_verify(hc_verifier *v, const uint8_t *input, size_t len, hc_verdict *out)
{
    return run(v, input, len, HC_MODE_VERIFY, out);
}

hc_err
hc_decode(hc_verifier *v, const uint8_t *input, size_t len, hc_verdict *out)
{
    return run(v, input, len, HC_MODE_DECODE, out);
}
