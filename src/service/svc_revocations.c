/*
 * svc_revocations.c: the service's in-memory revocation list, which /v1/verify applies and
 * /v1/revocations publishes, kept in step with the store.
 *
 * At start-up every revoked record of the store is loaded. A revocation made here is added at
 * once; revocations made by other instances sharing the database are read by the housekeeping
 * thread every revocation_refresh_s seconds, incrementally by the store's revocation sequence
 * (re-reading SVC_REVOCATION_OVERLAP numbers below the highest seen, see svc_internal.h).
 */
#include "svc_internal.h"

void
svc_revocations_add(svc *s, const hc_cert_record *rec)
{
    for (int t = 0; t < HC_REVOCATION_HASH_TYPES; t++) {
        /* A failure here (bounds, memory) leaves that hash out; the refresh retries it. */
        (void)hc_revocation_list_add(s->revoked, rec->kid, sizeof rec->kid,
                                     (hc_revocation_hash_type)t, rec->hashes[t]);
    }
    int64_t cur = atomic_load(&s->published_seq);
    while (rec->revocation_seq > cur &&
           !atomic_compare_exchange_weak(&s->published_seq, &cur, rec->revocation_seq)) {
    }
}

static bool
add_record(void *ctx, const hc_cert_record *rec)
{
    svc_revocations_add(ctx, rec);
    return true;
}

hc_err
svc_revocations_refresh(svc *s, bool full)
{
    int64_t max = 0;
    pthread_mutex_lock(&s->revsync_mu);
    int64_t after = full || s->revocation_seq <= SVC_REVOCATION_OVERLAP
                        ? 0
                        : s->revocation_seq - SVC_REVOCATION_OVERLAP;
    hc_err e = hc_store_foreach_revoked(s->store, after, add_record, s, &max);
    if (e == HC_OK && max > s->revocation_seq) {
        s->revocation_seq = max;
    }
    pthread_mutex_unlock(&s->revsync_mu);
    return e;
}
