/*
 * test_engines.c - the fast engine (fast.c) and the reference interpreter
 * (exec.c) run a program the same way, cycle for cycle, including code that
 * overwrites instructions the fast engine has already decoded; and the
 * engine is a setting like any other; and the fast engine's memos (a load's
 * or store's last cache hit, fast.c) are forgotten whenever what they rest
 * on changes: a TLB rewrite, another CPU's write or read of the line, and
 * the memo clock wrapping around. (Every other unit test runs on the
 * default engine, the fast one; sim/tests/engines.sh compares both on whole
 * programs.)
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "internal.h" /* the memo clock, for the wrap-around test */

TestSuite(engines);

/* The result and the statistics of one run. */
struct outcome {
    uint32_t t1; /* the register the test looks at */
    char *json;
};

/* The outcome of the run h has made: register reg and the statistics; the
 * machine is destroyed. */
static struct outcome outcome_of(struct harness *h, int reg)
{
    struct outcome o = {.t1 = h_reg(h, reg)};
    json_t *j = h_stats_json(h);
    o.json = json_dumps(j, JSON_SORT_KEYS);
    cr_assert_not_null(o.json);
    json_decref(j);
    h_fini(h);
    return o;
}

/* A loop that runs the instruction at X twice. The first pass stores X's
 * own word over it (no change) and executes it, so that it is decoded; the
 * second stores "addiu t1, zero, 2" over it just before executing it, so
 * that the decoded copy is stale. Near: X is the instruction right after
 * the store. Far: X is in another page, reached by a jump. */
static struct outcome run_smc(enum sim_engine engine, bool far)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.engine = engine;
    struct harness h;
    h_init(&h, &cfg);
    uint32_t start = h_here(&h);
    uint32_t loop = start + 7 * 4; /* after the three h_li and one addiu */
    uint32_t x = far ? CODE_BASE + 0x1000 : loop + 4;
    h_li(&h, S0, addiu(T1, ZERO, 1)); /* X's word on the first pass */
    h_li(&h, S2, addiu(T1, ZERO, 2)); /* ...and on the second */
    h_li(&h, T2, x);
    h_emit(&h, addiu(S1, ZERO, 0));
    cr_assert_eq(h_here(&h), loop);
    h_emit(&h, sw(S0, 0, T2));
    if (far) {
        h_emit(&h, j(x));
        h_emit(&h, nop());
    } else {
        cr_assert_eq(h_emit(&h, addiu(T1, ZERO, 1)), x);
    }
    uint32_t back = h_here(&h);
    uint32_t test = h_emit(&h, bne(S1, ZERO, 0)); /* to the end: patched below */
    h_emit(&h, addiu(S1, S1, 1));
    h_emit(&h, beq(ZERO, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, or_(S0, S2, ZERO));
    h_patch(&h, test, bne(S1, ZERO, h_rel(test, h_here(&h))));
    h_halt(&h, 0);
    if (far) {
        h_org(&h, x);
        h_emit(&h, addiu(T1, ZERO, 1));
        h_emit(&h, j(back));
        h_emit(&h, nop());
    }
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    return outcome_of(&h, T1);
}

static void same_run(bool far)
{
    struct outcome a = run_smc(SIM_ENGINE_INTERP, far);
    struct outcome b = run_smc(SIM_ENGINE_FAST, far);
    cr_assert_eq(a.t1, 2, "interpreter: t1 = %u, want the stored instruction's 2", a.t1);
    cr_assert_eq(b.t1, 2, "fast engine ran a stale decoded instruction: t1 = %u", b.t1);
    cr_assert_str_eq(a.json, b.json, "the engines' statistics differ");
    free(a.json);
    free(b.json);
}

Test(engines, store_over_the_next_instruction)
{
    same_run(false);
}

Test(engines, store_over_code_in_another_page)
{
    same_run(true);
}

/* ---- memos ----------------------------------------------------------------
 *
 * Each program below runs the instruction under test (OP) twice in a row,
 * three times over (passes A, B and C), with a wait in between. Pass A
 * brings the code and the data into the cache; in pass B nothing misses, so
 * OP's second run leaves a memo that nothing has disturbed; then, during the
 * wait after pass B, something happens that the memo must not survive: a
 * TLB rewrite by CPU 0, or CPU 1 writing or reading the line. A memo that
 * survived would read the wrong page or skip a miss or upgrade that the
 * reference model takes, which changes S3 or the statistics. The waits are
 * register-only loops, so that CPU 0 touches no other line in between. */

