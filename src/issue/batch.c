/*
 * batch.c: batch issuance with a worker pool and ordered output (see issue_batch.h).
 *
 * The ring: slots of up to CHUNK_LINES lines move FREE -> FILLED (the calling thread read them)
 * -> DONE (a worker issued them) -> FREE (the calling thread wrote them out, in sequence order).
 * Sequence numbers next_fill >= next_take >= ... >= next_write order everything; a slot is owned
 * by exactly one thread at a time (the reader/writer between DONE and FILLED, a worker between
 * taking and DONE), so only the counters and states need the mutex.
 *
 * A worker runs each issuing stage over the whole chunk (prepare, sign, finish: issue_internal.h)
 * and then writes the chunk's answers in line order.
 *
 * Streaming: when the input is a pipe with no data waiting, the calling thread first hands over
 * the lines it has, writes every finished chunk and flushes, and only then blocks in read(2), so a
 * producer that waits for the answer to its line gets it (no deadlock, no 32-line latency).
 */
#include "issue_batch.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hc_limits.h"
#include "issue_internal.h"
#include "issue_json.h"

/* Lines per chunk: a chunk is ~1 ms of signing, so locking per chunk costs nothing measurable,
 * and the progress bar still moves smoothly. */
#define CHUNK_LINES 32
/* Chunks in flight per worker: enough to keep every worker busy while the writer waits for the
 * older half of them (write_next), so that it is woken once per 4 chunks per worker. */
#define SLOTS_PER_THREAD 8
#define READ_BUF_SIZE    (64 * 1024)

typedef enum slot_state { SLOT_FREE = 0, SLOT_FILLED, SLOT_DONE } slot_state;

typedef struct line_rec {
    size_t off, len; /* in the slot's text */
    uint64_t no;     /* 1-based input line number */
    bool too_long;
} line_rec;

typedef struct buf {
    char *data;
    size_t len, cap;
} buf;

typedef struct slot {
    slot_state state;
    buf text; /* the lines, each followed by a NUL */
    line_rec lines[CHUNK_LINES];
    size_t n;
    hc_issue_job jobs[CHUNK_LINES]; /* the worker's: each line between its stages */
    hc_err errs[CHUNK_LINES];
    char msgs[CHUNK_LINES][512];
    buf out;           /* the answer lines */
    hc_batch_stats st; /* this chunk's counts */
} slot;

typedef struct reader {
    FILE *f;
    int fd; /* -1 when the stream has none (fmemopen): then fread, which never blocks */
    uint8_t *data;
    size_t pos, len;
    bool eof, error;
    uint64_t bytes, line_no;
} reader;

typedef struct pool {
    pthread_mutex_t mu;
    pthread_cond_t work_cv; /* a chunk was filled, or closing */
    pthread_cond_t done_cv; /* the chunks the calling thread waits for are done */
    slot *slots;
    size_t nslots;
    uint64_t next_fill, next_take, next_write;
    /* The calling thread sleeps until chunks wait_first..wait_last are done (write_next). */
    bool writer_waiting;
    uint64_t wait_first, wait_last;
    bool closing;
    const hc_issuer *iss;
    const hc_issue_options *opt;
} pool;

int
hc_batch_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) {
        return 1;
    }
    return n > HC_BATCH_MAX_THREADS ? HC_BATCH_MAX_THREADS : (int)n;
}

/* Room for n more bytes. */
static bool
buf_reserve(buf *b, size_t n)
{
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 4096;
        while (n > cap - b->len) {
            cap *= 2;
        }
        char *d = realloc(b->data, cap);
        if (d == NULL) {
            return false;
        }
        b->data = d;
        b->cap = cap;
    }
    return true;
}

