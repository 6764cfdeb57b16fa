/*
 * svc_trust.c: the service's trust material in generations, so that SIGHUP can replace it
 * without a restart and without dropping or failing a request.
 *
 * A generation (svc_trust_gen) is a trust store loaded from every --trust path plus the issuer's
 * own DSC, and the /v1/trustlist document made from it; it is never changed once published.
 *
 * Reload (the main thread, on SIGHUP; one at a time): a complete new generation is loaded outside
 * any lock. If anything fails (a file unreadable or not trust material, out of memory) it is
 * thrown away, the current one stays in force and `trust-reload-failed` is logged: the service is
 * never left without trust, nor with half of it. Else the pointer is swapped under the write lock
 * and the old generation freed after unlocking, when the write lock has proved that no reader
 * still uses it. `trust-reloaded` is logged with the entry count.
 *
 * Readers (/v1/verify, /v1/trustlist) hold the read lock while they use a generation: one
 * rdlock/unlock pair per request. Why a rwlock rather than reference counts or RCU: a reference
 * count is the same one atomic read-modify-write per request on a shared cache line but needs the
 * pointer load and the increment to be made atomic together (a lock, or hazard pointers); RCU
 * would need a grace-period mechanism libmicrohttpd's threads do not give us. The write lock is
 * held only for a pointer store, so readers wait at most for the longest verification in flight
 * (~0.1 ms) once per reload. The lock prefers writers (glibc's
 * PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP) so that a steady stream of verifications cannot
 * starve a reload; the price, a deadlock should a thread take the read lock twice, is avoided by
 * never nesting svc_trust_acquire.
 *
 * Each worker's verifier caches OpenSSL contexts per trust key (hc_sig_cache), so it must not
 * outlive its store: it remembers the generation number it was made for and is made again when
 * the generation changed (svc_api_verify.c), under the read lock, before it is used.
 */
/* pthread_rwlockattr_setkind_np is a GNU extension. */
#define _GNU_SOURCE
#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/crypto.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "svc_internal.h"
#include "trust_store.h"

/* Generation numbers: unique in the process, 0 is never one (a worker's "none yet"). */
static _Atomic uint64_t last_generation;

void
svc_trust_lock_init(svc *s)
{
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
#ifdef __GLIBC__
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
#endif
    pthread_rwlock_init(&s->trust_lock, &attr);
    pthread_rwlockattr_destroy(&attr);
}

static void
gen_free(svc_trust_gen *g)
{
    if (g != NULL) {
        hc_trust_store_free(g->store);
        free(g->trustlist_json);
        free(g);
    }
}

/* Adds the issuer's DSC to ts unless the same certificate is there already. */
static hc_err
trust_issuer(const hc_issuer *issuer, hc_trust_store *ts, char *msg, size_t msg_len)
{
    size_t len = 0;
    const uint8_t *der = hc_issuer_cert_der(issuer, &len);
    const hc_trust_entry *found[HC_MAX_KEYS_PER_KID];
    size_t n = hc_trust_store_find(ts, hc_issuer_kid(issuer), 8, found, HC_MAX_KEYS_PER_KID);
    for (size_t i = 0; i < n && i < HC_MAX_KEYS_PER_KID; i++) {
        unsigned char *other = NULL;
        int olen = found[i]->cert != NULL ? i2d_X509(found[i]->cert, &other) : 0;
        bool same = olen > 0 && (size_t)olen == len && memcmp(other, der, len) == 0;
        OPENSSL_free(other);
        if (same) {
            return HC_OK;
        }
    }
    return hc_trust_store_add_buffer(ts, der, len, "--issuer-cert", msg, msg_len);
}

/*
 * A complete new generation, or an error with *failed the index of the --trust path that failed
 * (n_trust: the issuer's certificate; n_trust + 1: neither, e.g. out of memory) and the reason,
 * which may name files, in msg.
 */
static hc_err
gen_load(svc *s, svc_trust_gen **out, size_t *failed, char *msg, size_t msg_len)
{
    const hc_service_config *cfg = &s->cfg;
    hc_err e = HC_OK;
    *out = NULL;
    *failed = cfg->n_trust + 1;
    svc_trust_gen *g = calloc(1, sizeof *g);
    if (g == NULL || (g->store = hc_trust_store_new()) == NULL) {
        gen_free(g);
        return HC_ERR_NOMEM;
    }
    for (size_t i = 0; i < cfg->n_trust; i++) {
        char why[256] = "";
        if ((e = hc_trust_store_add_path(g->store, cfg->trust[i], why, sizeof why)) != HC_OK) {
            snprintf(msg, msg_len, "cannot use trust material %s: %s", cfg->trust[i],
                     why[0] ? why : hc_err_str(e));
            *failed = i;
            gen_free(g);
            return e;
        }
    }
    if (s->issuer != NULL) {
        char why[256] = "";
        if ((e = trust_issuer(s->issuer, g->store, why, sizeof why)) != HC_OK) {
            snprintf(msg, msg_len, "cannot trust the issuer certificate: %s", why);
            *failed = cfg->n_trust;
            gen_free(g);
            return e;
        }
    }
    if ((e = svc_trustlist_build(g)) != HC_OK) {
        gen_free(g);
        return e;
    }
    g->number = atomic_fetch_add(&last_generation, 1) + 1;
    *out = g;
    return HC_OK;
}

hc_err
svc_trust_start(svc *s, char *msg, size_t msg_len)
{
    char why[512] = "";
    size_t failed = 0;
    svc_trust_gen *g = NULL;
    hc_err e = gen_load(s, &g, &failed, why, sizeof why);
    if (e != HC_OK) {
        if (msg != NULL && msg_len > 0) {
            snprintf(msg, msg_len, "%s", why[0] ? why : hc_err_str(e));
        }
        return e;
    }
    s->trust = g; /* no other thread runs yet */
    return HC_OK;
}

void
svc_trust_reload(svc *s)
{
    char why[512] = "", detail[160];
    size_t failed = 0;
    svc_trust_gen *g = NULL;
    hc_err e = gen_load(s, &g, &failed, why, sizeof why);
    if (e != HC_OK) {
        /* Log values come from a fixed alphabet (docs/service.md): which --trust argument and
         * the stable error code, never a file name (any bytes) or the loader's message. */
        const char *code = hc_err_code(e);
        if (failed < s->cfg.n_trust) {
            snprintf(detail, sizeof detail,
                     "--trust argument %zu of %zu: %s; the previous trust material stays in force",
                     failed + 1, s->cfg.n_trust, code);
        } else if (failed == s->cfg.n_trust) {
            snprintf(detail, sizeof detail,
                     "the issuer certificate: %s; the previous trust material stays in force",
                     code);
        } else {
            snprintf(detail, sizeof detail, "%s; the previous trust material stays in force", code);
        }
        svc_log_event(s, "trust-reload-failed", detail);
        return;
    }
    size_t entries = hc_trust_store_count(g->store);
    uint64_t number = g->number;
    pthread_rwlock_wrlock(&s->trust_lock);
    svc_trust_gen *old = s->trust;
    s->trust = g;
    pthread_rwlock_unlock(&s->trust_lock);
    /* Holding the write lock proved that no reader used old; readers that came after see g. */
    gen_free(old);
    snprintf(detail, sizeof detail, "%zu entries, generation %llu", entries,
             (unsigned long long)number);
    svc_log_event(s, "trust-reloaded", detail);
}

void
svc_trust_free(svc *s)
{
    gen_free(s->trust);
    s->trust = NULL;
    pthread_rwlock_destroy(&s->trust_lock);
}
