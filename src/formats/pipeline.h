/*
 * pipeline.h: the verify pipeline shared by every credential format.
 *
 *   detect (image magic / text prefix) -> format.run: unwrap -> inflate -> container -> key ->
 *   signature -> claims -> times -> key usage -> schema -> rules -> revocation -> verdict
 *
 * A format is one entry of the prefix table (formats.c), not a copy of the pipeline. The verifier
 * owns every scratch buffer a format needs, sized by hc_limits.h, so that verifying allocates
 * nothing but the verdict's JSON payload; one verifier per thread.
 */
#ifndef HC_PIPELINE_H
#define HC_PIPELINE_H

#include "cbor.h"
#include "hc_limits.h"
#include "healthcert/verify.h"
#include "inflate.h"
#include "sig.h"
#include "trust_store.h"

typedef enum hc_mode {
    HC_MODE_VERIFY = 0, /* every check */
    HC_MODE_DECODE = 1, /* structure only: no signature, time, key or rule checks */
} hc_mode;

/* Nodes for the outer COSE structure: the array, its headers and up to a few hundred unprotected
 * labels (unsigned, so never used for policy, but tolerated within bounds). */
#define HC_OUTER_NODES  512
#define HC_HEADER_NODES 128

struct hc_verifier {
    hc_verify_options opt;
    hc_sig_cache sig_cache; /* verification contexts of the keys seen (sig.h) */
    hc_inflater *zlib;
    hc_inflater *raw;                       /* raw DEFLATE: JWS "zip":"DEF" (shc, vc-jwt) */
    char text[HC_MAX_INPUT_TEXT + 1];       /* text decoded from an image */
    uint8_t unwrapped[HC_MAX_INPUT_TEXT];   /* Base45 / base64url output */
    uint8_t inflated[HC_MAX_INFLATED];      /* decompressed container */
    uint8_t jws_payload[HC_MAX_INPUT_TEXT]; /* a JWS payload, base64url-decoded (still deflated) */
    uint8_t jws_inflated[HC_MAX_JWS_INFLATED_TEXT]; /* a JWS payload, inflated */
    uint8_t cbor_scratch[HC_MAX_INFLATED];          /* indefinite-length strings */
    hc_cbor_node outer_nodes[HC_OUTER_NODES];
    hc_cbor_node header_nodes[HC_HEADER_NODES];
    hc_cbor_node claim_nodes[HC_CBOR_MAX_NODES];
};

typedef struct hc_format {
    const char *name;   /* verdict "format" */
    const char *prefix; /* context identifier the text starts with, e.g. "HC1:" */
    /* Judges text[0..len) (prefix included) into out. Returns HC_OK when judged. */
    hc_err (*run)(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *out);
} hc_format;

extern const hc_format hc_format_eu_dcc;
extern const hc_format hc_format_shc;       /* "shc:/" numeric QR text (shc.c) */
extern const hc_format hc_format_vc_jwt_qr; /* "vc-jwt:/" numeric QR text (vc_jwt.c) */
extern const hc_format hc_format_jws_text;  /* a bare compact JWS "eyJ...": shc or vc-jwt */
extern const hc_format hc_format_ch_light;  /* "LT1:" Swiss light certificates (ch_light.c) */
extern const hc_format hc_format_vdsnc;     /* "{": ICAO VDS-NC JSON seals (vdsnc.c) */

/* The validation clock of v (the option, or now). */
int64_t hc_verifier_clock(const hc_verifier *v);

#endif