static bool
buf_append(buf *b, const void *p, size_t n)
{
    if (!buf_reserve(b, n)) {
        return false;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return true;
}

/* ---- the workers ---- */

/* Appends the refusal object of one line. */
static bool
append_error(buf *out, uint64_t no, hc_err code, const char *message)
{
    json_t *o = json_pack("{s:I,s:[{s:s,s:s}]}", "line", (json_int_t)no, "errors", "code",
                          hc_err_code(code), "message", message);
    if (o == NULL) {
        /* Only when message is not UTF-8 (it holds text from the input): say less. */
        o = json_pack("{s:I,s:[{s:s,s:s}]}", "line", (json_int_t)no, "errors", "code",
                      hc_err_code(code), "message", hc_err_str(code));
    }
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (s == NULL) {
        return false;
    }
    bool ok = buf_append(out, s, strlen(s)) && buf_append(out, "\n", 1);
    free(s);
    return ok;
}

/* Appends the answer of a line issued: its "HC1:" text, made straight from the compressed
 * COSE into the output (no text allocated per certificate). */
static bool
answer_issued(slot *s, const uint8_t *z, size_t z_len)
{
    size_t n = hc_issue_text_len(z_len);
    if (!buf_reserve(&s->out, n + 1)) { /* + 1: the NUL, then the line break over it */
        return false;
    }
    hc_issue_text(z, z_len, s->out.data + s->out.len);
    s->out.data[s->out.len + n] = '\n';
    s->out.len += n + 1;
    s->st.issued++;
    s->st.lines++;
    return true;
}

/* Appends the refusal object of line i. */
static void
answer_refused(slot *s, size_t i, hc_err e)
{
    char *msg = s->msgs[i];
    if (msg[0] == '\0') {
        snprintf(msg, sizeof s->msgs[i], "%s", hc_err_str(e));
    }
    if (hc_err_is_verdict(e)) {
        s->st.refused++;
    } else {
        s->st.failed++;
    }
    s->st.lines++;
    if (!append_error(&s->out, s->lines[i].no, e, msg)) {
        /* Keep the one-line-per-input promise even without memory for the message. */
        static const char oom[] = "{\"errors\":[{\"code\":\"OUT_OF_MEMORY\",\"message\":\"\"}]}\n";
        if (!buf_append(&s->out, oom, sizeof oom - 1)) {
            s->out.len = 0; /* the writer reports the chunk as failed */
        }
    }
}

/*
 * Stage 1 of a line: its JSON, then hc_issue_prepare. *spare is this worker's previous record,
 * which the line's values are parsed into (issue_json.h: most lines share their shape and many
 * values); the record goes back to *spare once encoded, as the batch answers with the text only.
 */
static hc_err
prepare_line(const pool *p, slot *s, size_t i, json_t **spare)
{
    const line_rec *l = &s->lines[i];
    char *msg = s->msgs[i];
    size_t cap = sizeof s->msgs[i];

    msg[0] = '\0';
    memset(&s->jobs[i], 0, sizeof s->jobs[i]);
    if (l->too_long) {
        snprintf(msg, cap, "the line is longer than %d bytes", HC_MAX_INPUT_TEXT);
        return HC_ERR_INPUT_TOO_LARGE;
    }
    if (l->len == 0) {
        snprintf(msg, cap, "empty line: expected one DCC JSON object");
        return HC_ERR_STRUCTURE_INVALID;
    }
    char why[160] = "";
    int column = 0;
    json_t *j =
        hc_issue_json_parse_reuse(*spare, s->text.data + l->off, l->len, why, sizeof why, &column);
    *spare = NULL; /* consumed */
    if (j == NULL) {
        snprintf(msg, cap, "not JSON: %s (column %d)", why, column);
        return HC_ERR_STRUCTURE_INVALID;
    }
    hc_err e = hc_issue_prepare(p->iss, j, p->opt, &s->jobs[i], msg, cap); /* consumes j */
    /* Encoded now: taken back while still in cache (after the chunk's signatures it would not
     * be). The answer is the text alone. */
    *spare = s->jobs[i].r.dcc;
    s->jobs[i].r.dcc = NULL;
    s->jobs[i].text_only = true;
    return e;
}

/*
 * A chunk, stage by stage over all its lines (issue_internal.h: each stage's code and tables stay
 * in cache), then the answers in line order.
 */
static void
issue_chunk(const pool *p, slot *s, json_t **spare)
{
    for (size_t i = 0; i < s->n; i++) {
        s->errs[i] = prepare_line(p, s, i, spare);
    }
    for (size_t i = 0; i < s->n; i++) {
        if (s->errs[i] == HC_OK) {
            s->errs[i] = hc_issue_sign(p->iss, &s->jobs[i], s->msgs[i], sizeof s->msgs[i]);
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        hc_err e = s->errs[i];
        if (e == HC_OK) {
            const uint8_t *z = NULL;
            size_t z_len = 0;
            e = hc_issue_compress(&s->jobs[i], &z, &z_len, s->msgs[i], sizeof s->msgs[i]);
            if (e == HC_OK && !answer_issued(s, z, z_len)) {
                e = HC_ERR_NOMEM;
                snprintf(s->msgs[i], sizeof s->msgs[i], "out of memory");
            }
        }
        if (e != HC_OK) {
            answer_refused(s, i, e);
        }
        hc_issue_job_clear(&s->jobs[i]);
    }
}

/* True when chunks first and last are done (under mu; both are in flight, so their slots are
 * theirs). */
static bool
chunks_done(const pool *p, uint64_t first, uint64_t last)
{
    return p->slots[first % p->nslots].state == SLOT_DONE &&
           p->slots[last % p->nslots].state == SLOT_DONE;
}

static void *
worker_main(void *arg)
{
    pool *p = arg;
    json_t *spare = NULL; /* the last record, for the next line's values (prepare_line) */
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->next_take == p->next_fill && !p->closing) {
            pthread_cond_wait(&p->work_cv, &p->mu);
        }
        if (p->next_take == p->next_fill) {
            break; /* closing, nothing left */
        }
        slot *s = &p->slots[p->next_take % p->nslots];
        p->next_take++;
        pthread_mutex_unlock(&p->mu);
        issue_chunk(p, s, &spare);
        pthread_mutex_lock(&p->mu);
        s->state = SLOT_DONE;
        /* Only the calling thread waits for DONE, and only for what it asked. */
        if (p->writer_waiting && chunks_done(p, p->wait_first, p->wait_last)) {
            pthread_cond_signal(&p->done_cv);
        }
    }
    pthread_mutex_unlock(&p->mu);
    json_decref(spare);
    return NULL;
}

