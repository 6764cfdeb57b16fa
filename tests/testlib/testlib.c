/* testlib.c: see testlib.h. */
#include "testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"
#include "fileio.h"

const char *
hc_test_vectors_dir(void)
{
    const char *d = getenv("HC_VECTORS");
    if (d == NULL) {
        fail_msg("HC_VECTORS is not set (run the tests through ctest)");
    }
    return d;
}

const char *
hc_test_vector_path(const char *relpath)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", hc_test_vectors_dir(), relpath);
    return path;
}

uint8_t *
hc_test_read_vector(const char *relpath, size_t *len)
{
    uint8_t *data = NULL;
    if (hc_read_file(hc_test_vector_path(relpath), 64u << 20, &data, len) != HC_OK) {
        fail_msg("cannot read vector %s", relpath);
    }
    return data;
}

json_t *
hc_test_load_json(const char *relpath)
{
    json_error_t e;
    json_t *j = json_load_file(hc_test_vector_path(relpath), 0, &e);
    if (j == NULL) {
        fail_msg("cannot load %s: %s (line %d)", relpath, e.text, e.line);
    }
    return j;
}

uint8_t *
hc_test_hex(const char *hex, size_t *len)
{
    size_t n = strlen(hex);
    uint8_t *out = malloc(n / 2 + 1);
    assert_non_null(out);
    if (!hc_hex_decode(hex, n, out, n / 2 + 1, len)) {
        fail_msg("bad hex: %.40s", hex);
    }
    return out;
}
