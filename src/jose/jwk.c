/*
 * jwk.c: JSON Web Keys <-> OpenSSL keys, RFC 7638 thumbprints (see jwk.h).
 *
 * Keys are made with EVP_PKEY_fromdata from a named group and an encoded point, never from
 * explicit curve parameters (CVE-2020-0601, CVE-2022-0778), and the public part is checked with
 * EVP_PKEY_public_check (the point is on the curve and not the point at infinity: SEC 1 v2
 * §3.2.2.1), private keys additionally with a pairwise check against the given public part.
 */
#include "jwk.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <string.h>

#include "base64.h"

/* RFC 7518 §6.2.1.1 curve names, with OpenSSL's group names and the coordinate sizes of
 * RFC 7518 §6.2.1.2 (32, 48, 66 bytes). */
typedef struct curve {
    const char *crv;
    const char *group;
    hc_sig_alg alg;
    size_t coord_len;
} curve;

static const curve curves[] = {
    { "P-256", "prime256v1", HC_SIG_ES256, 32 },
    { "P-384", "secp384r1", HC_SIG_ES384, 48 },
    { "P-521", "secp521r1", HC_SIG_ES512, 66 },
};

/* RFC 8037 §2: an Ed25519 public key "x" is 32 bytes, the private "d" too (RFC 8032 §5.1.5). */
#define ED25519_LEN 32

/* Members that only a private (or symmetric) key has: RFC 7518 §6.2.2.1 (EC d), §6.3.2 (RSA),
 * §6.4.1 (oct k). RFC 8037 §2 reuses "d" for OKP. */
static const char *const private_members[] = { "d", "p", "q", "dp", "dq", "qi", "oth", "k" };

static const curve *
curve_by_alg(hc_sig_alg alg)
{
    for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
        if (curves[i].alg == alg) {
            return &curves[i];
        }
    }
    return NULL;
}

const char *
hc_jwk_alg_name(hc_sig_alg alg)
{
    switch (alg) {
    case HC_SIG_ES256: return "ES256"; /* RFC 7518 §3.1 */
    case HC_SIG_ES384: return "ES384";
    case HC_SIG_ES512: return "ES512";
    case HC_SIG_EDDSA: return "EdDSA"; /* RFC 8037 §3.1 */
    default: return NULL;
    }
}

hc_sig_alg
hc_jwk_alg_from_name(const char *name, size_t len)
{
    static const hc_sig_alg all[] = { HC_SIG_ES256, HC_SIG_ES384, HC_SIG_ES512, HC_SIG_EDDSA };
    /* "alg" values are case-sensitive (RFC 7515 §4.1.1): "es256" names nothing. */
    for (size_t i = 0; name != NULL && i < sizeof all / sizeof all[0]; i++) {
        const char *n = hc_jwk_alg_name(all[i]);
        if (strlen(n) == len && memcmp(n, name, len) == 0) {
            return all[i];
        }
    }
    return HC_SIG_NONE;
}

