/*
 * test_determinism.c - the same program and settings give the same cycle
 * counts, statistics and results, run after run, even with CPUs racing on
 * LL/SC.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flash/timeline.h"
#include "harness.h"

TestSuite(determinism);

#define NCPU 4
#define ITERS 300
#define COUNTER 0x80010000u /* shared counter */
#define DONE    0x80010080u /* CPUs finished (another line) */
#define RETRIES 0x80010100u /* per CPU: failed SCs, 128 bytes apart */
#define WORKER  0x80002000u

struct outcome {
    uint64_t cycles[NCPU];
    struct sim_cpu_stats st[NCPU];
    uint32_t counter, retries;
    char *json;
    int status;
};

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    return buf;
}

/* CPU 0 starts CPUs 1..3 at WORKER through the power device, then works
 * too; each worker adds 1 to COUNTER ITERS times with LL/SC, counting its
 * failed SCs, then adds 1 to DONE. CPU 0 halts when DONE reaches 4. */
static struct outcome run_timeline(uint32_t quantum, const char *timeline)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = NCPU;
    cfg.mem_per_node = 256u << 10;
    cfg.quantum = quantum;
    struct harness h;
    h_init(&h, &cfg);
    h_li(&h, S0, PWR_HALT);
    h_li(&h, T0, WORKER);
    h_emit(&h, sw(T0, 0x10, S0));            /* CPU_PC */
    for (int i = 1; i < NCPU; i++) {
        h_emit(&h, ori(T0, ZERO, (unsigned)i));
        h_emit(&h, sw(T0, 0x0C, S0));        /* CPU_START i */
    }
    h_emit(&h, ori(A0, ZERO, 0));
    h_emit(&h, jal(WORKER));
    h_emit(&h, nop());
    h_li(&h, S1, DONE);
    h_emit(&h, ori(T1, ZERO, NCPU));
    uint32_t wait = h_emit(&h, lw(T0, 0, S1));
    h_emit(&h, bne(T0, T1, h_rel(h_here(&h), wait)));
    h_emit(&h, nop());
    h_halt(&h, 0);

    h_org(&h, WORKER);
    h_li(&h, S2, COUNTER);
    h_li(&h, S3, RETRIES);
    h_emit(&h, sll(T2, A0, 7));
    h_emit(&h, addu(S3, S3, T2));            /* this CPU's retry counter */
    h_emit(&h, ori(S4, ZERO, ITERS));
    uint32_t again = h_emit(&h, ll(T0, 0, S2));
    h_emit(&h, addiu(T0, T0, 1));
    h_emit(&h, sc(T0, 0, S2));
    uint32_t ok = h_emit(&h, bne(T0, ZERO, 0)); /* patched: to "next" */
    h_emit(&h, nop());
    h_emit(&h, lw(T1, 0, S3));               /* failed: count and retry */
    h_emit(&h, addiu(T1, T1, 1));
    h_emit(&h, sw(T1, 0, S3));
    h_emit(&h, b(h_rel(h_here(&h), again)));
    h_emit(&h, nop());
    uint32_t next = h_emit(&h, addiu(S4, S4, -1));
    h_patch(&h, ok, bne(T0, ZERO, h_rel(ok, next)));
    h_emit(&h, bne(S4, ZERO, h_rel(h_here(&h), again)));
    h_emit(&h, nop());
    h_li(&h, S1, DONE);
    uint32_t inc = h_emit(&h, ll(T0, 0, S1));
    h_emit(&h, addiu(T0, T0, 1));
    h_emit(&h, sc(T0, 0, S1));
    h_emit(&h, beq(T0, ZERO, h_rel(h_here(&h), inc)));
    h_emit(&h, nop());
    h_emit(&h, jr(RA));                      /* CPU 0 returns; the others have RA = 0 */
    h_emit(&h, nop());
    /* Workers 1..3 "return" to 0: make that a spin. RA = 0 -> kuseg 0 would
     * fault, so give them a harmless target instead. */
    for (int i = 1; i < NCPU; i++)
        sim_cpu_set_reg(h.m, i, RA, WORKER - 8);
    h_org(&h, WORKER - 8);
    h_emit(&h, b(-1));
    h_emit(&h, nop());

    h_start(&h, 0, CODE_BASE, 0);
    struct outcome o = {0};
    char err[256];
    if (timeline)
        cr_assert_eq(sim_timeline_open(h.m, timeline, 97, SIM_TIMELINE_MODES | SIM_TIMELINE_DISKS,
                                       err, sizeof err), 0, "%s", err);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT, "%s", sim_stop_message(h.m));
    cr_assert_eq(sim_timeline_close(h.m), 0);
    o.status = sim_exit_status(h.m);
    for (int i = 0; i < NCPU; i++) {
        o.cycles[i] = sim_cpu_cycles(h.m, i);
        o.st[i] = *sim_cpu_stats(h.m, i);
        o.retries += h_peek32(&h, RETRIES + 128u * (unsigned)i);
    }
    o.counter = h_peek32(&h, COUNTER);
    char *path = h_tempfile(NULL, 0);
    cr_assert_eq(sim_write_stats(h.m, path, err, sizeof err), 0, "%s", err);
    o.json = slurp(path);
    unlink(path);
    free(path);
    h_fini(&h);
    return o;
}

