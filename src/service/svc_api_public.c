/*
 * svc_api_public.c: what the service publishes without a token:
 *   GET /healthz          200 {"status": "ok", ...} while serving
 *   GET /v1/revocations   this issuer's revoked certificates as EU revocation hashes
 *                         (healthcert/revocation.h document; `verify --revocation` reads it)
 *   GET /v1/trustlist     the trusted signer certificates, EU gateway-style JSON
 *                         [{kid, country, certificateType, thumbprint, timestamp, rawData}]
 *                         (`verify --trust` reads it), so one instance can feed offline verifiers;
 *                         made once per trust generation (svc_trust.c)
 *   GET /, /issue, /static/{file}  the web pages, compiled into the binary (data/web)
 * Lists carry an ETag; a client that sends it back in If-None-Match gets 304.
 */
#include "openssl_limits.h" /* before any OpenSSL header */

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "embedded.h"
#include "hctime.h"
#include "svc_internal.h"
#include "trust_store.h"

extern const hc_embedded_file web_files[];
extern const size_t web_files_count;

enum MHD_Result
svc_api_healthz(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    json_t *j = json_pack("{s:s, s:s, s:b, s:I}", "status", "ok", "store",
                          hc_store_backend(s->store), "issuing", s->issuer != NULL, "revoked",
                          (json_int_t)hc_revocation_list_count(s->revoked));
    return svc_respond_json(c, rq, 200, j, NULL);
}

static bool
etag_matches(struct MHD_Connection *c, const char *etag)
{
    const char *inm =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    return inm != NULL && strstr(inm, etag) != NULL;
}

static enum MHD_Result
not_modified(struct MHD_Connection *c, svc_request *rq, const char *etag)
{
    const char *hdr[] = { MHD_HTTP_HEADER_ETAG, etag, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache",
                          NULL };
    return svc_respond_static(c, rq, 304, "application/json", "", 0, hdr);
}

/* One serialised revocation document, shared by the answers that send it. */
typedef struct rev_doc {
    _Atomic long refs;
    char etag[64];
    char *text;
    size_t len;
} rev_doc;

static void
rev_doc_unref(void *cls)
{
    rev_doc *d = cls;
    if (d != NULL && atomic_fetch_sub(&d->refs, 1) == 1) {
        free(d->text);
        free(d);
    }
}

/* The document for etag: the cached one while the list has not changed, else a new one. A list
 * of a million hashes is tens of MiB of JSON: it is made once per change, not per request. */
static rev_doc *
rev_doc_get(svc *s, const char *etag, int64_t seq)
{
    pthread_mutex_lock(&s->revdoc_mu);
    rev_doc *d = s->revdoc;
    if (d != NULL && strcmp(d->etag, etag) == 0) {
        atomic_fetch_add(&d->refs, 1);
        pthread_mutex_unlock(&s->revdoc_mu);
        return d;
    }
    pthread_mutex_unlock(&s->revdoc_mu);
    json_t *j = hc_revocation_list_to_json(s->revoked, hc_time_now(), seq);
    char *text = j != NULL ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    d = text != NULL ? calloc(1, sizeof *d) : NULL;
    if (d == NULL) {
        free(text);
        return NULL;
    }
    snprintf(d->etag, sizeof d->etag, "%s", etag);
    d->text = text;
    d->len = strlen(text);
    atomic_store(&d->refs, 2); /* the cache's and the caller's */
    pthread_mutex_lock(&s->revdoc_mu);
    rev_doc *old = s->revdoc;
    s->revdoc = d;
    pthread_mutex_unlock(&s->revdoc_mu);
    rev_doc_unref(old);
    return d;
}

void
svc_revdoc_free(svc *s)
{
    rev_doc_unref(s->revdoc);
    s->revdoc = NULL;
}

