/*
 * issue_batch.h: batch issuance over JSON Lines with a worker pool and ordered output (the
 * `issue --batch` command and bench/bench_issue.c run this same code).
 *
 * Input: one DCC JSON object per line ("\n" or "\r\n" endings; the last line may lack one).
 * Output: exactly one line per input line, in input order:
 *   - the "HC1:..." text of the issued certificate, or
 *   - for a refused line, a JSON object {"line": N, "errors": [{"code": C, "message": M}]} with
 *     the stable error code (SCHEMA_INVALID with the field named, STRUCTURE_INVALID for a line
 *     that is not JSON or is empty, INPUT_TOO_LARGE past HC_MAX_INPUT_TEXT, KEY_USAGE_MISMATCH,
 *     ...). A line is never skipped silently, so output line N always answers input line N.
 *
 * Concurrency: the calling thread reads chunks of lines and writes finished chunks in order;
 * `threads` workers issue the chunks of a bounded ring (so memory stays bounded whatever the input
 * size, and a slow chunk only delays the output behind it).
 */
#ifndef HC_ISSUE_BATCH_H
#define HC_ISSUE_BATCH_H

#include <stdint.h>
#include <stdio.h>

#include "healthcert/issue.h"

/* Most worker threads accepted (--jobs). */
#define HC_BATCH_MAX_THREADS 64

typedef struct hc_batch_stats {
    uint64_t lines;   /* input lines answered */
    uint64_t issued;  /* certificates issued */
    uint64_t refused; /* lines judged invalid (a verdict code) */
    uint64_t failed;  /* lines that could not be issued (out of memory, internal) */
} hc_batch_stats;

/* Called by the calling thread after each chunk written: lines answered and input bytes read. */
typedef void (*hc_batch_progress_fn)(void *ctx, const hc_batch_stats *st, uint64_t bytes_read);

typedef struct hc_batch_options {
    int threads; /* worker threads; 0 = the number of online CPUs */
    const hc_issue_options *issue;
    hc_batch_progress_fn progress; /* NULL for none */
    void *progress_ctx;
} hc_batch_options;

/*
 * Runs the batch. HC_OK when every line was answered (refused lines included: see stats);
 * HC_ERR_IO when reading or writing failed, HC_ERR_NOMEM / HC_ERR_INTERNAL when the pool could
 * not start. stats is filled in either case.
 */
hc_err hc_issue_batch(const hc_issuer *iss, FILE *in, FILE *out, const hc_batch_options *opt,
                      hc_batch_stats *stats);

/* The worker count used for threads == 0: online CPUs, 1..HC_BATCH_MAX_THREADS. */
int hc_batch_default_threads(void);

#endif