/* ---- the reader ---- */

/* True when a read(2) now would block (a pipe or terminal with nothing waiting). */
static bool
would_block(const reader *r)
{
    if (r->fd < 0) {
        return false;
    }
    struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
    int n;
    do {
        n = poll(&pfd, 1, 0);
    } while (n < 0 && errno == EINTR);
    return n == 0;
}

static void
refill(reader *r)
{
    ssize_t n;
    r->pos = 0;
    r->len = 0;
    if (r->fd < 0) {
        size_t got = fread(r->data, 1, READ_BUF_SIZE, r->f);
        if (got == 0) {
            r->eof = true;
            r->error = ferror(r->f) != 0;
        }
        r->len = got;
        return;
    }
    do {
        n = read(r->fd, r->data, READ_BUF_SIZE);
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        r->eof = true;
        r->error = n < 0;
        return;
    }
    r->len = (size_t)n;
}

typedef enum fill_result { FILL_FULL, FILL_BLOCKED, FILL_EOF, FILL_NOMEM } fill_result;

/* Ends line l, the slot's next: marks it too long past the bound, drops the CRs of a CRLF line
 * end, NUL-terminates its text and counts it. False when out of memory. */
static bool
end_line(slot *s, line_rec *l)
{
    l->too_long = l->len > HC_MAX_INPUT_TEXT;
    while (l->len > 0 && s->text.data[l->off + l->len - 1] == '\r') {
        l->len--;
    }
    s->text.len = l->off + l->len;
    if (!buf_append(&s->text, "", 1)) {
        return false;
    }
    s->n++;
    return true;
}

/*
 * Reads lines into s until it holds CHUNK_LINES, the input ends, or (may_block false) reading
 * more would block. A line in progress is kept in s across FILL_BLOCKED returns.
 */
