/*
 * issue_dcc.c: issuing one EU DCC (hc_issue_eu_dcc, healthcert/issue.h).
 *
 * Order of the steps, and why:
 *   1. Copy the input and give a vaccination/test/recovery entry without a certificate identifier
 *      (ci absent or "") a new UVCI (issue_uvci.h), so that the schema sees the record as signed.
 *   2. Validate against the DCC schema of the record's own "ver", with its date formats asserted
 *      (dcc_schema.h hc_dcc_schema_validate_strict): a refusal names
 *      the field. Nothing is signed for an invalid record.
 *   3. Key usage: a DSC with DCC extended key usage signs only the types it lists (HCERT spec
 *      Appendix A.4; verifiers refuse the rest with KEY_USAGE_MISMATCH).
 *   4. Times: iat must lie in the DSC's validity ("shell model", eu-dcc.md §1.8; HCERT §3.3.1
 *      "iat MUST NOT predate the DSC validity"), exp = iat + validity days, never past the DSC's
 *      notAfter (HCERT §3.3.1: "exp MUST NOT exceed the validity period of the DSC").
 *   5. CWT {1: iss, 4: exp, 6: iat, -260: {1: dcc}} (RFC 8392, HCERT §3.3) in deterministic CBOR.
 *   6. COSE_Sign1 with alg and kid protected, tag 18 (issue_sign.h: the bytes of
 *      hc_cose_sign1_sign, with pooled signing contexts).
 *   7. DEFLATE in the zlib format at level-9 effort (issue_deflate.h), Base45, "HC1:" (the stages
 *      of hc_hc1_wrap; HCERT §4.2).
 * Steps 1-5, 6 and 7 are separate functions (hc_issue_prepare, _sign, _finish) so that the batch
 * can run each over a chunk of records (issue_internal.h says why). No shared state is written
 * but the issuer's locked context pool: thread-safe for one shared issuer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base45.h"
#include "cose.h"
#include "dcc_schema.h"
#include "eu_dcc_encode.h"
#include "hc_msg.h"
#include "hctime.h"
#include "issue_internal.h"
#include "issue_scratch.h"
#include "issue_sign.h"
#include "issue_uvci.h"

#define MS_PER_DAY (86400LL * 1000)
/* Default validity of a certificate when the options give none (issue.h). */
#define DEFAULT_VALIDITY_DAYS 365
/* Upper bound of --validity-days: a century is beyond any DSC anyway; keeps arithmetic small. */
#define MAX_VALIDITY_DAYS 36525

static const char *
type_name(char type)
{
    switch (type) {
    case 'v': return "vaccination";
    case 't': return "test";
    case 'r': return "recovery";
    default: return "unknown";
    }
}

/*
 * The certificate type of dcc ('v', 't', 'r') and its single entry (the schema allows exactly one
 * entry of exactly one type), or '\0' when the record does not have that shape (the schema
 * validation then says why).
 */
static char
dcc_type(json_t *dcc, json_t **entry)
{
    static const char types[] = { 'v', 't', 'r' };
    char found = '\0';
    *entry = NULL;
    for (size_t i = 0; i < sizeof types; i++) {
        char key[2] = { types[i], '\0' };
        json_t *arr = json_object_get(dcc, key);
        if (arr == NULL) {
            continue;
        }
        if (found != '\0') {
            return '\0'; /* two types in one certificate */
        }
        found = types[i];
        *entry = json_array_get(arr, 0);
    }
    return found;
}

/* Step 1: a new UVCI for an entry without one. */
static hc_err
complete_uvci(json_t *entry, const char *country)
{
    if (!json_is_object(entry)) {
        return HC_OK;
    }
    json_t *ci = json_object_get(entry, "ci");
    if (ci != NULL && !(json_is_string(ci) && json_string_length(ci) == 0)) {
        return HC_OK; /* kept as given, even when it is not a string (the schema refuses that) */
    }
    char uvci[64];
    hc_err err = hc_uvci_generate(country, uvci, sizeof uvci);
    if (err != HC_OK) {
        return err;
    }
    if (ci != NULL && ci->refcount == 1) {
        /* The empty string is this record's alone: set in place (one allocation, not two; the
         * UVCI is ASCII, so no UTF-8 check). */
        return json_string_setn_nocheck(ci, uvci, strlen(uvci)) == 0 ? HC_OK : HC_ERR_NOMEM;
    }
    return json_object_set_new(entry, "ci", json_string(uvci)) == 0 ? HC_OK : HC_ERR_NOMEM;
}

