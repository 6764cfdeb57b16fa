/*
 * jws_text.c: a bare compact JWS as input text ("eyJ...": every JOSE header is a JSON object, and
 * base64url of '{"' is "eyJ"). SMART Health Cards travel this way in files and APIs, VC-JWTs
 * everywhere. Which one it is, the claims say: a SMART Health Card has
 * vc.credentialSubject.fhirBundle; anything else is judged as a VC-JWT. The JWS is parsed under
 * the union of both policies (ES256, EdDSA, compression); each format then applies its own.
 * When the JWS cannot be unwrapped, the format stays unknown (null).
 */
#include "shc.h"
#include "vc_jwt.h"

/* The union of the SHC and VC-JWT policies. */
static const hc_jws_policy any_policy = {
    .algs = HC_JWS_ALG_BIT(HC_SIG_ES256) | HC_JWS_ALG_BIT(HC_SIG_EDDSA),
    .allow_zip = true,
};

static hc_err
jws_text_run(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *vd)
{
    hc_jwt jwt;
    /* verify.c trims already; kept for callers that reach this format another way. No JWS
     * character is white space, so all surrounding white space goes (CONTRACT.md). */
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\n' ||
                       text[len - 1] == '\r')) {
        len--;
    }
    /* The file / API form: the larger payload bound of security.md §5. */
    if (!hc_jwt_unwrap(v, text, len, &any_policy, HC_MAX_JWS_INFLATED_TEXT, &jwt, vd)) {
        return HC_OK;
    }
    hc_err e = hc_shc_claims_match(jwt.claims) ? hc_shc_judge(v, &jwt, 0, mode, vd)
                                               : hc_vc_jwt_judge(v, &jwt, mode, vd);
    hc_jwt_clear(&jwt);
    return e;
}

const hc_format hc_format_jws_text = {
    .name = "jws",
    .prefix = "eyJ",
    .run = jws_text_run,
};
