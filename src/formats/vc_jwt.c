/* vc_jwt.c: W3C Verifiable Credentials as JWTs with DID issuers (see vc_jwt.h). */
#include "vc_jwt.h"

#include <string.h>

#include "did_doc.h"
#include "did_key.h"
#include "verdict_build.h"

/* VC Data Model 1.1 §4.1 and 2.0 §4.3: the first @context is the base context. */
static const char *const base_contexts[] = {
    "https://www.w3.org/2018/credentials/v1",
    "https://www.w3.org/ns/credentials/v2",
};

/* VC Data Model §4.3: every credential has this type. */
#define VC_TYPE "VerifiableCredential"

const hc_jws_policy hc_vc_jwt_jws_policy = {
    .algs = HC_JWS_ALG_BIT(HC_SIG_ES256) | HC_JWS_ALG_BIT(HC_SIG_EDDSA),
    .allow_zip = true,
};

typedef struct vc_parts {
    const char *iss;
    size_t iss_len;
    const char *fragment; /* of the kid's DID URL */
    size_t fragment_len;
    hc_jwt_time nbf, exp, iat;
    const json_t *vc, *subject;
} vc_parts;

static bool
str_eq(const char *a, size_t alen, const char *b)
{
    return b != NULL && strlen(b) == alen && memcmp(a, b, alen) == 0;
}

/* The first credentialSubject object (VC DM §4.4 allows one or an array). */
static const json_t *
first_subject(const json_t *vc)
{
    json_t *cs = json_object_get(vc, "credentialSubject");
    if (json_is_array(cs)) {
        cs = json_array_get(cs, 0);
    }
    return json_is_object(cs) ? cs : NULL;
}

static bool
read_claims(const hc_jwt *jwt, vc_parts *p, hc_verdict *vd)
{
    json_t *iss = json_object_get(jwt->claims, "iss");
    memset(p, 0, sizeof *p);
    if (!json_is_string(iss) || !hc_did_valid(json_string_value(iss), json_string_length(iss))) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the issuer (\"iss\") is not a DID (did:key, did:web, ...)");
        return false;
    }
    p->iss = json_string_value(iss);
    p->iss_len = json_string_length(iss);
    if (!hc_jwt_numeric_date(jwt->claims, "nbf", &p->nbf, vd) ||
        !hc_jwt_numeric_date(jwt->claims, "exp", &p->exp, vd) ||
        !hc_jwt_numeric_date(jwt->claims, "iat", &p->iat, vd)) {
        return false;
    }
    p->vc = json_object_get(jwt->claims, "vc");
    if (!json_is_object(p->vc)) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "no \"vc\" claim object: not a verifiable credential JWT");
        return false;
    }
    p->subject = first_subject(p->vc);
    return true;
}

/* "Given Family" from the common shapes of a credential subject's name. */
static void
subject_name(const json_t *s, char *out, size_t cap)
{
    json_t *name = json_object_get(s, "name");
    const char *given = NULL, *family = NULL;
    out[0] = '\0';
    if (json_is_string(name)) {
        snprintf(out, cap, "%s", json_string_value(name));
        return;
    }
    if (json_is_object(name)) {
        given = json_string_value(json_object_get(name, "given"));
        family = json_string_value(json_object_get(name, "family"));
    } else {
        given = json_string_value(json_object_get(s, "givenName"));
        family = json_string_value(json_object_get(s, "familyName"));
    }
    snprintf(out, cap, "%s%s%s", given ? given : "", given && family ? " " : "",
             family ? family : "");
}

static const char *
subject_dob(const json_t *s)
{
    static const char *const names[] = { "birthDate", "dob", "dateOfBirth", "birthdate" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = json_string_value(json_object_get(s, names[i]));
        if (v != NULL) {
            return v;
        }
    }
    return NULL;
}

/* Type and summary: the credential's own type name, with the WHO DDCC vaccination details. */
static void
fill_type(const vc_parts *p, hc_verdict *vd)
{
    const char *type = NULL;
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(p->vc, "type"), i, t)
    {
        if (json_is_string(t) && strcmp(json_string_value(t), VC_TYPE) != 0 && type == NULL) {
            type = json_string_value(t);
        }
    }
    if (type == NULL) {
        type = VC_TYPE;
    }
    /* The verdict's type letters are the EU ones (v, t, r); other credentials keep "". */
    if (strstr(type, "Vaccination") != NULL || strstr(type, "Immunization") != NULL) {
        snprintf(vd->type, sizeof vd->type, "v");
    } else if (strstr(type, "Test") != NULL) {
        snprintf(vd->type, sizeof vd->type, "t");
    } else if (strstr(type, "Recovery") != NULL) {
        snprintf(vd->type, sizeof vd->type, "r");
    }
    char text[sizeof vd->summary];
    int n = snprintf(text, sizeof text, "%.60s", type);
    json_t *vac = json_object_get(p->subject, "vaccination");
    if (json_is_object(vac) && n > 0 && (size_t)n < sizeof text) {
        json_t *dose = json_object_get(vac, "dose"), *total = json_object_get(vac, "totalDoses");
        const char *date = json_string_value(json_object_get(vac, "date"));
        const char *code =
            json_string_value(json_object_get(json_object_get(vac, "vaccine"), "code"));
        snprintf(text + n, sizeof text - (size_t)n, ": dose %lld/%lld, %.10s (%.20s)",
                 (long long)json_integer_value(dose), (long long)json_integer_value(total),
                 date ? date : "?", code ? code : "?");
    }
    hc_verdict_copy_text(vd->summary, sizeof vd->summary, text, strlen(text));
}

