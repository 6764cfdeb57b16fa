/*
 * verdict_build.h: how format implementations fill an hc_verdict (include/healthcert/verify.h).
 */
#ifndef HC_VERDICT_BUILD_H
#define HC_VERDICT_BUILD_H

#include "healthcert/verify.h"

/* Records a check by name (truncated to fit); keeps the first HC_VERDICT_MAX_CHECKS. */
void hc_verdict_check(hc_verdict *vd, const char *name, bool ok);

/* Records an error with a printf-style message and marks the verdict invalid. */
void hc_verdict_fail(hc_verdict *vd, hc_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies at most cap-1 bytes of s[0..len) into dst, dropping control and bidi-override
 * characters (a name must not be able to rewrite the checkpoint screen or the log line). */
void hc_verdict_copy_text(char *dst, size_t cap, const char *s, size_t len);

/* True when a check of that name was recorded and passed. */
bool hc_verdict_check_passed(const hc_verdict *vd, const char *name);

#endif
