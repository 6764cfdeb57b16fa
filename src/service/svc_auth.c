/*
 * svc_auth.c: bearer tokens for issuing and revoking (RFC 6750), compared in constant time, and
 * a limit on failed attempts per client address (security.md J17: 401, then 429).
 *
 * The token file holds one token per line (blank lines and lines starting with '#' ignored);
 * SIGHUP reloads it, so a token taken out of the file stops working without a restart. Only the
 * SHA-256 of each token is kept in memory; a presented token is hashed and compared with every
 * one of them without stopping early, so the time taken tells nothing about which bytes matched.
 * The log names a token by the first 8 hex digits of its hash (which token issued what, for
 * misuse detection), never by the token.
 */
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "fileio.h"
#include "hctime.h"
#include "svc_internal.h"

/* Short tokens can be guessed; 16 characters of a random token carry 64 bits or more. */
#define MIN_TOKEN_LEN  16
#define MAX_TOKEN_LEN  512
#define MAX_TOKENS     256
#define MAX_TOKEN_FILE (256 * 1024)

struct svc_tokens {
    size_t n;
    uint8_t hash[MAX_TOKENS][32];
};

static void
sha256(const void *data, size_t len, uint8_t out[32])
{
    unsigned n = 0;
    if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1) {
        memset(out, 0, 32); /* matches no token: the file's hashes were made the same way */
    }
}

void
svc_tokens_free(svc_tokens *t)
{
    if (t != NULL) {
        OPENSSL_cleanse(t, sizeof *t);
        free(t);
    }
}

hc_err
svc_tokens_load(svc *s, const char *path, char *msg, size_t msg_len)
{
    uint8_t *data = NULL;
    size_t len = 0;
    svc_tokens *t = calloc(1, sizeof *t);
    if (t == NULL) {
        return HC_ERR_NOMEM;
    }
    hc_err e = hc_read_file(path, MAX_TOKEN_FILE, &data, &len);
    if (e != HC_OK) {
        snprintf(msg, msg_len, "cannot read the API token file %s", path);
        svc_tokens_free(t);
        return e;
    }
    for (size_t i = 0; i < len && e == HC_OK;) {
        size_t j = i;
        while (j < len && data[j] != '\n') {
            j++;
        }
        size_t a = i, b = j;
        while (a < b && (data[a] == ' ' || data[a] == '\t' || data[a] == '\r')) {
            a++;
        }
        while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t' || data[b - 1] == '\r')) {
            b--;
        }
        if (b > a && data[a] != '#') {
            if (b - a < MIN_TOKEN_LEN || b - a > MAX_TOKEN_LEN) {
                snprintf(msg, msg_len,
                         "the API token file %s has a token shorter than %d or longer than %d "
                         "characters",
                         path, MIN_TOKEN_LEN, MAX_TOKEN_LEN);
                e = HC_ERR_KEY_INVALID;
            } else if (t->n == MAX_TOKENS) {
                snprintf(msg, msg_len, "the API token file %s has more than %d tokens", path,
                         MAX_TOKENS);
                e = HC_ERR_KEY_INVALID;
            } else {
                sha256(data + a, b - a, t->hash[t->n++]);
            }
        }
        i = j + 1;
    }
    OPENSSL_cleanse(data, len);
    free(data);
    if (e == HC_OK && t->n == 0) {
        snprintf(msg, msg_len, "the API token file %s holds no token", path);
        e = HC_ERR_KEY_INVALID;
    }
    if (e != HC_OK) {
        svc_tokens_free(t);
        return e;
    }
    pthread_rwlock_wrlock(&s->tokens_lock);
    svc_tokens *old = s->tokens;
    s->tokens = t;
    pthread_rwlock_unlock(&s->tokens_lock);
    svc_tokens_free(old);
    return HC_OK;
}

/* The client's address as 16 bytes (IPv4 mapped), for the limiter only (never logged). */
static void
client_addr(struct MHD_Connection *c, uint8_t out[16])
{
    memset(out, 0, 16);
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci == NULL || ci->client_addr == NULL) {
        return;
    }
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &in->sin_addr, 4);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
        memcpy(out, &in6->sin6_addr, 16);
    }
}

static struct svc_limiter_slot *
slot_of(svc *s, const uint8_t addr[16])
{
    unsigned h = 2166136261u; /* FNV-1a over the address picks the slot */
    for (int i = 0; i < 16; i++) {
        h = (h ^ addr[i]) * 16777619u;
    }
    return &s->limiter[h % (sizeof s->limiter / sizeof s->limiter[0])];
}

/* True when addr is over its failure limit in the current window. */
static bool
limited(svc *s, const uint8_t addr[16], bool failed_now)
{
    int64_t now = hc_time_now();
    bool over;
    pthread_mutex_lock(&s->limiter_mu);
    struct svc_limiter_slot *sl = slot_of(s, addr);
    if (memcmp(sl->addr, addr, 16) != 0 || now - sl->window_start > SVC_AUTH_WINDOW_MS) {
        /* A new window (or another address that hashed here: slots are shared by design, the
         * limiter only has to slow guessing down). */
        memcpy(sl->addr, addr, 16);
        sl->window_start = now;
        sl->failures = 0;
    }
    if (failed_now) {
        sl->failures++;
    }
    over = sl->failures >= SVC_AUTH_FAILURES_MAX;
    pthread_mutex_unlock(&s->limiter_mu);
    return over;
}

enum MHD_Result
svc_authorise(svc *s, struct MHD_Connection *c, svc_request *rq, bool *ok)
{
    uint8_t addr[16], h[32];
    const char *hdr[] = { MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"healthcert\"", NULL };
    *ok = false;
    client_addr(c, addr);
    if (limited(s, addr, false)) {
        const char *retry[] = { MHD_HTTP_HEADER_RETRY_AFTER, "60", NULL };
        json_t *j = json_pack("{s:[{s:s, s:s}]}", "errors", "code", "TOO_MANY_REQUESTS", "message",
                              "too many failed authentications; wait a minute");
        return svc_respond_json(c, rq, 429, j, retry);
    }
    const char *auth =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    /* "Bearer" is case-insensitive (RFC 9110 §11.1: auth-scheme). */
    if (auth != NULL && strncasecmp(auth, "Bearer ", 7) == 0) {
        const char *tok = auth + 7;
        while (*tok == ' ') {
            tok++;
        }
        size_t n = strlen(tok);
        while (n > 0 && (tok[n - 1] == ' ' || tok[n - 1] == '\t')) {
            n--; /* optional white space after the field value (RFC 9110 §5.5) */
        }
        bool match = false;
        sha256(tok, n, h);
        pthread_rwlock_rdlock(&s->tokens_lock);
        if (s->tokens != NULL) {
            for (size_t i = 0; i < s->tokens->n; i++) {
                /* Every configured token is compared, match or not (no early exit). */
                match |= CRYPTO_memcmp(h, s->tokens->hash[i], 32) == 0;
            }
        }
        pthread_rwlock_unlock(&s->tokens_lock);
        if (match && n >= MIN_TOKEN_LEN) {
            hc_hex_encode(h, 4, rq->log.token); /* 8 digits and the NUL */
            *ok = true;
            return MHD_YES;
        }
    }
    limited(s, addr, true);
    json_t *j = json_pack("{s:[{s:s, s:s}]}", "errors", "code", "UNAUTHORIZED", "message",
                          auth == NULL ? "this needs an API token (Authorization: Bearer ...)"
                                       : "the API token is not valid");
    return svc_respond_json(c, rq, 401, j, hdr);
}