#define MEMO_X 0x80010000u   /* the line under test (kseg0, cached) */
#define MEMO_UVA 0x00400000u /* a mapped page pair (the TLB test) */
#define MEMO_PAGE_A 0x00020000u
#define MEMO_PAGE_B 0x00030000u
#define MEMO_CPU1 0x80004000u /* CPU 1's code */

/* A wait of about 3n cycles that touches no memory but its own code. */
static void emit_wait(struct harness *h, uint32_t n)
{
    h_li(h, T0, n);
    uint32_t loop = h_emit(h, addiu(T0, T0, -1));
    h_emit(h, bne(T0, ZERO, h_rel(h_here(h), loop)));
    h_emit(h, nop());
}

/* The TLB test's event: map MEMO_UVA's pair (entry 3) to the pages whose
 * EntryLo values are in S6 and S7. */
static void emit_remap(struct harness *h)
{
    h_emit(h, ori(T0, ZERO, 3));
    h_emit(h, mtc0(T0, CP0_INDEX, 0));
    h_li(h, T0, MEMO_UVA);
    h_emit(h, mtc0(T0, CP0_ENTRYHI, 0));
    h_emit(h, mtc0(S6, CP0_ENTRYLO0, 0));
    h_emit(h, mtc0(S7, CP0_ENTRYLO1, 0));
    h_emit(h, tlbwi());
}

/* CPU 0 runs OP (on address S0, adding V0 into S3) twice per pass; with
 * cpu1_op 0 it maps MEMO_UVA itself after each pass (to page A after pass
 * A, so that the code is cached, and to page B after pass B), else CPU 1
 * runs cpu1_op (on MEMO_X, T1 = 0x5678) during CPU 0's wait after pass B. */
static struct outcome run_memo(enum sim_engine engine, uint32_t op, uint32_t cpu1_op)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.engine = engine;
    cfg.nodes = cpu1_op ? 2 : 1;
    struct harness h;
    h_init(&h, &cfg);
    h_poke32(&h, MEMO_X, 0x1000);
    h_poke32(&h, MEMO_PAGE_A, 0xAAAA0000);
    h_poke32(&h, MEMO_PAGE_B, 0xBBBB0000);
    if (!cpu1_op)
        h_map(&h, 0, 3, MEMO_UVA, MEMO_PAGE_A, H_PTE_RW);
    h_li(&h, S0, cpu1_op ? MEMO_X : MEMO_UVA);
    h_li(&h, T1, 0x1234);
    h_li(&h, S6, h_pte(MEMO_PAGE_A, H_PTE_RW));
    h_li(&h, S7, h_pte(MEMO_PAGE_A + MIPS_PAGE_SIZE, H_PTE_RW));
    h_emit(&h, ori(S4, ZERO, 0)); /* passes done */
    uint32_t pass = h_here(&h);
    h_emit(&h, ori(S5, ZERO, 2));
    uint32_t again = h_emit(&h, op);
    h_emit(&h, addu(S3, S3, V0));
    h_emit(&h, addiu(S5, S5, -1));
    h_emit(&h, bne(S5, ZERO, h_rel(h_here(&h), again)));
    h_emit(&h, nop());
    h_emit(&h, addiu(S4, S4, 1));
    h_emit(&h, ori(T2, ZERO, 3));
    uint32_t done = h_emit(&h, beq(S4, T2, 0)); /* after pass C: patched below */
    h_emit(&h, nop());
    if (!cpu1_op)
        emit_remap(&h); /* after pass A to page A again, after pass B to page B */
    emit_wait(&h, 3000);
    h_li(&h, S6, h_pte(MEMO_PAGE_B, H_PTE_RW));
    h_li(&h, S7, h_pte(MEMO_PAGE_B + MIPS_PAGE_SIZE, H_PTE_RW));
    h_emit(&h, b(h_rel(h_here(&h), pass)));
    h_emit(&h, nop());
    h_patch(&h, done, beq(S4, T2, h_rel(done, h_here(&h))));
    h_halt(&h, 0);
    if (cpu1_op) {
        /* CPU 1: wait until CPU 0 is in its wait after pass B, then its
         * access, then spin. */
        h_org(&h, MEMO_CPU1);
        h_li(&h, S0, MEMO_X);
        h_li(&h, T1, 0x5678);
        emit_wait(&h, 4000);
        h_emit(&h, cpu1_op);
        h_emit(&h, b(-1));
        h_emit(&h, nop());
        h_start(&h, 1, MEMO_CPU1, 0);
    }
    h_start(&h, 0, CODE_BASE, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT, "%s", sim_stop_message(h.m));
    cr_assert_eq(sim_exit_status(h.m), 0, "%s", sim_stop_message(h.m));
    return outcome_of(&h, S3);
}