static fill_result
fill_chunk(reader *r, slot *s, bool may_block, bool *in_line)
{
    while (s->n < CHUNK_LINES) {
        if (r->pos == r->len) {
            if (r->eof) {
                break;
            }
            if (!may_block && would_block(r)) {
                return FILL_BLOCKED;
            }
            may_block = false; /* one blocking read per call, then hand over what we have */
            refill(r);
            if (r->eof) {
                break;
            }
            r->bytes += r->len;
            continue;
        }
        line_rec *l = &s->lines[s->n];
        if (!*in_line) {
            memset(l, 0, sizeof *l);
            l->off = s->text.len;
            l->no = ++r->line_no;
            *in_line = true;
        }
        const uint8_t *start = r->data + r->pos;
        const uint8_t *nl = memchr(start, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - start) : r->len - r->pos;
        size_t room = l->len <= HC_MAX_INPUT_TEXT ? HC_MAX_INPUT_TEXT + 1 - l->len : 0;
        size_t keep = take < room ? take : room;
        /* Past the bound the rest of the line is read and dropped: memory stays bounded. */
        if (keep > 0 && !buf_append(&s->text, start, keep)) {
            return FILL_NOMEM;
        }
        l->len += keep;
        r->pos += take + (nl ? 1 : 0);
        if (nl != NULL) {
            *in_line = false;
            if (!end_line(s, l)) {
                return FILL_NOMEM;
            }
        }
    }
    if (s->n < CHUNK_LINES && r->eof && *in_line) {
        /* The last line without a line break. */
        *in_line = false;
        if (!end_line(s, &s->lines[s->n])) {
            return FILL_NOMEM;
        }
    }
    if (s->n == CHUNK_LINES) {
        return FILL_FULL;
    }
    return r->eof ? FILL_EOF : FILL_BLOCKED;
}

/* ---- the calling thread ---- */

static void
add_stats(hc_batch_stats *to, const hc_batch_stats *from)
{
    to->lines += from->lines;
    to->issued += from->issued;
    to->refused += from->refused;
    to->failed += from->failed;
}

/*
 * Writes the oldest chunk; false when it is not done. With wait > 0, first sleeps until the
 * oldest chunk and the wait-th oldest in flight are both done: when the ring is full the calling
 * thread waits for half of it at once, so that it is woken once per several chunks (a wake-up
 * costs more than writing a chunk on a virtual machine), yet the workers never run dry.
 */
static bool
write_next(pool *p, FILE *out, unsigned wait, hc_batch_stats *st, bool *io_error)
{
    slot *s = &p->slots[p->next_write % p->nslots];
    pthread_mutex_lock(&p->mu);
    if (wait > 0) {
        uint64_t last = p->next_write + wait - 1;
        p->wait_first = p->next_write;
        p->wait_last = last < p->next_fill ? last : p->next_fill - 1;
        p->writer_waiting = true;
        while (!chunks_done(p, p->wait_first, p->wait_last)) {
            pthread_cond_wait(&p->done_cv, &p->mu);
        }
        p->writer_waiting = false;
    }
    bool done = s->state == SLOT_DONE;
    pthread_mutex_unlock(&p->mu);
    if (!done) {
        return false;
    }
    if (s->out.len == 0 && s->n > 0) {
        st->failed += s->n; /* no memory even for the error lines */
        st->lines += s->n;
    } else {
        add_stats(st, &s->st);
        if (fwrite(s->out.data, 1, s->out.len, out) != s->out.len) {
            *io_error = true;
        }
    }
    s->text.len = 0;
    s->out.len = 0;
    s->n = 0;
    memset(&s->st, 0, sizeof s->st);
    pthread_mutex_lock(&p->mu);
    s->state = SLOT_FREE;
    pthread_mutex_unlock(&p->mu);
    p->next_write++;
    return true;
}

static void
submit(pool *p, slot *s)
{
    pthread_mutex_lock(&p->mu);
    s->state = SLOT_FILLED;
    p->next_fill++;
    pthread_cond_signal(&p->work_cv);
    pthread_mutex_unlock(&p->mu);
}

