/* fileio.h: bounded reading of files and streams. */
#ifndef HC_FILEIO_H
#define HC_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "healthcert/error.h"

/*
 * Reads all of path ("-" = standard input) into a new buffer (NUL-terminated, NUL not counted).
 * Returns HC_ERR_INPUT_TOO_LARGE past max bytes (reading stops there), HC_ERR_IO when unreadable.
 * The caller frees *data with free().
 */
hc_err hc_read_file(const char *path, size_t max, uint8_t **data, size_t *len);

/* As hc_read_file, from an open stream. */
hc_err hc_read_stream(FILE *f, size_t max, uint8_t **data, size_t *len);

/* Writes data to path atomically (temporary file + rename) with the given mode (e.g. 0600). */
hc_err hc_write_file(const char *path, const void *data, size_t len, unsigned mode);

#endif
