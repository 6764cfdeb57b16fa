/*
 * who_ddcc_fields.h: the shapes a WHO DDCC payload comes in, and what a checkpoint shows of each
 * (name, date of birth, vaccine, dose, date, country).
 *
 *   DDCC:VS  core data set RC2 with "vaccination" (HCERT -260 -> 3, or -> 1 from dcc-sdk.js)
 *   DDCC:TR  core data set RC2 with "test"        (HCERT -260 -> 4, or -> 1)
 *   RC1      the flattened RC1 wire form          (legacy: the CWT root, or -260 -> 1)
 *   DVC      minimal digital vaccination payload  (HCERT -260 -> -6, short member names)
 */
#ifndef HC_WHO_DDCC_FIELDS_H
#define HC_WHO_DDCC_FIELDS_H

#include <jansson.h>

#include "healthcert/verify.h"

typedef enum hc_ddcc_shape {
    HC_DDCC_VS = 0,
    HC_DDCC_TR,
    HC_DDCC_RC1,
    HC_DDCC_DVC,
} hc_ddcc_shape;

/* The payload model of a shape (format_schema.h name) and its display name ("DDCC:VS"). */
const char *hc_ddcc_shape_model(hc_ddcc_shape shape);
const char *hc_ddcc_shape_name(hc_ddcc_shape shape);

/* The shape of a core data set object whose sub-claim does not say (-260 -> 1, files): RC2 when it
 * has "vaccination", or "test" without RC1-only members; RC1 otherwise. */
hc_ddcc_shape hc_ddcc_shape_of(const json_t *payload);

/* Fills vd->type ("v" or "t"), vd->subject_* and vd->summary from the payload. */
void hc_ddcc_fill_fields(const json_t *payload, hc_ddcc_shape shape, hc_verdict *vd);

#endif
