/* error.c: names and descriptions of hc_err (include/healthcert/error.h). */
#include "healthcert/error.h"

#include <stddef.h>

struct err_name {
    hc_err err;
    const char *code;
    const char *text;
};

static const struct err_name err_names[] = {
    { HC_OK, "OK", "success" },
    { HC_ERR_USAGE, "USAGE", "invalid usage" },
    { HC_ERR_IO, "IO_ERROR", "a file could not be read or written" },
    { HC_ERR_NOMEM, "OUT_OF_MEMORY", "out of memory" },
    { HC_ERR_INTERNAL, "INTERNAL_ERROR", "internal error" },
    { HC_ERR_INVALID_ARG, "INVALID_ARGUMENT", "invalid argument" },
    { HC_ERR_BUFFER_TOO_SMALL, "BUFFER_TOO_SMALL", "buffer too small" },
    { HC_ERR_TRUST_INVALID, "TRUST_INVALID", "trust material could not be read" },
    { HC_ERR_UNSUPPORTED, "UNSUPPORTED", "not supported by this build" },
    { HC_ERR_NOT_FOUND, "NOT_FOUND", "not found" },
    { HC_ERR_KEY_INVALID, "KEY_INVALID", "the key or certificate cannot be used" },
    { HC_ERR_PREFIX_UNKNOWN, "PREFIX_UNKNOWN", "not a supported health certificate format" },
    { HC_ERR_ENCODING_INVALID, "ENCODING_INVALID", "the text encoding of the code is broken" },
    { HC_ERR_DECOMPRESS_FAILED, "DECOMPRESS_FAILED", "the compressed data is broken or too large" },
    { HC_ERR_INPUT_TOO_LARGE, "INPUT_TOO_LARGE", "the input is larger than any valid credential" },
    { HC_ERR_STRUCTURE_INVALID, "STRUCTURE_INVALID",
      "the credential's data structure is malformed" },
    { HC_ERR_ALG_UNSUPPORTED, "ALG_UNSUPPORTED", "the signature algorithm is not allowed" },
    { HC_ERR_KID_MISSING, "KID_MISSING", "the credential names no signing key" },
    { HC_ERR_KEY_NOT_TRUSTED, "KEY_NOT_TRUSTED", "the signing key is not a trusted key" },
    { HC_ERR_SIGNATURE_INVALID, "SIGNATURE_INVALID",
      "the signature does not match: forged or altered" },
    { HC_ERR_EXPIRED, "EXPIRED", "the credential has expired" },
    { HC_ERR_NOT_YET_VALID, "NOT_YET_VALID", "the credential is not valid yet" },
    { HC_ERR_KEY_EXPIRED, "KEY_EXPIRED", "the signing certificate has expired" },
    { HC_ERR_KEY_NOT_YET_VALID, "KEY_NOT_YET_VALID", "the signing certificate is not valid yet" },
    { HC_ERR_KEY_USAGE_MISMATCH, "KEY_USAGE_MISMATCH",
      "the signing certificate may not sign this type of credential" },
    { HC_ERR_SCHEMA_INVALID, "SCHEMA_INVALID", "the credential's content breaks its schema" },
    { HC_ERR_RULE_FAILED, "RULE_FAILED", "a business rule of the arrival country fails" },
    { HC_ERR_REVOKED, "REVOKED", "the credential has been revoked" },
    { HC_ERR_ISSUER_MISMATCH, "ISSUER_MISMATCH",
      "the claimed issuer does not own the signing key" },
    { HC_ERR_IMAGE_UNREADABLE, "IMAGE_UNREADABLE", "no readable QR code in the image" },
    { HC_ERR_RULE_OPEN, "RULE_OPEN", "a business rule could not be evaluated" },
};

static const struct err_name *
find(hc_err err)
{
    for (size_t i = 0; i < sizeof err_names / sizeof err_names[0]; i++) {
        if (err_names[i].err == err) {
            return &err_names[i];
        }
    }
    return NULL;
}

const char *
hc_err_code(hc_err err)
{
    const struct err_name *e = find(err);
    return e ? e->code : "UNKNOWN_ERROR";
}

const char *
hc_err_str(hc_err err)
{
    const struct err_name *e = find(err);
    return e ? e->text : "unknown error";
}

int
hc_err_is_verdict(hc_err err)
{
    return err >= 100 && err < 200;
}

int
hc_err_exit_code(hc_err err)
{
    if (err == HC_OK) {
        return 0;
    }
    return hc_err_is_verdict(err) ? 1 : 2;
}