static struct outcome run_contention(uint32_t quantum)
{
    return run_timeline(quantum, NULL);
}

static void expect_same(const struct outcome *a, const struct outcome *b)
{
    cr_expect_eq(a->status, b->status);
    cr_expect_eq(a->counter, b->counter);
    cr_expect_eq(a->retries, b->retries);
    for (int i = 0; i < NCPU; i++) {
        cr_expect_eq(a->cycles[i], b->cycles[i], "CPU %d: %lu vs %lu cycles", i,
                     (unsigned long)a->cycles[i], (unsigned long)b->cycles[i]);
        cr_expect(memcmp(&a->st[i], &b->st[i], sizeof a->st[i]) == 0, "CPU %d statistics differ", i);
    }
    cr_expect_str_eq(a->json, b->json);
}

Test(determinism, contending_ll_sc_counter_is_exact)
{
    struct outcome o = run_contention(10);
    cr_expect_eq(o.status, 0);
    cr_expect_eq(o.counter, NCPU * ITERS);
    cr_expect_gt(o.retries, 0, "no SC ever failed: the CPUs did not contend");
    cr_expect_gt(o.st[3].insns[MODE_KERNEL], ITERS * 5, "CPU 3 did not run the worker");
    free(o.json);
}

Test(determinism, same_program_twice_gives_identical_cycles_and_statistics)
{
    struct outcome a = run_contention(10), b = run_contention(10);
    expect_same(&a, &b);
    free(a.json);
    free(b.json);
}

Test(determinism, same_program_twice_with_the_default_quantum)
{
    struct outcome a = run_contention(1000), b = run_contention(1000);
    expect_same(&a, &b);
    cr_expect_eq(a.counter, NCPU * ITERS);
    free(a.json);
    free(b.json);
}

/* The timeline samples at the ends of time slices, never from an event of
 * its own, so watching a run does not change it (its interval, 97 cycles,
 * is no multiple of the 10-cycle quantum: an event would end slices early). */
Test(determinism, writing_a_timeline_does_not_change_the_run)
{
    char *path = h_tempfile(NULL, 0);
    struct outcome a = run_contention(10), b = run_timeline(10, path);
    expect_same(&a, &b);
    char *tl = slurp(path);
    cr_expect(strstr(tl, "\"CPU 3 time %\"") != NULL, "CPU 3's counters are in the timeline");
    unlink(path);
    free(path);
    free(tl);
    free(a.json);
    free(b.json);
}
