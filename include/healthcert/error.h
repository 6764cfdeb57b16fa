/*
 * healthcert/error.h: the one error enum of libhealthcert.
 *
 * Numbers are frozen: never renumber, only append. Two families are kept apart (as t_cose keeps
 * "could not check" apart from "checked and failed"):
 *   1..99    could not check: usage, I/O, memory, internal. Exit code 2, HTTP 5xx / 400.
 *   100..199 a verdict: the input was read and judged invalid. Exit code 1, HTTP 200 with a
 * verdict. The verdict codes are the stable error codes of shared/CONTRACT.md; hc_err_code() gives
 * their names.
 */
#ifndef HEALTHCERT_ERROR_H
#define HEALTHCERT_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hc_err {
    HC_OK = 0,

    /* Could not check. */
    HC_ERR_USAGE = 1,            /* bad command line or API use */
    HC_ERR_IO = 2,               /* a file could not be read or written */
    HC_ERR_NOMEM = 3,            /* out of memory */
    HC_ERR_INTERNAL = 4,         /* a bug or a library failure */
    HC_ERR_INVALID_ARG = 5,      /* NULL where a value is required, and the like */
    HC_ERR_BUFFER_TOO_SMALL = 6, /* a caller-supplied buffer is too small */
    HC_ERR_TRUST_INVALID = 7,    /* trust material (certificate, list) unreadable */
    HC_ERR_UNSUPPORTED = 8,      /* a feature this build does not have */
    HC_ERR_NOT_FOUND = 9,        /* a looked-up record does not exist */
    HC_ERR_KEY_INVALID = 10,     /* a signing key or certificate unusable for issuing */

    /* A verdict: the stable error codes of shared/CONTRACT.md. */
    HC_ERR_PREFIX_UNKNOWN = 100,
    HC_ERR_ENCODING_INVALID = 101,
    HC_ERR_DECOMPRESS_FAILED = 102,
    HC_ERR_INPUT_TOO_LARGE = 103,
    HC_ERR_STRUCTURE_INVALID = 104,
    HC_ERR_ALG_UNSUPPORTED = 105,
    HC_ERR_KID_MISSING = 106,
    HC_ERR_KEY_NOT_TRUSTED = 107,
    HC_ERR_SIGNATURE_INVALID = 108,
    HC_ERR_EXPIRED = 109,
    HC_ERR_NOT_YET_VALID = 110,
    HC_ERR_KEY_EXPIRED = 111,
    HC_ERR_KEY_NOT_YET_VALID = 112,
    HC_ERR_KEY_USAGE_MISMATCH = 113,
    HC_ERR_SCHEMA_INVALID = 114,
    HC_ERR_RULE_FAILED = 115,
    HC_ERR_REVOKED = 116,
    HC_ERR_ISSUER_MISMATCH = 117,
    HC_ERR_IMAGE_UNREADABLE = 118,
    HC_ERR_RULE_OPEN = 119, /* a business rule could not be evaluated (the EU apps' OPEN) */
} hc_err;

/* The stable code name, e.g. "SIGNATURE_INVALID"; never NULL ("UNKNOWN_ERROR" for unknown values).
 */
const char *hc_err_code(hc_err err);

/* A plain-language description of the error class; never NULL. */
const char *hc_err_str(hc_err err);

/* Non-zero when err is a verdict (the input was judged), zero for HC_OK and could-not-check errors.
 */
int hc_err_is_verdict(hc_err err);

/* Process exit code for err: 0 for HC_OK, 1 for verdicts, 2 otherwise. */
int hc_err_exit_code(hc_err err);

#ifdef __cplusplus
}
#endif
#endif
