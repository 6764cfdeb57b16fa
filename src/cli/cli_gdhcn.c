/* cli_gdhcn.c: --trust "FILE?domain=..&participant=..&usage=.." (cli_gdhcn.h). */
#include "cli_gdhcn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_common.h"
#include "trust_gdhcn.h"

bool
hc_cli_is_gdhcn_filter(const char *path)
{
    return strchr(path, '?') != NULL && access(path, F_OK) != 0;
}

bool
hc_cli_load_gdhcn_filtered(hc_trust_store *ts, const char *path)
{
    char file[4096], query[256];
    const char *q = strchr(path, '?');
    size_t flen = (size_t)(q - path);
    if (flen >= sizeof file || strlen(q + 1) >= sizeof query) {
        fprintf(stderr, "healthcert: --trust %s: too long\n", path);
        return false;
    }
    memcpy(file, path, flen);
    file[flen] = '\0';
    snprintf(query, sizeof query, "%s", q + 1);

    hc_gdhcn_filter f = { NULL, NULL, NULL };
    char *save = NULL;
    for (char *kv = strtok_r(query, "&", &save); kv != NULL; kv = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(kv, '=');
        if (eq == NULL) {
            fprintf(stderr, "healthcert: --trust %s: \"%s\" is not key=value\n", path, kv);
            return false;
        }
        *eq = '\0';
        /* "-" is the lists' own wildcard (smart-trust concepts_did_gdhcn.md). */
        const char *val = strcmp(eq + 1, "-") == 0 ? NULL : eq + 1;
        if (strcmp(kv, "domain") == 0) {
            f.domain = val;
        } else if (strcmp(kv, "participant") == 0) {
            f.participant = val;
        } else if (strcmp(kv, "usage") == 0) {
            f.usage = val;
        } else {
            fprintf(stderr,
                    "healthcert: --trust %s: unknown filter \"%s\" (domain, participant, "
                    "usage)\n",
                    path, kv);
            return false;
        }
    }
    char msg[768] = "";
    hc_gdhcn_report rep;
    return hc_cli_trust_loaded(hc_trust_store_add_gdhcn_path(ts, file, &f, &rep, msg, sizeof msg),
                               msg);
}
