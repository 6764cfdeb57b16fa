/*
 * rules_eval.c: selecting the rules that apply to a DCC and evaluating them, as the EU verifier
 * apps do (eu-digital-green-certificates/dgc-certlogic-android):
 *   - selection: RulesDao.kt getRulesWithDescriptionsBy (country, "validationClock BETWEEN
 *     validFrom AND validTo", type, certificate type or General) and DefaultGetRulesUseCase.kt
 *     (acceptance rules of the arrival country whose region equals the selected one ignoring case,
 *     "" for none; invalidation rules of the issuing country; the highest Version per Identifier);
 *   - data context: DefaultCertLogicEngine.kt prepareData {"external": ExternalParameter,
 *     "payload": DCC};
 *   - outcome: DefaultCertLogicEngine.kt validate: OPEN unless Engine is CERTLOGIC, the engine is
 *     at least EngineVersion, and the DCC's schema version has SchemaVersion's major version and is
 *     not older; then PASSED for true, FAIL for false, OPEN when no boolean comes out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "certlogic.h"
#include "rules_internal.h"

const char *
hc_rule_outcome_name(hc_rule_outcome o)
{
    switch (o) {
    case HC_RULE_PASSED: return "PASSED";
    case HC_RULE_FAILED: return "FAILED";
    case HC_RULE_OPEN: return "OPEN";
    }
    return "OPEN";
}

const char *
hc_rule_cert_type_name(hc_rule_cert_type t)
{
    switch (t) {
    case HC_RULE_GENERAL: return "General";
    case HC_RULE_TEST: return "Test";
    case HC_RULE_VACCINATION: return "Vaccination";
    case HC_RULE_RECOVERY: return "Recovery";
    }
    return "General";
}

char
hc_rules_payload_type(const json_t *payload)
{
    static const char types[] = { 'v', 't', 'r' };
    char found = 0;
    for (size_t i = 0; i < sizeof types; i++) {
        char key[2] = { types[i], '\0' };
        const json_t *group = json_object_get(payload, key);
        if (json_is_array(group) && json_array_size(group) > 0) {
            if (found != 0) {
                return 0; /* more than one group: no single type */
            }
            found = types[i];
        }
    }
    return found;
}

static bool
set_time(json_t *obj, const char *key, hc_time_ms t)
{
    char iso[40];
    hc_certlogic_format_datetime(t, iso, sizeof iso);
    return json_object_set_new(obj, key, json_string(iso)) == 0;
}

static bool
set_str(json_t *obj, const char *key, const char *s)
{
    return json_object_set_new(obj, key, json_string(s)) == 0;
}

json_t *
hc_rules_data_context(const json_t *payload, const hc_rules_external *ext, const hc_valuesets *vs)
{
    json_t *external = json_object();
    json_t *data = json_object();
    bool ok = external != NULL && data != NULL;
    ok = ok && set_time(external, "validationClock", ext->clock_ms);
    const json_t *sets = hc_valuesets_json(vs);
    ok = ok && json_object_set_new(external, "valueSets",
                                   sets != NULL ? json_incref((json_t *)sets) : json_object()) == 0;
    ok = ok && set_str(external, "countryCode", ext->country != NULL ? ext->country : "");
    if (ok && ext->has_exp) {
        ok = set_time(external, "exp", ext->exp_ms);
    }
    if (ok && ext->has_iat) {
        ok = set_time(external, "iat", ext->iat_ms);
    }
    if (ok && ext->issuer_country != NULL) {
        ok = set_str(external, "issuerCountryCode", ext->issuer_country);
    }
    if (ok && ext->kid_b64 != NULL) {
        ok = set_str(external, "kid", ext->kid_b64);
    }
    /* ExternalParameter.kt: region defaults to "". */
    ok = ok && set_str(external, "region", ext->region != NULL ? ext->region : "");
    ok = ok &&
         json_object_set_new(data, "payload",
                             payload != NULL ? json_incref((json_t *)payload) : json_null()) == 0;
    ok = ok && json_object_set(data, "external", external) == 0;
    json_decref(external);
    if (!ok) {
        json_decref(data);
        return NULL;
    }
    return data;
}

