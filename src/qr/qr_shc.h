/*
 * qr_shc.h: QR codes in the SMART Health Cards layout (SHC spec §"Encoding QRs"): exactly two
 * segments, a byte-mode segment with the prefix ("shc:/", or "vc-jwt:/" for our compressed
 * VC-JWTs) and a numeric-mode segment with the digits. libqrencode's own mode optimiser is not
 * used, so the layout never depends on its heuristics (dev-tools flags other layouts).
 * Error correction: L by default, as the SHC spec sizes version 22 codes (1195 JWS characters at
 * L; FAQ/qr.md), which a single card never exceeds (shc_encode.h).
 */
#ifndef HC_QR_SHC_H
#define HC_QR_SHC_H

#include <qrencode.h>

#include "qr.h"

/* SHC default options: error correction L, 4 px per module, 4 quiet modules. */
hc_qr_options hc_qr_shc_default_options(void);

/*
 * Encodes text = prefix + digits (prefix: the characters before the first digit; it must end in
 * '/') into *qr (QRcode_free it). HC_ERR_INVALID_ARG for text of another shape or bad options,
 * HC_ERR_INPUT_TOO_LARGE when it does not fit a version 40 symbol.
 */
hc_err hc_qr_shc_encode(const char *text, const hc_qr_options *opt, QRcode **qr);

/* Encodes and writes a PNG or SVG (by the path's extension). opt NULL: the SHC defaults. */
hc_err hc_qr_shc_write(const char *text, const hc_qr_options *opt, const char *path);

#endif
