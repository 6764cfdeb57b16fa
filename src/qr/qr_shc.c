/* qr_shc.c: two-segment QR codes for SMART Health Cards (see qr_shc.h). */
#include "qr_shc.h"

#include <errno.h>
#include <string.h>

#include "hc_limits.h"
#include "qr_render.h"

hc_qr_options
hc_qr_shc_default_options(void)
{
    hc_qr_options o = { .ec_level = 0, .module_px = 4, .quiet_modules = 4 };
    return o;
}

hc_err
hc_qr_shc_encode(const char *text, const hc_qr_options *opt, QRcode **qr)
{
    static const QRecLevel levels[4] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H };
    hc_qr_options def = hc_qr_shc_default_options();

    if (text == NULL || qr == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    *qr = NULL;
    if (opt == NULL) {
        opt = &def;
    }
    if (opt->ec_level < 0 || opt->ec_level > 3) {
        return HC_ERR_INVALID_ARG;
    }
    size_t len = strnlen(text, (size_t)HC_MAX_QR_TEXT + 1);
    if (len > HC_MAX_QR_TEXT) {
        return HC_ERR_INPUT_TOO_LARGE;
    }
    size_t plen = strcspn(text, "0123456789");
    if (plen == 0 || plen == len || text[plen - 1] != '/' ||
        strspn(text + plen, "0123456789") != len - plen) {
        return HC_ERR_INVALID_ARG; /* not prefix + digits */
    }
    QRinput *in = QRinput_new2(0, levels[opt->ec_level]); /* version 0: the smallest that fits */
    if (in == NULL) {
        return HC_ERR_NOMEM;
    }
    errno = 0;
    if (QRinput_append(in, QR_MODE_8, (int)plen, (const unsigned char *)text) == 0 &&
        QRinput_append(in, QR_MODE_NUM, (int)(len - plen), (const unsigned char *)text + plen) ==
            0) {
        *qr = QRcode_encodeInput(in);
    }
    int saved = errno;
    QRinput_free(in);
    if (*qr == NULL) {
        return saved == ERANGE ? HC_ERR_INPUT_TOO_LARGE
                               : (saved == ENOMEM ? HC_ERR_NOMEM : HC_ERR_INTERNAL);
    }
    return HC_OK;
}

hc_err
hc_qr_shc_write(const char *text, const hc_qr_options *opt, const char *path)
{
    hc_qr_options def = hc_qr_shc_default_options();
    QRcode *qr = NULL;
    if (opt == NULL) {
        opt = &def;
    }
    hc_err e = hc_qr_shc_encode(text, opt, &qr);
    if (e == HC_OK) {
        e = hc_qr_render_file(qr, opt, path);
        QRcode_free(qr);
    }
    return e;
}
