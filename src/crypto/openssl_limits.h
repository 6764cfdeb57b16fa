/*
 * openssl_limits.h: obsolete shim. It worked around src/core/limits.h shadowing the C library's
 * <limits.h>; that header is now src/core/hc_limits.h, so nothing is shadowed. Kept only until the
 * last includer (src/issue) drops it.
 */
#ifndef HC_OPENSSL_LIMITS_H
#define HC_OPENSSL_LIMITS_H
#include <limits.h>
#endif
