/*
 * test_json_schema.c: the generic validator of json_schema.h, keyword by keyword (JSON Schema
 * 2020-12 Core §10, Validation §6-7), with the reported path and message of the first failure.
 */
#include "testlib.h"

#include <string.h>

#include "json_schema.h"

static hc_schema *
compile(const char *schema_text, unsigned flags)
{
    json_error_t jerr;
    json_t *doc = json_loads(schema_text, 0, &jerr);
    if (doc == NULL) {
        fail_msg("bad schema JSON: %s", jerr.text);
    }
    hc_schema *s = NULL;
    char err[256];
    hc_err rc = hc_schema_compile(doc, flags, &s, err, sizeof err);
    if (rc != HC_OK) {
        fail_msg("schema does not compile: %s", err);
    }
    json_decref(doc); /* the compiled schema must not need the document */
    return s;
}

/* Validates instance_text; when want_error is NULL it must pass, else fail with that text. */
static void
check(const hc_schema *s, const char *instance_text, const char *want_error)
{
    json_error_t jerr;
    json_t *inst = json_loads(instance_text, JSON_DECODE_ANY, &jerr);
    if (inst == NULL) {
        fail_msg("bad instance JSON %s: %s", instance_text, jerr.text);
    }
    hc_schema_error err;
    hc_err rc = hc_schema_validate(s, inst, &err);
    char text[400];
    hc_schema_error_format(&err, text, sizeof text);
    if (want_error == NULL && rc != HC_OK) {
        fail_msg("%s should be valid, got \"%s\"", instance_text, text);
    }
    if (want_error != NULL) {
        if (rc != HC_ERR_SCHEMA_INVALID) {
            fail_msg("%s should be invalid (%s)", instance_text, want_error);
        }
        if (strcmp(text, want_error) != 0) {
            fail_msg("%s: got \"%s\", want \"%s\"", instance_text, text, want_error);
        }
        /* The quiet path (no error record) gives the same verdict. */
        assert_int_equal(hc_schema_validate(s, inst, NULL), HC_ERR_SCHEMA_INVALID);
    }
    json_decref(inst);
}

static void
expect_compile_error(const char *schema_text, const char *needle)
{
    json_t *doc = json_loads(schema_text, 0, NULL);
    assert_non_null(doc);
    hc_schema *s = (hc_schema *)1;
    char err[256];
    assert_int_equal(hc_schema_compile(doc, 0, &s, err, sizeof err), HC_ERR_INVALID_ARG);
    assert_null(s);
    if (strstr(err, needle) == NULL) {
        fail_msg("compile error \"%s\" does not mention \"%s\"", err, needle);
    }
    json_decref(doc);
}

static void
test_type(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"type\": \"string\"}", 0);
    check(s, "\"x\"", NULL);
    check(s, "1", "must be of type string");
    hc_schema_free(s);
    s = compile("{\"type\": [\"integer\", \"null\"]}", 0);
    check(s, "1", NULL);
    check(s, "1.0", NULL); /* Core §4.2.2: an integer is a number with zero fractional part */
    check(s, "null", NULL);
    check(s, "1.5", "must be of type null or integer");
    check(s, "\"1\"", "must be of type null or integer");
    hc_schema_free(s);
    s = compile("{\"type\": \"number\"}", 0);
    check(s, "1", NULL);
    check(s, "1.5", NULL);
    check(s, "true", "must be of type number");
    hc_schema_free(s);
    s = compile("{\"type\": \"object\"}", 0);
    check(s, "{}", NULL);
    check(s, "[]", "must be of type object");
    hc_schema_free(s);
    expect_compile_error("{\"type\": \"text\"}", "types");
}

