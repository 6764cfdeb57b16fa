/*
 * shc_fhir.h: what a verifier reads from the FHIR bundle of a SMART Health Card
 * (vc.credentialSubject.fhirBundle, FHIR R4 4.0.1).
 *
 * The checks are those a checkpoint needs to trust what it shows, not a full FHIR validation
 * (docs/shc.md lists what is and is not checked):
 *   - a Bundle with 1..HC_SHC_MAX_ENTRIES entries, each a resource with a resourceType;
 *   - exactly one Patient, with a name (given and/or family, or text) and a birthDate: the
 *     verdict's subject (SHC Vaccination & Testing IG, Patient profile: name 1..*, birthDate 1..1);
 *   - every Immunization "completed" (an "entered-in-error" or "not-done" record attests no
 *     vaccination; IG Immunization profile: status = completed) with a vaccineCode coding and an
 *     occurrenceDateTime;
 *   - every Observation "final", "amended" or "corrected" with a code coding, an effective time
 *     and a value (IG Observation profile for laboratory results).
 * Then: the verdict type ("v" with immunizations, "t" with lab results only) and a one-line
 * summary ("vaccination: 3 doses, last 2022-09-05 (CVX 229)").
 */
#ifndef HC_SHC_FHIR_H
#define HC_SHC_FHIR_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "healthcert/verify.h"

/* Entries one bundle may hold (example 02, a 30 KB diagnostic report bundle, has 13). */
#define HC_SHC_MAX_ENTRIES 1000

/*
 * Reads bundle: fills vd's subject, type and summary from what it finds (also when broken, as far
 * as it can). Returns true when the bundle passes the checks above; false with the first problem
 * in why.
 */
bool hc_shc_fhir_read(const json_t *bundle, hc_verdict *vd, char *why, size_t why_len);

/* The clinical records of the bundle, simplified for decode output (new reference). */
json_t *hc_shc_fhir_records(const json_t *bundle);

/* A short name of a FHIR coding system ("CVX", "SNOMED", "LOINC", "ICD-11") or "code". */
const char *hc_shc_fhir_system_name(const char *system);

#endif