enum MHD_Result
svc_api_revocations(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    char etag[64];
    int64_t seq = atomic_load(&s->published_seq);
    size_t count = hc_revocation_list_count(s->revoked);
    snprintf(etag, sizeof etag, "\"rev-%lld-%zu\"", (long long)seq, count);
    if (etag_matches(c, etag)) {
        return not_modified(c, rq, etag);
    }
    rev_doc *d = rev_doc_get(s, etag, seq);
    if (d == NULL) {
        return svc_respond_error(c, rq, 500, "INTERNAL", "out of memory");
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback_cls(d->len, d->text, rev_doc_unref, d);
    if (r == NULL) {
        rev_doc_unref(d);
        return MHD_NO;
    }
    /* Public data meant for other verifiers, browser-based ones included. */
    const char *hdr[] = { MHD_HTTP_HEADER_ETAG,
                          d->etag,
                          MHD_HTTP_HEADER_CACHE_CONTROL,
                          "no-cache",
                          MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN,
                          "*",
                          NULL };
    return svc_queue(c, rq, 200, r, "application/json", d->len, hdr);
}

hc_err
svc_trustlist_build(svc_trust_gen *g)
{
    json_t *list = json_array();
    char now[32];
    hc_time_format(hc_time_now(), false, now, sizeof now);
    size_t n = hc_trust_store_count(g->store);
    for (size_t i = 0; i < n && list != NULL; i++) {
        const hc_trust_entry *e = hc_trust_store_entry(g->store, i);
        unsigned char *der = NULL;
        if (e == NULL || e->kind != HC_TRUST_X509 || e->cert == NULL) {
            continue; /* bare keys (JWKS) have no certificate to publish */
        }
        int len = i2d_X509(e->cert, &der);
        if (len <= 0) {
            continue;
        }
        uint8_t fp[32];
        unsigned fl = 0;
        char thumb[65], kid[HC_BASE64_ENCODED_MAX(HC_TRUST_KID_MAX)];
        size_t cap = HC_BASE64_ENCODED_MAX((size_t)len), tl = 0, kl = 0;
        char *raw = malloc(cap);
        if (raw != NULL && EVP_Digest(der, (size_t)len, fp, &fl, EVP_sha256(), NULL) == 1 &&
            hc_base64_encode(der, (size_t)len, false, raw, cap, &tl) == HC_OK &&
            hc_base64_encode(e->kid, e->kid_len, false, kid, sizeof kid, &kl) == HC_OK) {
            hc_hex_encode(fp, sizeof fp, thumb);
            json_array_append_new(list,
                                  json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "kid", kid, "country",
                                            e->country, "certificateType",
                                            e->certificate_type[0] ? e->certificate_type : "DSC",
                                            "thumbprint", thumb, "timestamp", now, "rawData", raw));
        }
        free(raw);
        OPENSSL_free(der);
    }
    char *text = list != NULL ? json_dumps(list, JSON_COMPACT) : NULL;
    json_decref(list);
    if (text == NULL) {
        return HC_ERR_NOMEM;
    }
    uint8_t md[32];
    unsigned ml = 0;
    char hex[65];
    EVP_Digest(text, strlen(text), md, &ml, EVP_sha256(), NULL);
    hc_hex_encode(md, 8, hex);
    snprintf(g->trustlist_etag, sizeof g->trustlist_etag, "\"%.16s\"", hex);
    g->trustlist_json = text;
    g->trustlist_len = strlen(text);
    return HC_OK;
}

/*
 * The document of the current trust generation. A SIGHUP reload may free it as soon as the
 * generation is released, so libmicrohttpd gets its own copy (MHD_RESPMEM_MUST_COPY), made while
 * the generation is held, and the ETag is copied too.
 */
enum MHD_Result
svc_api_trustlist(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    char etag[sizeof((svc_trust_gen *)NULL)->trustlist_etag];
    struct MHD_Response *r = NULL;
    const svc_trust_gen *g = svc_trust_acquire(s);
    memcpy(etag, g->trustlist_etag, sizeof etag);
    size_t len = g->trustlist_len;
    bool fresh = etag_matches(c, etag);
    if (!fresh) {
        r = MHD_create_response_from_buffer(len, g->trustlist_json, MHD_RESPMEM_MUST_COPY);
    }
    svc_trust_release(s);
    if (fresh) {
        return not_modified(c, rq, etag);
    }
    if (r == NULL) {
        return svc_respond_oom(c, rq);
    }
    /* Public data meant for other verifiers, browser-based ones included. */
    const char *hdr[] = { MHD_HTTP_HEADER_ETAG,
                          etag,
                          MHD_HTTP_HEADER_CACHE_CONTROL,
                          "no-cache",
                          MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN,
                          "*",
                          NULL };
    return svc_queue(c, rq, 200, r, "application/json", len, hdr);
}

static const char *
content_type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".html", "text/html; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".css", "text/css; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot != NULL && i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(dot, types[i].ext) == 0) {
            return types[i].type;
        }
    }
    return "application/octet-stream";
}

/*
 * The pages and their files come only from the table compiled into the binary, looked up by exact
 * name: no path ever reaches the file system (J9: "../", "%2e%2e/", absolute paths find nothing).
 */
enum MHD_Result
svc_web(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    (void)s;
    const char *name = rq->route == R_PAGE_INDEX   ? "index.html"
                       : rq->route == R_PAGE_ISSUE ? "issue.html"
                                                   : rq->param;
    const hc_embedded_file *f = hc_embedded_find(web_files, web_files_count, name);
    if (f == NULL) {
        return svc_respond_error(c, rq, 404, "NOT_FOUND", "no such file");
    }
    const char *type = content_type_of(f->name);
    /* The pages load scripts and styles from this origin only, talk only to this origin, and
     * may use the camera here (checkpoint scanning), nothing else. */
    const char *html_hdr[] = {
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; media-src 'self' blob:; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'",
        "Permissions-Policy",
        "camera=(self), microphone=(), geolocation=()",
        MHD_HTTP_HEADER_CACHE_CONTROL,
        "no-cache",
        NULL,
    };
    const char *file_hdr[] = { MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache", NULL };
    return svc_respond_static(c, rq, 200, type, f->data, f->size,
                              strncmp(type, "text/html", 9) == 0 ? html_hdr : file_hdr);
}
