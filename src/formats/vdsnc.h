/*
 * vdsnc.h: the ICAO VDS-NC format (vdsnc.c) and what its encoder shares with it.
 */
#ifndef HC_VDSNC_H
#define HC_VDSNC_H

#include "pipeline.h"
#include "sig.h"

extern const hc_format hc_format_vdsnc;

/* "ES256" / "ES384" / "ES512" for the algorithms a seal may use, NULL for any other. */
const char *hc_vdsnc_alg_name(hc_sig_alg alg);

#endif
