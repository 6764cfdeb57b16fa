/*
 * issue_valuesets.h: display names of the EU DCC value sets, for printable certificates.
 *
 * The value sets (ehn-dcc-development/eu-dcc-valuesets 2.12.0, data/valuesets/) are compiled into
 * the binary and parsed once on first use; lookups are then read-only and thread-safe.
 * Format (eu-dcc.md §1.10): {valueSetId, valueSetDate, valueSetValues: {code: {display, ...}}}.
 */
#ifndef HC_ISSUE_VALUESETS_H
#define HC_ISSUE_VALUESETS_H

/* Value set files by the DCC field they describe (file names without ".json"). */
#define HC_VS_DISEASE      "disease-agent-targeted"    /* tg */
#define HC_VS_PROPHYLAXIS  "vaccine-prophylaxis"       /* v.vp */
#define HC_VS_PRODUCT      "vaccine-medicinal-product" /* v.mp */
#define HC_VS_MANUFACTURER "vaccine-mah-manf"          /* v.ma */
#define HC_VS_TEST_TYPE    "test-type"                 /* t.tt */
#define HC_VS_TEST_DEVICE  "test-manf-example"         /* t.ma (RAT device) */
#define HC_VS_TEST_RESULT  "test-result"               /* t.tr */
#define HC_VS_COUNTRY      "country-2-codes"           /* co */

/* The display name of code in the value set, or NULL when the set or the code is unknown. */
const char *hc_valueset_display(const char *valueset, const char *code);

#endif
