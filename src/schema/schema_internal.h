/*
 * schema_internal.h: what the files of the schema module share and nothing else needs.
 */
#ifndef HC_SCHEMA_INTERNAL_H
#define HC_SCHEMA_INTERNAL_H

#include <stddef.h>

/*
 * Grows the malloc'd array *arr (elements of size elem, *cap of them) to hold at least need
 * elements, doubling from 16, so that appending one at a time costs amortised O(1). 0, or -1 when
 * memory runs out (*arr and *cap are then unchanged). Used by the regex compiler (ecma_regex.c)
 * and the schema compiler (json_schema.c), whose inputs are bounded before they grow anything.
 */
int hc__schema_grow(void **arr, size_t *cap, size_t need, size_t elem);

#endif