static hc_rule_cert_type
cert_type_of(char c)
{
    switch (c) {
    case 'v': return HC_RULE_VACCINATION;
    case 't': return HC_RULE_TEST;
    case 'r': return HC_RULE_RECOVERY;
    default: return HC_RULE_GENERAL;
    }
}

static bool
region_matches(const hc_rule *r, const char *region)
{
    /* DefaultGetRulesUseCase.kt: selectedRegion.equals(ruleRegion, ignoreCase = true), both
     * trimmed, null = "". A rule without Region applies only when no region is selected. */
    const char *want = region != NULL ? region : "";
    while (*want == ' ') {
        want++;
    }
    size_t n = strlen(want);
    while (n > 0 && want[n - 1] == ' ') {
        n--;
    }
    return strlen(r->region) == n && strncasecmp(r->region, want, n) == 0;
}

static bool
applies(const hc_rule *r, const hc_rules_external *ext, char cert_type)
{
    if (r->type == HC_RULE_ACCEPTANCE) {
        if (ext->country == NULL || strcasecmp(r->country, ext->country) != 0 ||
            !region_matches(r, ext->region)) {
            return false;
        }
    } else {
        if (ext->issuer_country == NULL || ext->issuer_country[0] == '\0' ||
            strcasecmp(r->country, ext->issuer_country) != 0) {
            return false;
        }
    }
    if (ext->clock_ms < r->valid_from || ext->clock_ms > r->valid_to) {
        return false;
    }
    return r->cert_type == HC_RULE_GENERAL ||
           (cert_type != 0 && r->cert_type == cert_type_of(cert_type));
}

static int
cmp_candidates(const void *a, const void *b)
{
    const hc_rule *x = *(const hc_rule *const *)a, *y = *(const hc_rule *const *)b;
    int c = strcmp(x->identifier, y->identifier);
    if (c != 0) {
        return c;
    }
    if (x->type != y->type) {
        return x->type < y->type ? -1 : 1;
    }
    c = hc_rules_semver_cmp(y->version_num, x->version_num); /* newest first */
    if (c != 0) {
        return c;
    }
    /* Equal versions (a set loaded twice): the one loaded last wins, deterministically. */
    return x < y ? 1 : (x > y ? -1 : 0);
}

size_t
hc_rules_select(const hc_ruleset *rs, const hc_rules_external *ext, char cert_type,
                const hc_rule **out, size_t max)
{
    size_t n = hc_ruleset_count(rs);
    if (n == 0 || ext == NULL) {
        return 0;
    }
    const hc_rule **cand = malloc(n * sizeof *cand);
    if (cand == NULL) {
        return SIZE_MAX; /* never 0: "no rule applies" would let the certificate pass */
    }
    size_t nc = 0;
    for (size_t i = 0; i < n; i++) {
        const hc_rule *r = hc_ruleset_get(rs, i);
        if (applies(r, ext, cert_type)) {
            cand[nc++] = r;
        }
    }
    qsort(cand, nc, sizeof *cand, cmp_candidates);
    size_t count = 0;
    for (size_t i = 0; i < nc; i++) {
        if (i > 0 && strcmp(cand[i]->identifier, cand[i - 1]->identifier) == 0 &&
            cand[i]->type == cand[i - 1]->type) {
            continue; /* an older version of the rule just taken */
        }
        if (count < max) {
            out[count] = cand[i];
        }
        count++;
    }
    free(cand);
    return count;
}

