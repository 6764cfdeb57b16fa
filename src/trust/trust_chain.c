/*
 * trust_chain.c: whether a CA certificate issued a certificate (trust_internal.h), shared by the
 * loaders that check document signers against their country's CA: GDHCN lists (trust_gdhcn.c,
 * DSC against SCA) and EU gateway-style lists (trust_list_json.c, DSC against CSCA).
 */
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "trust_internal.h"
#include "trust_store.h"

bool
hc_trust_ca_issued(X509 *ca, X509 *cert, const char **why)
{
    const char *unused;
    why = why != NULL ? why : &unused; /* left as it is when the names differ */
    /* RFC 5280 §6.1.3 (a)(4): the issuer name is the CA's subject. Compared first because it is
     * cheap and rules out most candidates before any signature is checked. */
    if (X509_NAME_cmp(X509_get_issuer_name(cert), X509_get_subject_name(ca)) != 0) {
        return false;
    }
    /* HCERT §5 / governance §4.3: AKI = the CA's SKI. Either may be absent in older lists; then the
     * signature alone decides (a key identifier is a hint, RFC 5280 §4.2.1.1). */
    const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(cert);
    const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(ca);
    if (aki != NULL && ski != NULL && ASN1_OCTET_STRING_cmp(aki, ski) != 0) {
        *why = "its authority key identifier is not the CA's subject key identifier";
        return false;
    }
    EVP_PKEY *k = X509_get0_pubkey(ca);
    int ok = k != NULL ? X509_verify(cert, k) : 0;
    /* A failed check leaves errors on OpenSSL's thread queue; they are an answer here, not a
     * fault to report later. */
    ERR_clear_error();
    if (ok != 1) {
        *why = "the CA's key does not verify its signature";
        return false;
    }
    return true;
}