/* base64url (RFC 7515 §2: no padding) of exactly want bytes. */
static bool
b64url_exact(const json_t *v, uint8_t *out, size_t want)
{
    size_t n = 0;
    if (!json_is_string(v)) {
        return false;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (memchr(s, '=', len) != NULL || len > HC_BASE64_ENCODED_MAX(want)) {
        return false;
    }
    return hc_base64_decode(s, len, true, out, want, &n) == HC_OK && n == want;
}

/* The string member name equals value. */
static bool
member_is(const json_t *jwk, const char *name, const char *value)
{
    json_t *v = json_object_get(jwk, name);
    return json_is_string(v) && strcmp(json_string_value(v), value) == 0 &&
           json_string_length(v) == strlen(value);
}

/*
 * An EC key from OpenSSL parameters (the group and the public point; for a key pair also the
 * private scalar), checked as OpenSSL builds it: a point not on the curve is refused by the
 * decoding itself; the public check and, for a key pair, the pairwise check (the scalar is in
 * range and produces the point) follow. HC_ERR_NOMEM when no context could be made,
 * HC_ERR_KEY_INVALID when OpenSSL refuses the key. One place for both JWK key kinds.
 */
static hc_err
ec_key_from_params(OSSL_PARAM *params, int selection, EVP_PKEY **key)
{
    EVP_PKEY *pkey = NULL;
    hc_err err = HC_ERR_NOMEM;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);

    if (ctx == NULL) {
        goto done;
    }
    err = HC_ERR_KEY_INVALID;
    if (EVP_PKEY_fromdata_init(ctx) != 1 || EVP_PKEY_fromdata(ctx, &pkey, selection, params) != 1) {
        goto done; /* not on the curve: OpenSSL refuses to decode the point */
    }
    EVP_PKEY_CTX_free(ctx);
    ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL || EVP_PKEY_public_check(ctx) != 1 ||
        (selection == EVP_PKEY_KEYPAIR && EVP_PKEY_pairwise_check(ctx) != 1)) {
        goto done;
    }
    *key = pkey;
    pkey = NULL;
    err = HC_OK;
done:
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return err;
}

hc_err
hc_jwk_key_from_point(hc_sig_alg alg, const uint8_t *point, size_t len, EVP_PKEY **key)
{
    EVP_PKEY *pkey = NULL;

    if (point == NULL || key == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (alg == HC_SIG_EDDSA) {
        if (len != ED25519_LEN) {
            return HC_ERR_KEY_INVALID;
        }
        pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, point, len);
        if (pkey == NULL) {
            ERR_clear_error();
            return HC_ERR_KEY_INVALID;
        }
        *key = pkey;
        return HC_OK;
    }
    const curve *c = curve_by_alg(alg);
    /* SEC 1 v2 §2.3.3: 04||x||y uncompressed, 02/03||x compressed. */
    if (c == NULL || !((len == 1 + 2 * c->coord_len && point[0] == 0x04) ||
                       (len == 1 + c->coord_len && (point[0] == 0x02 || point[0] == 0x03)))) {
        return HC_ERR_KEY_INVALID;
    }
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)c->group, 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)point, len),
        OSSL_PARAM_construct_end(),
    };
    return ec_key_from_params(params, EVP_PKEY_PUBLIC_KEY, key);
}

/* An EC key pair from x, y and d (big-endian, coord_len bytes each). */
static hc_err
ec_private_key(const curve *c, const uint8_t *x, const uint8_t *y, const uint8_t *d, EVP_PKEY **key)
{
    uint8_t point[1 + 2 * 66];
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    BIGNUM *priv = BN_secure_new();
    hc_err err = HC_ERR_NOMEM;

    point[0] = 0x04;
    memcpy(point + 1, x, c->coord_len);
    memcpy(point + 1 + c->coord_len, y, c->coord_len);
    if (bld == NULL || priv == NULL || BN_bin2bn(d, (int)c->coord_len, priv) == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, c->group, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                         1 + 2 * c->coord_len) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) != 1 ||
        (params = OSSL_PARAM_BLD_to_param(bld)) == NULL) {
        goto done;
    }
    err = ec_key_from_params(params, EVP_PKEY_KEYPAIR, key);
done:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(priv);
    ERR_clear_error();
    return err;
}

