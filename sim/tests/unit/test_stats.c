/*
 * test_stats.c - how time is split (stats.h): every cycle of a CPU is in
 * exactly one category, stalls belong to the mode they happened in, and
 * the JSON file and the traces report what happened.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static struct harness h;

static void setup(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    h_init(&h, &cfg);
}
static void teardown(void) { h_fini(&h); }

TestSuite(stats, .init = setup, .fini = teardown);
TestSuite(trace);

static uint64_t category_sum(int cpu)
{
    const struct sim_cpu_stats *st = sim_cpu_stats(h.m, cpu);
    uint64_t sum = 0;
    for (int t = 0; t < TIME_COUNT; t++)
        sum += st->cycles[t];
    return sum;
}

static void charge_on_syscall(struct sim *m, const struct sim_exception *e, void *arg)
{
    (void)arg;
    if (e->code != EXC_SYS) {
        sim_halt(m, H_EXC_STATUS);
        return;
    }
    sim_cpu_charge(m, e->cpu, 300);
    sim_mem_zero_page(m, e->cpu, 0x30000);
    sim_cpu_set_cp0(m, e->cpu, CP0_EPC, 0, e->epc + 4);
    sim_cpu_eret(m, e->cpu);
}

Test(stats, every_cycle_of_every_cpu_is_in_exactly_one_category)
{
    /* CPU 0: kernel code with misses, a syscall the monitor charges for, a
     * WAIT on the timer; CPU 1: never started. */
    sim_set_exception_handler(h.m, charge_on_syscall, NULL);
    h_li(&h, S0, 0x80100000u); /* node 1: remote */
    h_emit(&h, lw(V0, 0, S0));
    h_emit(&h, syscall_());
    h_emit(&h, mfc0(T0, CP0_COUNT, 0));
    h_emit(&h, addiu(T0, T0, 3000));
    h_emit(&h, mtc0(T0, CP0_COMPARE, 0));
    h_emit(&h, wait_());
    H_EXEC(&h, nop());
    for (int c = 0; c < 2; c++)
        cr_expect_eq(category_sum(c), sim_cpu_cycles(h.m, c), "CPU %d: categories %lu, clock %lu", c,
                     (unsigned long)category_sum(c), (unsigned long)sim_cpu_cycles(h.m, c));
    const struct sim_cpu_stats *st = sim_cpu_stats(h.m, 0);
    cr_expect_gt(st->cycles[TIME_KERNEL], 0);
    cr_expect_geq(st->cycles[TIME_MONITOR], 300 + 32 * h.cfg.lat_local);
    cr_expect_gt(st->cycles[TIME_IDLE], 2900);
    cr_expect_eq(st->cycles[TIME_OFF], 0);
    cr_expect_eq(sim_cpu_stats(h.m, 1)->cycles[TIME_OFF], sim_cpu_cycles(h.m, 1));
}

Test(stats, kernel_time_is_instructions_plus_the_stalls_of_kernel_mode)
{
    h_li(&h, S0, 0x80100000u);
    h_li(&h, S1, 0x80010000u);
    H_EXEC(&h, lw(V0, 0, S0), lw(V0, 0, S1), sw(V0, 256, S1), lw(V0, 0, S0));
    const struct sim_cpu_stats *st = sim_cpu_stats(h.m, 0);
    cr_expect_gt(st->stall_remote, 0);
    cr_expect_gt(st->stall_local, 0);
    cr_expect_eq(st->cycles[TIME_KERNEL], st->insns[MODE_KERNEL] + st->stall_local + st->stall_remote);
}

Test(stats, user_mode_stalls_count_as_user_time)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_map(&h, 0, 0, 0, 0, H_PTE_RW);
    h_map(&h, 0, 1, 0x00100000u, 0x00100000u, H_PTE_RW); /* node 1 */
    h_li(&h, S0, 0x00100000u);
    h_emit(&h, lw(V0, 0, S0));
    h_emit(&h, lw(V0, 128, S0));
    h_emit(&h, syscall_());
    h_start(&h, 0, CODE_BASE - MIPS_KSEG0, ST_KSU_USER);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    const struct sim_cpu_stats *st = sim_cpu_stats(h.m, 0);
    cr_expect_eq(st->stall_remote, 2 * h.cfg.lat_remote);
    cr_expect_geq(st->cycles[TIME_USER], st->insns[MODE_USER] + 2 * h.cfg.lat_remote);
    cr_expect_eq(st->cycles[TIME_KERNEL], 0);
}

