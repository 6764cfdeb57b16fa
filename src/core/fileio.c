/* fileio.c: bounded reads, atomic writes (see fileio.h). */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

hc_err
hc_read_stream(FILE *f, size_t max, uint8_t **data, size_t *len)
{
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap + 1);
    hc_err err = HC_OK;

    if (buf == NULL) {
        return HC_ERR_NOMEM;
    }
    for (;;) {
        if (n == cap) {
            if (cap > max) {
                err = HC_ERR_INPUT_TOO_LARGE;
                goto done;
            }
            size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
            uint8_t *nb = realloc(buf, ncap + 1);
            if (nb == NULL) {
                err = HC_ERR_NOMEM;
                goto done;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                err = HC_ERR_IO;
            }
            break;
        }
        if (n > max) {
            err = HC_ERR_INPUT_TOO_LARGE;
            break;
        }
    }
done:
    if (err != HC_OK) {
        free(buf);
        return err;
    }
    buf[n] = 0;
    *data = buf;
    *len = n;
    return HC_OK;
}

hc_err
hc_read_file(const char *path, size_t max, uint8_t **data, size_t *len)
{
    if (strcmp(path, "-") == 0) {
        return hc_read_stream(stdin, max, data, len);
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return HC_ERR_IO;
    }
    hc_err err = hc_read_stream(f, max, data, len);
    fclose(f);
    return err;
}

hc_err
hc_write_file(const char *path, const void *data, size_t len, unsigned mode)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    hc_err err = HC_ERR_IO;
    int fd = -1;

    if (tmp == NULL) {
        return HC_ERR_NOMEM;
    }
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmp-XXXXXX", 12);
    fd = mkstemp(tmp);
    if (fd < 0) {
        goto done;
    }
    /* mkstemp creates the file 0600; widen only when asked (public certificates). */
    if (fchmod(fd, (mode_t)mode) != 0) {
        goto done;
    }
    const uint8_t *p = data;
    size_t left = len;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR) {
                continue;
            }
            goto done;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        goto done;
    }
    err = HC_OK;
done:
    if (fd >= 0) {
        close(fd);
    }
    if (err != HC_OK) {
        unlink(tmp);
    }
    free(tmp);
    return err;
}
