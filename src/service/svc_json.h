/*
 * svc_json.h: the verdict answer of POST /v1/verify written straight to text.
 *
 * The text is byte for byte what json_dumps(hc_verdict_to_json(vd), JSON_COMPACT) gives (and,
 * for the checkpoint's view, what the jansson-built minimal object gives), without building a
 * jansson tree first and without jansson's dumper, which together cost about a tenth of the
 * service's CPU per verification (docs/service.md "Load"). tests/unit/service/test_svc_json.c
 * checks the two agree on every test vector and on hostile payloads.
 */
#ifndef HC_SVC_JSON_H
#define HC_SVC_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "healthcert/verify.h"

/* A growing text buffer. It may hold a holder's name and date of birth: every block it leaves
 * behind (when growing) is wiped, and svc_text_free wipes the last one. */
typedef struct svc_text {
    char *data;
    size_t len, cap;
    bool failed; /* out of memory, or text jansson would refuse to write */
} svc_text;

void svc_text_free(svc_text *t);

/*
 * The verdict as JSON: the contract's full verdict, or with minimal the checkpoint's view
 * (valid, format, type, errors, subject). Returns the text (malloc'd, NUL-terminated, *len bytes;
 * the caller wipes and frees it) or NULL where the jansson path would have had nothing to send
 * (out of memory, a string that is not UTF-8 in the payload, or, minimal, in format or type).
 */
char *svc_verdict_json(const hc_verdict *vd, bool minimal, size_t *len);

#endif
