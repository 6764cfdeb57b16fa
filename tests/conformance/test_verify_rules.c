/*
 * test_verify_rules.c: `verify --rules --country` end to end: certificates issued for real with a
 * test DSC, verified through hc_verify with the XX rule set (tests/vectors/rules/XX, an EU-format
 * country policy) and the EU value sets. Every applied rule is a named check; a failing rule gives
 * RULE_FAILED naming the rule and its description; a rule that cannot be evaluated is RULE_OPEN,
 * never a pass.
 */
#include "testlib.h"

#include <openssl/x509.h>
#include <string.h>

#include "eu_dcc_encode.h"
#include "hctime.h"
#include "healthcert/healthcert.h"
#include "ruleset.h"
#include "trust_store.h"
#include "x509_make.h"

#define DAY_MS (86400LL * 1000)

static EVP_PKEY *key;
static uint8_t kid[8];
static hc_trust_store *trust;
static hc_ruleset *rules;
static hc_valuesets *valuesets;
static int64_t clock_ms; /* 2023-03-01T12:00:00Z: inside the XX rules' validity */

static int
setup(void **state)
{
    (void)state;
    char msg[256];
    assert_true(hc_time_parse_iso8601("2023-03-01T12:00:00Z", 20, &clock_ms));
    key = hc_key_generate(HC_KEY_P256);
    hc_cert_template t = {
        "DE", "Rules test DSC", NULL, clock_ms - 365 * DAY_MS, clock_ms + 365 * DAY_MS, false, NULL
    };
    X509 *cert = hc_x509_make(&t, key, NULL, NULL);
    uint8_t fp[32];
    unsigned n;
    X509_digest(cert, EVP_sha256(), fp, &n);
    memcpy(kid, fp, 8);
    trust = hc_trust_store_new();
    assert_int_equal(hc_trust_store_add_x509(trust, cert, "DE", "DSC", "test", NULL, 0), HC_OK);
    rules = hc_ruleset_load(hc_test_vector_path("rules/XX"), msg, sizeof msg);
    if (rules == NULL) {
        fail_msg("rules: %s", msg);
    }
    valuesets = hc_valuesets_load(hc_test_vector_path("eu-dcc/valuesets"), msg, sizeof msg);
    if (valuesets == NULL) {
        fail_msg("value sets: %s", msg);
    }
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    hc_trust_store_free(trust);
    hc_ruleset_free(rules);
    hc_valuesets_free(valuesets);
    EVP_PKEY_free(key);
    return 0;
}

static void
date_before(int days, char *buf)
{
    hc_time_format_date(clock_ms - days * DAY_MS, buf, 11);
}

static json_t *
vaccination(int dn, int sd, int days_ago)
{
    char dt[11];
    date_before(days_ago, dt);
    return json_pack("{s:s, s:{s:s, s:s, s:s, s:s}, s:s, s:[{s:s, s:s, s:s, s:s, s:i, s:i, s:s, "
                     "s:s, s:s, s:s}]}",
                     "ver", "1.3.0", "nam", "fn", "Muster", "gn", "Max", "fnt", "MUSTER", "gnt",
                     "MAX", "dob", "1970-01-01", "v", "tg", "840539006", "vp", "1119349007", "mp",
                     "EU/1/20/1528", "ma", "ORG-100030215", "dn", dn, "sd", sd, "dt", dt, "co",
                     "DE", "is", "RKI", "ci", "URN:UVCI:01:DE:RULES1#T");
}

static json_t *
rapid_test(int hours_ago)
{
    char sc[32];
    hc_time_format(clock_ms - hours_ago * 3600000LL, false, sc, sizeof sc);
    return json_pack("{s:s, s:{s:s, s:s}, s:s, s:[{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}]}",
                     "ver", "1.3.0", "nam", "fn", "Muster", "fnt", "MUSTER", "dob", "1970", "t",
                     "tg", "840539006", "tt", "LP217198-3", "ma", "1232", "sc", sc, "tr",
                     "260415000", "co", "DE", "is", "RKI", "ci", "URN:UVCI:01:DE:RULES2#X");
}