static void
test_numbers(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"minimum\": 1, \"maximum\": 9}", 0);
    check(s, "1", NULL);
    check(s, "9", NULL);
    check(s, "0", "must be >= 1");
    check(s, "10", "must be <= 9");
    check(s, "9.5", "must be <= 9");
    check(s, "\"100\"", NULL); /* numeric keywords ignore other types */
    hc_schema_free(s);
    s = compile("{\"exclusiveMinimum\": 0, \"exclusiveMaximum\": 1.5}", 0);
    check(s, "1", NULL);
    check(s, "0", "must be > 0");
    check(s, "1.5", "must be < 1.5");
    hc_schema_free(s);
    s = compile("{\"multipleOf\": 3}", 0);
    check(s, "9", NULL);
    check(s, "-3", NULL);
    check(s, "10", "must be a multiple of 3");
    hc_schema_free(s);
    s = compile("{\"maximum\": 9007199254740992}", 0);
    check(s, "9007199254740993", "must be <= 9007199254740992"); /* exact, no double rounding */
    hc_schema_free(s);
    s = compile("{\"maximum\": 2.5}", 0);
    check(s, "2", NULL);
    check(s, "3", "must be <= 2.5");
    hc_schema_free(s);
    /* draft-04: boolean exclusiveMaximum modifies maximum */
    s = compile("{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"maximum\": 5, "
                "\"exclusiveMaximum\": true}",
                0);
    check(s, "4", NULL);
    check(s, "5", "must be < 5");
    hc_schema_free(s);
    expect_compile_error("{\"multipleOf\": 0}", "multipleOf");
    expect_compile_error("{\"minimum\": \"1\"}", "/minimum");
}

static void
test_strings(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"minLength\": 2, \"maxLength\": 3}", 0);
    check(s, "\"ab\"", NULL);
    check(s, "\"éèà\"", NULL); /* 3 code points, 6 bytes: Validation §6.3.1 counts characters */
    check(s, "\"😀😀😀\"", NULL);
    check(s, "\"a\"", "must have at least 2 characters");
    check(s, "\"abcd\"", "must have at most 3 characters");
    check(s, "\"éèàé\"", "must have at most 3 characters");
    check(s, "5", NULL);
    hc_schema_free(s);
    s = compile("{\"pattern\": \"^[A-Z<]*$\"}", 0);
    check(s, "\"ABC<D\"", NULL);
    check(s, "\"Abc\"", "does not match ^[A-Z<]*$");
    hc_schema_free(s);
    s = compile("{\"pattern\": \"[A-Z]{1,10}\"}", 0);
    check(s, "\"x1Y\"", NULL); /* unanchored */
    check(s, "\"\"", "does not match [A-Z]{1,10}");
    hc_schema_free(s);
    /* A pattern the engine cannot compile fails the schema, loudly. */
    expect_compile_error("{\"properties\": {\"a\": {\"pattern\": \"(?=x)\"}}}",
                         "#/properties/a/pattern");
    expect_compile_error("{\"pattern\": \"(\"}", "cannot be compiled");
    expect_compile_error("{\"$defs\": {\"unused\": {\"pattern\": \"\\\\1\"}}}", "$defs/unused");
}

static void
test_format(void **state)
{
    (void)state;
    const char *schema = "{\"properties\": {\"d\": {\"format\": \"date\"}, \"t\": {\"format\": "
                         "\"date-time\"}, \"h\": {\"format\": \"time\"}, \"x\": {\"format\": "
                         "\"email\"}}}";
    /* Default: an annotation (2020-12 Validation §7.2.1). */
    hc_schema *s = compile(schema, 0);
    check(s, "{\"d\": \"not a date\", \"t\": \"2021-06-11T17:30:00+02\"}", NULL);
    hc_schema_free(s);
    s = compile(schema, HC_SCHEMA_ASSERT_FORMAT);
    check(s,
          "{\"d\": \"2021-02-28\", \"t\": \"2021-06-11T17:30:00Z\", \"h\": \"23:59:60.5+01:00\"}",
          NULL);
    check(s, "{\"d\": \"2020-02-29\", \"t\": \"2021-06-11t17:30:00.123456z\"}", NULL);
    check(s, "{\"d\": \"2021-02-29\"}", "d: is not a valid date (RFC 3339)");
    check(s, "{\"d\": \"1900-02-29\"}", "d: is not a valid date (RFC 3339)");
    check(s, "{\"d\": \"2021-13-01\"}", "d: is not a valid date (RFC 3339)");
    check(s, "{\"d\": \"2021-06-11T00:00:00\"}", "d: is not a valid date (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T17:30:00+02\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T17:30:00+0200\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T17:30:00\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T24:00:00Z\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T10:00:00.Z\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"h\": \"10:00:00\"}", "h: is not a valid time (RFC 3339)");
    check(s, "{\"x\": \"not an email\"}", NULL); /* unknown formats stay annotations */
    hc_schema_free(s); /* HC_SCHEMA_ISO_OFFSETS: ISO 8601's +hh / +hhmm offsets in a date-time,
                          nothing else more. */
    s = compile(schema, HC_SCHEMA_ASSERT_FORMAT | HC_SCHEMA_ISO_OFFSETS);
    check(s, "{\"t\": \"2021-06-11T17:30:00+02\"}", NULL);
    check(s, "{\"t\": \"2021-06-11T17:30:00-0230\"}", NULL);
    check(s, "{\"t\": \"2021-06-11T17:30:00+02:00\", \"d\": \"2020-02-29\"}", NULL);
    check(s, "{\"t\": \"2021-06-11T17:30:00+2\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T17:30:00+024\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T17:30:00+2400\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-06-11T17:30:00+0260\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"t\": \"2021-02-29T17:30:00+02\"}", "t: is not a valid date-time (RFC 3339)");
    check(s, "{\"h\": \"10:00:00+02\"}", "h: is not a valid time (RFC 3339)");
    check(s, "{\"d\": \"2021-02-29\"}", "d: is not a valid date (RFC 3339)");
    hc_schema_free(s);
}

