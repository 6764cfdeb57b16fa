/*
 * vdsnc_pki.c: the embedded barcode signer certificate of a VDS-NC seal against trusted CSCAs and
 * their CRLs (vdsnc_pki.h).
 *
 * The certificate comes from the seal, so it is attacker-supplied: it was parsed by
 * hc_x509_from_der (bounded, one DER certificate) and vetted by hc_cert_info_from_x509 (no explicit
 * EC parameters, a supported key) before it gets here. Every OpenSSL verify result counts only
 * when it is exactly 1.
 */
#include "vdsnc_pki.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <string.h>

#include "hctime.h"
#include "iso3166.h"
#include "trust_x509_crl.h"
#include "verdict_build.h"

/* CRLs consulted per CSCA (one per update a verifier kept). */
#define VDSNC_MAX_CRLS 16

static const char *
time_text(int64_t ms, char *buf, size_t cap)
{
    hc_time_format(ms, false, buf, cap);
    return buf;
}

/* True when signer may be issued by ca: names chain, AKI matches SKI, ca's key verifies it. */
static bool
issued_by(X509 *signer, const hc_trust_entry *ca, const char **why)
{
    if (X509_NAME_cmp(X509_get_issuer_name(signer), X509_get_subject_name(ca->cert)) != 0) {
        return false; /* not this CA: no reason to report */
    }
    if (!ca->info.is_ca) {
        *why = "the certificate named as its issuer is not a CA";
        return false;
    }
    /* The shared check (trust_store.h): AKI = SKI, then the CSCA's signature. */
    return hc_trust_ca_issued(ca->cert, signer, why);
}

/* Step 1: the pinned signer or the CSCA that issued it; NULL when neither is trusted. */
static const hc_trust_entry *
find_anchor(const hc_trust_store *ts, X509 *signer, const hc_cert_info *info, bool *pinned,
            const char **why)
{
    const hc_trust_entry *same[HC_MAX_KEYS_PER_KID];
    *pinned = false;
    if (ts == NULL) {
        return NULL;
    }
    /* A CSCA first: only through it can the CSCA's revocation lists apply. */
    size_t count = hc_trust_store_count(ts);
    for (size_t i = 0; i < count; i++) {
        const hc_trust_entry *e = hc_trust_store_entry(ts, i);
        if (e->kind == HC_TRUST_X509 &&
            memcmp(e->info.sha256, info->sha256, sizeof info->sha256) != 0 &&
            issued_by(signer, e, why)) {
            return e;
        }
    }
    /* The store indexes certificates by the first 8 bytes of their SHA-256 (kid), so a pinned
     * signer is found without a scan, then compared in full. */
    size_t n = hc_trust_store_find(ts, info->kid, sizeof info->kid, same, HC_MAX_KEYS_PER_KID);
    for (size_t i = 0; i < n && i < HC_MAX_KEYS_PER_KID; i++) {
        if (same[i]->kind == HC_TRUST_X509 &&
            memcmp(same[i]->info.sha256, info->sha256, sizeof info->sha256) == 0) {
            *pinned = true;
            return same[i];
        }
    }
    return NULL;
}

static bool
check_validity(const char *what, const hc_cert_info *ci, int64_t clock, hc_verdict *vd)
{
    char t[32];
    if (clock < ci->not_before) {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_YET_VALID, "the %s is valid from %s", what,
                        time_text(ci->not_before, t, sizeof t));
        return false;
    }
    if (clock > ci->not_after) {
        hc_verdict_fail(vd, HC_ERR_KEY_EXPIRED, "the %s expired on %s", what,
                        time_text(ci->not_after, t, sizeof t));
        return false;
    }
    return true;
}

/* Step 3: no EKU allows every use (as for DSCs, HCERT A.4); an EKU must name the VDS signer. */
static void
check_usage(X509 *signer, hc_verdict *vd)
{
    EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(signer, NID_ext_key_usage, NULL, NULL);
    bool ok = true;
    if (eku != NULL) {
        ASN1_OBJECT *want = OBJ_txt2obj(HC_OID_ICAO_VDS_SIGNER, 1);
        ok = false;
        for (int i = 0; want != NULL && i < sk_ASN1_OBJECT_num(eku); i++) {
            ok |= OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), want) == 0;
        }
        ASN1_OBJECT_free(want);
        EXTENDED_KEY_USAGE_free(eku);
    }
    ERR_clear_error();
    if (!ok) {
        hc_verdict_fail(vd, HC_ERR_KEY_USAGE_MISMATCH,
                        "the signer certificate's extended key usage does not allow signing "
                        "visible digital seals (%s)",
                        HC_OID_ICAO_VDS_SIGNER);
    }
    hc_verdict_check(vd, "key_usage", ok);
}

