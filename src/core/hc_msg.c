/* hc_msg.c: see hc_msg.h. */
#include "hc_msg.h"

#include <stdarg.h>
#include <stdio.h>

void
hc_msgf(char *msg, size_t msg_len, const char *fmt, ...)
{
    if (msg == NULL || msg_len == 0) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msg_len, fmt, ap);
    va_end(ap);
}