static void
test_arrays(void **state)
{
    (void)state;
    hc_schema *s =
        compile("{\"type\": \"array\", \"items\": {\"type\": \"integer\", \"minimum\": 1}, "
                "\"minItems\": 1, \"maxItems\": 2}",
                0);
    check(s, "[1]", NULL);
    check(s, "[1, 2]", NULL);
    check(s, "[]", "must have at least 1 item");
    check(s, "[1, 2, 3]", "must have at most 2 items");
    check(s, "[1, 0]", "[1]: must be >= 1");
    check(s, "[\"a\"]", "[0]: must be of type integer");
    hc_schema_free(s);
    s = compile("{\"prefixItems\": [{\"type\": \"string\"}, {\"type\": \"integer\"}], \"items\": "
                "false}",
                0);
    check(s, "[\"a\", 1]", NULL);
    check(s, "[\"a\"]", NULL);
    check(s, "[1]", "[0]: must be of type string");
    check(s, "[\"a\", 1, null]", "[2]: is not allowed");
    hc_schema_free(s);
    s = compile("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"items\": [{\"type\": "
                "\"string\"}], \"additionalItems\": {\"type\": \"integer\"}}",
                0);
    check(s, "[\"a\", 1, 2]", NULL);
    check(s, "[\"a\", \"b\"]", "[1]: must be of type integer");
    hc_schema_free(s);
    s = compile("{\"uniqueItems\": true}", 0);
    check(s, "[1, \"1\", [1], {\"a\": 1}, {\"a\": 2}]", NULL);
    check(s, "[1, 2, 1.0]", "must not contain equal items ([0] and [2])");
    check(s, "[{\"a\": [1]}, {\"a\": [1]}]", "must not contain equal items ([0] and [1])");
    hc_schema_free(s);
    s = compile("{\"contains\": {\"const\": 5}, \"maxContains\": 1}", 0);
    check(s, "[1, 5]", NULL);
    check(s, "[1, 2]", "must contain at least 1 matching item");
    check(s, "[5, 5]", "must contain at most 1 matching item");
    hc_schema_free(s);
}