hc_err
hc_issue_batch(const hc_issuer *iss, FILE *in, FILE *out, const hc_batch_options *opt,
               hc_batch_stats *stats)
{
    pool p;
    reader r;
    pthread_t tids[HC_BATCH_MAX_THREADS];
    int nthreads = opt && opt->threads > 0 ? opt->threads : hc_batch_default_threads();
    int started = 0;
    hc_err err = HC_OK;
    bool io_error = false, in_line = false;

    memset(stats, 0, sizeof *stats);
    if (iss == NULL || in == NULL || out == NULL) {
        return HC_ERR_INVALID_ARG;
    }
    if (nthreads > HC_BATCH_MAX_THREADS) {
        nthreads = HC_BATCH_MAX_THREADS;
    }
    memset(&p, 0, sizeof p);
    memset(&r, 0, sizeof r);
    p.iss = iss;
    p.opt = opt ? opt->issue : NULL;
    p.nslots = (size_t)nthreads * SLOTS_PER_THREAD;
    p.slots = calloc(p.nslots, sizeof *p.slots);
    r.f = in;
    r.fd = fileno(in);
    r.data = malloc(READ_BUF_SIZE);
    if (p.slots == NULL || r.data == NULL) {
        free(p.slots);
        free(r.data);
        return HC_ERR_NOMEM;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.work_cv, NULL);
    pthread_cond_init(&p.done_cv, NULL);
    for (; started < nthreads; started++) {
        if (pthread_create(&tids[started], NULL, worker_main, &p) != 0) {
            break;
        }
    }
    if (started == 0) {
        err = HC_ERR_INTERNAL;
        goto stop;
    }

    for (;;) {
        /* Write what is finished, oldest first, without waiting. */
        while (p.next_write < p.next_fill && write_next(&p, out, 0, stats, &io_error)) {
        }
        if (io_error) {
            err = HC_ERR_IO;
            break;
        }
        if (opt && opt->progress) {
            opt->progress(opt->progress_ctx, stats, r.bytes);
        }
        bool pending = p.next_write < p.next_fill;
        if (p.next_fill - p.next_write == p.nslots) {
            /* Ring full: wait for its older half. */
            write_next(&p, out, (unsigned)(p.nslots / 2), stats, &io_error);
            continue;
        }
        slot *s = &p.slots[p.next_fill % p.nslots];
        if (r.eof && !in_line && s->n == 0) {
            if (!pending) {
                break; /* everything read and written */
            }
            write_next(&p, out, 1, stats, &io_error);
            continue;
        }
        if (!pending && fflush(out) != 0) {
            /* About to block in read(2) with every answer written: make them visible first. */
            err = HC_ERR_IO;
            break;
        }
        fill_result fr = fill_chunk(&r, s, !pending, &in_line);
        if (fr == FILL_NOMEM) {
            err = HC_ERR_NOMEM;
            break;
        }
        if (r.error) {
            err = HC_ERR_IO;
            break;
        }
        if (s->n > 0 && (fr == FILL_FULL || fr == FILL_EOF || !in_line)) {
            submit(&p, s);
        } else if (fr == FILL_BLOCKED && pending) {
            /* Nothing more to read now: answer what was asked before blocking in read(2). */
            write_next(&p, out, 1, stats, &io_error);
        }
    }
    if (fflush(out) != 0 || ferror(out)) {
        err = err == HC_OK ? HC_ERR_IO : err;
    }
stop:
    pthread_mutex_lock(&p.mu);
    p.closing = true;
    pthread_cond_broadcast(&p.work_cv);
    pthread_mutex_unlock(&p.mu);
    for (int i = 0; i < started; i++) {
        pthread_join(tids[i], NULL);
    }
    for (size_t i = 0; i < p.nslots; i++) {
        free(p.slots[i].text.data);
        free(p.slots[i].out.data);
    }
    free(p.slots);
    free(r.data);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.work_cv);
    pthread_cond_destroy(&p.done_cv);
    return err;
}
