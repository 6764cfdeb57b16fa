/*
 * shc_from_dcc.h: an EU DCC JSON record (the input of `issue --format eu-dcc`) as the FHIR bundle
 * of a SMART Health Card, so that one issuing input serves both formats.
 *
 * Mapping (docs/shc.md "Issuing from EU DCC JSON"):
 *   nam.fn / nam.fnt, nam.gn      -> Patient.name[0].family, .given[0]
 *   dob                           -> Patient.birthDate (YYYY, YYYY-MM, YYYY-MM-DD, as FHIR date)
 *   v[i]: dt, mp, vp, dn, sd, is  -> Immunization (status completed): occurrenceDateTime,
 *                                    vaccineCode = CVX of the EU product when known (mp, below)
 *                                    and vp (SNOMED CT, or ATC for J07...), protocolApplied
 *                                    dose / series, performer.actor.display = is
 *   t[i]: sc, tt, tr, tc          -> Observation (status final): effectiveDateTime, code = LOINC of
 *                                    the test type, valueCodeableConcept = tr (SNOMED CT),
 *                                    performer.display = tc
 * Recovery statements (r) have no SMART Health Card form and are refused.
 */
#ifndef HC_SHC_FROM_DCC_H
#define HC_SHC_FROM_DCC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "healthcert/error.h"

/* True when input looks like DCC JSON (nam and dob members, no resourceType). */
bool hc_shc_is_dcc_json(const json_t *input);

/* The FHIR bundle for dcc (new reference) or NULL with why (HC_ERR_SCHEMA_INVALID in *err). */
json_t *hc_shc_bundle_from_dcc(const json_t *dcc, hc_err *err, char *why, size_t why_len);

#endif