/* Step 4: the CSCA's CRLs. A CRL that its CSCA did not sign is not believed, and says so. */
static void
check_revocation(const hc_trust_store *ts, X509 *signer, const hc_trust_entry *csca, hc_verdict *vd)
{
    X509_CRL *crls[VDSNC_MAX_CRLS];
    size_t n =
        hc_trust_store_x509_crls(ts, X509_get_subject_name(csca->cert), crls, VDSNC_MAX_CRLS);
    bool ok = true;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (X509_CRL_verify(crls[i], csca->key) != 1) {
            ERR_clear_error();
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "a revocation list naming the CSCA as its issuer is not signed by it");
            ok = false;
            continue;
        }
        used++;
        X509_REVOKED *rev = NULL;
        if (X509_CRL_get0_by_cert(crls[i], &rev, signer) == 1) {
            char t[32] = "";
            const ASN1_TIME *when = rev != NULL ? X509_REVOKED_get0_revocationDate(rev) : NULL;
            struct tm tm;
            if (when != NULL && ASN1_TIME_to_tm(when, &tm) == 1) {
                strftime(t, sizeof t, "%Y-%m-%d", &tm);
            }
            hc_verdict_fail(vd, HC_ERR_REVOKED,
                            "the signer certificate is revoked by its CSCA's revocation list%s%s",
                            t[0] ? " since " : "", t);
            ok = false;
        }
    }
    ERR_clear_error();
    if (n > 0) {
        hc_verdict_check(vd, "revocation", ok && used > 0);
    }
}

/* Step 5: issuing state (alpha-3) against the CSCA's (or pinned signer's) country (alpha-2).
 * Codes that name no country (ICAO's "UTO" test state, "D<<") are not compared. */
static void
check_issuer(const char *state, const char *country, hc_verdict *vd)
{
    const char *a2 = state != NULL ? hc_iso3166_alpha2(state) : NULL;
    if (a2 == NULL || country == NULL || country[0] == '\0') {
        return;
    }
    bool ok = strcmp(a2, country) == 0;
    if (!ok) {
        hc_verdict_fail(vd, HC_ERR_ISSUER_MISMATCH,
                        "the seal says it was issued by %s, but its signer belongs to %s", state,
                        country);
    }
    hc_verdict_check(vd, "issuer", ok);
}

bool
hc_vdsnc_check_signer(const hc_trust_store *ts, X509 *signer, const hc_cert_info *info,
                      const char *issuing_state, int64_t clock, hc_verdict *vd)
{
    bool pinned = false;
    const char *why = NULL;
    const hc_trust_entry *anchor = find_anchor(ts, signer, info, &pinned, &why);

    hc_verdict_copy_text(vd->issuer_name, sizeof vd->issuer_name, info->subject_cn,
                         strlen(info->subject_cn));
    hc_verdict_check(vd, "trust_chain", anchor != NULL);
    if (anchor == NULL) {
        /* The subject comes from the seal: shown without control or bidi characters. */
        char subject[96];
        hc_verdict_copy_text(subject, sizeof subject, info->subject, strlen(info->subject));
        if (why != NULL) {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "the signer certificate (%s) is not trusted: %s", subject, why);
        } else {
            hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                            "the signer certificate (%s) is neither trusted itself nor issued by "
                            "a trusted CSCA",
                            subject);
        }
        return false;
    }
    bool ok = check_validity("signer certificate", info, clock, vd);
    if (!pinned) {
        ok &= check_validity("CSCA", &anchor->info, clock, vd);
    }
    hc_verdict_check(vd, "key_validity", ok);
    check_usage(signer, vd);
    if (!pinned) {
        check_revocation(ts, signer, anchor, vd);
    }
    const char *country = pinned ? info->country : anchor->info.country;
    check_issuer(issuing_state, country, vd);
    return true;
}
