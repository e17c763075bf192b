/*
 * event.c - the machine's queue of timed events.
 *
 * Disk completions and the monitor's timers are events: a function to call
 * at a global cycle. The queue is a binary min-heap ordered by time, and
 * among equal times by the order of scheduling, so that the same run always
 * fires events in the same order. The machine ends every time slice at the
 * next event (machine.c), so an event happens at the same point of every
 * run. An event scheduled, during a slice, for a time inside that slice
 * fires at the slice's end.
 */
#include <stdlib.h>

#include "internal.h"

static bool before(const struct event *a, const struct event *b)
{
    return a->when != b->when ? a->when < b->when : a->seq < b->seq;
}

static void swap(struct event *a, struct event *b)
{
    struct event t = *a;
    *a = *b;
    *b = t;
}

static void sift_up(struct event_queue *q, size_t i)
{
    while (i > 0 && before(&q->heap[i], &q->heap[(i - 1) / 2])) {
        swap(&q->heap[i], &q->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void sift_down(struct event_queue *q, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, min = i;
        if (l < q->len && before(&q->heap[l], &q->heap[min]))
            min = l;
        if (r < q->len && before(&q->heap[r], &q->heap[min]))
            min = r;
        if (min == i)
            return;
        swap(&q->heap[i], &q->heap[min]);
        i = min;
    }
}

static void remove_at(struct event_queue *q, size_t i)
{
    q->heap[i] = q->heap[--q->len];
    if (i < q->len) {
        sift_down(q, i);
        sift_up(q, i);
    }
}

uint64_t event_add(struct sim *m, uint64_t when, sim_event_fn fn, void *arg)
{
    struct event_queue *q = &m->events;
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16;
        struct event *h = realloc(q->heap, cap * sizeof *h);
        if (!h)
            return 0;
        q->heap = h;
        q->cap = cap;
    }
    uint64_t id = ++m->next_event_id;
    q->heap[q->len] = (struct event){when, q->next_seq++, id, fn, arg};
    sift_up(q, q->len++);
    return id;
}

bool event_cancel(struct sim *m, uint64_t id)
{
    struct event_queue *q = &m->events;
    for (size_t i = 0; i < q->len; i++) {
        if (q->heap[i].id == id) {
            remove_at(q, i);
            return true;
        }
    }
    return false;
}

uint64_t event_next_time(const struct sim *m)
{
    return m->events.len ? m->events.heap[0].when : UINT64_MAX;
}

/* Fire every event due at or before now, in order. An event may schedule
 * others; those due now fire in this call too. */
void event_run_due(struct sim *m)
{
    struct event_queue *q = &m->events;
    while (q->len && q->heap[0].when <= m->now && !m->stop) {
        struct event e = q->heap[0];
        remove_at(q, 0);
        e.fn(m, e.arg);
    }
}

void event_free(struct sim *m)
{
    free(m->events.heap);
    m->events.heap = NULL;
    m->events.len = m->events.cap = 0;
}
