/* scratch.c: per-thread working memory of the issuer (see issue_scratch.h). */
#include "issue_scratch.h"

#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static bool scratch_key_ok;

static void
scratch_free(void *p)
{
    hc_issue_scratch *s = p;
    EVP_MD_CTX_free(s->md);
    free(s);
}

static void
scratch_init_key(void)
{
    scratch_key_ok = pthread_key_create(&scratch_key, scratch_free) == 0;
}

hc_issue_scratch *
hc_issue_scratch_get(void)
{
    pthread_once(&scratch_once, scratch_init_key);
    if (!scratch_key_ok) {
        return NULL;
    }
    hc_issue_scratch *s = pthread_getspecific(scratch_key);
    if (s != NULL) {
        return s;
    }
    s = malloc(sizeof *s);
    if (s != NULL) {
        s->rnd_left = 0;
        s->md = EVP_MD_CTX_new();
        hc_zdeflate_init(&s->zd);
    }
    if (s != NULL && pthread_setspecific(scratch_key, s) != 0) {
        scratch_free(s);
        s = NULL;
    }
    return s;
}

hc_err
hc_issue_random(uint8_t *out, size_t n)
{
    hc_issue_scratch *s = hc_issue_scratch_get();
    if (s == NULL) {
        return HC_ERR_NOMEM;
    }
    if (n > sizeof s->rnd) {
        return HC_ERR_INVALID_ARG;
    }
    if (s->rnd_left < n) {
        if (RAND_bytes(s->rnd, sizeof s->rnd) != 1) {
            return HC_ERR_INTERNAL;
        }
        s->rnd_left = sizeof s->rnd;
    }
    memcpy(out, s->rnd + sizeof s->rnd - s->rnd_left, n);
    s->rnd_left -= n;
    return HC_OK;
}
