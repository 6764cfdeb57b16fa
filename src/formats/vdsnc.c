/*
 * vdsnc.c: ICAO Visible Digital Seals for non-constrained environments (format "icao-vds-nc";
 * ICAO Doc 9303 VDS-NC technical report, health proofs icao.vacc / icao.test version 1).
 *
 *   {"data": {"hdr": {"t", "v", "is"}, "msg": {...}},
 *    "sig":  {"alg": "ES256|ES384|ES512", "cer": base64url DER signer certificate,
 *             "sigvl": base64url raw r||s}}
 *
 * The seal is plain JSON in the QR code (byte mode): a text starting with '{' is judged here.
 * The signature covers the RFC 8785 canonical form (JCS, src/jcs) of the "data" value, so a seal
 * re-serialised with other key order, white space or escapes still verifies, and any changed value
 * does not (security.md §3 I7). "=" padding in the base64url members is tolerated: the Australian
 * seals carry it.
 *
 * Checks: signature (the embedded certificate's key over JCS(data); the algorithm must fit the key,
 * I8), trust_chain / key_validity / key_usage / revocation / issuer (vdsnc_pki.h), schema (the
 * icao.vacc / icao.test model, format_schema.h). Seals have no expiry of their own.
 */
#include <openssl/x509.h>
#include <string.h>

#include "base64.h"
#include "format_schema.h"
#include "hc_limits.h"
#include "jcs.h"
#include "json_bounded.h"
#include "pipeline.h"
#include "vdsnc.h"
#include "vdsnc_fields.h"
#include "vdsnc_pki.h"
#include "verdict_build.h"

/* Largest raw ECDSA signature (P-521: 2 x 66 bytes, RFC 7518 §3.4). */
#define VDSNC_SIG_MAX 132
/* Largest canonical data member signed: a seal fits in one QR code (<= HC_MAX_QR_TEXT). */
#define VDSNC_JCS_MAX HC_MAX_QR_TEXT

const char *
hc_vdsnc_alg_name(hc_sig_alg alg)
{
    return alg == HC_SIG_ES256 || alg == HC_SIG_ES384 || alg == HC_SIG_ES512 ? hc_sig_alg_name(alg)
                                                                             : NULL;
}

/* The VDS-NC algorithms (ES256 / ES384 / ES512, ICAO VDS-NC §"Signature"), or HC_SIG_NONE. */
static hc_sig_alg
alg_from_name(const char *s)
{
    static const hc_sig_alg algs[] = { HC_SIG_ES256, HC_SIG_ES384, HC_SIG_ES512 };
    for (size_t i = 0; s != NULL && i < sizeof algs / sizeof algs[0]; i++) {
        if (strcmp(s, hc_sig_alg_name(algs[i])) == 0) {
            return algs[i];
        }
    }
    return HC_SIG_NONE;
}

/* The parts of a seal, decoded. */
typedef struct seal {
    json_t *root;       /* owned */
    const json_t *data; /* borrowed from root */
    const char *alg_text;
    hc_sig_alg alg;
    uint8_t cer[HC_MAX_CERT_DER];
    size_t cer_len;
    uint8_t sig[VDSNC_SIG_MAX];
    size_t sig_len;
} seal;

