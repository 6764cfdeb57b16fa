/*
 * commands.h: the subcommands of the healthcert program (one file each: cmd_<name>.c).
 * Each takes the arguments after the subcommand name (argv[0] is the subcommand) and returns the
 * process exit code of shared/CONTRACT.md: 0 success, 1 verdict/refusal, 2 could not check.
 */
#ifndef HC_CLI_COMMANDS_H
#define HC_CLI_COMMANDS_H

int hc_cmd_verify(int argc, char **argv);
int hc_cmd_decode(int argc, char **argv);
int hc_cmd_rules(int argc, char **argv);
int hc_cmd_issue(int argc, char **argv);
int hc_cmd_keygen(int argc, char **argv);
int hc_cmd_serve(int argc, char **argv);
int hc_cmd_convert(int argc, char **argv);

#endif
