/*
 * vdsnc_fields.h: what a checkpoint shows of an ICAO VDS-NC seal's data (icao.vacc / icao.test):
 * the holder's name and date of birth, the type and a one-line summary.
 */
#ifndef HC_VDSNC_FIELDS_H
#define HC_VDSNC_FIELDS_H

#include <jansson.h>

#include "healthcert/verify.h"

/* Fills vd->type ("v", "t"), subject, summary and issuer country (hdr.is) from the data member. */
void hc_vdsnc_fill_fields(const json_t *data, hc_verdict *vd);

/*
 * A Doc 9303 name as people read it: "CITIZEN  JANE SUE" (primary identifier, two spaces, secondary
 * identifier; ICAO Doc 9303-3 §4.1.1.1 writes the same split as "<<" in the MRZ) becomes
 * "JANE SUE CITIZEN"; a name without the split stays as it is.
 */
void hc_vdsnc_display_name(const char *n, char *out, size_t cap);

#endif
