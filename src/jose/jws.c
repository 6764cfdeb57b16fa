/* jws.c: JWS compact serialisation, strict parsing and signing (see jws.h). */
#include "jws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "hc_msg.h"
#include "json_bounded.h"
#include "jwk.h"

/* A JOSE header is a handful of members: depth 4 and 256 values are far above any real one. */
static const hc_json_limits header_limits = {
    .max_bytes = HC_JWS_MAX_HEADER_B64,
    .max_depth = 4,
    .max_values = 256,
};

/* Header parameters we refuse, and why (see jws.h). */
static const struct {
    const char *name;
    const char *why;
} refused[] = {
    { "crit", "\"crit\" lists extensions this verifier does not understand (RFC 7515 §4.1.11)" },
    { "b64", "unencoded payloads (RFC 7797 \"b64\") are not accepted" },
    { "jku", "\"jku\": keys are never fetched from a URL in the message" },
    { "x5u", "\"x5u\": certificates are never fetched from a URL in the message" },
    { "jwk", "\"jwk\": a key embedded in the message is never trusted" },
    { "x5c", "\"x5c\": a certificate embedded in the message is never trusted" },
};

bool
hc_jws_is_b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

void
hc_jws_clear(hc_jws *jws)
{
    if (jws != NULL) {
        json_decref(jws->header);
        memset(jws, 0, sizeof *jws);
    }
}

/* The header checks of jws.h, on the parsed header. */
static hc_err
check_header(hc_jws *j, const hc_jws_policy *pol, char *why, size_t why_len)
{
    json_t *h = j->header;
    if (!json_is_object(h)) {
        return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                          "the JWS header is not a JSON object");
    }
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        if (json_object_get(h, refused[i].name) != NULL) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len, "%s", refused[i].why);
        }
    }
    json_t *alg = json_object_get(h, "alg");
    if (alg == NULL) {
        return hc_msg_err(HC_ERR_ALG_UNSUPPORTED, why, why_len,
                          "no \"alg\" in the JWS header (RFC 7515 §4.1.1: it is required)");
    }
    if (!json_is_string(alg)) {
        return hc_msg_err(HC_ERR_ALG_UNSUPPORTED, why, why_len, "the JWS \"alg\" is not a string");
    }
    j->alg = hc_jwk_alg_from_name(json_string_value(alg), json_string_length(alg));
    if (j->alg == HC_SIG_NONE || (pol->algs & HC_JWS_ALG_BIT(j->alg)) == 0) {
        char shown[24];
        size_t n = json_string_length(alg);
        const char *s = json_string_value(alg);
        /* Echo only a short printable name: the header is attacker-controlled. */
        bool printable = n > 0 && n < sizeof shown;
        for (size_t i = 0; printable && i < n; i++) {
            printable = s[i] > ' ' && s[i] < 0x7f;
        }
        snprintf(shown, sizeof shown, "%s", printable ? s : "?");
        j->alg = HC_SIG_NONE;
        return hc_msg_err(HC_ERR_ALG_UNSUPPORTED, why, why_len,
                          "JWS algorithm \"%s\" is not allowed for this format", shown);
    }
    json_t *kid = json_object_get(h, "kid");
    if (kid != NULL) {
        if (!json_is_string(kid)) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "the JWS \"kid\" is not a string");
        }
        j->kid = json_string_value(kid);
        j->kid_len = json_string_length(kid);
    }
    json_t *typ = json_object_get(h, "typ");
    if (typ != NULL) {
        if (!json_is_string(typ)) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "the JWS \"typ\" is not a string");
        }
        j->typ = json_string_value(typ);
    }
    json_t *zip = json_object_get(h, "zip");
    if (zip != NULL) {
        /* RFC 7516 §4.1.3 / RFC 7518 §7.3: "DEF" is the one registered value. */
        if (!json_is_string(zip) || strcmp(json_string_value(zip), "DEF") != 0 ||
            json_string_length(zip) != 3) {
            return hc_msg_err(
                HC_ERR_STRUCTURE_INVALID, why, why_len,
                "JWS \"zip\" is not \"DEF\" (the only compression defined, RFC 7518 §7.3)");
        }
        if (!pol->allow_zip) {
            return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                              "compressed (\"zip\") payloads are not allowed for this format");
        }
        j->zip = true;
    }
    return HC_OK;
}

