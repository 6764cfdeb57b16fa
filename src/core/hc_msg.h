/* hc_msg.h: writing a reason into an optional caller buffer (the msg/msg_len pairs of the API). */
#ifndef HC_MSG_H
#define HC_MSG_H

#include <stddef.h>

/* printf into msg[0..msg_len); does nothing when msg is NULL or msg_len is 0. */
void hc_msgf(char *msg, size_t msg_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