static void
fill_decoded(const hc_jwt *jwt, const vc_parts *p, hc_verdict *vd)
{
    vd->decoded = true;
    vd->has_issuer = true;
    hc_verdict_copy_text(vd->issuer_name, sizeof vd->issuer_name, p->iss, p->iss_len);
    const hc_jwt_time *issued = p->nbf.has ? &p->nbf : &p->iat;
    if (issued->has) {
        vd->has_issued_at = true;
        vd->issued_at_ms = issued->ms;
    }
    if (p->exp.has) {
        vd->has_expires_at = true;
        vd->expires_at_ms = p->exp.ms;
    }
    if (p->subject != NULL) {
        char name[256];
        const char *dob = subject_dob(p->subject);
        subject_name(p->subject, name, sizeof name);
        vd->has_subject = true;
        hc_verdict_copy_text(vd->subject_name, sizeof vd->subject_name, name, strlen(name));
        if (dob != NULL) {
            hc_verdict_copy_text(vd->subject_dob, sizeof vd->subject_dob, dob, strlen(dob));
        }
    }
    fill_type(p, vd);
    /* The key's fragment as the verdict's kid (a whole DID URL does not fit and says nothing
     * more: the DID is the issuer's name). */
    size_t did_len = 0, frag_len = 0;
    const char *frag = NULL;
    if (jwt->jws.kid != NULL &&
        hc_did_url_split(jwt->jws.kid, jwt->jws.kid_len, &did_len, &frag, &frag_len)) {
        hc_verdict_copy_text(vd->issuer_kid, sizeof vd->issuer_kid, frag, frag_len);
    }
    vd->payload = json_incref(jwt->claims);
}

/* The kid (a DID URL) names a verification method of iss: its fragment into p. */
static bool
check_kid(const hc_jwt *jwt, vc_parts *p, hc_verdict *vd)
{
    size_t did_len = 0;
    if (jwt->jws.kid == NULL) {
        hc_verdict_fail(vd, HC_ERR_KID_MISSING,
                        "no key identifier (\"kid\", a DID URL such as <iss>#key-1) in the JWS "
                        "header");
        return false;
    }
    if (!hc_did_url_split(jwt->jws.kid, jwt->jws.kid_len, &did_len, &p->fragment,
                          &p->fragment_len)) {
        hc_verdict_fail(vd, HC_ERR_STRUCTURE_INVALID,
                        "the kid is not a DID URL with a fragment (did:...#key)");
        return false;
    }
    if (did_len != 0 && (did_len != p->iss_len || memcmp(jwt->jws.kid, p->iss, did_len) != 0)) {
        hc_verdict_check(vd, "issuer", false);
        hc_verdict_fail(vd, HC_ERR_ISSUER_MISMATCH,
                        "the signing key (kid) belongs to another DID than the issuer (iss)");
        return false;
    }
    return true;
}

/*
 * An untrusted did:key: the key is in the DID, so the signature can still be checked (telling an
 * altered credential from an unknown issuer), but the verdict says the issuer is not trusted.
 */
static void
check_untrusted_did_key(const hc_jwt *jwt, const vc_parts *p, hc_verdict *vd)
{
    EVP_PKEY *key = NULL;
    const char *why = NULL;
    /* did:key §3.1.2: the one verification method is did#<multibase value>. */
    bool frag_ok = p->iss_len > 8 && p->fragment_len == p->iss_len - 8 &&
                   memcmp(p->fragment, p->iss + 8, p->fragment_len) == 0;
    if (frag_ok && hc_did_key_resolve(p->iss, p->iss_len, &key, NULL, &why) == HC_OK) {
        hc_trust_entry tmp;
        memset(&tmp, 0, sizeof tmp);
        tmp.key = key;
        const hc_trust_entry *one = &tmp;
        (void)hc_jwt_verify_candidates(jwt, &one, 1, vd);
        EVP_PKEY_free(key);
    }
    hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                    "the issuer %.80s is not trusted (list it in a --trust file of did:key lines)",
                    vd->issuer_name);
}

