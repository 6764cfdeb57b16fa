/*
 * svc_api_certs.c: issuing and the issuer's records (shared/CONTRACT.md):
 *   POST /v1/certificates                DCC JSON in, 201 {"uvci", "qr", ...}; 401; 422 + errors
 *   GET  /v1/certificates/{uvci}         the stored record (metadata, status)
 *   POST /v1/certificates/{uvci}/revoke  200 with the record, now revoked
 *   GET  /v1/certificates/{uvci}/pdf     the printable certificate (issue module's PDF), made
 *                                        again from the stored payload
 *
 * Issuing signs with the issue module (healthcert/issue.h), stores the record with its three EU
 * revocation hashes and the encrypted payload, and answers only after the store committed it:
 * a certificate the client was given is never lost (tests/cli/test_serve_faults.sh kills the
 * service with SIGKILL mid-issuance and finds every acknowledged one).
 */
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "hctime.h"
#include "qr.h"
#include "svc_internal.h"

/* Validity a client may ask for with ?validity_days= (the issuer still clamps to its DSC). */
#define MAX_VALIDITY_DAYS 3650

static json_t *
time_json(int64_t ms)
{
    char t[32];
    hc_time_format(ms, false, t, sizeof t);
    return json_string(t);
}

static json_t *
b64_json(const uint8_t *b, size_t n)
{
    char text[HC_BASE64_ENCODED_MAX(64)];
    size_t tl = 0;
    if (n > 64 || hc_base64_encode(b, n, false, text, sizeof text, &tl) != HC_OK) {
        return json_null();
    }
    return json_stringn(text, tl);
}

static json_t *
record_json(const hc_cert_record *r)
{
    char type[2] = { r->type, 0 };
    json_t *hashes = json_object();
    for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
        json_object_set_new(hashes, hc_revocation_hash_type_name((hc_revocation_hash_type)t),
                            b64_json(r->hashes[t], HC_REVOCATION_HASH_LEN));
    }
    json_t *j =
        json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "uvci", r->uvci, "type", type,
                  "country", r->country, "kid", b64_json(r->kid, sizeof r->kid), "issued_at",
                  time_json(r->issued_at_ms), "expires_at", time_json(r->expires_at_ms), "status",
                  r->status == HC_CERT_REVOKED ? "revoked" : "active", "revocation_hashes", hashes);
    if (j != NULL && r->status == HC_CERT_REVOKED) {
        json_object_set_new(j, "revoked_at", time_json(r->revoked_at_ms));
    }
    return j;
}

