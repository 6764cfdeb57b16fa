/*
 * pdf_qr.c: QR module grids for vector drawing (see issue_pdf.h).
 *
 * The qr module (src/qr) writes PNG/SVG files; the PDF needs the grid itself to draw it as vector
 * squares (crisp at any printer resolution), so the symbol is made here with libqrencode in the
 * same way: ECC Q, and a text of only QR alphanumeric characters (every "HC1:" text: Base45's
 * alphabet is that set, RFC 9285 §4) as a single alphanumeric segment, which HCERT §4.2 requires
 * and which libqrencode's mode optimiser would not guarantee.
 */
#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "hc_limits.h"
#include "issue_pdf.h"

/* The 45 characters of QR alphanumeric mode (ISO/IEC 18004:2015 table 5). */
static bool
is_alnum_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr(" $%*+-./:", c) != NULL);
}

hc_err
hc_qr_matrix_make(const char *text, hc_qr_matrix *out)
{
    memset(out, 0, sizeof *out);
    size_t len = strnlen(text, (size_t)HC_MAX_QR_TEXT + 1);
    if (len == 0 || len > HC_MAX_QR_TEXT) {
        return len == 0 ? HC_ERR_INVALID_ARG : HC_ERR_INPUT_TOO_LARGE;
    }
    bool alnum = true;
    for (size_t i = 0; i < len && alnum; i++) {
        alnum = is_alnum_char(text[i]);
    }
    QRcode *qr = NULL;
    errno = 0;
    if (alnum) {
        QRinput *in = QRinput_new2(0, QR_ECLEVEL_Q); /* version 0: the smallest that fits */
        if (in == NULL) {
            return HC_ERR_NOMEM;
        }
        if (QRinput_append(in, QR_MODE_AN, (int)len, (const unsigned char *)text) == 0) {
            qr = QRcode_encodeInput(in);
        }
        QRinput_free(in);
    } else {
        qr = QRcode_encodeString(text, 0, QR_ECLEVEL_Q, QR_MODE_8, 1);
    }
    if (qr == NULL) {
        return errno == ERANGE ? HC_ERR_INPUT_TOO_LARGE : HC_ERR_NOMEM;
    }
    size_t n = (size_t)qr->width * (size_t)qr->width;
    out->dark = malloc(n);
    if (out->dark == NULL) {
        QRcode_free(qr);
        return HC_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        out->dark[i] = qr->data[i] & 1; /* libqrencode: bit 0 is the module colour */
    }
    out->width = qr->width;
    QRcode_free(qr);
    return HC_OK;
}

void
hc_qr_matrix_free(hc_qr_matrix *m)
{
    if (m != NULL) {
        free(m->dark);
        m->dark = NULL;
        m->width = 0;
    }
}

void
hc_qr_matrix_draw(cairo_t *cr, const hc_qr_matrix *m, double x, double y, double module)
{
    /* Overlap of neighbouring squares, in modules: invisible, but closes anti-aliasing seams. */
    const double overlap = 0.04;
    cairo_new_path(cr);
    for (int row = 0; row < m->width; row++) {
        for (int col = 0; col < m->width;) {
            if (!m->dark[(size_t)row * (size_t)m->width + (size_t)col]) {
                col++;
                continue;
            }
            int start = col;
            while (col < m->width && m->dark[(size_t)row * (size_t)m->width + (size_t)col]) {
                col++;
            }
            double w = col - start + (col < m->width ? overlap : 0);
            double h = 1 + (row + 1 < m->width ? overlap : 0);
            cairo_rectangle(cr, x + start * module, y + row * module, w * module, h * module);
        }
    }
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    cairo_fill(cr);
}
