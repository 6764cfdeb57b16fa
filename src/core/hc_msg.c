/* hc_msg.c: see hc_msg.h. */
#include "hc_msg.h"

#include <stdarg.h>
#include <stdio.h>

/* The one vsnprintf behind every helper below: NULL or empty buffers are left alone. */
static void vmsgf(char *msg, size_t msg_len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

static void
vmsgf(char *msg, size_t msg_len, const char *fmt, va_list ap)
{
    if (msg == NULL || msg_len == 0) {
        return;
    }
    vsnprintf(msg, msg_len, fmt, ap);
}

void
hc_msgf(char *msg, size_t msg_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsgf(msg, msg_len, fmt, ap);
    va_end(ap);
}

hc_err
hc_msg_err(hc_err e, char *msg, size_t msg_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsgf(msg, msg_len, fmt, ap);
    va_end(ap);
    return e;
}

void
hc_msg_note(size_t *count, char *first, size_t first_len, const char *fmt, ...)
{
    if (count != NULL) {
        (*count)++;
    }
    if (first == NULL || first_len == 0 || first[0] != '\0') {
        return; /* keep the first reason */
    }
    va_list ap;
    va_start(ap, fmt);
    vmsgf(first, first_len, fmt, ap);
    va_end(ap);
}