/* Step 4: iat and exp (whole seconds, as the CWT carries them). */
static hc_err
issue_times(const hc_issuer *iss, const hc_issue_options *opt, int64_t *iat_s, int64_t *exp_s,
            char *msg, size_t msg_len)
{
    char t[32];
    int days = opt && opt->validity_days ? opt->validity_days : DEFAULT_VALIDITY_DAYS;
    hc_time_ms iat = opt && opt->has_time ? opt->time_ms : hc_time_now();

    if (days < 0 || days > MAX_VALIDITY_DAYS || iat < 0 || iat > HC_TIME_MAX_MS) {
        hc_msgf(msg, msg_len, "validity days must be 1..%d and the issuing time after 1970",
                MAX_VALIDITY_DAYS);
        return HC_ERR_INVALID_ARG;
    }
    /* X.509 times are whole seconds, so a whole-second iat inside them stays inside. */
    iat -= iat % 1000;
    if (iat < iss->info.not_before) {
        hc_time_format(iss->info.not_before, false, t, sizeof t);
        hc_msgf(msg, msg_len, "the signing certificate is valid only from %s", t);
        return HC_ERR_KEY_NOT_YET_VALID;
    }
    hc_time_ms exp = iat + days * MS_PER_DAY;
    if (exp > iss->info.not_after) {
        exp = iss->info.not_after - iss->info.not_after % 1000;
    }
    if (iat > iss->info.not_after || exp <= iat) {
        hc_time_format(iss->info.not_after, false, t, sizeof t);
        hc_msgf(msg, msg_len, "the signing certificate expired on %s", t);
        return HC_ERR_KEY_EXPIRED;
    }
    *iat_s = iat / 1000;
    *exp_s = exp / 1000;
    return HC_OK;
}

hc_err
hc_issue_eu_dcc(const hc_issuer *iss, const json_t *input, const hc_issue_options *opt,
                hc_issue_result *out, char *msg, size_t msg_len)
{
    if (msg != NULL && msg_len > 0) {
        msg[0] = '\0';
    }
    if (iss == NULL || input == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (!json_is_object(input)) {
        hc_msgf(msg, msg_len, "(root): the DCC must be a JSON object");
        return HC_ERR_SCHEMA_INVALID;
    }
    /* The input is not modified: the UVCI goes into a copy, which the result keeps. */
    json_t *dcc = json_deep_copy(input);
    if (dcc == NULL) {
        return HC_ERR_NOMEM;
    }
    return hc_issue_eu_dcc_take(iss, dcc, opt, out, msg, msg_len);
}

hc_err
hc_issue_eu_dcc_take(const hc_issuer *iss, json_t *dcc, const hc_issue_options *opt,
                     hc_issue_result *out, char *msg, size_t msg_len)
{
    hc_issue_job job;
    hc_err err = hc_issue_prepare(iss, dcc, opt, &job, msg, msg_len);
    if (err == HC_OK) {
        err = hc_issue_sign(iss, &job, msg, msg_len);
    }
    if (err == HC_OK) {
        err = hc_issue_finish(&job, out, msg, msg_len);
    }
    hc_issue_job_clear(&job);
    return err;
}

/* Steps 1-5 (the file comment): everything but the signature and the wrapping. */
hc_err
hc_issue_prepare(const hc_issuer *iss, json_t *dcc, const hc_issue_options *opt, hc_issue_job *job,
                 char *msg, size_t msg_len)
{
    json_t *entry = NULL;
    int64_t iat_s = 0, exp_s = 0;
    hc_err err;

    memset(job, 0, sizeof *job);
    if (msg != NULL && msg_len > 0) {
        msg[0] = '\0';
    }
    if (iss == NULL || dcc == NULL) {
        json_decref(dcc);
        return HC_ERR_INVALID_ARG;
    }
    job->r.dcc = dcc; /* owned by the job from here on */
    if (!json_is_object(dcc)) {
        hc_msgf(msg, msg_len, "(root): the DCC must be a JSON object");
        return HC_ERR_SCHEMA_INVALID;
    }
    char type = dcc_type(dcc, &entry);
    if (type != '\0') {
        err = complete_uvci(entry, iss->info.country);
        if (err != HC_OK) {
            return err;
        }
    }
    /* Formats asserted (dcc_schema.h): an impossible date is refused, not signed. */
    err = hc_dcc_schema_validate_strict(dcc, NULL, msg, msg_len);
    if (err != HC_OK) {
        return err;
    }
    if (type == '\0' || !json_is_object(entry)) {
        /* The schema's oneOf requires exactly one of v, t, r: not reachable with a valid DCC. */
        hc_msgf(msg, msg_len, "(root): exactly one of v, t, r is required");
        return HC_ERR_SCHEMA_INVALID;
    }
    if (!hc_cert_eku_allows(iss->info.dcc_eku, type)) {
        hc_msgf(msg, msg_len,
                "the signing certificate's extended key usage does not allow %s certificates",
                type_name(type));
        return HC_ERR_KEY_USAGE_MISMATCH;
    }
    err = issue_times(iss, opt, &iat_s, &exp_s, msg, msg_len);
    if (err != HC_OK) {
        return err;
    }
    /* The CWT (step 5), encoded in this thread's scratch, kept at its exact size. */
    hc_eu_dcc_claims claims = { .iss = iss->info.country, .iat = iat_s, .exp = exp_s };
    hc_issue_scratch *s = hc_issue_scratch_get();
    if (s == NULL) {
        return HC_ERR_NOMEM;
    }
    size_t cwt_len = 0;
    err = hc_eu_dcc_encode_cwt(dcc, &claims, s->cwt, sizeof s->cwt, &cwt_len);
    if (err != HC_OK) {
        if (err == HC_ERR_BUFFER_TOO_SMALL) {
            hc_msgf(msg, msg_len, "the certificate is too large to encode");
            return HC_ERR_INPUT_TOO_LARGE;
        }
        return err;
    }
    /* The COSE_Sign1 around it (step 6 signs it in place). */
    err = hc_issue_cose_begin(iss, s->cwt, cwt_len, &job->cose);
    if (err != HC_OK) {
        return err;
    }

    hc_issue_result *r = &job->r;
    const char *ci = json_string_value(json_object_get(entry, "ci"));
    size_t ci_len = ci ? strlen(ci) : 0; /* the schema bounds ci to 80 characters */
    ci_len = ci_len < sizeof r->uvci ? ci_len : sizeof r->uvci - 1;
    memcpy(r->uvci, ci ? ci : "", ci_len);
    r->uvci[ci_len] = '\0';
    r->type = type;
    r->iat_ms = iat_s * 1000;
    r->exp_ms = exp_s * 1000;
    memcpy(r->country, iss->info.country, sizeof r->country);
    memcpy(r->kid, iss->info.kid, sizeof r->kid);
    return HC_OK;
}

/* Step 6: COSE_Sign1 with pooled signing contexts (issue_sign.h). */
hc_err
hc_issue_sign(const hc_issuer *iss, hc_issue_job *job, char *msg, size_t msg_len)
{
    hc_err err =
        job->cose.buf == NULL
            ? HC_ERR_INVALID_ARG
            : hc_issue_cose_sign(iss, &job->cose, job->text_only ? NULL : job->r.signature_sha256);
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "cannot sign: %s", hc_err_str(err));
    }
    return err;
}

