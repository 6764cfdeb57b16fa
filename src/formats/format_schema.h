/*
 * format_schema.h: the payload models of the non-EU formats (data/format-schema/<name>.schema.json,
 * compiled into the binary): WHO DDCC:VS / DDCC:TR (RC2), the RC1 wire form, the minimal DVC,
 * ICAO VDS-NC icao.vacc / icao.test.
 */
#ifndef HC_FORMAT_SCHEMA_H
#define HC_FORMAT_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "healthcert/error.h"

/* Model names (data/format-schema/<name>.schema.json). */
#define HC_MODEL_DDCC_VS   "ddcc-vs"
#define HC_MODEL_DDCC_TR   "ddcc-tr"
#define HC_MODEL_DDCC_RC1  "ddcc-rc1"
#define HC_MODEL_DVC_MIN   "dvc-min"
#define HC_MODEL_ICAO_VACC "icao-vacc"
#define HC_MODEL_ICAO_TEST "icao-test"

/*
 * Validates instance against the model. HC_OK, or HC_ERR_SCHEMA_INVALID with the first failure
 * ("vaccination.lot: is required") in msg. HC_ERR_INTERNAL when the model is unknown or does not
 * compile (a build defect, also reported on standard error once). Thread-safe: each model is
 * compiled once, on first use.
 */
hc_err hc_format_schema_validate(const char *model, const json_t *instance, char *msg,
                                 size_t msg_len);

#endif