/* Decodes one base64url part; padding and foreign characters are ENCODING_INVALID. */
static hc_err
decode_part(const char *s, size_t len, uint8_t *out, size_t cap, size_t *n, const char *what,
            char *why, size_t why_len)
{
    for (size_t i = 0; i < len; i++) {
        if (!hc_jws_is_b64url_char(s[i])) {
            return hc_msg_err(HC_ERR_ENCODING_INVALID, why, why_len,
                              "the JWS %s has a character outside base64url (RFC 7515 §2: no '=' "
                              "padding, no white space, no '+' or '/')",
                              what);
        }
    }
    hc_err e = hc_base64_decode(s, len, true, out, cap, n);
    if (e == HC_ERR_BUFFER_TOO_SMALL) {
        return hc_msg_err(HC_ERR_INPUT_TOO_LARGE, why, why_len, "the JWS %s is too large", what);
    }
    if (e != HC_OK) {
        return hc_msg_err(
            HC_ERR_ENCODING_INVALID, why, why_len,
            "the JWS %s is not canonical base64url (dangling or non-zero trailing bits)", what);
    }
    return HC_OK;
}

/* Expected signature size of an algorithm (RFC 7518 §3.4, RFC 8037 §3.1). */
static size_t
signature_size(hc_sig_alg alg)
{
    switch (alg) {
    case HC_SIG_ES256: return 64;
    case HC_SIG_ES384: return 96;
    case HC_SIG_ES512: return 132;
    case HC_SIG_EDDSA: return 64;
    default: return 0;
    }
}

hc_err
hc_jws_parse(const char *text, size_t len, const hc_jws_policy *pol, uint8_t *buf, size_t cap,
             hc_jws *out, char *why, size_t why_len)
{
    uint8_t header[HC_JWS_MAX_HEADER_B64];
    size_t dots[2], ndots = 0, n = 0;
    hc_jws j;
    hc_err e;

    if (why != NULL && why_len > 0) {
        why[0] = '\0';
    }
    if (text == NULL || pol == NULL || out == NULL || (buf == NULL && cap != 0)) {
        return HC_ERR_INVALID_ARG;
    }
    memset(out, 0, sizeof *out);
    memset(&j, 0, sizeof j);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '.') {
            if (ndots == 2) {
                return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                                  "the JWS has more than three parts");
            }
            dots[ndots++] = i;
        }
    }
    if (ndots != 2) {
        return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len,
                          "not a compact JWS (three base64url parts separated by '.')");
    }
    const char *h64 = text, *p64 = text + dots[0] + 1, *s64 = text + dots[1] + 1;
    size_t h64_len = dots[0], p64_len = dots[1] - dots[0] - 1, s64_len = len - dots[1] - 1;
    /* An empty signature is checked after the header: an unsecured JWS ("alg":"none", RFC 7515
     * §A.5) has one, and its algorithm is the better answer. */
    if (h64_len == 0 || p64_len == 0) {
        return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len, "a part of the JWS is empty");
    }
    if (h64_len > HC_JWS_MAX_HEADER_B64) {
        return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len, "the JWS header is too long");
    }
    e = decode_part(h64, h64_len, header, sizeof header, &n, "header", why, why_len);
    if (e != HC_OK) {
        return e;
    }
    char jwhy[160];
    e = hc_json_parse_bounded((const char *)header, n, &header_limits, &j.header, jwhy,
                              sizeof jwhy);
    if (e != HC_OK) {
        return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len, "JWS header: %s", jwhy);
    }
    e = check_header(&j, pol, why, why_len);
    if (e == HC_OK && s64_len == 0) {
        e = hc_msg_err(HC_ERR_SIGNATURE_INVALID, why, why_len, "the JWS has no signature");
    }
    if (e == HC_OK) {
        e = decode_part(p64, p64_len, buf, cap, &j.payload_len, "payload", why, why_len);
    }
    if (e == HC_OK) {
        e = decode_part(s64, s64_len, j.signature, sizeof j.signature, &j.signature_len,
                        "signature", why, why_len);
        if (e == HC_ERR_INPUT_TOO_LARGE) {
            e = hc_msg_err(HC_ERR_SIGNATURE_INVALID, why, why_len, "the JWS signature is too long");
        }
    }
    if (e == HC_OK && j.signature_len != signature_size(j.alg)) {
        /* An ASN.1 SEQUENCE (0x30) of the right size range is a DER ECDSA-Sig-Value. */
        bool der = j.alg != HC_SIG_EDDSA && j.signature_len > 8 && j.signature[0] == 0x30;
        e = hc_msg_err(HC_ERR_SIGNATURE_INVALID, why, why_len,
                       der ? "the signature is DER-encoded; JWS %s needs the raw %zu-byte r||s "
                             "(RFC 7518 §3.4)"
                           : "the %s signature is not %zu bytes",
                       hc_sig_alg_name(j.alg), signature_size(j.alg));
    }
    if (e != HC_OK) {
        json_decref(j.header);
        return e;
    }
    j.text_len = len;
    j.signing_input = text;
    j.signing_input_len = dots[1];
    j.payload_b64 = p64;
    j.payload_b64_len = p64_len;
    j.payload = buf;
    *out = j;
    return HC_OK;
}

