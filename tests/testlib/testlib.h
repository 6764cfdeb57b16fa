/* testlib.h: helpers shared by the cmocka tests (vector files, hex). */
#ifndef HC_TESTLIB_H
#define HC_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

/* $HC_VECTORS (tests/vectors), aborting the test when unset. */
const char *hc_test_vectors_dir(void);

/* Reads $HC_VECTORS/relpath (malloc'd, NUL-terminated); fails the test when unreadable. */
uint8_t *hc_test_read_vector(const char *relpath, size_t *len);

/* Loads $HC_VECTORS/relpath as JSON; fails the test when unreadable. */
json_t *hc_test_load_json(const char *relpath);

/* Decodes hex (malloc'd); fails the test on bad hex. */
uint8_t *hc_test_hex(const char *hex, size_t *len);

/* Formats into a static buffer a path under $HC_VECTORS (for APIs that take paths). */
const char *hc_test_vector_path(const char *relpath);

#endif
