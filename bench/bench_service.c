/*
 * bench_service.c: load on a running `healthcert serve` POST /v1/verify, as a share of
 * (cores x the raw OpenSSL ES256 verify rate) measured in the same run (issue 6).
 *
 *   raw:  EVP_DigestVerifyInit + EVP_DigestVerify of one ES256 signature over a DCC-sized
 *         message, key loaded: the least any verifier must do per certificate. Measured while
 *         the service is idle, before and after the load (the mean is used: a virtual machine's
 *         cores get faster and slower with the host's load), by this thread's CPU time (so
 *         another process taking the core meanwhile cannot make the raw rate look slower and
 *         the share look better; the wall-clock rate is printed next to it), on the service's
 *         core with --raw-cpu.
 *   load: C connections (keep-alive HTTP/1.1, one request in flight each, epoll) post the codes
 *         of FILE round-robin for S seconds; every answer must be 200 with "valid":true.
 *
 * Figures (docs/service.md "Load" explains them):
 *   RATIO       rate / (service cores x raw): the share. The service cores are the
 *               machine's unless --service-cores says otherwise (the service pinned with taskset).
 *   EFFICIENCY  raw verify CPU / the service's CPU per verification (/proc/PID/stat with --pid):
 *               the share the service would reach on cores of its own, whatever else runs.
 *   BOUND       raw verify CPU / (service + client CPU per verification): the most RATIO can be
 *               when this client shares the cores with the service.
 * The CPU of everything else on the machine during the load (/proc/stat) is printed too, so a
 * run disturbed by another job shows it.
 *
 * The client keeps its own cost low, since on a shared machine it is taken from the service:
 * requests are built once, the next request is sent as soon as an answer is complete (no
 * epoll_ctl per request: the socket stays registered for input only, output only while a send
 * is incomplete), and answers are checked in place.
 *
 * usage: bench_service PORT CODES_FILE [--connections C] [--seconds S] [--pid SERVICE_PID]
 *                      [--service-cores N] [--raw-cpu CPU]
 * Output ends with "RATIO ...", "EFFICIENCY ...", "BOUND ..." and "ERRORS n"; exit 1 when any
 * request failed. Run by bench/bench_service.sh, which starts the service and issues the codes.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CODES 4096
#define RESP_CAP  (64 * 1024)

typedef struct conn {
    int fd;
    size_t req; /* index of the request being sent / answered */
    size_t sent;
    bool want_out;                  /* registered for EPOLLOUT: the request is not all sent */
    size_t got, head_len, body_len; /* head_len 0: header block not complete yet */
    double t0;
    char resp[RESP_CAP];
} conn;

static char *reqs[MAX_CODES];
static size_t req_len[MAX_CODES];
static size_t n_reqs, next_req;
static unsigned long ok_count, err_count;
static double *lat;
static size_t n_lat, cap_lat;
static int ep;
static unsigned port;

static double
clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_s(void)
{
    return clock_s(CLOCK_MONOTONIC);
}

/* Raw ES256 verifications per CPU second of this thread (and per wall second in *wall_rate),
 * a 300-byte message like a DCC's. */
static double
raw_verify_rate(double seconds, double *wall_rate)
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
    double t0 = now_s(), t = t0, c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
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
    double cpu = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
    EVP_PKEY_free(key);
    *wall_rate = (double)n / (t - t0);
    return (double)n / cpu;
}

/* The raw rate, measured on CPU raw_cpu when >= 0 (the service's core when it is pinned: the
 * cores of a virtual machine need not be equally fast), this thread's affinity restored after. */
static double
raw_rate_on(int raw_cpu, double seconds, double *wall_rate)
{
    cpu_set_t old, one;
    bool moved = false;
    if (raw_cpu >= 0 && sched_getaffinity(0, sizeof old, &old) == 0) {
        CPU_ZERO(&one);
        CPU_SET(raw_cpu, &one);
        moved = sched_setaffinity(0, sizeof one, &one) == 0;
    }
    double r = raw_verify_rate(seconds, wall_rate);
    if (moved) {
        sched_setaffinity(0, sizeof old, &old);
    }
    return r;
}

/* Each code of the file as a complete request, built once. */
static int
load_requests(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    if (f == NULL) {
        return -1;
    }
    while (n_reqs < MAX_CODES && fgets(line, sizeof line, f) != NULL) {
        size_t n = strcspn(line, "\r\n");
        if (n == 0) {
            continue;
        }
        char *r = malloc(n + 200);
        int h = snprintf(r, 200,
                         "POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: "
                         "text/plain\r\nContent-Length: %zu\r\n\r\n",
                         port, n);
        memcpy(r + h, line, n);
        reqs[n_reqs] = r;
        req_len[n_reqs++] = (size_t)h + n;
    }
    fclose(f);
    return n_reqs > 0 ? 0 : -1;
}

static int
connect_to(void)
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

static void
set_events(conn *c, bool out, int op)
{
    struct epoll_event ev = { .events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c };
    epoll_ctl(ep, op, c->fd, &ev);
    c->want_out = out;
}

