/*
 * json_schema.h: a small precompiled JSON Schema validator (draft 2020-12; draft-04/06/07 documents
 * are read with their own $ref and items rules).
 *
 * A schema document (json_t) is compiled once into an immutable tree of nodes: keyword values are
 * decoded, patterns compiled (ecma_regex.h), $ref pointers resolved, property names hashed.
 * Validation then walks the instance once, allocates nothing, and stops at the first failure,
 * reporting its instance path ("v[0].dn") and a plain message ("must be >= 1").
 *
 * Supported keywords (JSON Schema 2020-12 Core §10, Validation §6, §7):
 *   type (string or array), enum, const, multipleOf, maximum, exclusiveMaximum, minimum,
 *   exclusiveMinimum, maxLength, minLength (Unicode code points), pattern, format ("date",
 *   "date-time", "time"; an annotation unless HC_SCHEMA_ASSERT_FORMAT), items, prefixItems,
 *   additionalItems (draft-07 tuples), maxItems, minItems, uniqueItems, contains, minContains,
 *   maxContains, properties, patternProperties, additionalProperties, required, maxProperties,
 *   minProperties, dependentRequired (and draft-07 "dependencies" with an array), propertyNames,
 *   allOf, anyOf, oneOf, not, if/then/else, $ref ("#", "#/$defs/..", "#/definitions/..", any JSON
 *   pointer into the same document), $defs / definitions, boolean schemas.
 * Refused at compile time (so that a schema is never silently weaker than written):
 *   $dynamicRef, $recursiveRef, unevaluatedItems, unevaluatedProperties, dependentSchemas,
 *   "dependencies" with a schema, $ref to another document or to an anchor.
 * Every other keyword is an annotation and ignored (title, description, examples, $comment,
 * valueset-uri, ...).
 *
 * A compiled hc_schema is immutable: any number of threads may validate with it at once.
 */
#ifndef HC_JSON_SCHEMA_H
#define HC_JSON_SCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "healthcert/error.h"

typedef struct hc_schema hc_schema;

/* Compile flags. */
/* "format" is an assertion (2020-12 Validation §7.2.2), not an annotation. */
#define HC_SCHEMA_ASSERT_FORMAT 0x1u
/* With HC_SCHEMA_ASSERT_FORMAT: a "date-time" offset may also be ISO 8601's "+hh" or "+hhmm", which
 * the eu-dcc-schema's own valid test cases use (T-rat-dates1/2) and the EU apps read. */
#define HC_SCHEMA_ISO_OFFSETS 0x2u

/* The first failure of a validation. path is "" for the instance root. */
typedef struct hc_schema_error {
    char path[128];    /* e.g. "v[0].dn", "nam.fnt"; long paths are cut with "..." */
    char message[192]; /* e.g. "must be >= 1", "is required", "does not match ^[A-Z<]*$" */
} hc_schema_error;

/*
 * Compiles doc (borrowed; not needed after the call) into *out. HC_OK; HC_ERR_INVALID_ARG for a
 * malformed schema or an unsupported keyword/pattern/$ref (err says which, with its JSON pointer);
 * HC_ERR_NOMEM.
 */
hc_err hc_schema_compile(const json_t *doc, unsigned flags, hc_schema **out, char *err,
                         size_t err_len);

/*
 * Validates instance. HC_OK, or HC_ERR_SCHEMA_INVALID with the first failure in *err (err may be
 * NULL). Instances nested deeper than the validator's recursion bound (256 schema levels) fail.
 */
hc_err hc_schema_validate(const hc_schema *schema, const json_t *instance, hc_schema_error *err);

/* Formats err as "path: message" (or "message" at the root) into buf; returns buf. */
const char *hc_schema_error_format(const hc_schema_error *err, char *buf, size_t len);

void hc_schema_free(hc_schema *schema);

#endif
