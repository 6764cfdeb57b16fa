/*
 * ch_light.c: Swiss COVID "light" certificates ("LT1:", format "ch-light").
 *
 *   "LT1:" -> Base45 -> zlib -> COSE_Sign1 (untagged, ES256) -> CWT {1: "CH BAG", 6: iat, 4: exp,
 *   -250: {1: {ver, nam{fn, gn, fnt, gnt}, dob}}}
 *
 * The container is the HCERT one (hcert.c); the claim is -250 (admin-ch CovidCertificate-SDK
 * CwtHeaderKeys.LIGHT), and it holds nothing but the holder's name and date of birth: a light
 * certificate shows a checkpoint that its holder has a valid certificate, not which kind (data
 * minimisation, shared/reference/other-formats.md §5). There is no revocation for them ("Revocation
 * is not possible for light certificates", SDK CertificateVerifier.kt).
 *
 * Checks: signature (every trusted key with the kid: a certificate by the kid bytes, or a JWK by
 * the kid's base64 text as the Swiss trust list names keys), expiry (iat <= clock <= exp; light
 * certificates are issued with exp, the SDK's test vector has none, so a missing exp is
 * accepted), key_validity (certificates only), schema (ver, nam.fnt and dob present).
 */
#include <string.h>

#include "eu_dcc_fields.h"
#include "hcert.h"
#include "verdict_build.h"

/* CWT claim of the light certificate payload (CovidCertificate-SDK CwtHeaderKeys.LIGHT) and its
 * one sub-claim (version 1 of the light payload). */
#define CH_LIGHT_CLAIM     (-250)
#define CH_LIGHT_PAYLOAD_1 1

/* The light payload's required members (SDK LightCertificate: ver, nam, dob). */
static void
check_schema(hc_verdict *vd)
{
    const json_t *p = vd->payload;
    const json_t *nam = json_object_get(p, "nam");
    const char *why = NULL;
    if (!json_is_string(json_object_get(p, "ver"))) {
        why = "ver: is required (a string)";
    } else if (!json_is_object(nam) || !json_is_string(json_object_get(nam, "fnt"))) {
        why = "nam.fnt: is required (the transliterated family name)";
    } else if (!json_is_string(json_object_get(p, "dob"))) {
        why = "dob: is required (a string)";
    }
    if (why != NULL) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID, "light certificate %s", why);
    }
    hc_verdict_check(vd, "schema", why == NULL);
}

static hc_err
ch_light_run(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *vd)
{
    hc_hcert h;

    vd->format = hc_format_ch_light.name;
    if (!hc_hcert_unwrap(v, text, len, 4, &h, vd)) {
        return hc_hcert_unwrap_status(vd);
    }
    uint32_t light = hc_cbor_map_get_int(&h.claims, h.cwt.claims, CH_LIGHT_CLAIM);
    uint32_t node = light == HC_CBOR_NONE
                        ? HC_CBOR_NONE
                        : hc_cbor_map_get_int(&h.claims, light, CH_LIGHT_PAYLOAD_1);
    if (node == HC_CBOR_NONE || hc_cbor_node_at(&h.claims, node)->type != HC_CBOR_MAP) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the CWT holds no light certificate (claim -250 with a map under key 1)");
        return HC_OK;
    }
    vd->payload = hc_cbor_to_json(&h.claims, node, 0);
    if (vd->payload == NULL) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the light certificate has no JSON form (a NaN or infinite number)");
        return HC_OK;
    }
    vd->decoded = true;
    /* The name and date of birth are read as in an EU DCC (same nam / dob members). */
    hc_eu_dcc_fill_fields(vd->payload, vd);
    vd->type[0] = '\0';
    snprintf(vd->summary, sizeof vd->summary, "light certificate: name and date of birth only");
    hc_hcert_fill_claims(&h, vd);
    if (h.cwt.has_iss && h.cwt.iss_len > 3 && h.cwt.iss[2] == ' ') {
        /* iss is "CH BAG": the country, then the issuing authority. */
        hc_verdict_copy_text(vd->issuer_name, sizeof vd->issuer_name, (const char *)h.cwt.iss,
                             h.cwt.iss_len);
        hc_verdict_copy_text(vd->issuer_country, sizeof vd->issuer_country, (const char *)h.cwt.iss,
                             2);
    }
    if (mode == HC_MODE_DECODE) {
        hc_hcert_fill_details(&h, "LT1:", CH_LIGHT_CLAIM, vd);
        vd->valid = false;
        return HC_OK;
    }
    int64_t clock = hc_verifier_clock(v);
    /* The Swiss trust list publishes bare keys (keyId, x, y), no certificates. */
    static const hc_hcert_signers signers = {
        .prefer_participant = NULL,
        .bare_keys = HC_HCERT_BARE_KEYS_SIGN,
        .kid_name = "HCERT",
    };
    const hc_trust_entry *key = hc_hcert_check_signature(v, &h, &signers, vd);
    if (hc_verdict_first_error(vd) == HC_ERR_INTERNAL) {
        return HC_ERR_INTERNAL;
    }
    hc_hcert_check_times(clock, &h, false, vd);
    if (key != NULL) {
        hc_hcert_fill_key_issuer(key, vd);
        hc_hcert_check_key_validity(clock, &h, key, vd);
    }
    check_schema(vd);
    vd->valid = key != NULL && vd->n_errors == 0;
    return HC_OK;
}

const hc_format hc_format_ch_light = {
    .name = "ch-light",
    .prefix = "LT1:",
    .run = ch_light_run,
};