/* Sends what is left of the current request; waits for EPOLLOUT only when the socket is full. */
static void
push(conn *c)
{
    while (c->sent < req_len[c->req]) {
        ssize_t w = send(c->fd, reqs[c->req] + c->sent, req_len[c->req] - c->sent, MSG_NOSIGNAL);
        if (w <= 0) {
            break;
        }
        c->sent += (size_t)w;
    }
    bool out = c->sent < req_len[c->req];
    if (out != c->want_out) {
        set_events(c, out, EPOLL_CTL_MOD);
    }
}

static void
start_request(conn *c)
{
    c->req = next_req++ % n_reqs;
    c->sent = 0;
    c->got = c->head_len = c->body_len = 0;
    c->t0 = now_s();
}

/* A connection that failed: counted, replaced by a new one with a new request. */
static void
reconnect(conn *c)
{
    err_count++;
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = connect_to();
    start_request(c);
    set_events(c, true, EPOLL_CTL_ADD); /* EPOLLOUT: writable once connected */
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

/* After bytes arrived: true when c->resp holds a complete answer. */
static bool
complete(conn *c, size_t before)
{
    if (c->head_len == 0) {
        /* Look for the blank line only in what is new (and the 3 bytes before it). */
        size_t from = before > 3 ? before - 3 : 0;
        char *end = memmem(c->resp + from, c->got - from, "\r\n\r\n", 4);
        if (end == NULL) {
            return false;
        }
        long cl = content_length(c->resp, end);
        if (cl < 0) {
            c->head_len = SIZE_MAX; /* no length: counted as an error below */
            return true;
        }
        c->head_len = (size_t)(end + 4 - c->resp);
        c->body_len = (size_t)cl;
    }
    return c->head_len == SIZE_MAX || c->got >= c->head_len + c->body_len;
}

static void
on_input(conn *c)
{
    for (;;) {
        size_t before = c->got;
        ssize_t r = recv(c->fd, c->resp + c->got, RESP_CAP - 1 - c->got, 0);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        }
        if (r <= 0 || c->got + (size_t)r >= RESP_CAP - 1) {
            reconnect(c);
            return;
        }
        c->got += (size_t)r;
        if (!complete(c, before)) {
            continue;
        }
        static const char ok[] = "{\"valid\":true";
        if (c->head_len != SIZE_MAX && c->got == c->head_len + c->body_len &&
            strncmp(c->resp, "HTTP/1.1 200 ", 13) == 0 && c->body_len >= sizeof ok - 1 &&
            memcmp(c->resp + c->head_len, ok, sizeof ok - 1) == 0) {
            ok_count++;
        } else {
            /* Also an answer with more bytes than it declared: the stream is out of step. */
            reconnect(c);
            return;
        }
        if (n_lat == cap_lat) {
            cap_lat = cap_lat ? cap_lat * 2 : 65536;
            lat = realloc(lat, cap_lat * sizeof *lat);
        }
        lat[n_lat++] = now_s() - c->t0;
        start_request(c);
        push(c);
        return; /* one answer in flight per connection: nothing more can be waiting */
    }
}

/* CPU seconds (user + system; the system part in *sys) used so far by process pid, -1 when
 * unknown. */
