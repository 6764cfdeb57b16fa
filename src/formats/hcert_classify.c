/*
 * hcert_classify.c: which format judges an "HC1:" CWT, EU DCC or WHO DDCC (hcert.h).
 *
 * Both travel in the same container under the same prefix; WHO's validators tell them apart by
 * content only (ddcc-validator HCertVerifier: "DCC mapper if -260 present, else root = WHO model,
 * else -260 -> {1: WHO model}"; gdhcn-validator CWTPayload: sub-claims 1, 3, 4, 5, -6). An EU DCC
 * names its members ver, nam, dob, v/t/r (eu-dcc-schema); the DDCC core data set names them name,
 * birthDate, vaccination, test, certificate (WHO ddcc-core-data-set.fsh RC2), its legacy flat form
 * (RC1, ddcc-validator WhoModel.kt) name, birthDate, vaccine, dose, test, ...; the DVC minimal
 * payload sits under its own sub-claim -6.
 */
#include "hcert.h"

/* WHO HCert logical model (smart-trust input/fsh/models/hcert.fsh): sub-claims of -260. */
#define HCERT_SUB_DDCC_VS (3)
#define HCERT_SUB_DDCC_TR (4)
#define HCERT_SUB_DVC_MIN (-6)

/* Members only a DDCC core data set has (RC2 nested and RC1 flat); an EU DCC has none of them. */
static const char *const ddcc_members[] = {
    "name", "birthDate", "vaccination", "test", "certificate", "vaccine", "hcid",
};

static bool
has_ddcc_members(const hc_cbor_doc *claims, uint32_t map)
{
    const hc_cbor_node *m = hc_cbor_node_at(claims, map);
    if (m == NULL || m->type != HC_CBOR_MAP) {
        return false;
    }
    for (size_t i = 0; i < sizeof ddcc_members / sizeof ddcc_members[0]; i++) {
        if (hc_cbor_map_get_text(claims, map, ddcc_members[i]) != HC_CBOR_NONE) {
            return true;
        }
    }
    return false;
}

/* An EU DCC marks itself with its schema version and name group (eu-dcc-schema DCC.Core). */
static bool
has_eu_members(const hc_cbor_doc *claims, uint32_t map)
{
    return hc_cbor_map_get_text(claims, map, "ver") != HC_CBOR_NONE ||
           hc_cbor_map_get_text(claims, map, "nam") != HC_CBOR_NONE;
}

hc_hcert_content
hc_hcert_classify(const hc_cbor_doc *claims, const hc_cwt *cwt)
{
    if (cwt->hcert == HC_CBOR_NONE) {
        /* Legacy: the core data set's members directly in the claims map. */
        return has_ddcc_members(claims, cwt->claims) ? HC_HCERT_CONTENT_DDCC
                                                     : HC_HCERT_CONTENT_EU_DCC;
    }
    uint32_t one = hc_cbor_map_get_int(claims, cwt->hcert, 1);
    if (one != HC_CBOR_NONE) {
        /* Sub-claim 1 is the EU DCC's; dcc-sdk.js puts a DDCC there too. Content decides, and an
         * EU marker wins, so that nothing the EU format accepted moves away from it. */
        return !has_eu_members(claims, one) && has_ddcc_members(claims, one)
                   ? HC_HCERT_CONTENT_DDCC
                   : HC_HCERT_CONTENT_EU_DCC;
    }
    if (hc_cbor_map_get_int(claims, cwt->hcert, HCERT_SUB_DDCC_VS) != HC_CBOR_NONE ||
        hc_cbor_map_get_int(claims, cwt->hcert, HCERT_SUB_DDCC_TR) != HC_CBOR_NONE ||
        hc_cbor_map_get_int(claims, cwt->hcert, HCERT_SUB_DVC_MIN) != HC_CBOR_NONE) {
        return HC_HCERT_CONTENT_DDCC;
    }
    return HC_HCERT_CONTENT_EU_DCC;
}