/* Verifies dcc for arrival country (NULL: no rules) and checks the verdict. */
static void
verify(json_t *dcc, const hc_ruleset *rs, const char *country, bool want_valid, hc_err want_code,
       const char *want_text)
{
    char text[8192];
    size_t len;
    hc_eu_dcc_claims cl = { "DE", clock_ms / 1000 - 3600, clock_ms / 1000 + 30 * 86400 };
    assert_int_equal(hc_eu_dcc_encode(dcc, &cl, key, HC_SIG_ES256, kid, text, sizeof text, &len),
                     HC_OK);
    hc_verify_options opt = { 0 };
    opt.trust = trust;
    opt.has_clock = true;
    opt.clock_ms = clock_ms;
    opt.country = country;
    opt.rules = country ? rs : NULL;
    opt.valuesets = valuesets;
    hc_verifier *v = hc_verifier_new(&opt);
    hc_verdict vd;
    assert_int_equal(hc_verify(v, (const uint8_t *)text, len, &vd), HC_OK);
    if (vd.valid != want_valid) {
        fail_msg("valid=%d, errors: %s %s", vd.valid, hc_err_code(hc_verdict_first_error(&vd)),
                 vd.n_errors ? vd.errors[0].message : "");
    }
    size_t rule_checks = 0;
    for (size_t i = 0; i < vd.n_checks; i++) {
        rule_checks += strncmp(vd.checks[i].name, "rule:", 5) == 0;
    }
    if (country != NULL && strcmp(country, "XX") == 0) {
        /* GR + the type's rules of the XX set, or the one rule of a one-rule set. */
        assert_true(rule_checks >= (hc_ruleset_count(rs) > 1 ? 5 : 1));
    } else {
        assert_int_equal(rule_checks, 0);
    }
    if (want_code != HC_OK) {
        bool found = false;
        for (size_t i = 0; i < vd.n_errors; i++) {
            if (vd.errors[i].code == want_code && strstr(vd.errors[i].message, want_text)) {
                found = true;
            }
        }
        if (!found) {
            fail_msg("no %s mentioning '%s'; first error %s: %s", hc_err_code(want_code), want_text,
                     hc_err_code(hc_verdict_first_error(&vd)),
                     vd.n_errors ? vd.errors[0].message : "");
        }
    }
    hc_verdict_clear(&vd);
    hc_verifier_free(v);
    json_decref(dcc);
}

static void
test_vaccination_rules(void **state)
{
    (void)state;
    verify(vaccination(2, 2, 30), rules, "XX", true, HC_OK, NULL);
    /* 10 days after the last dose of a primary series: VR-XX-0003 (14 days). */
    verify(vaccination(2, 2, 10), rules, "XX", false, HC_ERR_RULE_FAILED,
           "VR-XX-0003: A completed primary series");
    /* Incomplete series: VR-XX-0002. */
    verify(vaccination(1, 2, 30), rules, "XX", false, HC_ERR_RULE_FAILED, "VR-XX-0002");
    /* 300 days after the last dose: VR-XX-0004 (270 days). */
    verify(vaccination(2, 2, 300), rules, "XX", false, HC_ERR_RULE_FAILED, "VR-XX-0004");
    /* A booster is accepted the same day. */
    verify(vaccination(3, 3, 0), rules, "XX", true, HC_OK, NULL);
}

static void
test_test_rules(void **state)
{
    (void)state;
    verify(rapid_test(20), rules, "XX", true, HC_OK, NULL);
    verify(rapid_test(60), rules, "XX", false, HC_ERR_RULE_FAILED, "TR-XX-0003");
}

static void
test_other_country_and_no_rules(void **state)
{
    (void)state;
    /* A country with no rules in the set: nothing applies, the certificate stands. */
    verify(vaccination(2, 2, 10), rules, "YY", true, HC_OK, NULL);
    /* Without --rules the same certificate is valid. */
    verify(vaccination(2, 2, 10), NULL, NULL, true, HC_OK, NULL);
}

static void
test_open_is_not_a_pass(void **state)
{
    (void)state;
    /* A rule whose logic yields a string, not a boolean: OPEN (the EU apps' result). */
    json_t *rule = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:s, s:s}], s:[s], s:{s:s}}",
        "Identifier", "GR-XX-0099", "Type", "Acceptance", "Country", "XX", "Version", "1.0.0",
        "SchemaVersion", "1.0.0", "Engine", "CERTLOGIC", "EngineVersion", "1.0.0",
        "CertificateType", "General", "ValidFrom", "2022-01-01T00:00:00Z", "ValidTo",
        "2030-01-01T00:00:00Z", "Description", "lang", "en", "desc", "Yields text",
        "AffectedFields", "ver", "Logic", "var", "payload.ver");
    hc_ruleset *rs = hc_ruleset_new();
    char msg[256];
    if (hc_ruleset_add_json(rs, rule, "test", msg, sizeof msg) != HC_OK) {
        fail_msg("rule refused: %s", msg);
    }
    verify(vaccination(2, 2, 30), rs, "XX", false, HC_ERR_RULE_OPEN, "GR-XX-0099");
    hc_ruleset_free(rs);
    json_decref(rule);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vaccination_rules),
        cmocka_unit_test(test_test_rules),
        cmocka_unit_test(test_other_country_and_no_rules),
        cmocka_unit_test(test_open_is_not_a_pass),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