/* Parses the seal's structure. Records STRUCTURE_INVALID / ENCODING_INVALID and returns false. */
static bool
parse(const char *text, size_t len, seal *s, hc_verdict *vd)
{
    char why[160] = "";
    hc_err e = hc_json_parse_bounded(text, len, &hc_json_payload_limits, &s->root, why, sizeof why);
    if (e != HC_OK) {
        hc_verdict_fail(vd, e == HC_ERR_INPUT_TOO_LARGE ? e : HC_ERR_STRUCTURE_INVALID,
                        "the seal is not valid JSON: %s", why);
        return false;
    }
    const json_t *data = json_object_get(s->root, "data");
    const json_t *sig = json_object_get(s->root, "sig");
    if (!json_is_object(s->root) || !json_is_object(data) || !json_is_object(sig)) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "a JSON text that is not a visible digital seal (an object with \"data\" "
                        "and \"sig\" objects)");
        return false;
    }
    vd->format = hc_format_vdsnc.name;
    if (!json_is_object(json_object_get(data, "hdr")) ||
        !json_is_object(json_object_get(data, "msg"))) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "the seal's data has no hdr and msg objects");
        return false;
    }
    s->data = data;
    size_t cl = 0, sl = 0;
    const char *cer = hc_json_get_string(sig, "cer", &cl);
    const char *sigvl = hc_json_get_string(sig, "sigvl", &sl);
    s->alg_text = hc_json_get_string(sig, "alg", NULL);
    if (cer == NULL || sigvl == NULL || s->alg_text == NULL) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the seal's sig needs the strings alg, cer and sigvl");
        return false;
    }
    s->alg = alg_from_name(s->alg_text);
    /* base64url (RFC 4648 §5) with or without "=" padding. */
    if (hc_base64_decode(cer, cl, true, s->cer, sizeof s->cer, &s->cer_len) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_ENCODING_INVALID,
                        "sig.cer is not base64url of a certificate of at most 16 KiB");
        return false;
    }
    e = hc_base64_decode(sigvl, sl, true, s->sig, sizeof s->sig, &s->sig_len);
    if (e != HC_OK) {
        hc_verdict_fail(
            vd, e == HC_ERR_BUFFER_TOO_SMALL ? HC_ERR_SIGNATURE_INVALID : HC_ERR_ENCODING_INVALID,
            e == HC_ERR_BUFFER_TOO_SMALL ? "sig.sigvl is longer than any ECDSA signature"
                                         : "sig.sigvl is not base64url");
        return false;
    }
    return true;
}

/* decode: the signature block and the signer certificate, for people debugging a seal. */
static void
fill_details(const seal *s, X509 *cert, const hc_cert_info *ci, size_t jcs_len, hc_verdict *vd)
{
    json_t *d = json_object();
    json_t *sig = json_object();
    json_object_set_new(sig, "alg", json_string(s->alg_text));
    json_object_set_new(sig, "signature_bytes", json_integer((json_int_t)s->sig_len));
    json_object_set_new(d, "sig", sig);
    json_object_set_new(d, "signed_bytes", json_integer((json_int_t)jcs_len));
    if (cert != NULL) {
        char t[32];
        json_t *c = json_object();
        json_object_set_new(c, "subject", json_string(ci->subject));
        char issuer[256] = "";
        X509_NAME_oneline(X509_get_issuer_name(cert), issuer, sizeof issuer);
        json_t *is = json_string(issuer);
        json_object_set_new(c, "issuer", is != NULL ? is : json_null());
        hc_time_format(ci->not_before, false, t, sizeof t);
        json_object_set_new(c, "not_before", json_string(t));
        hc_time_format(ci->not_after, false, t, sizeof t);
        json_object_set_new(c, "not_after", json_string(t));
        json_object_set_new(d, "signer_certificate", c);
    }
    vd->details = d;
}

static void
check_schema(hc_verdict *vd)
{
    const char *t = json_string_value(json_object_get(json_object_get(vd->payload, "hdr"), "t"));
    const char *model = t == NULL                     ? NULL
                        : strcmp(t, "icao.vacc") == 0 ? HC_MODEL_ICAO_VACC
                        : strcmp(t, "icao.test") == 0 ? HC_MODEL_ICAO_TEST
                                                      : NULL;
    char msg[200];
    hc_err e = HC_ERR_SCHEMA_INVALID;
    if (model == NULL) {
        snprintf(msg, sizeof msg, "hdr.t: must be icao.vacc or icao.test");
    } else {
        e = hc_format_schema_validate(model, vd->payload, msg, sizeof msg);
    }
    if (e == HC_ERR_SCHEMA_INVALID) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID, "%s", msg);
    } else if (e != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_INTERNAL, "the VDS-NC model cannot be checked");
    }
    hc_verdict_check(vd, "schema", e == HC_OK);
}

