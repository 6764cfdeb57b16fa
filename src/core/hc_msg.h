/* hc_msg.h: writing a reason into an optional caller buffer (the msg/msg_len pairs of the API). */
#ifndef HC_MSG_H
#define HC_MSG_H

#include <stddef.h>

#include "healthcert/error.h"

/* printf into msg[0..msg_len); does nothing when msg is NULL or msg_len is 0. */
void hc_msgf(char *msg, size_t msg_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* hc_msgf, then returns e: lets a decoder say why and fail in one statement,
 * "return hc_msg_err(HC_ERR_STRUCTURE_INVALID, why, why_len, ...);". */
hc_err hc_msg_err(hc_err e, char *msg, size_t msg_len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * For reports that count the problems of many entries and keep the first one's reason: adds one
 * to *count (when count is not NULL) and printfs into first[0..first_len) only while first is
 * still empty, so the first reason is never overwritten by a later one.
 */
void hc_msg_note(size_t *count, char *first, size_t first_len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