static void
test_objects(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"type\": \"object\", \"required\": [\"a\", \"b\"], \"properties\": "
                           "{\"a\": {\"type\": \"string\"}, \"c\": {\"type\": \"integer\"}}, "
                           "\"additionalProperties\": false}",
                           0);
    check(s, "{\"a\": \"x\", \"b\": 1}", "b: is not allowed");
    hc_schema_free(s);
    s = compile("{\"type\": \"object\", \"required\": [\"a\", \"b\"], \"properties\": {\"a\": "
                "{\"type\": \"string\"}, \"c\": {\"type\": \"integer\"}}}",
                0);
    check(s, "{\"a\": \"x\", \"b\": 1}", NULL);
    check(s, "{\"b\": 1}", "a: is required");
    check(s, "{\"a\": \"x\"}", "b: is required");
    check(s, "{\"a\": 1, \"b\": 1}", "a: must be of type string");
    check(s, "{\"a\": \"x\", \"b\": 1, \"c\": \"no\"}", "c: must be of type integer");
    check(s, "[]", "must be of type object");
    hc_schema_free(s);
    s = compile("{\"patternProperties\": {\"^x-\": {\"type\": \"integer\"}}, "
                "\"additionalProperties\": {\"type\": \"string\"}, \"propertyNames\": "
                "{\"maxLength\": 4}, \"minProperties\": 1, \"maxProperties\": 2}",
                0);
    check(s, "{\"x-a\": 1, \"b\": \"s\"}", NULL);
    check(s, "{\"x-a\": \"1\"}", "x-a: must be of type integer");
    check(s, "{\"b\": 1}", "b: must be of type string");
    check(s, "{\"toolong\": \"s\"}", "toolong: must have at most 4 characters");
    check(s, "{}", "must have at least 1 property");
    check(s, "{\"a\": \"\", \"b\": \"\", \"c\": \"\"}", "must have at most 2 properties");
    hc_schema_free(s);
    s = compile("{\"dependentRequired\": {\"a\": [\"b\"]}}", 0);
    check(s, "{\"b\": 1}", NULL);
    check(s, "{\"a\": 1, \"b\": 1}", NULL);
    check(s, "{\"a\": 1}", "b: is required when a is present");
    hc_schema_free(s);
    /* Keys that are not identifiers are quoted in paths. */
    s = compile("{\"properties\": {\"a b\": {\"type\": \"integer\"}}}", 0);
    check(s, "{\"a b\": \"x\"}", "[\"a b\"]: must be of type integer");
    hc_schema_free(s);
}

static void
test_many_properties(void **state)
{
    (void)state;
    /* More than 64 declared properties: "required" falls back to lookups past the bit set. */
    char schema[8192], inst[8192];
    size_t w = (size_t)snprintf(schema, sizeof schema, "{\"properties\": {");
    size_t iw = (size_t)snprintf(inst, sizeof inst, "{");
    for (int i = 0; i < 80; i++) {
        w += (size_t)snprintf(schema + w, sizeof schema - w, "%s\"p%d\": {\"type\": \"integer\"}",
                              i ? ", " : "", i);
        if (i != 70) {
            iw +=
                (size_t)snprintf(inst + iw, sizeof inst - iw, "%s\"p%d\": %d", i ? ", " : "", i, i);
        }
    }
    snprintf(schema + w, sizeof schema - w, "}, \"required\": [\"p1\", \"p66\", \"p70\"]}");
    snprintf(inst + iw, sizeof inst - iw, "}");
    hc_schema *s = compile(schema, 0);
    check(s, inst, "p70: is required");
    hc_schema_free(s);
}

static void
test_enum_const(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"enum\": [\"a\", 1, null, {\"k\": [1, 2]}]}", 0);
    check(s, "\"a\"", NULL);
    check(s, "1.0", NULL); /* numbers compare by value */
    check(s, "null", NULL);
    check(s, "{\"k\": [1, 2]}", NULL);
    check(s, "{\"k\": [2, 1]}", "must be one of the values of the enum");
    check(s, "\"b\"", "must be one of the values of the enum");
    hc_schema_free(s);
    s = compile("{\"const\": \"1.3.0\"}", 0);
    check(s, "\"1.3.0\"", NULL);
    check(s, "\"1.3.1\"", "must be equal to the constant of the schema");
    hc_schema_free(s);
}

static void
test_combinators(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"allOf\": [{\"minimum\": 1}, {\"maximum\": 5}]}", 0);
    check(s, "3", NULL);
    check(s, "6", "must be <= 5");
    hc_schema_free(s);
    s = compile("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\", \"minimum\": 10}]}",
                0);
    check(s, "\"x\"", NULL);
    check(s, "10", NULL);
    check(s, "5", "must be >= 10"); /* the alternative that got further */
    hc_schema_free(s);
    s = compile("{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 2}]}", 0);
    check(s, "1", NULL);
    check(s, "2.5", NULL);
    check(s, "3", "must match exactly one oneOf alternative (matches #0 and #1)");
    check(s, "1.5", "must be >= 2"); /* a right-typed alternative says more than a type error */
    hc_schema_free(s);
    s = compile("{\"not\": {\"type\": \"null\"}}", 0);
    check(s, "1", NULL);
    check(s, "null", "must not match the \"not\" schema");
    hc_schema_free(s);
    s = compile("{\"if\": {\"properties\": {\"k\": {\"const\": \"v\"}}}, \"then\": {\"required\": "
                "[\"v\"]}, \"else\": {\"required\": [\"t\"]}}",
                0);
    check(s, "{\"k\": \"v\", \"v\": 1}", NULL);
    check(s, "{\"k\": \"x\", \"t\": 1}", NULL);
    check(s, "{\"k\": \"v\"}", "v: is required");
    check(s, "{\"k\": \"x\"}", "t: is required");
    hc_schema_free(s);
    /* Deepest alternative wins the message. */
    s = compile("{\"anyOf\": [{\"required\": [\"a\"]}, {\"properties\": {\"b\": {\"properties\": "
                "{\"c\": {\"type\": \"string\"}}}}}]}",
                0);
    check(s, "{\"b\": {\"c\": 1}}", "b.c: must be of type string");
    hc_schema_free(s);
}

