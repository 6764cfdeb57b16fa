/* embedded.c: lookup in tables written by cmake/embed_run.cmake. */
#include "embedded.h"

#include <string.h>

const hc_embedded_file *
hc_embedded_find(const hc_embedded_file *table, size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(table[i].name, name) == 0) {
            return &table[i];
        }
    }
    return NULL;
}
