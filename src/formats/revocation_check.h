/*
 * revocation_check.h: the "revocation" check of the EU DCC pipeline (eu_dcc.c): the certificate's
 * three EU revocation hashes (eu-dcc.md §4.3) looked up in the verifier's revocation list.
 */
#ifndef HC_REVOCATION_CHECK_H
#define HC_REVOCATION_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "healthcert/revocation.h"
#include "healthcert/verify.h"
#include "sig.h"

typedef struct hc_dcc_revocation_input {
    const uint8_t *kid; /* the COSE kid the certificate names */
    size_t kid_len;
    const uint8_t *iss; /* CWT claim 1 (issuing country), may be NULL */
    size_t iss_len;
    hc_sig_alg alg;
    const uint8_t *signature; /* the COSE signature as received */
    size_t signature_len;
} hc_dcc_revocation_input;

/*
 * Records the "revocation" check in vd (and REVOKED when a hash is listed). The UCI is the "ci"
 * of the first v/t/r entry of vd->payload. Does nothing when rl is NULL.
 */
void hc_dcc_check_revocation(const hc_revocation_list *rl, const hc_dcc_revocation_input *in,
                             hc_verdict *vd);

#endif
