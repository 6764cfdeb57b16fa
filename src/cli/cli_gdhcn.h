/*
 * cli_gdhcn.h: --trust with a GDHCN filter: "did.json?domain=DDCC&participant=ARG&usage=DSC"
 * loads only the verification methods of that trust domain, participant and key usage (the three
 * levels of WHO's trust-list URLs, where "-" is any), and reports what it loaded.
 */
#ifndef HC_CLI_GDHCN_H
#define HC_CLI_GDHCN_H

#include <stdbool.h>

#include "healthcert/trust.h"

/* True when path has a "?..." filter suffix and no file of that exact name exists. */
bool hc_cli_is_gdhcn_filter(const char *path);

/* Loads "FILE?key=value&..." (keys: domain, participant, usage); prints a reason and returns
 * false on failure. With HEALTHCERT_TRUST_REPORT set in the environment, prints the counts. */
bool hc_cli_load_gdhcn_filtered(hc_trust_store *ts, const char *path);

#endif
