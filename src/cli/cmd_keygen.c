/* cmd_keygen.c: placeholder until the command lands; says so instead of pretending. */
#include <stdio.h>

#include "commands.h"

int
hc_cmd_keygen(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "healthcert keygen: not available in this build yet\n");
    return 2;
}
