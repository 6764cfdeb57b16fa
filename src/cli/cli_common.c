/* cli_common.c: see cli_common.h. */
#include <stdlib.h>
#include <string.h>

#include "cli_common.h"
#include "cli_gdhcn.h"
#include "fileio.h"
#include "hctime.h"

bool
hc_cli_load_trust(hc_trust_store *ts, const char *path)
{
    char msg[512] = "";
    if (hc_cli_is_gdhcn_filter(path)) {
        return hc_cli_load_gdhcn_filtered(ts, path); /* "did.json?participant=ARG" */
    }
    /* The trust store's messages name the file (in a folder, the file that failed). */
    return hc_cli_trust_loaded(hc_trust_store_add_path(ts, path, msg, sizeof msg), msg);
}

bool
hc_cli_trust_loaded(hc_err e, const char *msg)
{
    if (e != HC_OK) {
        fprintf(stderr, "healthcert: cannot use trust material: %s\n",
                msg[0] ? msg : hc_err_str(e));
        return false;
    }
    /* Skipped entries (dropped DSCs among them) do not stop a load; their counts are printed on
     * request only. */
    if (getenv("HEALTHCERT_TRUST_REPORT") != NULL) {
        fprintf(stderr, "healthcert: %s\n", msg);
    }
    return true;
}

bool
hc_cli_parse_time(const char *s, int64_t *ms)
{
    if (!hc_time_parse_iso8601(s, strlen(s), ms)) {
        fprintf(stderr,
                "healthcert: --at '%s' is not an ISO 8601 time (e.g. 2026-06-01T12:00:00Z, "
                "2026-06-01T14:00:00+02:00, 2026-06-01)\n",
                s);
        return false;
    }
    return true;
}

hc_err
hc_cli_read_input(const char *path, size_t max, unsigned char **data, size_t *len)
{
    hc_err e = hc_read_file(path, max, data, len);
    if (e == HC_ERR_IO) {
        fprintf(stderr, "healthcert: cannot read %s\n",
                strcmp(path, "-") == 0 ? "standard input" : path);
    }
    return e;
}

void
hc_cli_print_json(FILE *out, const hc_verdict *vd, bool compact)
{
    json_t *j = hc_verdict_to_json(vd);
    char *s = j ? json_dumps(j, compact ? JSON_COMPACT : JSON_INDENT(2)) : NULL;
    if (s == NULL) {
        fputs("{\"valid\":false,\"errors\":[{\"code\":\"OUT_OF_MEMORY\",\"message\":\"\"}]}\n",
              out);
    } else {
        fprintf(out, "%s\n", s);
    }
    free(s);
    json_decref(j);
}

int
hc_cli_exit_code(hc_err status, const hc_verdict *vd)
{
    if (status != HC_OK && !hc_err_is_verdict(status)) {
        return 2;
    }
    return vd->valid ? 0 : 1;
}