/* oneOf / anyOf of "required" lists (the DCC root and person_name) get a plain message. */
static void
test_required_alternatives(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"type\": \"object\", \"oneOf\": [{\"required\": [\"ver\", \"v\"]}, "
                           "{\"required\": [\"ver\", \"t\"]}, {\"required\": [\"ver\", \"r\"]}]}",
                           0);
    check(s, "{\"ver\": 1, \"t\": 1}", NULL);
    check(s, "{\"ver\": 1}", "must have exactly one of v, t, r");
    check(s, "{\"ver\": 1, \"v\": 1, \"r\": 1}", "must have exactly one of v, t, r (has v, r)");
    check(s, "{\"v\": 1}", "ver: is required");
    hc_schema_free(s);
    s = compile("{\"anyOf\": [{\"required\": [\"fnt\"]}, {\"required\": [\"gnt\"]}]}", 0);
    check(s, "{\"fnt\": \"A\", \"gnt\": \"B\"}", NULL);
    check(s, "{\"gnt\": \"B\"}", NULL);
    check(s, "{\"fn\": \"x\"}", "must have at least one of fnt, gnt");
    check(s, "5", NULL); /* required does not apply to non-objects */
    hc_schema_free(s);
}

static void
test_refs(void **state)
{
    (void)state;
    hc_schema *s = compile(
        "{\"$id\": \"https://example.org/s.json\", \"type\": \"object\", \"properties\": {\"a\": "
        "{\"$ref\": \"#/$defs/pos\"}, \"b\": {\"$ref\": \"#/definitions/str\"}, \"c\": {\"$ref\": "
        "\"https://example.org/s.json#/$defs/pos\"}, \"d\": {\"$ref\": \"#/$defs/a~1b\"}, \"e\": "
        "{\"$ref\": \"#/$defs/tuple/prefixItems/0\"}, \"f\": {\"$ref\": \"#/$defs/per%25cent\"}}, "
        "\"$defs\": {\"pos\": {\"type\": \"integer\", \"minimum\": 1}, \"a/b\": {\"type\": "
        "\"null\"}, \"tuple\": {\"prefixItems\": [{\"type\": \"boolean\"}]}, \"per%cent\": "
        "{\"const\": 1}}, \"definitions\": {\"str\": {\"type\": \"string\"}}}",
        0);
    check(s, "{\"a\": 1, \"b\": \"x\", \"c\": 2, \"d\": null, \"e\": true, \"f\": 1}", NULL);
    check(s, "{\"a\": 0}", "a: must be >= 1");
    check(s, "{\"b\": 0}", "b: must be of type string");
    check(s, "{\"c\": 0}", "c: must be >= 1");
    check(s, "{\"d\": 0}", "d: must be of type null");
    check(s, "{\"e\": 0}", "e: must be of type boolean");
    check(s, "{\"f\": 2}", "f: must be equal to the constant of the schema");
    hc_schema_free(s);
    /* Recursive schema through "#". */
    s = compile("{\"type\": \"object\", \"properties\": {\"child\": {\"$ref\": \"#\"}, \"n\": "
                "{\"type\": \"integer\"}}}",
                0);
    check(s, "{\"child\": {\"child\": {\"n\": 1}}}", NULL);
    check(s, "{\"child\": {\"child\": {\"n\": \"x\"}}}", "child.child.n: must be of type integer");
    hc_schema_free(s);
    /* 2020-12: $ref applies together with its siblings; draft-07: siblings are ignored. */
    s = compile("{\"$defs\": {\"i\": {\"type\": \"integer\"}}, \"$ref\": \"#/$defs/i\", "
                "\"minimum\": 5}",
                0);
    check(s, "4", "must be >= 5");
    hc_schema_free(s);
    s = compile("{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"definitions\": "
                "{\"i\": {\"type\": \"integer\"}}, \"$ref\": \"#/definitions/i\", \"minimum\": 5}",
                0);
    check(s, "4", NULL);
    hc_schema_free(s);
    /* A $ref loop that never descends into the instance stops at the recursion bound. */
    s = compile("{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": "
                "\"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}",
                0);
    check(s, "1", "nesting too deep to validate");
    hc_schema_free(s);
    expect_compile_error("{\"$ref\": \"#/$defs/missing\"}", "does not resolve");
    expect_compile_error("{\"$ref\": \"other.json#/x\"}", "only references into this document");
    expect_compile_error("{\"$ref\": \"#anchor\"}", "anchors are not supported");
}

