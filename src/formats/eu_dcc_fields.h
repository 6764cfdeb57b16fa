/* eu_dcc_fields.h: what a checkpoint shows of an EU DCC payload (name, birth date, type, summary).
 */
#ifndef HC_EU_DCC_FIELDS_H
#define HC_EU_DCC_FIELDS_H

#include <jansson.h>

#include "healthcert/verify.h"

/* Fills vd->type ("v", "t", "r"), vd->subject_* and vd->summary from the DCC JSON. */
void hc_eu_dcc_fill_fields(const json_t *dcc, hc_verdict *vd);

#endif
