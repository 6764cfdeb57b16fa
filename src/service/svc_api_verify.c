/*
 * svc_api_verify.c: POST /v1/verify (shared/CONTRACT.md): QR text or a PNG/JPEG image in, the
 * verdict JSON out with 200 for any verdict.
 *
 * Each worker thread makes its own verifier on first use (hc_verifier owns the pipeline's scratch
 * buffers and is one per thread, verify.h) over the shared trust store and the service's
 * revocation list, so /v1/verify reports REVOKED for certificates this service revoked. With
 * ?view=minimal the answer holds only what a checkpoint shows (security.md §4: verdict, name, date
 * of birth, type), which the checkpoint page uses; the default is the contract's full verdict.
 * Both are written by svc_json.c.
 */
#include <stdlib.h>
#include <string.h>

#include "svc_internal.h"
#include "svc_json.h"

static _Thread_local hc_verifier *tl_verifier;
static _Thread_local const svc *tl_owner;

static hc_verifier *
thread_verifier(svc *s)
{
    if (tl_verifier != NULL && tl_owner == s) {
        return tl_verifier;
    }
    hc_verifier *v = hc_verifier_new(&s->vopt);
    if (v == NULL) {
        return NULL;
    }
    pthread_mutex_lock(&s->verifiers_mu);
    if (s->n_verifiers == s->cap_verifiers) {
        size_t ncap = s->cap_verifiers == 0 ? 8 : s->cap_verifiers * 2;
        hc_verifier **nv = realloc(s->verifiers, ncap * sizeof *nv);
        if (nv == NULL) {
            pthread_mutex_unlock(&s->verifiers_mu);
            hc_verifier_free(v);
            return NULL;
        }
        s->verifiers = nv;
        s->cap_verifiers = ncap;
    }
    s->verifiers[s->n_verifiers++] = v;
    pthread_mutex_unlock(&s->verifiers_mu);
    tl_verifier = v;
    tl_owner = s;
    return v;
}

void
svc_verifiers_free(svc *s)
{
    for (size_t i = 0; i < s->n_verifiers; i++) {
        hc_verifier_free(s->verifiers[i]);
    }
    free(s->verifiers);
    s->verifiers = NULL;
    s->n_verifiers = s->cap_verifiers = 0;
}

/* Copies the characters of src allowed by keep (a fixed alphabet) into dst. */
static void
copy_safe(char *dst, size_t cap, const char *src, const char *extra)
{
    size_t n = 0;
    for (; src != NULL && *src && n + 1 < cap; src++) {
        char c = *src;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            (extra != NULL && strchr(extra, c) != NULL)) {
            dst[n++] = c;
        }
    }
    dst[n] = 0;
}

static void
log_verdict(svc_request *rq, const hc_verdict *vd)
{
    rq->log.verdict = vd->valid ? "valid" : "invalid";
    copy_safe(rq->log.format, sizeof rq->log.format, vd->format != NULL ? vd->format : "none", "-");
    size_t n = 0;
    rq->log.codes[0] = 0;
    for (size_t i = 0; i < vd->n_errors; i++) {
        const char *code = hc_err_code(vd->errors[i].code);
        size_t len = strlen(code);
        if (n + len + 2 > sizeof rq->log.codes) {
            break;
        }
        if (n > 0) {
            rq->log.codes[n++] = ',';
        }
        memcpy(rq->log.codes + n, code, len + 1);
        n += len;
    }
    if (vd->has_issuer) {
        copy_safe(rq->log.country, sizeof rq->log.country, vd->issuer_country, NULL);
        copy_safe(rq->log.kid, sizeof rq->log.kid, vd->issuer_kid, "+/=");
    }
}

static bool
query_is(struct MHD_Connection *c, const char *key, const char *value)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    return v != NULL && strcmp(v, value) == 0;
}

enum MHD_Result
svc_api_verify(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    hc_verdict vd;
    hc_verifier *v = thread_verifier(s);
    if (v == NULL) {
        return svc_respond_error(c, rq, 500, "INTERNAL", "out of memory");
    }
    hc_err e = hc_verify(v, rq->body != NULL ? rq->body : (const uint8_t *)"", rq->len, &vd);
    log_verdict(rq, &vd);
    /* Written straight to text (svc_json.c): the same bytes as the jansson tree + json_dumps it
     * replaces, at a fraction of the cost. */
    size_t len = 0;
    char *text = svc_verdict_json(&vd, query_is(c, "view", "minimal"), &len);
    hc_verdict_clear(&vd);
    explicit_bzero(&vd, sizeof vd); /* names and dates of birth do not outlive the request */
    if (e != HC_OK && !hc_err_is_verdict(e)) {
        if (text != NULL) {
            explicit_bzero(text, len);
            free(text);
        }
        return svc_respond_error(c, rq, 500, "INTERNAL", "the certificate could not be checked");
    }
    if (text == NULL) {
        return svc_respond_oom(c, rq);
    }
    return svc_respond(c, rq, 200, "application/json", text, len, NULL);
}