static void
test_boolean_and_refused(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"properties\": {\"yes\": true, \"no\": false}}", 0);
    check(s, "{\"yes\": 1}", NULL);
    check(s, "{\"no\": 1}", "no: is not allowed");
    hc_schema_free(s);
    json_t *t = json_true();
    assert_int_equal(hc_schema_compile(t, 0, &s, NULL, 0), HC_OK);
    check(s, "[1, 2]", NULL);
    hc_schema_free(s);
    expect_compile_error("{\"unevaluatedProperties\": false}", "unevaluatedProperties");
    expect_compile_error("{\"$dynamicRef\": \"#meta\"}", "$dynamicRef");
    expect_compile_error("{\"dependencies\": {\"a\": {\"type\": \"object\"}}}", "schema "
                                                                                "dependencies");
    expect_compile_error("{\"properties\": 1}", "/properties");
    expect_compile_error("{\"allOf\": []}", "/allOf");
    expect_compile_error("{\"required\": [1]}", "/required");
    expect_compile_error("[1]", "object or a boolean");
    /* Annotations and unknown keywords are ignored. */
    s = compile(
        "{\"title\": \"t\", \"description\": \"d\", \"examples\": [1], \"$comment\": \"c\", "
        "\"valueset-uri\": \"valuesets/x.json\", \"x-unknown\": {\"type\": \"null\"}}",
        0);
    check(s, "1", NULL);
    hc_schema_free(s);
}

static void
test_deep_instance(void **state)
{
    (void)state;
    hc_schema *s = compile("{\"items\": {\"$ref\": \"#\"}}", 0);
    char deep[1200];
    memset(deep, '[', 600);
    memset(deep + 600, ']', 600);
    json_t *inst = json_loadb(deep, sizeof deep, 0, NULL);
    assert_non_null(inst);
    hc_schema_error err;
    assert_int_equal(hc_schema_validate(s, inst, &err), HC_ERR_SCHEMA_INVALID);
    assert_string_equal(err.message, "nesting too deep to validate");
    assert_true(strstr(err.path, "...") != NULL); /* the path was cut, and says so */
    json_decref(inst);
    hc_schema_free(s);
}

static void
test_api_edges(void **state)
{
    (void)state;
    hc_schema *s = NULL;
    assert_int_equal(hc_schema_compile(NULL, 0, &s, NULL, 0), HC_ERR_INVALID_ARG);
    hc_schema_error err;
    assert_int_equal(hc_schema_validate(NULL, json_null(), &err), HC_ERR_INVALID_ARG);
    hc_schema_free(NULL);
    char buf[8];
    strcpy(err.path, "a.b.c.d.e");
    strcpy(err.message, "is required");
    assert_string_equal(hc_schema_error_format(&err, buf, sizeof buf), "a.b.c.d");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_many_properties),
        cmocka_unit_test(test_enum_const),
        cmocka_unit_test(test_combinators),
        cmocka_unit_test(test_required_alternatives),
        cmocka_unit_test(test_refs),
        cmocka_unit_test(test_boolean_and_refused),
        cmocka_unit_test(test_deep_instance),
        cmocka_unit_test(test_api_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
