/* embedded.h: files compiled into the binary by cmake/embed.cmake (schemas, web pages). */
#ifndef HC_EMBEDDED_H
#define HC_EMBEDDED_H

#include <stddef.h>

typedef struct hc_embedded_file {
    const char *name;          /* file name without folder */
    const unsigned char *data; /* the bytes, followed by one NUL (not counted in size) */
    size_t size;
} hc_embedded_file;

/* The entry named name in table[0..count), or NULL. */
const hc_embedded_file *hc_embedded_find(const hc_embedded_file *table, size_t count,
                                         const char *name);

#endif
