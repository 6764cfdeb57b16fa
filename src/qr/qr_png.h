/*
 * qr_png.h: the libpng error handling shared by the qr module's PNG reader (png_read.c) and
 * writer (qr_render.c).
 */
#ifndef HC_QR_PNG_H
#define HC_QR_PNG_H

#include <png.h>

/* libpng error callback: jumps back to the caller's setjmp; nothing is printed (a library does
 * not write to stderr), the caller turns the jump into an hc_err. */
void hc_qr_png_error(png_structp png, png_const_charp msg);

/* libpng warning callback: ignored (warnings do not stop reading or writing). */
void hc_qr_png_warning(png_structp png, png_const_charp msg);

#endif
