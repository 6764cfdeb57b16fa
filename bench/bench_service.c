/*
 * bench_service.c: load on a running `healthcert serve` POST /v1/verify, as a share of
 * (cores x the raw OpenSSL ES256 verify rate) measured in the same run.
 *
 *   raw:  EVP_DigestVerify of one ES256 signature over a DCC-sized message on one core, with the
 *         key loaded: the least any verifier must do per certificate. Measured first, while the
 *         service is idle.
 *   load: C connections (keep-alive HTTP/1.1, one request in flight each, epoll) post the codes
 *         of FILE round-robin for S seconds; every answer must be 200 with "valid":true.
 * The client runs on the same machine and takes some of the cores it divides by: the share is a
 * lower bound of what the service does on dedicated cores.
 *
 * With --pid the service's own CPU time is read from /proc before and after the load: its CPU per
 * verification, compared with one raw verify, is the service's efficiency whatever else (the
 * client, other processes) competes for the cores.
 *
 * usage: bench_service PORT CODES_FILE [--connections C] [--seconds S] [--pid SERVICE_PID]
 * Output ends with "RATIO ..." and "ERRORS n"; exit 1 when any request failed.
 * Run by bench/bench_service.sh, which starts the service and issues the codes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CODES 4096
#define RESP_CAP  (64 * 1024)

typedef struct conn {
    int fd;
    char *req;
    size_t req_len, sent;
    char resp[RESP_CAP];
    size_t got;
    double t0;
} conn;

static char *codes[MAX_CODES];
static size_t code_len[MAX_CODES];
static size_t n_codes, next_code;
static unsigned long ok_count, err_count;
static double *lat;
static size_t n_lat, cap_lat;

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Raw ES256 verifications per second on this core (a 300-byte message, like a DCC's). */
static double
raw_verify_rate(double seconds)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    unsigned char msg[300], sig[80];
    size_t sig_len = sizeof sig;
    RAND_bytes(msg, sizeof msg);
    EVP_MD_CTX *s = EVP_MD_CTX_new();
    EVP_DigestSignInit(s, NULL, EVP_sha256(), NULL, key);
    EVP_DigestSign(s, sig, &sig_len, msg, sizeof msg);
    EVP_MD_CTX_free(s);
    unsigned long n = 0;
    double t0 = now_s(), t = t0;
    while (t - t0 < seconds) {
        for (int i = 0; i < 50; i++) {
            EVP_MD_CTX *v = EVP_MD_CTX_new();
            if (EVP_DigestVerifyInit(v, NULL, EVP_sha256(), NULL, key) == 1 &&
                EVP_DigestVerify(v, sig, sig_len, msg, sizeof msg) == 1) {
                n++;
            }
            EVP_MD_CTX_free(v);
        }
        t = now_s();
    }
    EVP_PKEY_free(key);
    return (double)n / (t - t0);
}

static int
load_codes(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    if (f == NULL) {
        return -1;
    }
    while (n_codes < MAX_CODES && fgets(line, sizeof line, f) != NULL) {
        size_t n = strcspn(line, "\r\n");
        if (n == 0) {
            continue;
        }
        codes[n_codes] = strndup(line, n);
        code_len[n_codes++] = n;
    }
    fclose(f);
    return n_codes > 0 ? 0 : -1;
}

static void
next_request(conn *c, unsigned port)
{
    size_t i = next_code++ % n_codes;
    free(c->req);
    c->req = malloc(code_len[i] + 200);
    int h = snprintf(c->req, 200,
                     "POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: "
                     "text/plain\r\nContent-Length: %zu\r\n\r\n",
                     port, code_len[i]);
    memcpy(c->req + h, codes[i], code_len[i]);
    c->req_len = (size_t)h + code_len[i];
    c->sent = 0;
    c->got = 0;
    c->t0 = now_s();
}

static int
connect_to(unsigned port)
{
    struct sockaddr_in a = { 0 };
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS) {
        close(fd);
        return -1;
    }
    return fd;
}

/* The Content-Length value in the header block [head, end), or -1. */
static long
content_length(const char *head, const char *end)
{
    static const char name[] = "content-length:";
    for (const char *p = head; p + sizeof name - 1 < end; p++) {
        if ((p == head || p[-1] == '\n') && strncasecmp(p, name, sizeof name - 1) == 0) {
            return strtol(p + sizeof name - 1, NULL, 10);
        }
    }
    return -1;
}

/* A complete response in c->resp: returns its total length, 0 when more is needed. */
static size_t
complete(conn *c, int *status, const char **body)
{
    c->resp[c->got < RESP_CAP ? c->got : RESP_CAP - 1] = 0;
    char *end = strstr(c->resp, "\r\n\r\n");
    if (end == NULL) {
        return 0;
    }
    long cl = content_length(c->resp, end);
    if (cl < 0) {
        return 0;
    }
    size_t len = (size_t)cl;
    size_t total = (size_t)(end + 4 - c->resp) + len;
    if (c->got < total) {
        return 0;
    }
    *status = atoi(c->resp + 9);
    *body = end + 4;
    return total;
}