/* Step 7, first half: DEFLATE in the zlib format (issue_deflate.h). */
hc_err
hc_issue_compress(hc_issue_job *job, const uint8_t **z, size_t *z_len, char *msg, size_t msg_len)
{
    hc_issue_scratch *s = hc_issue_scratch_get();
    if (s == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_err err =
        hc_zdeflate_compress(&s->zd, job->cose.buf, job->cose.len, s->z, sizeof s->z, z_len);
    if (err != HC_OK) {
        hc_msgf(msg, msg_len, "the certificate is too large to encode");
        return err == HC_ERR_BUFFER_TOO_SMALL ? HC_ERR_INPUT_TOO_LARGE : err;
    }
    *z = s->z;
    return HC_OK;
}

size_t
hc_issue_text_len(size_t z_len)
{
    /* "HC1:" (HCERT spec §4.2 context identifier), then Base45 (RFC 9285 §4): 3 characters per
     * 2 bytes, 2 for a last odd byte. */
    return 4 + z_len / 2 * 3 + (z_len % 2) * 2;
}

void
hc_issue_text(const uint8_t *z, size_t z_len, char *out)
{
    size_t b45_len = 0;
    memcpy(out, "HC1:", 4);
    /* Cannot fail: the room is exact (hc_issue_text_len + 1 for the NUL). */
    (void)hc_base45_encode(z, z_len, out + 4, hc_issue_text_len(z_len) - 4 + 1, &b45_len);
}

/* Step 7: DEFLATE, Base45, "HC1:" (HCERT §4.2); hands the result over. */
hc_err
hc_issue_finish(hc_issue_job *job, hc_issue_result *out, char *msg, size_t msg_len)
{
    const uint8_t *z = NULL;
    size_t z_len = 0;
    hc_err err = hc_issue_compress(job, &z, &z_len, msg, msg_len);
    if (err != HC_OK) {
        return err;
    }
    char *qr = malloc(hc_issue_text_len(z_len) + 1);
    if (qr == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_issue_text(z, z_len, qr);
    job->r.qr = qr;
    *out = job->r;
    memset(&job->r, 0, sizeof job->r); /* the result owns qr and dcc now */
    return HC_OK;
}

void
hc_issue_job_clear(hc_issue_job *job)
{
    free(job->cose.buf);
    hc_issue_result_clear(&job->r);
    memset(&job->cose, 0, sizeof job->cose);
}

void
hc_issue_result_clear(hc_issue_result *r)
{
    if (r == NULL) {
        return;
    }
    free(r->qr);
    json_decref(r->dcc);
    memset(r, 0, sizeof *r);
}