Test(stats, json_reports_exceptions_interrupts_and_tlb_counters_by_name)
{
    h_catch(&h, H_EXC_SKIP);
    h_li(&h, A0, 0x00400000u);
    h_emit(&h, syscall_());
    h_emit(&h, syscall_());
    h_emit(&h, break_());
    h_emit(&h, lw(V0, 0, A0)); /* TLB refill */
    h_emit(&h, ori(T0, ZERO, 1u << (CAUSE_IP_SHIFT + 1)));
    h_emit(&h, mtc0(T0, CP0_CAUSE, 0));
    h_emit(&h, ori(T0, ZERO, (1u << (ST_IM_SHIFT + 1)) | ST_IE));
    h_emit(&h, mtc0(T0, CP0_STATUS, 0)); /* IP1: interrupt, taken once... */
    h_emit(&h, mtc0(ZERO, CP0_STATUS, 0));
    H_EXEC(&h, nop());
    json_t *j = h_stats_json(&h);
    cr_expect_eq(h_json_u64(j, "cpus.0.exceptions.Sys"), 2);
    cr_expect_eq(h_json_u64(j, "cpus.0.exceptions.Bp"), 1);
    cr_expect_eq(h_json_u64(j, "cpus.0.exceptions.TLBL"), 1);
    cr_expect_geq(h_json_u64(j, "cpus.0.exceptions.Int"), 1);
    cr_expect_geq(h_json_u64(j, "cpus.0.interrupts.IP1"), 1);
    cr_expect_eq(h_json_u64(j, "cpus.0.tlb.refill"), 1);
    cr_expect_eq(h_json_u64(j, "cpus.0.cpu"), 0);
    cr_expect_eq(h_json_u64(j, "cpus.1.cpu"), 1);
    cr_expect_eq(h_json_u64(j, "config.nodes"), 2);
    cr_expect_eq(h_json_u64(j, "stop.status"), 0);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "stop"), "reason")), "halt");
    cr_expect_eq(h_json_u64(j, "cpus.0.insns.kernel"), sim_cpu_stats(h.m, 0)->insns[MODE_KERNEL]);
    json_decref(j);
}

Test(stats, write_stats_to_an_unwritable_path_fails_with_a_message)
{
    char err[256] = "";
    cr_expect_eq(sim_write_stats(h.m, "/nonexistent/dir/stats.json", err, sizeof err), -1);
    cr_expect_neq(strstr(err, "/nonexistent/dir/stats.json"), NULL, "%s", err);
}

Test(stats, running_again_after_a_halt_changes_nothing)
{
    H_EXEC(&h, nop());
    uint64_t c = sim_cpu_cycles(h.m, 0), now = sim_now(h.m);
    cr_expect_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_cpu_cycles(h.m, 0), c);
    cr_expect_eq(sim_now(h.m), now);
}

/* ---- traces ------------------------------------------------------------------- */

static char *trace_of(unsigned what, void (*program)(struct harness *))
{
    char *buf = NULL;
    size_t len = 0;
    FILE *t = open_memstream(&buf, &len);
    cr_assert_not_null(t);
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.trace = what;
    cfg.trace_out = t;
    struct harness x;
    h_init(&x, &cfg);
    program(&x);
    h_fini(&x);
    fclose(t);
    return buf;
}

static void traced_program(struct harness *x)
{
    h_skip_vector(x);
    h_li(x, S0, PWR_MARK);
    h_emit(x, addiu(T0, ZERO, 77));
    h_emit(x, sw(T0, 0, S0));
    h_emit(x, syscall_());
    h_exec(x, (const uint32_t[]){nop()}, 1);
}

Test(trace, insn_trace_disassembles_every_instruction)
{
    char *t = trace_of(SIM_TRACE_INSN, traced_program);
    cr_expect_neq(strstr(t, "addiu t0,zero,77"), NULL, "%s", t);
    cr_expect_neq(strstr(t, "syscall"), NULL);
    cr_expect_neq(strstr(t, "eret"), NULL, "the vector's instructions are traced too");
    cr_expect_eq(strstr(t, "exc "), NULL, "exceptions were traced without SIM_TRACE_EXC");
    free(t);
}

Test(trace, exception_trace_names_the_exception_and_pc)
{
    char *t = trace_of(SIM_TRACE_EXC, traced_program);
    cr_expect_neq(strstr(t, "Sys"), NULL, "%s", t);
    cr_expect_eq(strstr(t, "addiu"), NULL, "instructions were traced without SIM_TRACE_INSN");
    free(t);
}

Test(trace, mark_trace_shows_the_value)
{
    char *t = trace_of(SIM_TRACE_MARK, traced_program);
    cr_expect_neq(strstr(t, "77"), NULL, "%s", t);
    free(t);
}

Test(trace, no_trace_writes_nothing)
{
    char *t = trace_of(0, traced_program);
    cr_expect_str_eq(t, "");
    free(t);
}
