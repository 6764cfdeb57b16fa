/* cli_common.h: option handling shared by the verify-side commands (verify, decode). */
#ifndef HC_CLI_COMMON_H
#define HC_CLI_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "healthcert/healthcert.h"

/* Loads one --trust PATH into ts; prints a reason and returns false on failure. */
bool hc_cli_load_trust(hc_trust_store *ts, const char *path);

/* Reports the outcome e of loading trust material, msg being the loader's message: the reason on
 * failure (returns false); on success the load's summary (keys added, entries skipped) only when
 * HEALTHCERT_TRUST_REPORT is set, so that default output stays the verdict (returns true). */
bool hc_cli_trust_loaded(hc_err e, const char *msg);

/* Parses an ISO 8601 --at value; prints a reason and returns false when invalid. */
bool hc_cli_parse_time(const char *s, int64_t *ms);

/* Reads FILE or standard input ("-"); prints a reason and returns the hc_err. */
hc_err hc_cli_read_input(const char *path, size_t max, unsigned char **data, size_t *len);

/* Prints the verdict JSON as one line (compact) or indented. */
void hc_cli_print_json(FILE *out, const hc_verdict *vd, bool compact);

/* Exit code for a judged verdict (0 valid, 1 invalid) or a could-not-check error (2). */
int hc_cli_exit_code(hc_err status, const hc_verdict *vd);

#endif
