/*
 * cli_issue_who.h: `healthcert issue --format who-ddcc|icao-vds-nc`. cmd_issue.c dispatches here
 * (one line), so that the EU issuing code and these formats stay in files of their own.
 */
#ifndef HC_CLI_ISSUE_WHO_H
#define HC_CLI_ISSUE_WHO_H

#include <stdbool.h>

/* True when argv asks for --format who-ddcc or icao-vds-nc ("--format F" or "--format=F"). */
bool hc_cli_is_who_format(int argc, char **argv);

/* `healthcert issue --format who-ddcc|icao-vds-nc ...` (argv[0] is "issue"). */
int hc_cli_issue_who(int argc, char **argv);

#endif
