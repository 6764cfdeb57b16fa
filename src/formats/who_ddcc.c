/*
 * who_ddcc.c: WHO Digital Documentation of COVID-19 Certificates on HCERT ("HC1:", format
 * "who-ddcc"; WHO smart-trust hcert_spec.md v1.1.1, DDCC core data set RC2).
 *
 *   "HC1:" -> Base45 -> zlib -> COSE_Sign1 -> CWT -> the core data set, found as
 *     -260 -> 3   DDCC:VS            -260 -> 4   DDCC:TR         -260 -> -6  minimal DVC
 *     -260 -> 1   DDCC (dcc-sdk.js)  no -260     RC1 claims at the CWT root (legacy)
 *
 * Codes reach this format through the eu-dcc format, which asks hc_hcert_classify and hands DDCC
 * content over (one prefix, one decision). Checks: signature (every trusted key with the kid;
 * keys of the participant named by the CWT iss first, as WHO's gdhcn-validator resolves
 * "<iss>#<kid>" before the bare kid), expiry (iat <= clock <= exp; exp is optional: WHO's samples
 * carry none), key_validity, key_usage (the DCC extended key usages, when the DSC has them), schema
 * (the logical model of the shape, format_schema.h).
 */
#include <string.h>

#include "format_schema.h"
#include "hcert.h"
#include "verdict_build.h"
#include "who_ddcc.h"
#include "who_ddcc_fields.h"

/* WHO HCert logical model (smart-trust input/fsh/models/hcert.fsh): sub-claims of -260. */
#define HCERT_SUB_DCC     1
#define HCERT_SUB_DDCC_VS 3
#define HCERT_SUB_DDCC_TR 4
#define HCERT_SUB_DVC_MIN (-6)

/* The node holding the core data set and its shape; HC_CBOR_NONE when there is none. */
static uint32_t
locate(const hc_hcert *h, hc_ddcc_shape *shape, int64_t *sub)
{
    static const struct {
        int64_t sub;
        hc_ddcc_shape shape;
    } subs[] = {
        { HCERT_SUB_DDCC_VS, HC_DDCC_VS },
        { HCERT_SUB_DDCC_TR, HC_DDCC_TR },
        { HCERT_SUB_DVC_MIN, HC_DDCC_DVC },
        { HCERT_SUB_DCC, HC_DDCC_RC1 }, /* refined by content below */
    };
    *sub = 0;
    if (h->cwt.hcert == HC_CBOR_NONE) {
        *shape = HC_DDCC_RC1;
        return h->cwt.claims;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        uint32_t n = hc_cbor_map_get_int(&h->claims, h->cwt.hcert, subs[i].sub);
        if (n != HC_CBOR_NONE) {
            *shape = subs[i].shape;
            *sub = subs[i].sub;
            return n;
        }
    }
    return HC_CBOR_NONE;
}

static void
check_schema(hc_ddcc_shape shape, hc_verdict *vd)
{
    char msg[200];
    hc_err e = hc_format_schema_validate(hc_ddcc_shape_model(shape), vd->payload, msg, sizeof msg);
    if (e == HC_ERR_SCHEMA_INVALID) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID, "%s %s", hc_ddcc_shape_name(shape), msg);
    } else if (e != HC_OK) {
        hc_verdict_fail(vd, HC_ERR_INTERNAL, "the %s model cannot be checked",
                        hc_ddcc_shape_name(shape));
    }
    hc_verdict_check(vd, "schema", e == HC_OK);
}

hc_err
hc_who_ddcc_judge(hc_verifier *v, const hc_hcert *h, hc_mode mode, hc_verdict *vd)
{
    hc_ddcc_shape shape;
    int64_t sub;
    char iss[16] = "";

    vd->format = hc_format_who_ddcc.name;
    uint32_t node = locate(h, &shape, &sub);
    if (node == HC_CBOR_NONE || hc_cbor_node_at(&h->claims, node)->type != HC_CBOR_MAP) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the CWT holds no DDCC core data set (claim -260 with a map under 3, 4, "
                        "-6 or 1, or the data set at the CWT root)");
        return HC_OK;
    }
    vd->payload = hc_cbor_to_json(&h->claims, node, 0);
    if (vd->payload == NULL) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the core data set has no JSON form (a NaN or infinite number)");
        return HC_OK;
    }
    if (sub == HCERT_SUB_DCC || sub == 0) {
        shape = hc_ddcc_shape_of(vd->payload);
    }
    if (h->cwt.hcert == HC_CBOR_NONE) {
        /* Legacy: the claims map is the data set; integer claims (iss, iat, exp) are not part of
         * it. */
        const char *key;
        void *tmp;
        json_t *val;
        json_object_foreach_safe(vd->payload, tmp, key, val)
        {
            (void)val;
            if (key[0] == '-' || (key[0] >= '0' && key[0] <= '9')) {
                json_object_del(vd->payload, key);
            }
        }
    }
    vd->decoded = true;
    hc_ddcc_fill_fields(vd->payload, shape, vd);
    hc_hcert_fill_claims(h, vd);
    if (mode == HC_MODE_DECODE) {
        hc_hcert_fill_details(h, "HC1:", h->cwt.hcert == HC_CBOR_NONE ? 0 : HC_CWT_HCERT, vd);
        if (vd->details != NULL) {
            json_object_set_new(vd->details, "shape", json_string(hc_ddcc_shape_name(shape)));
        }
        vd->valid = false; /* decoding never vouches for a certificate */
        return HC_OK;
    }
    int64_t clock = hc_verifier_clock(v);
    if (h->cwt.has_iss) {
        hc_verdict_copy_text(iss, sizeof iss, (const char *)h->cwt.iss, h->cwt.iss_len);
    }
    /* DDCC signers are DSC certificates (WHO hcert_spec §5, GDHCN x5c chains). */
    const hc_hcert_signers signers = {
        .prefer_participant = iss,
        .bare_keys = HC_HCERT_BARE_KEYS_REFUSED,
        .kid_name = "HCERT",
    };
    const hc_trust_entry *key = hc_hcert_check_signature(v, h, &signers, vd);
    if (hc_verdict_first_error(vd) == HC_ERR_INTERNAL) {
        return HC_ERR_INTERNAL;
    }
    hc_hcert_check_times(clock, h, false, vd);
    if (key != NULL) {
        hc_hcert_fill_key_issuer(key, vd);
        hc_hcert_check_key_validity(clock, h, key, vd);
        hc_hcert_check_key_usage(key, vd);
    }
    check_schema(shape, vd);
    if (hc_verdict_first_error(vd) == HC_ERR_INTERNAL) {
        return HC_ERR_INTERNAL;
    }
    vd->valid = key != NULL && vd->n_errors == 0;
    return HC_OK;
}

static hc_err
who_ddcc_run(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *vd)
{
    hc_hcert h;

    vd->format = hc_format_who_ddcc.name;
    if (!hc_hcert_unwrap(v, text, len, 4, &h, vd)) {
        return hc_hcert_unwrap_status(vd);
    }
    return hc_who_ddcc_judge(v, &h, mode, vd);
}

/* Not in the prefix table: "HC1:" belongs to eu-dcc, which hands DDCC content to
 * hc_who_ddcc_judge. The entry names the format and serves direct callers. */
const hc_format hc_format_who_ddcc = {
    .name = "who-ddcc",
    .prefix = "HC1:",
    .run = who_ddcc_run,
};
