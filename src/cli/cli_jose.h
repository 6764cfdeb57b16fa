/*
 * cli_jose.h: the JWS formats in the commands: `issue --format shc|vc-jwt` and `keygen jwks`.
 * cmd_issue.c and cmd_keygen.c dispatch here (one line each), so that the EU issuing code and the
 * JOSE issuing code stay in files of their own.
 */
#ifndef HC_CLI_JOSE_H
#define HC_CLI_JOSE_H

#include <stdbool.h>

/* True when argv asks for --format shc or vc-jwt (either "--format F" or "--format=F"). */
bool hc_cli_is_jose_format(int argc, char **argv);

/* `healthcert issue --format shc|vc-jwt ...` (argv[0] is "issue"). */
int hc_cli_issue_jose(int argc, char **argv);

/* `healthcert keygen jwks ...` (argv[0] is "jwks"). */
int hc_cli_keygen_jwks(int argc, char **argv);

#endif