static void
record_latency(double v)
{
    if (n_lat == cap_lat) {
        cap_lat = cap_lat ? cap_lat * 2 : 65536;
        lat = realloc(lat, cap_lat * sizeof *lat);
    }
    lat[n_lat++] = v;
}

/* CPU seconds (user + system) used so far by process pid, -1 when unknown. */
static double
cpu_seconds(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL || fgets(buf, sizeof buf, f) == NULL) {
        if (f != NULL) {
            fclose(f);
        }
        return -1;
    }
    fclose(f);
    /* Fields 14 and 15 (utime, stime) follow the ")" that ends the command name. */
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (p == NULL ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2) {
        return -1;
    }
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
    unsigned connections = 32, seconds = 10;
    long pid = 0;
    if (argc < 3) {
        /* `make bench` runs every bench_* without arguments: this one needs a running service. */
        printf("bench_service: run sh bench/bench_service.sh (it starts the service and issues "
               "the codes)\n");
        return 0;
    }
    unsigned port = (unsigned)atoi(argv[1]);
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--connections") == 0) {
            connections = (unsigned)atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--seconds") == 0) {
            seconds = (unsigned)atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--pid") == 0) {
            pid = atol(argv[i + 1]);
        }
    }
    if (load_codes(argv[2]) != 0) {
        fprintf(stderr, "bench_service: no codes in %s\n", argv[2]);
        return 2;
    }
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    double raw = raw_verify_rate(2.0);
    printf("bench_service: raw OpenSSL ES256 verify %.0f/s on one core; %ld cores\n", raw, cores);

    int ep = epoll_create1(0);
    conn *cs = calloc(connections, sizeof *cs);
    for (unsigned i = 0; i < connections; i++) {
        cs[i].fd = connect_to(port);
        if (cs[i].fd < 0) {
            fprintf(stderr, "bench_service: cannot connect to 127.0.0.1:%u\n", port);
            return 2;
        }
        next_request(&cs[i], port);
        struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = &cs[i] };
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    double cpu0 = pid > 0 ? cpu_seconds(pid) : -1;
    double t0 = now_s(), deadline = t0 + seconds;
    struct epoll_event evs[256];
    while (now_s() < deadline) {
        int n = epoll_wait(ep, evs, 256, 100);
        for (int k = 0; k < n; k++) {
            conn *c = evs[k].data.ptr;
            if (evs[k].events & (EPOLLERR | EPOLLHUP)) {
                err_count++;
                epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->fd = connect_to(port);
                next_request(c, port);
                struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
                epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
                continue;
            }
            if ((evs[k].events & EPOLLOUT) && c->sent < c->req_len) {
                ssize_t w = send(c->fd, c->req + c->sent, c->req_len - c->sent, MSG_NOSIGNAL);
                if (w > 0) {
                    c->sent += (size_t)w;
                }
                if (c->sent == c->req_len) {
                    struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
            if (evs[k].events & EPOLLIN) {
                ssize_t r = recv(c->fd, c->resp + c->got, RESP_CAP - 1 - c->got, 0);
                if (r <= 0) {
                    err_count++;
                    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
                    close(c->fd);
                    c->fd = connect_to(port);
                    next_request(c, port);
                    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
                    epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
                    continue;
                }
                c->got += (size_t)r;
                int status = 0;
                const char *body = NULL;
                if (complete(c, &status, &body) > 0) {
                    if (status == 200 && strncmp(body, "{\"valid\":true", 13) == 0) {
                        ok_count++;
                    } else {
                        err_count++;
                    }
                    record_latency(now_s() - c->t0);
                    next_request(c, port);
                    struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
        }
    }
    double elapsed = now_s() - t0;
    double cpu1 = pid > 0 ? cpu_seconds(pid) : -1;
    double rate = (double)ok_count / elapsed;
    qsort(lat, n_lat, sizeof *lat, cmp_double);
    double p50 = n_lat ? lat[n_lat / 2] : 0, p99 = n_lat ? lat[(size_t)(n_lat * 0.99)] : 0;
    printf("load: %u connections, %.1f s, %lu valid verdicts, %lu errors\n", connections, elapsed,
           ok_count, err_count);
    printf("rate: %.0f verifications/s; latency p50 %.2f ms, p99 %.2f ms\n", rate, p50 * 1000,
           p99 * 1000);
    printf("RATIO service /v1/verify rate / (%ld cores x raw ES256 verify) = %.3f "
           "(target >= 0.7)\n",
           cores, rate / ((double)cores * raw));
    if (cpu0 >= 0 && cpu1 >= 0 && ok_count > 0) {
        double per = (cpu1 - cpu0) / (double)(ok_count + err_count);
        printf("service CPU: %.1f us per verification (raw ES256 verify %.1f us), %.2f cores "
               "busy; EFFICIENCY raw / service = %.3f\n",
               per * 1e6, 1e6 / raw, (cpu1 - cpu0) / elapsed, (1.0 / raw) / per);
    }
    printf("ERRORS %lu\n", err_count);
    return err_count == 0 && ok_count > 0 ? 0 : 1;
}