/* "/v1/certificates/" + the UVCI with everything but RFC 3986 unreserved characters escaped. */
static void
location_of(const char *uvci, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = (size_t)snprintf(out, cap, "/v1/certificates/");
    for (const unsigned char *p = (const unsigned char *)uvci; *p && n + 4 < cap; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    out[n] = 0;
}

/* The QR code as PNG, base64 (for the issuing page to show and offer for download). */
static json_t *
qr_png_json(const char *qr)
{
    uint8_t *png = NULL;
    size_t len = 0;
    hc_qr_options o = hc_qr_default_options();
    if (hc_qr_png_bytes(qr, &o, &png, &len) != HC_OK) {
        return json_null();
    }
    size_t cap = HC_BASE64_ENCODED_MAX(len), tl = 0;
    char *text = malloc(cap);
    json_t *j = json_null();
    if (text != NULL && hc_base64_encode(png, len, false, text, cap, &tl) == HC_OK) {
        json_decref(j);
        j = json_stringn(text, tl);
    }
    free(text);
    free(png);
    return j;
}

static bool
query_int(struct MHD_Connection *c, const char *key, int lo, int hi, int *out, bool *bad)
{
    const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
    char *end = NULL;
    if (v == NULL) {
        return false;
    }
    long n = strtol(v, &end, 10);
    if (end == v || *end != 0 || n < lo || n > hi) {
        *bad = true;
        return false;
    }
    *out = (int)n;
    return true;
}

static enum MHD_Result
store_failed(struct MHD_Connection *c, svc_request *rq, hc_err e)
{
    if (e == HC_ERR_NOT_FOUND) {
        return svc_respond_error(c, rq, 404, "NOT_FOUND", "no certificate with that identifier");
    }
    return svc_respond_error(c, rq, 503, "STORE_UNAVAILABLE",
                             "the certificate store is not answering; try again");
}

enum MHD_Result
svc_api_issue(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    bool ok = false, bad = false, dup = false;
    char msg[256] = "";
    json_error_t jerr;
    hc_issue_result res;
    enum MHD_Result r = svc_authorise(s, c, rq, &ok);
    if (!ok) {
        return r;
    }
    if (s->issuer == NULL) {
        return svc_respond_error(c, rq, 503, "ISSUING_DISABLED",
                                 "this service has no signing key (--issuer-cert/--issuer-key)");
    }
    hc_issue_options opt = { 0 };
    opt.validity_days = s->cfg.validity_days;
    query_int(c, "validity_days", 1, MAX_VALIDITY_DAYS, &opt.validity_days, &bad);
    if (bad) {
        return svc_respond_error(c, rq, 400, "BAD_REQUEST",
                                 "validity_days must be a whole number from 1 to 3650");
    }
    json_t *in = json_loadb(rq->body != NULL ? (const char *)rq->body : "", rq->len,
                            JSON_REJECT_DUPLICATES, &jerr);
    if (in == NULL) {
        /* Position only: the parser's message can quote the input (J15). */
        snprintf(msg, sizeof msg, "the body is not JSON (line %d, column %d)", jerr.line,
                 jerr.column);
        return svc_respond_error(c, rq, 400, "JSON_INVALID", msg);
    }
    if (!json_is_object(in)) {
        json_decref(in);
        return svc_respond_error(c, rq, 422, "STRUCTURE_INVALID",
                                 "the body must be a DCC JSON object");
    }
    memset(&res, 0, sizeof res);
    hc_err e = hc_issue_eu_dcc(s->issuer, in, &opt, &res, msg, sizeof msg);
    json_decref(in);
    if (e != HC_OK) {
        hc_issue_result_clear(&res);
        if (hc_err_is_verdict(e) || e == HC_ERR_INVALID_ARG) {
            return svc_respond_error(c, rq, 422,
                                     e == HC_ERR_INVALID_ARG ? "STRUCTURE_INVALID" : hc_err_code(e),
                                     msg[0] ? msg : hc_err_str(e));
        }
        return svc_respond_error(c, rq, 500, "INTERNAL", "the certificate could not be signed");
    }
    rq->log.type[0] = res.type;
    snprintf(rq->log.country, sizeof rq->log.country, "%.2s", res.country);

    hc_cert_record rec;
    memset(&rec, 0, sizeof rec);
    snprintf(rec.uvci, sizeof rec.uvci, "%s", res.uvci);
    rec.type = res.type;
    snprintf(rec.country, sizeof rec.country, "%.2s", res.country);
    memcpy(rec.kid, res.kid, sizeof rec.kid);
    rec.issued_at_ms = res.iat_ms;
    rec.expires_at_ms = res.exp_ms;
    /* eu-dcc.md §4.3: the three EU hash forms, first 16 bytes of SHA-256. */
    hc_revocation_hash_uci(res.uvci, strlen(res.uvci), rec.hashes[HC_REVOCATION_UCI]);
    hc_revocation_hash_country_uci(rec.country, res.uvci, strlen(res.uvci),
                                   rec.hashes[HC_REVOCATION_COUNTRYCODEUCI]);
    memcpy(rec.hashes[HC_REVOCATION_SIGNATURE], res.signature_sha256, HC_REVOCATION_HASH_LEN);

    /* What a re-issue needs: the DCC as signed and the QR text, encrypted by the store. */
    json_t *payload = json_pack("{s:O, s:s}", "dcc", res.dcc, "qr", res.qr);
    char *ptext = payload != NULL ? json_dumps(payload, JSON_COMPACT) : NULL;
    json_decref(payload);
    if (ptext == NULL) {
        hc_issue_result_clear(&res);
        return svc_respond_error(c, rq, 500, "INTERNAL", "out of memory");
    }
    e = hc_store_insert(s->store, &rec, (const uint8_t *)ptext, strlen(ptext), &dup);
    explicit_bzero(ptext, strlen(ptext));
    free(ptext);
    if (e != HC_OK) {
        hc_issue_result_clear(&res);
        if (dup) {
            return svc_respond_error(c, rq, 409, "DUPLICATE",
                                     "a certificate with this identifier (ci) was issued before");
        }
        if (e == HC_ERR_INVALID_ARG) {
            return svc_respond_error(c, rq, 422, "STRUCTURE_INVALID",
                                     "the certificate identifier (ci) holds control characters "
                                     "or is too long");
        }
        return store_failed(c, rq, e);
    }
    /* Committed: from here on the certificate exists and is answered for. */
    char type[2] = { res.type, 0 }, where[3 * HC_STORE_UVCI_MAX + 32];
    json_t *out =
        json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "uvci", res.uvci, "qr", res.qr,
                  "type", type, "country", rec.country, "kid", b64_json(rec.kid, sizeof rec.kid),
                  "issued_at", time_json(rec.issued_at_ms), "expires_at",
                  time_json(rec.expires_at_ms), "status", "active", "qr_png", qr_png_json(res.qr));
    location_of(res.uvci, where, sizeof where);
    hc_issue_result_clear(&res);
    const char *hdr[] = { MHD_HTTP_HEADER_LOCATION, where, NULL };
    return svc_respond_json(c, rq, 201, out, hdr);
}