/* The common part of reading a JWK: the key type, curve and public coordinates. */
static hc_err
read_jwk(const json_t *jwk, bool want_private, EVP_PKEY **key, hc_sig_alg *alg_out,
         const char **why)
{
    uint8_t x[66], y[66], d[66];
    hc_sig_alg alg = HC_SIG_NONE;
    EVP_PKEY *pkey = NULL;
    hc_err err;

    if (!json_is_object(jwk)) {
        *why = "not a JSON object";
        return HC_ERR_KEY_INVALID;
    }
    if (!want_private) {
        for (size_t i = 0; i < sizeof private_members / sizeof private_members[0]; i++) {
            if (json_object_get(jwk, private_members[i]) != NULL) {
                *why = "holds private key material (\"d\" or another private member)";
                return HC_ERR_KEY_INVALID;
            }
        }
    } else if (json_object_get(jwk, "d") == NULL) {
        *why = "no private key (\"d\")";
        return HC_ERR_KEY_INVALID;
    }
    json_t *use = json_object_get(jwk, "use");
    if (use != NULL && !member_is(jwk, "use", "sig")) {
        *why = "\"use\" is not \"sig\"";
        return HC_ERR_KEY_INVALID;
    }
    /* RFC 7517 §4.3: key_ops, when present, must allow the operation we use the key for. */
    json_t *ops = json_object_get(jwk, "key_ops");
    if (ops != NULL) {
        const char *want = want_private ? "sign" : "verify";
        bool allowed = false;
        size_t i;
        json_t *op;
        json_array_foreach(ops, i, op)
        {
            allowed |= json_is_string(op) && strcmp(json_string_value(op), want) == 0;
        }
        if (!allowed) {
            *why = want_private ? "\"key_ops\" does not allow \"sign\""
                                : "\"key_ops\" does not allow \"verify\"";
            return HC_ERR_KEY_INVALID;
        }
    }
    if (member_is(jwk, "kty", "EC")) {
        const curve *c = NULL;
        for (size_t i = 0; i < sizeof curves / sizeof curves[0]; i++) {
            if (member_is(jwk, "crv", curves[i].crv)) {
                c = &curves[i];
            }
        }
        if (c == NULL) {
            *why = "EC key on an unsupported curve (P-256, P-384, P-521 are supported)";
            return HC_ERR_KEY_INVALID;
        }
        if (!b64url_exact(json_object_get(jwk, "x"), x, c->coord_len) ||
            !b64url_exact(json_object_get(jwk, "y"), y, c->coord_len)) {
            *why = "x or y is not base64url of the curve's coordinate size";
            return HC_ERR_KEY_INVALID;
        }
        alg = c->alg;
        if (want_private) {
            if (!b64url_exact(json_object_get(jwk, "d"), d, c->coord_len)) {
                *why = "d is not base64url of the curve's coordinate size";
                return HC_ERR_KEY_INVALID;
            }
            err = ec_private_key(c, x, y, d, &pkey);
            OPENSSL_cleanse(d, sizeof d);
        } else {
            uint8_t point[1 + 2 * 66];
            point[0] = 0x04;
            memcpy(point + 1, x, c->coord_len);
            memcpy(point + 1 + c->coord_len, y, c->coord_len);
            err = hc_jwk_key_from_point(alg, point, 1 + 2 * c->coord_len, &pkey);
        }
        if (err != HC_OK) {
            *why = err == HC_ERR_KEY_INVALID ? "the point is not on the curve, or d does not "
                                               "belong to it"
                                             : "out of memory";
            return err;
        }
    } else if (member_is(jwk, "kty", "OKP")) {
        if (!member_is(jwk, "crv", "Ed25519")) {
            *why = "OKP key on another curve than Ed25519";
            return HC_ERR_KEY_INVALID;
        }
        if (!b64url_exact(json_object_get(jwk, "x"), x, ED25519_LEN)) {
            *why = "x is not base64url of 32 bytes";
            return HC_ERR_KEY_INVALID;
        }
        alg = HC_SIG_EDDSA;
        if (want_private) {
            uint8_t pub[ED25519_LEN];
            size_t pub_len = sizeof pub;
            if (!b64url_exact(json_object_get(jwk, "d"), d, ED25519_LEN)) {
                *why = "d is not base64url of 32 bytes";
                return HC_ERR_KEY_INVALID;
            }
            pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, d, ED25519_LEN);
            OPENSSL_cleanse(d, sizeof d);
            if (pkey == NULL || EVP_PKEY_get_raw_public_key(pkey, pub, &pub_len) != 1 ||
                pub_len != ED25519_LEN || memcmp(pub, x, ED25519_LEN) != 0) {
                EVP_PKEY_free(pkey);
                ERR_clear_error();
                *why = "d does not belong to x";
                return HC_ERR_KEY_INVALID;
            }
        } else if (hc_jwk_key_from_point(alg, x, ED25519_LEN, &pkey) != HC_OK) {
            *why = "x is not an Ed25519 public key";
            return HC_ERR_KEY_INVALID;
        }
    } else {
        *why = "kty is not \"EC\" or \"OKP\" (RSA and symmetric keys are not accepted)";
        return HC_ERR_KEY_INVALID;
    }
    json_t *a = json_object_get(jwk, "alg");
    if (a != NULL && !member_is(jwk, "alg", hc_jwk_alg_name(alg))) {
        EVP_PKEY_free(pkey);
        *why = "\"alg\" does not fit the key type and curve";
        return HC_ERR_KEY_INVALID;
    }
    *key = pkey;
    if (alg_out != NULL) {
        *alg_out = alg;
    }
    return HC_OK;
}