/* The JWK entries of ts usable for the kid fragment of p: bound to the DID iss. */
static size_t
usable_keys(const hc_trust_store *ts, const vc_parts *p, const hc_trust_entry **usable)
{
    const hc_trust_entry *found[HC_MAX_KEYS_PER_KID];
    size_t n = 0, m = 0;
    if (ts != NULL) {
        n = hc_trust_store_find(ts, (const uint8_t *)p->fragment, p->fragment_len, found,
                                HC_MAX_KEYS_PER_KID);
    }
    n = n < HC_MAX_KEYS_PER_KID ? n : HC_MAX_KEYS_PER_KID;
    for (size_t i = 0; i < n; i++) {
        if (found[i]->kind == HC_TRUST_JWK && str_eq(p->iss, p->iss_len, found[i]->issuer)) {
            usable[m++] = found[i];
        }
    }
    return m;
}

/* True when ts holds any key bound to the DID iss: the user's own trust material for that DID
 * then decides alone, and nothing is fetched. */
static bool
store_binds(const hc_trust_store *ts, const vc_parts *p)
{
    size_t n = ts != NULL ? hc_trust_store_count(ts) : 0;
    for (size_t i = 0; i < n; i++) {
        const hc_trust_entry *e = hc_trust_store_entry(ts, i);
        if (e != NULL && e->kind == HC_TRUST_JWK && str_eq(p->iss, p->iss_len, e->issuer)) {
            return true;
        }
    }
    return false;
}

/* A did:web issuer no trust entry names, with a resolver (verify --resolve-did-web): its DID
 * document fetched from url is the trust material, for this DID only. */
static const hc_trust_entry *
check_resolved(hc_verifier *v, const hc_jwt *jwt, const vc_parts *p, const char *url,
               hc_verdict *vd)
{
    char did[HC_DID_MAX + 1], why[200] = "";
    const hc_trust_entry *usable[HC_MAX_KEYS_PER_KID];
    memcpy(did, p->iss, p->iss_len); /* iss_len <= HC_DID_MAX: hc_did_valid */
    did[p->iss_len] = '\0';
    const hc_trust_store *fetched =
        v->opt.resolve_did_web(v->opt.resolve_ctx, did, why, sizeof why);
    if (fetched == NULL) {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED, "did:web document %.120s %.200s", url,
                        why[0] ? why : "could not be resolved");
        return NULL;
    }
    size_t m = usable_keys(fetched, p, usable);
    if (m == 0) {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                        "the did:web document %.120s has no assertionMethod key #%.*s", url,
                        (int)(p->fragment_len < 60 ? p->fragment_len : 60), p->fragment);
        return NULL;
    }
    return hc_jwt_verify_candidates(jwt, usable, m, vd);
}

static const hc_trust_entry *
check_signature(hc_verifier *v, const hc_jwt *jwt, const vc_parts *p, hc_verdict *vd)
{
    const hc_trust_entry *usable[HC_MAX_KEYS_PER_KID];
    size_t m = usable_keys(v->opt.trust, p, usable);
    if (m > 0) {
        return hc_jwt_verify_candidates(jwt, usable, m, vd);
    }
    if (p->iss_len > 8 && memcmp(p->iss, "did:key:", 8) == 0) {
        check_untrusted_did_key(jwt, p, vd);
        return NULL;
    }
    char url[300];
    if (v->opt.resolve_did_web != NULL && p->iss_len > 8 && memcmp(p->iss, "did:web:", 8) == 0 &&
        !store_binds(v->opt.trust, p) &&
        hc_did_web_url(p->iss, p->iss_len, url, sizeof url) == HC_OK) {
        return check_resolved(v, jwt, p, url, vd);
    }
    if (hc_did_web_url(p->iss, p->iss_len, url, sizeof url) == HC_OK) {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                        "no trusted DID document of %.80s has this key (load the document "
                        "published at %.120s with --trust)",
                        vd->issuer_name, url);
    } else {
        hc_verdict_fail(vd, HC_ERR_KEY_NOT_TRUSTED,
                        "no trusted DID document of %.80s has this key (load it with --trust)",
                        vd->issuer_name);
    }
    return NULL;
}

/* A JSON string member equal to a given string (or the "id" of an object member). */
static const char *
id_of(const json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : json_string_value(json_object_get(v, "id"));
}

