/*
 * dgc_schema_skips.h: the EU conformance vectors whose schema expectation is wrong, shared by the
 * schema module's corpus test (tests/unit/schema/test_dcc_conformance.c) and the whole-corpus
 * runner (tests/conformance/test_dgc_testdata.c), so that there is one list with one reason per
 * file. Include it in one translation unit per program (it defines a static array).
 */
#ifndef HC_DGC_SCHEMA_SKIPS_H
#define HC_DGC_SCHEMA_SKIPS_H

/*
 * Vectors whose EXPECTEDSCHEMAVALIDATION contradicts the schema release they name. Checked both
 * ways: a listed file must still disagree (else the entry is stale and the test fails), and must
 * exist. The reasons come from reading each payload against its release; the dgc-testdata
 * reference runner has the same files as known issues (tests/known_issues.csv: NL #107, BG #298,
 * HU #340) or never checks them (it asserts only EXPECTEDSCHEMAVALIDATION=true).
 */
typedef struct skip_entry {
    const char *file;
    const char *reason;
} skip_entry;

static const skip_entry skips[] = {
    /* BG: 1.0.0-era payloads that carry the unused groups as null (dgc-testdata#298). */
    /* HU: texts longer than 1.0.0 allowed (dgc-testdata#340). */
    /* NL (dgc-testdata#107, the whole folder is a known issue of the reference runner): the
     * generator's expectations follow NL business rules, not schema 1.0.0, which every NL payload
     * names. Expected valid but invalid: year or year-month dob (1.0.0 requires YYYY-MM-DD), empty
     * co, dn/sd 0. Expected invalid but valid: a dob in 2023 (after issuance) or an emoji given
     * name without transliteration; the schema restricts neither. */
    /* PL: 1.3.0/1 and /5 have lower-case transliterations; 7-9 of each release expect value-set
     * checks (valid codes are a business rule, the schema only names the value sets). */
    { "BG/2DCode/raw/1.json", "expects valid, but r is null, not an array; t is null, not an "
                              "array; it holds 3 groups (v, t, r), not exactly one" },
    { "BG/2DCode/raw/2.json", "expects valid, but t is null, not an array; v is null, not an "
                              "array; it holds 3 groups (v, t, r), not exactly one" },
    { "HU/2DCode/raw/3.json", "expects valid, but t[0].ci has 52 characters, over maxLength 50; "
                              "t[0].tc has 100 characters, over maxLength 50" },
    { "NL/2DCode/raw/001-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/002-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/003-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/005-NL-test.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/007-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/009-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/010-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/011-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/015-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/017-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/018-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/019-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/020-NL-test.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/023-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/025-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/026-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/027-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/031-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/033-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/034-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/035-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/039-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/041-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/042-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/043-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/045-NL-test.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/047-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/049-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/050-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/051-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/055-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/057-NL-test.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/058-NL-test.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/059-NL-test.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/060-NL-test.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/063-NL-test.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/064-NL-test.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/068-NL-test.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/069-NL-test.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/073-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); v[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/074-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/075-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/081-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/082-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/083-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/087-NL-vaccination.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/089-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/090-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/091-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/097-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/098-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/099-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/103-NL-vaccination.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/104-NL-vaccination.json",
      "expects valid, but v[0].sd is 0, below the minimum 1" },
    { "NL/2DCode/raw/105-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/106-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/107-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/109-NL-vaccination.json",
      "expects valid, but v[0].sd is 0, below the minimum 1" },
    { "NL/2DCode/raw/111-NL-vaccination.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/113-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/114-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/115-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/119-NL-vaccination.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/120-NL-vaccination.json",
      "expects valid, but v[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/121-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); v[0].dn is 0, below the minimum 1" },
    { "NL/2DCode/raw/122-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/123-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); v[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/127-NL-vaccination.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/129-NL-vaccination.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/130-NL-vaccination.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); v[0].sd is 0, below the minimum 1" },
    { "NL/2DCode/raw/131-NL-vaccination.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/135-NL-vaccination.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/136-NL-vaccination.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/140-NL-vaccination.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/144-NL-recovery.json",
      "expects valid, but r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/145-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/146-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/147-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/151-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/153-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/154-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/155-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/159-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/161-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/162-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/163-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/165-NL-recovery.json",
      "expects valid, but r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/167-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/169-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/170-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/171-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/175-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/177-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/178-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/179-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/183-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/185-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/186-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/187-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/189-NL-recovery.json",
      "expects valid, but r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/191-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/192-NL-recovery.json",
      "expects valid, but r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/193-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/194-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/195-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/199-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/201-NL-recovery.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); r[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/202-NL-recovery.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/203-NL-recovery.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/207-NL-recovery.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/208-NL-recovery.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/212-NL-recovery.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/213-NL-recovery.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/216-NL-test+wrong_key.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/217-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/218-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/219-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/223-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/225-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/226-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/227-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/231-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/233-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/234-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/235-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/239-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/240-NL-test+wrong_key.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/241-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/242-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/243-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/245-NL-test+wrong_key.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/247-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/249-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/250-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/251-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/252-NL-test+wrong_key.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/255-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/257-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/258-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0); t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/259-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/263-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/264-NL-test+wrong_key.json",
      "expects valid, but t[0].co is empty, [A-Z]{1,10} needs a letter" },
    { "NL/2DCode/raw/265-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/266-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/267-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/271-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/273-NL-test+wrong_key.json",
      "expects valid, but dob \"1963\" has no YYYY-MM-DD date, which 1.0.0's dob pattern requires "
      "(shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/274-NL-test+wrong_key.json",
      "expects valid, but dob \"1964-01\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/275-NL-test+wrong_key.json",
      "expects valid, but dob \"1963-00\" has no YYYY-MM-DD date, which 1.0.0's dob pattern "
      "requires (shorter dob is legal from 1.1.0)" },
    { "NL/2DCode/raw/279-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date" },
    { "NL/2DCode/raw/285-NL-test+wrong_key.json",
      "expects a schema error for gn \"😀😃😄\" with an empty gnt: gn has no character rule and "
      "^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "NL/2DCode/raw/287-NL-test+wrong_key.json",
      "expects a schema error for dob 2023-01-01 (born after the 2021 issuance): the schema has no "
      "clock, 1.0.0's dob pattern takes any 19xx/20xx date; and for gn \"😀😃😄\" with an empty gnt: "
      "gn has no character rule and ^[A-Z<]*$ accepts \"\" (fnt is present)" },
    { "PL/1.0.0/2DCode/raw/7.json",
      "expects a schema error for t[0].ma \"9999\" (no such test device): value sets are only "
      "named (valueset-uri annotation), never checked by the schema" },
    { "PL/1.0.0/2DCode/raw/8.json",
      "expects a schema error for r[0].co \"XY\" (no such country): it matches [A-Z]{1,10}; the "
      "country value set is not part of the schema" },
    { "PL/1.0.0/2DCode/raw/9.json",
      "expects a schema error for v[0].ma \"ORG-99999999\" (unknown manufacturer): value sets are "
      "only named (valueset-uri annotation), never checked by the schema" },
    { "PL/1.2.1/2DCode/raw/7.json",
      "expects a schema error for t[0].ma \"9999\" (no such test device): value sets are only "
      "named (valueset-uri annotation), never checked by the schema" },
    { "PL/1.2.1/2DCode/raw/8.json",
      "expects a schema error for r[0].co \"XY\" (no such country): it matches [A-Z]{1,10}; the "
      "country value set is not part of the schema" },
    { "PL/1.2.1/2DCode/raw/9.json",
      "expects a schema error for v[0].ma \"ORG-99999999\" (unknown manufacturer): value sets are "
      "only named (valueset-uri annotation), never checked by the schema" },
    { "PL/1.3.0/2DCode/raw/1.json",
      "expects valid, but nam.fnt \"Akdi\" is not ^[A-Z<]*$ (ICAO 9303 upper case, < for blanks); "
      "nam.gnt \"Omar\" is not ^[A-Z<]*$ (ICAO 9303 upper case, < for blanks)" },
    { "PL/1.3.0/2DCode/raw/5.json",
      "expects valid, but nam.fnt \"ik ben ben\" is not ^[A-Z<]*$ (ICAO 9303 upper case, < for "
      "blanks); nam.gnt \"BEN BEN\" is not ^[A-Z<]*$ (ICAO 9303 upper case, < for blanks)" },
    { "PL/1.3.0/2DCode/raw/7.json",
      "expects a schema error for t[0].ma \"9999\" (no such test device): value sets are only "
      "named (valueset-uri annotation), never checked by the schema" },
    { "PL/1.3.0/2DCode/raw/8.json",
      "expects a schema error for r[0].co \"XY\" (no such country): it matches [A-Z]{1,10}; the "
      "country value set is not part of the schema" },
    { "PL/1.3.0/2DCode/raw/9.json",
      "expects a schema error for v[0].ma \"ORG-99999999\" (unknown manufacturer): value sets are "
      "only named (valueset-uri annotation), never checked by the schema" },
};

#endif
