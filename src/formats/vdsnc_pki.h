/*
 * vdsnc_pki.h: trusting the barcode signer certificate embedded in a VDS-NC seal (ICAO Doc 9303-12
 * PKI; the Australian Passport Office reader's order of checks, security.md §1.7):
 *
 *   1. the signer certificate is trusted itself (pinned: the same certificate is in the trust
 *      store), or it chains to a trusted CSCA: issuer name = CSCA subject, AKI = CSCA SKI when both
 *      are present, CSCA is a CA, and the CSCA's key verifies the signer certificate;
 *   2. the signer (and the CSCA) are valid at the clock;
 *   3. the signer's extended key usage, when present, names the VDS-NC signer purpose
 *      (2.23.136.1.1.14.2, ICAO Doc 9303-12 §7.1.1);
 *   4. the CSCA's CRLs in the trust store (each verified with the CSCA's key) do not list the
 *      signer's serial number;
 *   5. the CSCA's country (C=) is the seal's issuing state (hdr.is, alpha-3).
 */
#ifndef HC_VDSNC_PKI_H
#define HC_VDSNC_PKI_H

#include <openssl/x509.h>
#include <stdint.h>

#include "healthcert/verify.h"
#include "trust_store.h"
#include "x509_info.h"

/* ICAO Doc 9303-12: extended key usage of VDS-NC barcode signers (id-icao-mrtd-security 14.2). */
#define HC_OID_ICAO_VDS_SIGNER "2.23.136.1.1.14.2"

/*
 * Runs checks 1-5 for signer (info: its facts) against the store at clock. Records the checks
 * "trust_chain", "key_validity", "key_usage", "revocation" (only when a CRL applies) and
 * "issuer" (only when both countries are known) with KEY_NOT_TRUSTED, KEY_EXPIRED,
 * KEY_NOT_YET_VALID, KEY_USAGE_MISMATCH, REVOKED or ISSUER_MISMATCH. issuing_state is hdr.is
 * (NULL when absent). Fills vd's issuer country / name. Returns true when the signer is trusted.
 */
bool hc_vdsnc_check_signer(const hc_trust_store *ts, X509 *signer, const hc_cert_info *info,
                           const char *issuing_state, int64_t clock, hc_verdict *vd);

#endif