/* The public entry points: read_jwk with the argument check and the caller's why optional. */
static hc_err
read_jwk_api(const json_t *jwk, bool private_key, EVP_PKEY **key, hc_sig_alg *alg, const char **why)
{
    const char *w = NULL;
    if (key == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    hc_err e = read_jwk(jwk, private_key, key, alg, &w);
    if (why != NULL) {
        *why = w;
    }
    return e;
}

hc_err
hc_jwk_public_key(const json_t *jwk, EVP_PKEY **key, hc_sig_alg *alg, const char **why)
{
    return read_jwk_api(jwk, false, key, alg, why);
}

hc_err
hc_jwk_private_key(const json_t *jwk, EVP_PKEY **key, hc_sig_alg *alg, const char **why)
{
    return read_jwk_api(jwk, true, key, alg, why);
}

/* A BIGNUM parameter of key as coord_len big-endian bytes. */
static bool
get_coord(EVP_PKEY *key, const char *param, uint8_t *out, size_t coord_len)
{
    BIGNUM *bn = NULL;
    bool ok = EVP_PKEY_get_bn_param(key, param, &bn) == 1 &&
              BN_bn2binpad(bn, out, (int)coord_len) == (int)coord_len;
    BN_clear_free(bn);
    return ok;
}

hc_err
hc_jwk_point_of(EVP_PKEY *key, hc_jwk_point *pt)
{
    if (key == NULL || pt == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    memset(pt, 0, sizeof *pt);
    pt->alg = hc_sig_alg_for_key(key);
    if (pt->alg == HC_SIG_EDDSA) {
        size_t n = sizeof pt->x;
        if (EVP_PKEY_get_raw_public_key(key, pt->x, &n) != 1 || n != ED25519_LEN) {
            ERR_clear_error();
            return HC_ERR_KEY_INVALID;
        }
        pt->coord_len = ED25519_LEN;
        return HC_OK;
    }
    const curve *c = curve_by_alg(pt->alg);
    if (c == NULL || !get_coord(key, OSSL_PKEY_PARAM_EC_PUB_X, pt->x, c->coord_len) ||
        !get_coord(key, OSSL_PKEY_PARAM_EC_PUB_Y, pt->y, c->coord_len)) {
        ERR_clear_error();
        return HC_ERR_KEY_INVALID;
    }
    pt->coord_len = c->coord_len;
    return HC_OK;
}

/* base64url of n bytes into a NUL-terminated buffer of HC_BASE64_ENCODED_MAX(66) bytes. */
static void
b64url(const uint8_t *in, size_t n, char *out, size_t cap)
{
    size_t len;
    if (hc_base64_encode(in, n, true, out, cap, &len) != HC_OK) {
        out[0] = '\0'; /* cannot happen: the buffers are sized for 66 bytes */
    }
}

/* RFC 7638 §3.2: the required members only, in lexicographic order, without white space. */
static int
thumbprint_input(const hc_jwk_point *pt, char *out, size_t cap)
{
    char x[HC_BASE64_ENCODED_MAX(66)], y[HC_BASE64_ENCODED_MAX(66)];
    b64url(pt->x, pt->coord_len, x, sizeof x);
    if (pt->alg == HC_SIG_EDDSA) {
        /* RFC 8037 §2 (OKP required members crv, kty, x) and its Appendix A.3 example. */
        return snprintf(out, cap, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"%s\"}", x);
    }
    b64url(pt->y, pt->coord_len, y, sizeof y);
    const curve *c = curve_by_alg(pt->alg);
    return snprintf(out, cap, "{\"crv\":\"%s\",\"kty\":\"EC\",\"x\":\"%s\",\"y\":\"%s\"}", c->crv,
                    x, y);
}

hc_err
hc_jwk_thumbprint(EVP_PKEY *key, char out[HC_JWK_THUMBPRINT_LEN])
{
    hc_jwk_point pt;
    char input[320];
    uint8_t digest[32];
    unsigned dlen = 0;
    size_t n;

    hc_err e = hc_jwk_point_of(key, &pt);
    if (e != HC_OK) {
        return e;
    }
    int len = thumbprint_input(&pt, input, sizeof input);
    if (len < 0 || (size_t)len >= sizeof input ||
        EVP_Digest(input, (size_t)len, digest, &dlen, EVP_sha256(), NULL) != 1 || dlen != 32 ||
        hc_base64_encode(digest, sizeof digest, true, out, HC_JWK_THUMBPRINT_LEN, &n) != HC_OK) {
        return HC_ERR_INTERNAL;
    }
    return HC_OK;
}

json_t *
hc_jwk_from_key(EVP_PKEY *key, bool with_private)
{
    hc_jwk_point pt;
    char x[HC_BASE64_ENCODED_MAX(66)], y[HC_BASE64_ENCODED_MAX(66)], d[HC_BASE64_ENCODED_MAX(66)];
    char kid[HC_JWK_THUMBPRINT_LEN];
    uint8_t raw[66];
    json_t *jwk = NULL;

    if (hc_jwk_point_of(key, &pt) != HC_OK || hc_jwk_thumbprint(key, kid) != HC_OK) {
        return NULL;
    }
    b64url(pt.x, pt.coord_len, x, sizeof x);
    d[0] = '\0';
    if (with_private) {
        bool ok;
        if (pt.alg == HC_SIG_EDDSA) {
            size_t n = sizeof raw;
            ok = EVP_PKEY_get_raw_private_key(key, raw, &n) == 1 && n == ED25519_LEN;
        } else {
            ok = get_coord(key, OSSL_PKEY_PARAM_PRIV_KEY, raw, pt.coord_len);
        }
        if (!ok) {
            OPENSSL_cleanse(raw, sizeof raw);
            ERR_clear_error();
            return NULL;
        }
        b64url(raw, pt.coord_len, d, sizeof d);
        OPENSSL_cleanse(raw, sizeof raw);
    }
    if (pt.alg == HC_SIG_EDDSA) {
        jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "OKP", "kid", kid, "use", "sig",
                        "alg", "EdDSA", "crv", "Ed25519", "x", x);
    } else {
        b64url(pt.y, pt.coord_len, y, sizeof y);
        jwk = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "kty", "EC", "kid", kid, "use",
                        "sig", "alg", hc_jwk_alg_name(pt.alg), "crv", curve_by_alg(pt.alg)->crv,
                        "x", x, "y", y);
    }
    if (jwk != NULL && with_private && json_object_set_new(jwk, "d", json_string(d)) != 0) {
        json_decref(jwk);
        jwk = NULL;
    }
    OPENSSL_cleanse(d, sizeof d);
    return jwk;
}
