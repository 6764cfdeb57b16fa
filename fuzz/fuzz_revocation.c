/* fuzz_revocation.c: revocation-list documents (GET /v1/revocations, verify --revocation). */
#include "healthcert/revocation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[256];
    hc_revocation_list *rl = hc_revocation_list_new();
    if (rl == NULL) {
        return 0;
    }
    if (hc_revocation_list_load_buffer(rl, data, size, msg, sizeof msg) == HC_OK) {
        json_decref(hc_revocation_list_to_json(rl, 0, -1));
    }
    hc_revocation_list_free(rl);
    return 0;
}