hc_err
hc_jws_verify(const hc_jws *jws, EVP_PKEY *key)
{
    if (jws == NULL || key == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    return hc_sig_verify(key, jws->alg, (const uint8_t *)jws->signing_input, jws->signing_input_len,
                         jws->signature, jws->signature_len);
}

hc_err
hc_jws_sign(const json_t *header, const uint8_t *payload, size_t payload_len, EVP_PKEY *key,
            hc_sig_alg alg, char **out, size_t *out_len)
{
    uint8_t sig[HC_SIG_MAX_LEN];
    size_t sig_len = 0, n = 0;
    char *h = NULL, *text = NULL;
    hc_err err = HC_ERR_NOMEM;

    if (header == NULL || (payload == NULL && payload_len != 0) || key == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    const char *name = hc_jwk_alg_name(alg);
    const char *halg = json_string_value(json_object_get(header, "alg"));
    if (name == NULL || halg == NULL || strcmp(name, halg) != 0) {
        return HC_ERR_INVALID_ARG;
    }
    h = json_dumps(header, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (h == NULL) {
        return HC_ERR_NOMEM;
    }
    size_t hlen = strlen(h);
    size_t cap = HC_BASE64_ENCODED_MAX(hlen) + HC_BASE64_ENCODED_MAX(payload_len) +
                 HC_BASE64_ENCODED_MAX(sizeof sig) + 2;
    text = malloc(cap);
    if (text == NULL) {
        goto done;
    }
    size_t pos = 0;
    err = HC_ERR_INTERNAL;
    if (hc_base64_encode((const uint8_t *)h, hlen, true, text, cap, &n) != HC_OK) {
        goto done;
    }
    pos = n;
    text[pos++] = '.';
    if (hc_base64_encode(payload, payload_len, true, text + pos, cap - pos, &n) != HC_OK) {
        goto done;
    }
    pos += n;
    err = hc_sig_sign(key, alg, (const uint8_t *)text, pos, sig, sizeof sig, &sig_len);
    if (err != HC_OK) {
        goto done;
    }
    text[pos++] = '.';
    err = HC_ERR_INTERNAL;
    if (hc_base64_encode(sig, sig_len, true, text + pos, cap - pos, &n) != HC_OK) {
        goto done;
    }
    pos += n;
    *out = text;
    if (out_len != NULL) {
        *out_len = pos;
    }
    text = NULL;
    err = HC_OK;
done:
    free(text);
    free(h);
    return err;
}
