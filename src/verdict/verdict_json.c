/* verdict_json.c: the verdict as the JSON object of shared/CONTRACT.md "The verdict (JSON)". */
#include "hctime.h"
#include "verdict_build.h"

static json_t *
time_or_null(bool has, int64_t ms)
{
    char buf[32];
    if (!has) {
        return json_null();
    }
    hc_time_format(ms, false, buf, sizeof buf);
    return json_string(buf);
}

static json_t *
string_or_null(const char *s)
{
    return s != NULL && s[0] != 0 ? json_string(s) : json_null();
}

json_t *
hc_verdict_to_json(const hc_verdict *vd)
{
    json_t *o = json_object();
    json_t *checks = json_array();
    json_t *errors = json_array();

    if (o == NULL || checks == NULL || errors == NULL) {
        json_decref(o);
        json_decref(checks);
        json_decref(errors);
        return NULL;
    }
    json_object_set_new(o, "valid", json_boolean(vd->valid));
    json_object_set_new(o, "format", string_or_null(vd->format));
    json_object_set_new(o, "type", string_or_null(vd->type));
    if (vd->has_issuer) {
        json_object_set_new(
            o, "issuer",
            json_pack("{s:o, s:o, s:o}", "country", string_or_null(vd->issuer_country), "kid",
                      string_or_null(vd->issuer_kid), "name", string_or_null(vd->issuer_name)));
    } else {
        json_object_set_new(o, "issuer", json_null());
    }
    json_object_set_new(o, "issued_at", time_or_null(vd->has_issued_at, vd->issued_at_ms));
    json_object_set_new(o, "expires_at", time_or_null(vd->has_expires_at, vd->expires_at_ms));
    if (vd->has_subject) {
        json_object_set_new(o, "subject",
                            json_pack("{s:o, s:o}", "name", string_or_null(vd->subject_name), "dob",
                                      string_or_null(vd->subject_dob)));
    } else {
        json_object_set_new(o, "subject", json_null());
    }
    if (vd->summary[0]) {
        json_object_set_new(o, "summary", json_string(vd->summary));
    }
    json_object_set(o, "payload", vd->payload ? vd->payload : json_null());
    for (size_t i = 0; i < vd->n_checks; i++) {
        json_array_append_new(
            checks, json_pack("{s:s, s:b}", "name", vd->checks[i].name, "ok", vd->checks[i].ok));
    }
    json_object_set_new(o, "checks", checks);
    for (size_t i = 0; i < vd->n_errors; i++) {
        json_array_append_new(errors,
                              json_pack("{s:s, s:s}", "code", hc_err_code(vd->errors[i].code),
                                        "message", vd->errors[i].message));
    }
    json_object_set_new(o, "errors", errors);
    if (vd->details != NULL) {
        json_object_set(o, "details", vd->details);
    }
    return o;
}