enum MHD_Result
svc_api_cert_get(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    bool ok = false;
    hc_cert_record rec;
    enum MHD_Result r = svc_authorise(s, c, rq, &ok);
    if (!ok) {
        return r;
    }
    hc_err e = hc_store_get(s->store, rq->param, &rec);
    if (e != HC_OK) {
        return store_failed(c, rq, e);
    }
    json_t *j = record_json(&rec);
    const char *inc = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "include");
    if (inc != NULL && strcmp(inc, "payload") == 0) {
        /* For re-issuing a lost certificate: the DCC and QR as issued. */
        uint8_t *p = NULL;
        size_t n = 0;
        e = hc_store_get_payload(s->store, rq->param, &p, &n);
        if (e == HC_OK) {
            json_t *pj = json_loadb((const char *)p, n, 0, NULL);
            explicit_bzero(p, n);
            free(p);
            if (pj != NULL) {
                json_object_set(j, "dcc", json_object_get(pj, "dcc"));
                json_object_set(j, "qr", json_object_get(pj, "qr"));
                json_decref(pj);
            }
        } else {
            json_decref(j);
            return svc_respond_error(c, rq, 500, "PAYLOAD_UNREADABLE",
                                     "the stored payload cannot be decrypted with this key");
        }
    }
    rq->log.type[0] = rec.type;
    return svc_respond_json(c, rq, 200, j, NULL);
}

enum MHD_Result
svc_api_cert_revoke(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    bool ok = false, newly = false;
    hc_cert_record rec;
    enum MHD_Result r = svc_authorise(s, c, rq, &ok);
    if (!ok) {
        return r;
    }
    hc_err e = hc_store_revoke(s->store, rq->param, hc_time_now(), &rec, &newly);
    if (e != HC_OK) {
        return store_failed(c, rq, e);
    }
    /* In force for this instance at once; other instances read it on their next refresh. */
    svc_revocations_add(s, &rec);
    rq->log.type[0] = rec.type;
    return svc_respond_json(c, rq, 200, record_json(&rec), NULL);
}

enum MHD_Result
svc_api_cert_pdf(svc *s, struct MHD_Connection *c, svc_request *rq)
{
    bool ok = false;
    hc_cert_record rec;
    uint8_t *p = NULL, *pdf = NULL;
    size_t n = 0, pdf_len = 0;
    enum MHD_Result r = svc_authorise(s, c, rq, &ok);
    if (!ok) {
        return r;
    }
    hc_err e = hc_store_get(s->store, rq->param, &rec);
    if (e != HC_OK) {
        return store_failed(c, rq, e);
    }
    e = hc_store_get_payload(s->store, rq->param, &p, &n);
    if (e != HC_OK) {
        return svc_respond_error(c, rq, 500, "PAYLOAD_UNREADABLE",
                                 "the stored payload cannot be decrypted with this key");
    }
    json_t *pj = json_loadb((const char *)p, n, 0, NULL);
    explicit_bzero(p, n);
    free(p);
    /* The issue result as it was at issuing time, rebuilt from the record and its payload. */
    hc_issue_result res;
    memset(&res, 0, sizeof res);
    const char *qr = json_string_value(json_object_get(pj, "qr"));
    res.dcc = json_object_get(pj, "dcc");
    res.qr = (char *)qr;
    snprintf(res.uvci, sizeof res.uvci, "%s", rec.uvci);
    res.type = rec.type;
    res.iat_ms = rec.issued_at_ms;
    res.exp_ms = rec.expires_at_ms;
    snprintf(res.country, sizeof res.country, "%s", rec.country);
    memcpy(res.kid, rec.kid, sizeof res.kid);
    e = qr != NULL && res.dcc != NULL ? hc_issue_pdf_bytes(&res, &pdf, &pdf_len)
                                      : HC_ERR_INVALID_ARG;
    json_decref(pj);
    if (e != HC_OK) {
        return svc_respond_error(c, rq, 500, "INTERNAL", "the PDF could not be made");
    }
    rq->log.type[0] = rec.type;
    const char *hdr[] = { "Content-Disposition", "attachment; filename=\"certificate.pdf\"", NULL };
    return svc_respond(c, rq, 200, "application/pdf", (char *)pdf, pdf_len, hdr);
}