/* The signature over JCS(data) with the embedded certificate's key. */
static bool
check_signature(const seal *s, EVP_PKEY *key, const char *jcs, size_t jcs_len, hc_verdict *vd)
{
    if (s->alg == HC_SIG_NONE) {
        hc_verdict_fail(vd, HC_ERR_ALG_UNSUPPORTED,
                        "signature algorithm \"%.16s\" is not allowed (ES256, ES384, ES512)",
                        s->alg_text);
        return false;
    }
    hc_err e = hc_sig_verify(key, s->alg, (const uint8_t *)jcs, jcs_len, s->sig, s->sig_len);
    hc_verdict_check(vd, "signature", e == HC_OK);
    if (e == HC_ERR_ALG_UNSUPPORTED) {
        hc_verdict_fail(vd, HC_ERR_ALG_UNSUPPORTED,
                        "%s does not fit the signer certificate's key (wrong curve or key type)",
                        hc_sig_alg_name(s->alg));
    } else if (e == HC_ERR_SIGNATURE_INVALID) {
        hc_verdict_fail(vd, HC_ERR_SIGNATURE_INVALID,
                        "the signature does not verify over the canonical data: the seal was "
                        "altered or forged");
    } else if (e != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_INTERNAL, "the signature could not be checked");
    }
    return e == HC_OK;
}

static hc_err
vdsnc_run(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *vd)
{
    seal s;
    X509 *cert = NULL;
    char *jcs = NULL;
    size_t jcs_len = 0;
    hc_cert_info ci;
    const char *why = NULL;
    hc_err ret = HC_OK;

    memset(&s, 0, sizeof s);
    memset(&ci, 0, sizeof ci);
    if (len > HC_MAX_QR_TEXT) {
        hc_verdict_fail(vd, HC_ERR_INPUT_TOO_LARGE,
                        "the seal is %zu bytes; a QR code holds at most 2953", len);
        return HC_OK;
    }
    if (!parse(text, len, &s, vd)) {
        goto done;
    }
    vd->payload = json_incref((json_t *)s.data);
    vd->decoded = true;
    hc_vdsnc_fill_fields(s.data, vd);
    hc_err e = hc_jcs_serialize(s.data, VDSNC_JCS_MAX, &jcs, &jcs_len);
    if (e == HC_ERR_NOMEM) {
        hc_verdict_fail(vd, HC_ERR_NOMEM, "out of memory canonicalising the data");
        ret = e;
        goto done;
    }
    if (e != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the seal's data has no canonical form (nested too deep or too large)");
        goto done;
    }
    cert = hc_x509_from_der(s.cer, s.cer_len);
    if (cert != NULL && hc_cert_info_from_x509_reason(cert, &ci, &why) != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED, "the signer certificate is unusable: %s",
                        why != NULL ? why : "unsupported");
        X509_free(cert);
        cert = NULL;
        if (mode != HC_MODE_DECODE) {
            goto done;
        }
    } else if (cert == NULL) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID, "sig.cer is not a DER certificate");
        goto done;
    }
    if (cert != NULL) {
        /* A certificate from the seal: its CN is attacker text (no control or bidi characters). */
        hc_verdict_copy_text(vd->issuer_name, sizeof vd->issuer_name, ci.subject_cn,
                             strlen(ci.subject_cn));
        size_t kl;
        /* Seals name no key; the certificate's HCERT-style kid identifies it in messages. */
        hc_base64_encode(ci.kid, sizeof ci.kid, false, vd->issuer_kid, sizeof vd->issuer_kid, &kl);
    }
    if (mode == HC_MODE_DECODE) {
        fill_details(&s, cert, &ci, jcs_len, vd);
        vd->valid = false;
        goto done;
    }
    bool signed_ok = check_signature(&s, X509_get0_pubkey(cert), jcs, jcs_len, vd);
    if (hc_verdict_first_error(vd) == HC_ERR_INTERNAL) {
        ret = HC_ERR_INTERNAL;
        goto done;
    }
    const char *state = json_string_value(json_object_get(json_object_get(s.data, "hdr"), "is"));
    bool trusted = hc_vdsnc_check_signer(v->opt.trust, cert, &ci, state, hc_verifier_clock(v), vd);
    check_schema(vd);
    if (hc_verdict_first_error(vd) == HC_ERR_INTERNAL) {
        ret = HC_ERR_INTERNAL;
        goto done;
    }
    vd->valid = signed_ok && trusted && vd->n_errors == 0;
done:
    X509_free(cert);
    free(jcs);
    json_decref(s.root);
    return ret;
}

const hc_format hc_format_vdsnc = {
    .name = "icao-vds-nc",
    .prefix = "{",
    .run = vdsnc_run,
};