static double
proc_cpu_seconds(long pid, double *sys)
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
    *sys = (double)st / (double)sysconf(_SC_CLK_TCK);
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* CPU seconds this process used so far. */
static double
self_cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Busy CPU seconds of the whole machine so far (/proc/stat: all but idle and iowait). */
static double
machine_busy_seconds(void)
{
    FILE *f = fopen("/proc/stat", "r");
    unsigned long long v[10] = { 0 };
    int n = f != NULL ? fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
                               &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9])
                      : 0;
    if (f != NULL) {
        fclose(f);
    }
    if (n < 8) {
        return -1;
    }
    /* user nice system idle iowait irq softirq steal: guest time is inside user already. */
    return (double)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double)sysconf(_SC_CLK_TCK);
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
    long pid = 0, cores = sysconf(_SC_NPROCESSORS_ONLN), service_cores = 0;
    int raw_cpu = -1;
    if (argc < 3) {
        /* `make bench` runs every bench_* without arguments: this one needs a running service. */
        printf("bench_service: run sh bench/bench_service.sh (it starts the service and issues "
               "the codes)\n");
        return 0;
    }
    port = (unsigned)atoi(argv[1]);
    for (int i = 3; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--connections") == 0) {
            connections = (unsigned)atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--seconds") == 0) {
            seconds = (unsigned)atoi(argv[i + 1]);
        } else if (strcmp(argv[i], "--pid") == 0) {
            pid = atol(argv[i + 1]);
        } else if (strcmp(argv[i], "--service-cores") == 0) {
            service_cores = atol(argv[i + 1]);
        } else if (strcmp(argv[i], "--raw-cpu") == 0) {
            raw_cpu = atoi(argv[i + 1]);
        }
    }
    if (service_cores <= 0) {
        service_cores = cores;
    }
    if (load_requests(argv[2]) != 0) {
        fprintf(stderr, "bench_service: no codes in %s\n", argv[2]);
        return 2;
    }
    /* Before the load; again after it (below), since the speed of a virtual machine's core
     * drifts with its host's load: the figures use the mean of the two. */
    double raw_wall = 0, raw_before = raw_rate_on(raw_cpu, 2.0, &raw_wall);
    printf("raw before: OpenSSL ES256 verify %.0f/s per core by CPU time (%.0f/s by wall "
           "clock)%s\n",
           raw_before, raw_wall, raw_cpu >= 0 ? ", on the service's core" : "");

    ep = epoll_create1(0);
    conn *cs = calloc(connections, sizeof *cs);
    for (unsigned i = 0; i < connections; i++) {
        cs[i].fd = connect_to();
        if (cs[i].fd < 0) {
            fprintf(stderr, "bench_service: cannot connect to 127.0.0.1:%u\n", port);
            return 2;
        }
        start_request(&cs[i]);
        set_events(&cs[i], true, EPOLL_CTL_ADD); /* EPOLLOUT: writable once connected */
    }
    double sys0 = 0, sys1 = 0;
    double svc0 = pid > 0 ? proc_cpu_seconds(pid, &sys0) : -1, self0 = self_cpu_seconds();
    double all0 = machine_busy_seconds();
    double t0 = now_s(), deadline = t0 + seconds;
    struct epoll_event evs[256];
    while (now_s() < deadline) {
        int n = epoll_wait(ep, evs, 256, 100);
        for (int k = 0; k < n; k++) {
            conn *c = evs[k].data.ptr;
            if (evs[k].events & (EPOLLERR | EPOLLHUP)) {
                reconnect(c);
                continue;
            }
            if ((evs[k].events & EPOLLOUT) && c->want_out) {
                push(c);
            }
            if (evs[k].events & EPOLLIN) {
                on_input(c);
            }
        }
    }
    double elapsed = now_s() - t0;
    double svc1 = pid > 0 ? proc_cpu_seconds(pid, &sys1) : -1, self1 = self_cpu_seconds();
    double all1 = machine_busy_seconds();
    for (unsigned i = 0; i < connections; i++) {
        close(cs[i].fd); /* the service idles while the raw rate is measured again */
    }
    double raw_wall_after = 0, raw_after = raw_rate_on(raw_cpu, 2.0, &raw_wall_after);
    double raw = (raw_before + raw_after) / 2, raw_us = 1e6 / raw;
    printf("raw after: %.0f/s by CPU time (%.0f/s by wall clock); mean %.0f/s, %.1f us per "
           "verify; %ld cores, service on %ld\n",
           raw_after, raw_wall_after, raw, raw_us, cores, service_cores);
    double rate = (double)ok_count / elapsed;
    unsigned long total = ok_count + err_count;
    qsort(lat, n_lat, sizeof *lat, cmp_double);
    double p50 = n_lat ? lat[n_lat / 2] : 0, p99 = n_lat ? lat[(size_t)((double)n_lat * 0.99)] : 0;
    printf("load: %u connections, %.1f s, %lu valid verdicts, %lu errors\n", connections, elapsed,
           ok_count, err_count);
    printf("rate: %.0f verifications/s; latency p50 %.2f ms, p99 %.2f ms\n", rate, p50 * 1000,
           p99 * 1000);
    double client_us = total > 0 ? (self1 - self0) / (double)total * 1e6 : 0;
    double svc_us = svc0 >= 0 && svc1 >= 0 && total > 0 ? (svc1 - svc0) / (double)total * 1e6 : -1;
    if (svc_us > 0) {
        double other = all0 >= 0 && all1 >= 0 ? (all1 - all0 - (svc1 - svc0) - (self1 - self0)) : 0;
        /* The service's system time is mostly loopback TCP: its own receive and send, and
         * (loopback only) the client's receive path, which a network card would run on the
         * client's machine; the client's send likewise runs the service's receive. */
        printf("cpu: service %.1f us per verification (user %.1f, system %.1f; %.2f cores busy), "
               "client %.1f us (%.2f cores), everything else %.2f cores of %ld\n",
               svc_us, svc_us - (sys1 - sys0) / (double)total * 1e6,
               (sys1 - sys0) / (double)total * 1e6, (svc1 - svc0) / elapsed, client_us,
               (self1 - self0) / elapsed, other > 0 ? other / elapsed : 0.0, cores);
    }
    printf("RATIO service /v1/verify rate / (%ld cores x raw ES256 verify) = %.3f "
           "(target >= 0.7)\n",
           service_cores, rate / ((double)service_cores * raw));
    if (svc_us > 0) {
        printf("EFFICIENCY raw verify %.1f us / service CPU %.1f us per verification = %.3f\n",
               raw_us, svc_us, raw_us / svc_us);
        if (service_cores == cores) {
            /* The client shares the service's cores: both are paid from cores x 1 s. */
            printf("BOUND raw verify / (service + client CPU per verification) = %.3f (the most "
                   "RATIO can be with this client on the service's cores)\n",
                   raw_us / (svc_us + client_us));
        }
    }
    printf("ERRORS %lu\n", err_count);
    return err_count == 0 && ok_count > 0 ? 0 : 1;
}
