/* main.c: the healthcert program: dispatches to the subcommands of commands.h. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "healthcert/healthcert.h"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    { "verify", hc_cmd_verify, "verify a health certificate (QR text or image)" },
    { "decode", hc_cmd_decode, "show what a health certificate holds, without checking it" },
    { "issue", hc_cmd_issue, "issue a signed health certificate (QR text, image, PDF)" },
    { "keygen", hc_cmd_keygen, "create signing keys and certificates (CSCA, DSC)" },
    { "rules", hc_cmd_rules, "evaluate and test CertLogic business rules" },
    { "serve", hc_cmd_serve, "run the issuing and verifying HTTP service" },
    { "convert", hc_cmd_convert, "map a WHO DDCC record to an EU DCC or a SMART Health Card" },
};

static void
usage(FILE *out)
{
    fprintf(out, "usage: healthcert <command> [options]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(out, "\n'healthcert <command> --help' describes a command's options.\n"
                 "Exit codes: 0 success, 1 invalid credential or refused input, 2 could not "
                 "check.\n");
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("healthcert %s\n", HC_VERSION_STRING);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "healthcert: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return 2;
}