static void
check_schema(const hc_jwt *jwt, const vc_parts *p, hc_verdict *vd)
{
    bool ok = true;
    json_t *ctx = json_object_get(p->vc, "@context");
    json_t *first = json_is_array(ctx) ? json_array_get(ctx, 0) : ctx;
    bool base = false;
    for (size_t i = 0; json_is_string(first) && i < sizeof base_contexts / sizeof *base_contexts;
         i++) {
        base |= strcmp(json_string_value(first), base_contexts[i]) == 0;
    }
    if (!base) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID,
                        "vc.@context does not start with the W3C credentials context (VC Data "
                        "Model §4.1)");
        ok = false;
    }
    size_t i;
    json_t *c;
    json_array_foreach(ctx, i, c)
    {
        if (!json_is_string(c)) {
            /* An inline context can redefine terms (security.md §3 I2); contexts are never
             * fetched or interpreted here, but one that could change the meaning is refused. */
            hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID,
                            "vc.@context holds an inline context object; only context URLs are "
                            "accepted");
            ok = false;
            break;
        }
    }
    bool is_vc = false;
    json_t *types = json_object_get(p->vc, "type");
    json_t *t;
    json_array_foreach(types, i, t)
    {
        is_vc |= json_is_string(t) && strcmp(json_string_value(t), VC_TYPE) == 0;
    }
    if (!is_vc) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID, "vc.type does not include \"" VC_TYPE "\"");
        ok = false;
    }
    if (p->subject == NULL) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID, "vc.credentialSubject is missing");
        ok = false;
    }
    /* VC DM 1.1 §6.3.1: sub is credentialSubject.id and jti is the credential's id. */
    const char *sub = json_string_value(json_object_get(jwt->claims, "sub"));
    const char *sid = json_string_value(json_object_get(p->subject, "id"));
    const char *jti = json_string_value(json_object_get(jwt->claims, "jti"));
    const char *vid = json_string_value(json_object_get(p->vc, "id"));
    if ((sub != NULL && sid != NULL && strcmp(sub, sid) != 0) ||
        (jti != NULL && vid != NULL && strcmp(jti, vid) != 0)) {
        hc_verdict_fail(vd, HC_ERR_SCHEMA_INVALID,
                        "the JWT's sub / jti disagree with credentialSubject.id / vc.id");
        ok = false;
    }
    hc_verdict_check(vd, "schema", ok);
}

/* vc.issuer, when present, is iss (VC DM 1.1 §6.3.1: "iss MUST represent the issuer"). */
static void
check_issuer(const vc_parts *p, hc_verdict *vd)
{
    json_t *issuer = json_object_get(p->vc, "issuer");
    if (issuer == NULL) {
        hc_verdict_check(vd, "issuer", true);
        return;
    }
    const char *id = id_of(issuer);
    bool ok = id != NULL && str_eq(p->iss, p->iss_len, id);
    if (!ok) {
        hc_verdict_fail(vd, HC_ERR_ISSUER_MISMATCH,
                        "vc.issuer is another issuer than the JWT's iss");
    }
    hc_verdict_check(vd, "issuer", ok);
}

hc_err
hc_vc_jwt_judge(hc_verifier *v, hc_jwt *jwt, hc_mode mode, hc_verdict *vd)
{
    vc_parts p;
    vd->format = hc_format_vc_jwt_qr.name;
    if (!read_claims(jwt, &p, vd)) {
        return HC_OK;
    }
    fill_decoded(jwt, &p, vd);
    if (mode == HC_MODE_DECODE) {
        vd->details = hc_jwt_details(jwt);
        vd->valid = false;
        return HC_OK;
    }
    const hc_trust_entry *key = NULL;
    if (check_kid(jwt, &p, vd)) {
        key = check_signature(v, jwt, &p, vd);
        check_issuer(&p, vd);
    }
    hc_jwt_check_times(hc_verifier_clock(v), &p.nbf, &p.exp, vd);
    check_schema(jwt, &p, vd);
    vd->valid = key != NULL && vd->n_errors == 0;
    return HC_OK;
}

static hc_err
vc_qr_run(hc_verifier *v, const char *text, size_t len, hc_mode mode, hc_verdict *vd)
{
    size_t chunks = 0;
    hc_jwt jwt;

    vd->format = hc_format_vc_jwt_qr.name;
    /* One QR code only: chunking is deprecated even for SHC, and never defined for VC-JWT. */
    if (!hc_jwt_unwrap_qr(v, text, len, hc_format_vc_jwt_qr.prefix, 0, &hc_vc_jwt_jws_policy,
                          &chunks, &jwt, vd)) {
        return HC_OK;
    }
    hc_err e = hc_vc_jwt_judge(v, &jwt, mode, vd);
    hc_jwt_clear(&jwt);
    return e;
}

const hc_format hc_format_vc_jwt_qr = {
    .name = "vc-jwt",
    .prefix = "vc-jwt:/",
    .run = vc_qr_run,
};