/* Both engines: the same S3 (want, unless 0) and the same statistics. */
static void same_memo_run(uint32_t op, uint32_t cpu1_op, uint32_t want)
{
    struct outcome a = run_memo(SIM_ENGINE_INTERP, op, cpu1_op);
    struct outcome b = run_memo(SIM_ENGINE_FAST, op, cpu1_op);
    if (want)
        cr_assert_eq(a.t1, want, "interpreter: S3 = %#x, want %#x", a.t1, want);
    cr_assert_eq(b.t1, a.t1, "fast engine: S3 = %#x, interpreter %#x", b.t1, a.t1);
    cr_assert_str_eq(a.json, b.json, "the engines' statistics differ");
    free(a.json);
    free(b.json);
}

Test(engines, a_load_memo_is_forgotten_when_the_tlb_changes)
{
    same_memo_run(lw(V0, 0, S0), 0, 4 * 0xAAAA0000u + 2 * 0xBBBB0000u);
}

Test(engines, a_load_memo_is_forgotten_when_another_cpu_writes_the_line)
{
    same_memo_run(lw(V0, 0, S0), sw(T1, 0, S0), 4 * 0x1000 + 2 * 0x5678);
}

Test(engines, a_store_memo_is_forgotten_when_another_cpu_reads_the_line)
{
    /* CPU 0's pass C stores to a line it now holds clean and CPU 1
     * shares: an upgrade, which a surviving memo would skip. */
    same_memo_run(sw(T1, 0, S0), lw(T2, 0, S0), 0);
}

Test(engines, the_memo_clock_wraps_to_new_nonzero_epochs)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 4;
    struct harness h;
    h_init(&h, &cfg);
    h.m->memo_clock = UINT32_MAX - 1;
    fast_forget(&h.m->cpu[2]); /* the last epoch before the wrap */
    cr_assert_eq(h.m->cpu[2].memo_epoch, UINT32_MAX);
    fast_forget(&h.m->cpu[2]); /* the wrap */
    for (int i = 0; i < 4; i++) {
        uint32_t e = h.m->cpu[i].memo_epoch;
        cr_assert_neq(e, 0u, "CPU %d has epoch 0, which every unused memo has", i);
        cr_assert_leq(e, 4u, "CPU %d kept an epoch from before the wrap: %u", i, e);
        for (int k = 0; k < i; k++)
            cr_assert_neq(e, h.m->cpu[k].memo_epoch, "CPUs %d and %d share an epoch", k, i);
    }
    h_fini(&h);
}

Test(engines, the_default_is_the_fast_one_whatever_the_environment)
{
    struct sim_config cfg;
    setenv("FLASHSIM_ENGINE", "interp", 1); /* what earlier versions read */
    sim_config_default(&cfg);
    unsetenv("FLASHSIM_ENGINE");
    cr_assert_eq(cfg.engine, SIM_ENGINE_FAST);
}

Test(engines, engine_names_are_fast_and_interp)
{
    enum sim_engine e = SIM_ENGINE_FAST;
    cr_assert(sim_parse_engine("interp", &e));
    cr_assert_eq(e, SIM_ENGINE_INTERP);
    cr_assert(sim_parse_engine("fast", &e));
    cr_assert_eq(e, SIM_ENGINE_FAST);
    cr_assert_not(sim_parse_engine("Fast", &e));
    cr_assert_not(sim_parse_engine("", &e));
    cr_assert_not(sim_parse_engine(NULL, &e));
    cr_assert_eq(e, SIM_ENGINE_FAST, "a refused name changed the engine");
}

Test(engines, unknown_engine_refused)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    cfg.engine = (enum sim_engine)7;
    char err[128];
    cr_assert_neq(sim_config_check(&cfg, err, sizeof err), 0);
    cr_assert_not_null(strstr(err, "engine"));
}