/* Whether the engine may evaluate r for a DCC of schema version ver (NULL = unknown). */
static bool
compatible(const hc_rule *r, const char *ver, char *why, size_t why_len)
{
    static const unsigned engine[3] = { 1, 3, 3 }; /* HC_CERTLOGIC_SPEC_VERSION */
    unsigned dcc[3];
    if (strcmp(r->engine, "CERTLOGIC") != 0) {
        snprintf(why, why_len, "rule engine %s is not supported", r->engine);
        return false;
    }
    if (hc_rules_semver_cmp(engine, r->engine_version_num) < 0) {
        snprintf(why, why_len, "rule needs CertLogic %s, this engine implements %s",
                 r->engine_version, HC_CERTLOGIC_SPEC_VERSION);
        return false;
    }
    if (ver == NULL || !hc_rules_parse_semver(ver, dcc)) {
        snprintf(why, why_len, "the certificate has no schema version (ver) to check against %s",
                 r->schema_version);
        return false;
    }
    if (dcc[0] != r->schema_version_num[0] || hc_rules_semver_cmp(dcc, r->schema_version_num) < 0) {
        snprintf(why, why_len, "certificate schema version %s is not compatible with %s", ver,
                 r->schema_version);
        return false;
    }
    return true;
}

static void
evaluate_one(const hc_rule *r, const json_t *data, const char *ver, hc_rule_result *res)
{
    memset(res, 0, sizeof *res);
    snprintf(res->identifier, sizeof res->identifier, "%s", r->identifier);
    snprintf(res->version, sizeof res->version, "%s", r->version);
    snprintf(res->country, sizeof res->country, "%s", r->country);
    snprintf(res->description, sizeof res->description, "%s",
             r->description != NULL ? r->description : "");
    res->type = r->type;
    res->outcome = HC_RULE_OPEN;
    if (!compatible(r, ver, res->message, sizeof res->message)) {
        return;
    }
    json_t *out = NULL;
    char msg[200];
    hc_certlogic_status st = hc_certlogic_evaluate(r->logic, data, &out, msg, sizeof msg);
    if (st != HC_CERTLOGIC_OK) {
        snprintf(res->message, sizeof res->message, "evaluation failed: %s", msg);
        return;
    }
    if (json_is_boolean(out)) {
        res->outcome = json_is_true(out) ? HC_RULE_PASSED : HC_RULE_FAILED;
    } else {
        char *text = hc_certlogic_stringify(out, 80);
        snprintf(res->message, sizeof res->message, "rule gave %s, not a boolean",
                 text != NULL ? text : "a long value");
        free(text);
    }
    json_decref(out);
}

size_t
hc_rules_evaluate(const hc_ruleset *rs, const hc_valuesets *vs, const json_t *payload,
                  const hc_rules_external *ext, hc_rule_result *results, size_t max)
{
    if (rs == NULL || ext == NULL) {
        return 0;
    }
    char type = ext->cert_type != 0 ? ext->cert_type : hc_rules_payload_type(payload);
    size_t n = hc_rules_select(rs, ext, type, NULL, 0);
    if (n == 0) {
        return 0;
    }
    if (n == SIZE_MAX) {
        /* Selection itself failed: one OPEN result stands for the rules that were not checked. */
        if (max > 0) {
            memset(&results[0], 0, sizeof results[0]);
            results[0].outcome = HC_RULE_OPEN;
            snprintf(results[0].message, sizeof results[0].message,
                     "out of memory selecting the rules");
        }
        return 1;
    }
    const hc_rule **sel = malloc(n * sizeof *sel);
    json_t *data = hc_rules_data_context(payload, ext, vs);
    const char *ver = json_string_value(json_object_get(payload, "ver"));
    if (sel != NULL) {
        hc_rules_select(rs, ext, type, sel, n);
    }
    for (size_t i = 0; i < n && i < max; i++) {
        if (sel == NULL || data == NULL) {
            /* Out of memory: the rule could not be evaluated, which is OPEN, never PASSED. */
            memset(&results[i], 0, sizeof results[i]);
            results[i].outcome = HC_RULE_OPEN;
            snprintf(results[i].message, sizeof results[i].message, "out of memory");
            continue;
        }
        evaluate_one(sel[i], data, ver, &results[i]);
    }
    json_decref(data);
    free(sel);
    return n;
}
