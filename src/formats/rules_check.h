/* rules_check.h: applying the arrival country's business rules to a decoded credential. */
#ifndef HC_RULES_CHECK_H
#define HC_RULES_CHECK_H

#include "pipeline.h"

/*
 * Adds one check "rule:<Identifier>" per applicable rule (EU rule selection, ruleset.h): a rule
 * that fails gives RULE_FAILED naming the rule and its English description, a rule that cannot be
 * evaluated gives RULE_OPEN (never counted as passed). Does nothing without rules or country.
 */
void hc_rules_check(const hc_verifier *v, int64_t clock_ms, const char *kid_b64, hc_verdict *vd);

#endif
