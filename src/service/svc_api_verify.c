/*
 * svc_api_verify.c: POST /v1/verify (shared/CONTRACT.md): QR text or a PNG/JPEG image in, the
 * verdict JSON out with 200 for any verdict.
 *
 * Each worker thread makes its own verifier on first use (hc_verifier owns the pipeline's scratch
 * buffers and is one per thread, verify.h) over the current trust generation's store (made again
 * after a SIGHUP reload, svc_trust.c) and the service's revocation list, so /v1/verify reports
 * REVOKED for certificates this service revoked. With ?view=minimal the answer holds only what a
 * checkpoint shows (security.md §4: verdict, name, date of birth, type), which the checkpoint page
 * uses; the default is the contract's full verdict. Both are written by svc_json.c.
 */
#include <stdlib.h>
#include <string.h>

#include "svc_internal.h"
#include "svc_json.h"

static _Thread_local hc_verifier *tl_verifier;
static _Thread_local const svc *tl_owner;
static _Thread_local uint64_t tl_generation; /* of the trust store tl_verifier was made over */

/*
 * This thread's verifier for trust generation g (held by the caller: svc_trust_acquire). The
 * verifier caches OpenSSL contexts per key of its trust store (hc_sig_cache), so it must never be
 * used with another store: when the generation changed since it was made (SIGHUP), a new one is
 * made over g's store and takes its slot in s->verifiers, and the old one is freed (its store may
 * be gone by then: the cached contexts hold their own references to the keys, and freeing reads
 * nothing of the store). Unchanged generation: a comparison, no allocation.
 */
static hc_verifier *
thread_verifier(svc *s, const svc_trust_gen *g)
{
    if (tl_verifier != NULL && tl_owner == s && tl_generation == g->number) {
        return tl_verifier;
    }
    hc_verify_options opt = s->vopt; /* copied by the verifier */
    opt.trust = g->store;
    hc_verifier *v = hc_verifier_new(&opt);
    if (v == NULL) {
        return NULL;
    }
    /* The old verifier is this service's only when it is in s->verifiers (a verifier of a service
     * stopped before, at the same address, was freed with it). */
    hc_verifier *old = tl_owner == s ? tl_verifier : NULL;
    bool replaced = false;
    pthread_mutex_lock(&s->verifiers_mu);
    for (size_t i = 0; old != NULL && i < s->n_verifiers; i++) {
        if (s->verifiers[i] == old) {
            s->verifiers[i] = v;
            replaced = true;
            break;
        }
    }
    if (!replaced && s->n_verifiers == s->cap_verifiers) {
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
    if (!replaced) {
        s->verifiers[s->n_verifiers++] = v;
    }
    pthread_mutex_unlock(&s->verifiers_mu);
    if (replaced) {
        hc_verifier_free(old);
    }
    tl_verifier = v;
    tl_owner = s;
    tl_generation = g->number;
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
    /* The trust generation stays held while the verifier uses it: a reload meanwhile swaps in the
     * next one and frees this one only after the release (svc_trust.c). */
    const svc_trust_gen *g = svc_trust_acquire(s);
    hc_verifier *v = thread_verifier(s, g);
    if (v == NULL) {
        svc_trust_release(s);
        return svc_respond_error(c, rq, 500, "INTERNAL", "out of memory");
    }
    hc_err e = hc_verify(v, rq->body != NULL ? rq->body : (const uint8_t *)"", rq->len, &vd);
    svc_trust_release(s); /* the verdict holds copies, nothing of the store */
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
