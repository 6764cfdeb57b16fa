/*
 * issue_pdf.h: internals of the printable certificate (hc_issue_pdf_write, healthcert/issue.h).
 */
#ifndef HC_ISSUE_PDF_H
#define HC_ISSUE_PDF_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>

#include "healthcert/error.h"

/* A QR code as a module grid: width x width bytes, 1 = dark. */
typedef struct hc_qr_matrix {
    int width;
    unsigned char *dark; /* malloc'd */
} hc_qr_matrix;

/*
 * Encodes text as the HCERT spec §4.2 asks (ECC level Q; a Base45 text as one alphanumeric
 * segment, mode 0010), the same symbol as hc_qr_write_png / _svg. HC_ERR_INPUT_TOO_LARGE when it
 * does not fit version 40, HC_ERR_NOMEM.
 */
hc_err hc_qr_matrix_make(const char *text, hc_qr_matrix *out);
void hc_qr_matrix_free(hc_qr_matrix *m);

/*
 * Draws the dark modules of m as filled squares of module points at (x, y) (top left of the
 * symbol, without its quiet zone). Horizontal runs of dark modules are one rectangle each, all in
 * one path, each slightly overlapping its neighbours so that no renderer shows hairline seams.
 */
void hc_qr_matrix_draw(cairo_t *cr, const hc_qr_matrix *m, double x, double y, double module);

/*
 * Releases the font caches cairo and fontconfig keep for the life of the process, so that leak
 * checkers (ASan) see a clean exit. Only when no thread renders any more (at exit).
 */
void hc_issue_pdf_shutdown(void);

#endif
