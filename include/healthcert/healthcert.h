/*
 * healthcert/healthcert.h: umbrella header of libhealthcert.
 *
 * Conventions (apply to every public function unless its comment says otherwise):
 *   - Functions return hc_err (healthcert/error.h). Outputs are written only on success.
 *   - Pointers are non-NULL unless documented; a NULL where a value is required is
 *     HC_ERR_INVALID_ARG, never a crash.
 *   - Objects made by hc_<thing>_new are released by hc_<thing>_free; _free(NULL) does nothing.
 *   - Returned views (const pointers into inputs) live as long as the input they point into.
 *   - Input from outside is hostile: every decoder is bounded in size, depth and time and answers
 *     with a stable error code (shared/CONTRACT.md).
 *   - Threads: a trust store is read-only once loaded and shared; verifiers are one per thread.
 *   - Times are Unix milliseconds, UTC.
 */
#ifndef HEALTHCERT_H
#define HEALTHCERT_H

#include "healthcert/error.h"
#include "healthcert/trust.h"
#include "healthcert/verify.h"

#define HC_VERSION_STRING "0.1.0"

#endif
