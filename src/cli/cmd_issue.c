/* cmd_issue.c: placeholder until the command lands; says so instead of pretending. */
#include <stdio.h>

#include "commands.h"

int
hc_cmd_issue(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "healthcert issue: not available in this build yet\n");
    return 2;
}
