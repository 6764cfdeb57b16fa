/*
 * ddcc_convert.h: one DDCC record in the formats other destinations read (`healthcert convert`):
 *
 *   DDCC -> EU DCC      (WHO StructureMap DDCCtoEUdcc: vp <- vaccine, mp <- brand, dn <- dose,
 *                        sd <- totalDoses, dt <- date, co <- country, is <- centre, ci <- id),
 *                        made valid for the EU schema 1.3.0: ver, nam{fn, fnt}, co as alpha-2,
 *                        ICD-11 codes as the EU value sets' SNOMED CT codes, v / t as arrays;
 *   DDCC -> SMART Health Card FHIR bundle (WHO StructureMap DDCCtoSHC): Patient{name.text,
 *                        birthDate} + Immunization{vaccineCode, occurrenceDateTime, manufacturer,
 *                        lotNumber, performer}; a DDCC:TR becomes an Observation (SHC lab profile).
 *
 * Input: a core data set in any shape (RC2 VS/TR, the RC1 wire form, the minimal DVC). What a
 * destination cannot say (the DDCC has one name field, EU DCC wants family and given names; SHC
 * has no dose number) is written to notes, one plain sentence each.
 */
#ifndef HC_DDCC_CONVERT_H
#define HC_DDCC_CONVERT_H

#include <jansson.h>

#include "healthcert/error.h"

typedef enum hc_ddcc_target {
    HC_DDCC_TO_EU_DCC = 0,
    HC_DDCC_TO_SHC_BUNDLE,
} hc_ddcc_target;

/*
 * Converts ddcc (borrowed) into *out (new reference). *notes (new reference, an array of strings;
 * may be NULL to discard) lists what was mapped with a loss or an assumption. HC_ERR_SCHEMA_INVALID
 * with msg when the record lacks what the target requires (a name, an event); HC_ERR_NOMEM.
 */
hc_err hc_ddcc_convert(const json_t *ddcc, hc_ddcc_target target, json_t **out, json_t **notes,
                       char *msg, size_t msg_len);

#endif
