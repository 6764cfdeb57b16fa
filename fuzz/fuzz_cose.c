/* fuzz_cose.c: COSE_Sign1 + CWT parsing of arbitrary bytes, and hashing of the Sig_structure. */
#include "cose.h"
#include "hc_limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static hc_cbor_node outer[512], header[128], claims[HC_CBOR_MAX_NODES];
    static uint8_t scratch[2][HC_MAX_INFLATED];
    hc_cbor_doc o, h, c;
    hc_cose_sign1 msg;
    hc_cwt cwt;
    uint8_t digest[32];
    const char *why;

    hc_cbor_doc_init(&o, outer, 512, scratch[0], sizeof scratch[0], HC_CBOR_REJECT_DUPLICATE_KEYS);
    hc_cbor_doc_init(&h, header, 128, NULL, 0, HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (hc_cose_sign1_parse(data, size, &o, &h, &msg, &why) != HC_OK) {
        return 0;
    }
    hc_cose_sign1_tbs_sha256(&msg, digest);
    hc_cbor_doc_init(&c, claims, HC_CBOR_MAX_NODES, scratch[1], sizeof scratch[1],
                     HC_CBOR_REJECT_DUPLICATE_KEYS);
    if (hc_cwt_parse(msg.payload, msg.payload_len, &c, &cwt, &why) == HC_OK &&
        cwt.hcert != HC_CBOR_NONE) {
        json_decref(hc_cbor_to_json(&c, cwt.hcert, 0));
    }
    return 0;
}
