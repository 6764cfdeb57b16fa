/*
 * dcc_schema.h: validation of EU DCC payloads against the official JSON schemas.
 *
 * The schemas (ehn-dcc-development/eu-dcc-schema, every release in data/dcc-schema/) are compiled
 * into the binary and compiled again, once, into a validator (json_schema.h). The version used is
 * the payload's own "ver" when it names a known release, else the newest release of the same
 * major.minor, else 1.3.0 (eu-dcc.md §2.5: "validates against the schema named by its own ver
 * (fallback 1.3.0)").
 */
#ifndef HC_DCC_SCHEMA_H
#define HC_DCC_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "healthcert/error.h"

/*
 * Validates dcc. HC_OK or HC_ERR_SCHEMA_INVALID with a message naming the first failing field
 * (e.g. "v[0].dn: must be >= 1") in msg. Thread-safe; the schemas are compiled on first use.
 */
hc_err hc_dcc_schema_validate(const json_t *dcc, char *msg, size_t msg_len);

/* As hc_dcc_schema_validate against the release chosen for version (as if the payload's ver were
 * version; NULL = the payload's own ver). Issuers check a record against the schema they target. */
hc_err hc_dcc_schema_validate_as(const json_t *dcc, const char *version, char *msg, size_t msg_len);

/* As hc_dcc_schema_validate_as, with the schema's "format" keywords asserted ("date",
 * "date-time": RFC 3339 §5.6 via json_schema.h HC_SCHEMA_ASSERT_FORMAT, date-time offsets also in
 * ISO 8601's +hh / +hhmm forms, HC_SCHEMA_ISO_OFFSETS), so that an impossible date such as
 * "2026-13-01" is refused: what an issuer checks before signing. */
hc_err hc_dcc_schema_validate_strict(const json_t *dcc, const char *version, char *msg,
                                     size_t msg_len);

/* The schema release chosen for a payload version string (e.g. "1.3.0"). */
const char *hc_dcc_schema_version_for(const char *ver);

#endif
