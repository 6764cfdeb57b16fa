/*
 * who_ddcc.h: the WHO DDCC format (who_ddcc.c), entered from the eu-dcc format once
 * hc_hcert_classify has found DDCC content in an "HC1:" CWT.
 */
#ifndef HC_WHO_DDCC_H
#define HC_WHO_DDCC_H

#include "hcert.h"

extern const hc_format hc_format_who_ddcc;

/*
 * Judges an unwrapped HC1 container holding a DDCC core data set into vd (format "who-ddcc"):
 * payload, display fields, and in verify mode the signature, times, key and model checks.
 * Returns HC_OK when judged, a could-not-check error otherwise.
 */
hc_err hc_who_ddcc_judge(hc_verifier *v, const hc_hcert *h, hc_mode mode, hc_verdict *vd);

#endif
