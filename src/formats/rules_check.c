/* rules_check.c: see rules_check.h. */
#include <stdlib.h>

#include "rules_check.h"
#include "ruleset.h"
#include "verdict_build.h"

/* More rules than any country has published (the EU's largest set held 20 per country). */
#define MAX_APPLIED_RULES 64

void
hc_rules_check(const hc_verifier *v, int64_t clock_ms, const char *kid_b64, hc_verdict *vd)
{
    const hc_verify_options *o = &v->opt;
    if (o->rules == NULL || o->country == NULL || vd->payload == NULL) {
        return;
    }
    hc_rules_external ext = { 0 };
    ext.country = o->country;
    ext.region = o->region;
    ext.clock_ms = clock_ms;
    ext.has_iat = vd->has_issued_at;
    ext.iat_ms = vd->issued_at_ms;
    ext.has_exp = vd->has_expires_at;
    ext.exp_ms = vd->expires_at_ms;
    ext.issuer_country = vd->issuer_country[0] ? vd->issuer_country : NULL;
    ext.kid_b64 = kid_b64 && kid_b64[0] ? kid_b64 : NULL;
    ext.cert_type = vd->type[0];

    hc_rule_result *res = calloc(MAX_APPLIED_RULES, sizeof *res);
    if (res == NULL) {
        hc_verdict_fail(vd, HC_ERR_RULE_OPEN, "out of memory evaluating the business rules");
        return;
    }
    size_t n = hc_rules_evaluate(o->rules, o->valuesets, vd->payload, &ext, res, MAX_APPLIED_RULES);
    if (n > MAX_APPLIED_RULES) {
        /* Rules beyond the bound were not evaluated: never report them as passed. */
        hc_verdict_fail(vd, HC_ERR_RULE_OPEN, "%zu rules apply; only %d were evaluated", n,
                        MAX_APPLIED_RULES);
        n = MAX_APPLIED_RULES;
    }
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, "rule:%s", res[i].identifier);
        hc_verdict_check(vd, name, res[i].outcome == HC_RULE_PASSED);
        if (res[i].outcome == HC_RULE_FAILED) {
            hc_verdict_fail(vd, HC_ERR_RULE_FAILED, "%s: %s", res[i].identifier,
                            res[i].description);
        } else if (res[i].outcome == HC_RULE_OPEN) {
            hc_verdict_fail(vd, HC_ERR_RULE_OPEN, "%s could not be evaluated: %s",
                            res[i].identifier, res[i].message);
        }
    }
    free(res);
}
