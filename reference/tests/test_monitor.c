/*
 * test_monitor.c - the monitor object and its statistics (monitor.h): the
 * JSON file monitor_write_stats() writes (per-VM time split, traps, TLB
 * and L2 TLB counts, pages, marks), the summary, charging.
 */
#include <jansson.h>
#include <string.h>

#include <criterion/criterion.h>

#include "test_fixture.h"

static struct fx f;
static json_t *root;

static void setup(void)
{
    fx_init(&f);
    fx_capture_stderr(&f);
    root = NULL;
}

static void teardown(void)
{
    json_decref(root);
    fx_fini(&f);
}

TestSuite(monitor, .init = setup, .fini = teardown);

/* Write the statistics and parse them back. */
static json_t *stats(void)
{
    char err[256] = "";
    const char *path = fx_path(&f, "stats.json");
    char p[256];
    snprintf(p, sizeof p, "%s", path);
    cr_assert_eq(monitor_write_stats(f.mon, p, err, sizeof err), 0, "%s", err);
    json_error_t jerr;
    json_decref(root);
    root = json_load_file(p, 0, &jerr);
    cr_assert_not_null(root, "stats.json does not parse: %s (line %d)", jerr.text, jerr.line);
    return root;
}

static json_t *get(json_t *obj, const char *key)
{
    json_t *x = json_object_get(obj, key);
    cr_assert_not_null(x, "no \"%s\" in the statistics", key);
    return x;
}

static json_int_t num(json_t *obj, const char *key)
{
    json_t *x = get(obj, key);
    cr_assert(json_is_integer(x), "\"%s\" is not an integer", key);
    return json_integer_value(x);
}

static json_t *vm_stats(int i)
{
    json_t *vms = get(stats(), "vms");
    cr_assert(json_is_array(vms));
    json_t *vm = json_array_get(vms, (size_t)i);
    cr_assert_not_null(vm, "no VM %d in the statistics", i);
    return vm;
}

/* A guest that does @p n privileged instructions, marks 1 and 2 around
 * them, and halts. */
static void busy_prog(struct prog *p, int n)
{
    prog_init(p);
    p_mcall(p, MC_MARK, 1);
    for (int i = 0; i < n; i++)
        p_emit(p, i_mfc0(T0, CP0_STATUS, 0));
    p_mcall(p, MC_MARK, 2);
    p_halt(p, 0);
}

Test(monitor, stats_name_each_vm_with_its_settings_and_outcome)
{
    struct prog p;
    busy_prog(&p, 3);
    fx_vm(&f, "alpha", &p)->cpus = 2;
    fx_vm(&f, "beta", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *vm = vm_stats(0);
    cr_assert_str_eq(json_string_value(get(vm, "name")), "alpha");
    cr_assert_eq(num(vm, "vcpus"), 2);
    cr_assert_eq(num(vm, "memory"), 1 << 20);
    cr_assert_eq(num(vm, "status"), 0);
    cr_assert(json_is_false(get(vm, "stopped")));
    cr_assert_str_eq(json_string_value(get(json_array_get(get(root, "vms"), 1), "name")), "beta");
    cr_assert_eq(json_array_size(get(root, "cpus")), 2u, "one entry per physical CPU");
    cr_assert_gt(num(root, "cycles"), 0);
}

Test(monitor, stats_split_each_vms_time)
{
    struct prog p;
    busy_prog(&p, 50);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *t = get(vm_stats(0), "time");
    cr_assert_gt(num(t, "kernel"), 0, "the guest kernel ran");
    cr_assert_gt(num(t, "monitor"), 0, "50 emulated instructions cost monitor time");
    cr_assert_eq(num(t, "user"), 0, "no user program ran");
    cr_assert_eq(num(t, "idle"), 0);
    /* Every trap costs at least its entry and exit. */
    cr_assert_geq(num(t, "monitor"), 50 * (json_int_t)(f.mon->cost.trap_entry + f.mon->cost.trap_exit));
}

Test(monitor, stats_count_traps_by_cause_and_what_the_monitor_did)
{
    struct prog p;
    busy_prog(&p, 5);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *vm = vm_stats(0);
    json_t *traps = get(vm, "traps");
    cr_assert_eq(num(traps, "CpU"), 5);
    cr_assert_eq(num(traps, "Sys"), 3, "two marks and the halt");
    cr_assert_gt(num(traps, "TLBL"), 0, "the kernel segment is mapped on demand");
    cr_assert_null(json_object_get(traps, "Bp"), "causes that never happened are left out");
    cr_assert_eq(num(vm, "emulated"), 5);
    cr_assert_eq(num(vm, "hcalls"), 3);
    cr_assert_eq(num(vm, "forwarded"), 0);
    json_t *tlb = get(vm, "tlb");
    cr_assert_eq(num(tlb, "misses"), num(traps, "TLBL"));
    cr_assert_eq(num(tlb, "kseg"), num(tlb, "misses"), "all of them in the kernel segment");
}

Test(monitor, stats_l2tlb_hit_rate_from_the_counters)
{
    struct prog p;
    busy_prog(&p, 0);
    fx_vm(&f, "a", &p)->cpus = 2;
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    struct vm *vm = f.mon->vm[0];
    vm->vcpu[0].l2.hits = 5;
    vm->vcpu[0].l2.misses = 1;
    vm->vcpu[1].l2.hits = 1;
    vm->vcpu[1].l2.misses = 1;
    json_t *l2 = get(vm_stats(0), "l2tlb");
    cr_assert_eq(num(l2, "hits"), 6, "both vCPUs together");
    cr_assert_eq(num(l2, "misses"), 2);
    cr_assert_float_eq(json_real_value(get(l2, "hit_rate")), 0.75, 1e-9);
}

Test(monitor, stats_l2tlb_hit_rate_is_zero_without_misses)
{
    struct prog p;
    busy_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *l2 = get(vm_stats(0), "l2tlb");
    cr_assert_float_eq(json_real_value(get(l2, "hit_rate")), 0.0, 1e-9);
}

/*
 * A guest writes a TLB entry for user page 0x00400000 and leaves its CPU
 * (WAIT until a timer): the hardware TLB is flushed on the switch, so its
 * next access misses in hardware and hits in the L2 TLB; an access to an
 * unmapped page misses both and goes to the guest's refill handler.
 */
Test(monitor, l2tlb_hits_and_misses_of_a_real_run)
{
    struct prog p;
    prog_init(&p);
    uint32_t word = 0x0DDBA11;
    p_bytes(&p, FX_DATA + 8, &word, 4);
    p_org(&p, FX_BASE); /* refill vector: report BadVAddr, halt */
    p_emit(&p, i_mfc0(T0, CP0_BADVADDR, 0));
    p_mark_reg(&p, T0);
    p_halt(&p, 0);
    p_org(&p, FX_ENTRY);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_li(&p, T0, 0x00400000);
    p_emit(&p, i_mtc0(T0, CP0_ENTRYHI, 0));
    p_li(&p, T0, (3u << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V);
    p_emit(&p, i_mtc0(T0, CP0_ENTRYLO0, 0));
    p_emit(&p, i_mtc0(ZERO, CP0_ENTRYLO1, 0));
    p_emit(&p, i_mtc0(ZERO, CP0_INDEX, 0));
    p_emit(&p, i_tlbwi());
    p_emit(&p, i_mtc0(ZERO, CP0_COUNT, 0));
    p_li(&p, T0, 20000);
    p_emit(&p, i_mtc0(T0, CP0_COMPARE, 0));
    p_emit(&p, i_wait());
    p_li(&p, T0, 0x00400000);
    p_emit(&p, i_lw(T1, 8, T0));
    p_mark_reg(&p, T1);
    p_li(&p, T0, 0x00600000);
    p_emit(&p, i_lw(T1, 0, T0));
    p_halt(&p, 7);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    struct vm *vm = f.mon->vm[0];
    cr_assert_eq(vm->nmarks, 2);
    cr_assert_eq(vm->marks[0].value, 0x0DDBA11u, "the load through the L2 TLB read the page");
    cr_assert_eq(vm->marks[1].value, 0x00600000u);
    json_t *vs = vm_stats(0);
    json_t *l2 = get(vs, "l2tlb");
    cr_assert_eq(num(l2, "hits"), 1);
    cr_assert_eq(num(l2, "misses"), 1);
    cr_assert_float_eq(json_real_value(get(l2, "hit_rate")), 0.5, 1e-9);
    json_t *tlb = get(vs, "tlb");
    cr_assert_eq(num(tlb, "l2_hits"), 1);
    cr_assert_eq(num(tlb, "to_guest"), 1);
    cr_assert_eq(num(tlb, "misses"), num(tlb, "kseg") + 2);
    cr_assert_gt(num(get(vs, "time"), "idle"), 15000, "it waited for its timer");
}

Test(monitor, stats_list_marks_in_order_with_the_time_so_far)
{
    struct prog p;
    busy_prog(&p, 20);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *marks = get(vm_stats(0), "marks");
    cr_assert_eq(json_array_size(marks), 2u);
    json_t *m1 = json_array_get(marks, 0), *m2 = json_array_get(marks, 1);
    cr_assert_eq(num(m1, "value"), 1);
    cr_assert_eq(num(m2, "value"), 2);
    cr_assert_gt(num(m2, "cycle"), num(m1, "cycle"));
    json_t *t1 = get(m1, "time"), *t2 = get(m2, "time");
    cr_assert_gt(num(t2, "monitor"), num(t1, "monitor"), "20 emulations between the marks");
    cr_assert_geq(num(t2, "kernel"), num(t1, "kernel"));
}

Test(monitor, stats_of_a_stopped_vm_give_the_reason)
{
    struct prog p;
    prog_init(&p);
    p_emit(&p, i_break()); /* double fault: BEV is still set */
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 1);
    json_t *vm = vm_stats(0);
    cr_assert(json_is_true(get(vm, "stopped")));
    cr_assert_eq(num(vm, "status"), -1);
    cr_assert(strstr(json_string_value(get(vm, "reason")), "double fault") != NULL);
}

Test(monitor, stats_count_pages)
{
    struct prog p;
    prog_init(&p);
    p_mcall(&p, MC_ZERO_PAGE, 0x50000);
    p_mcall(&p, MC_FREE_PAGE, 0x51000);
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *pages = get(vm_stats(0), "pages");
    cr_assert_eq(num(pages, "zeroed"), 1);
    cr_assert_eq(num(pages, "freed"), 1);
    cr_assert_eq(num(pages, "allocated"), f.mon->vm[0]->pages_allocated);
    cr_assert_geq(num(pages, "peak"), num(pages, "allocated"));
    cr_assert_gt(num(pages, "allocated"), 0);
}

Test(monitor, memory_sample_keeps_the_peak_not_the_end)
{
    /* The guest touches 16 pages, gives them back, and runs on: at the
     * end they are gone, but the sample at their peak still has them. */
    struct prog p;
    prog_init(&p);
    for (uint32_t k = 0; k < 16; k++) {
        p_li(&p, T0, MC_KSEG + 0x60000 + k * MIPS_PAGE_SIZE);
        p_emit(&p, i_sw(T0, 0, T0));
    }
    for (int i = 0; i < 200; i++)
        p_emit(&p, i_mfc0(T1, CP0_STATUS, 0)); /* emulated: time passes */
    for (uint32_t k = 0; k < 16; k++)
        p_mcall(&p, MC_FREE_PAGE, 0x60000 + k * MIPS_PAGE_SIZE);
    for (int i = 0; i < 200; i++)
        p_emit(&p, i_mfc0(T1, CP0_STATUS, 0));
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    f.cfg.monitor.memory_sample = 2000;
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *all = stats(), *end = get(all, "memory"), *peak = get(all, "memory_peak");
    cr_assert_geq(num(peak, "M_pages"), num(end, "M_pages") + 16, "the 16 pages were in use at the peak");
    cr_assert_gt(num(peak, "cycle"), 0);
    cr_assert_lt(num(peak, "cycle"), num(all, "cycles"));
    cr_assert_not_null(json_object_get(peak, "M_kinds"));
}

Test(monitor, without_memory_sample_there_is_no_peak)
{
    struct prog p;
    busy_prog(&p, 5);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_null(json_object_get(stats(), "memory_peak"));
}

Test(monitor, stats_per_cpu_time_and_monitor_counters)
{
    struct prog p;
    busy_prog(&p, 3);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    json_t *cpus = get(stats(), "cpus");
    json_int_t monitor = 0, switches = 0;
    for (size_t i = 0; i < json_array_size(cpus); i++) {
        json_t *c = json_array_get(cpus, i);
        cr_assert_eq(num(c, "cpu"), (json_int_t)i);
        monitor += num(c, "monitor");
        switches += num(c, "switches");
        num(c, "user");
        num(c, "kernel");
        num(c, "idle");
        num(c, "stall");
    }
    cr_assert_gt(monitor, 0);
    cr_assert_eq(switches, 1, "one vCPU, put on a CPU once");
    cr_assert_eq(num(get(root, "monitor"), "traps"), (json_int_t)f.mon->traps);
    num(get(root, "numa"), "hot_records");
}

Test(monitor, stats_to_an_unwritable_path_fail_with_a_message)
{
    struct prog p;
    busy_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    char err[256] = "";
    cr_assert_eq(monitor_write_stats(f.mon, "/nonexistent/dir/stats.json", err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent/dir/stats.json") != NULL, "message: %s", err);
}

Test(monitor, stats_can_be_written_before_a_run)
{
    struct prog p;
    busy_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    json_t *vm = vm_stats(0);
    cr_assert_eq(num(vm, "status"), -1, "not finished");
    cr_assert_eq(json_array_size(get(vm, "marks")), 0u);
}

Test(monitor, summary_has_a_line_per_vm)
{
    struct prog p;
    busy_prog(&p, 2);
    fx_vm(&f, "alpha", &p);
    fx_vm(&f, "beta", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *s = open_memstream(&buf, &len);
    monitor_print_summary(f.mon, s);
    fclose(s);
    int lines = 0;
    for (char *c = buf; *c; c++)
        lines += *c == '\n';
    cr_assert_eq(lines, 4, "a header, two VMs and the memory line:\n%s", buf);
    cr_assert(strstr(buf, "\nalpha ") != NULL && strstr(buf, "\nbeta ") != NULL, "%s", buf);
    cr_assert(strstr(buf, "\nmemory: V ") != NULL, "%s", buf);
    free(buf);
}

Test(monitor, vm_time_sums_the_vcpus)
{
    struct prog p;
    busy_prog(&p, 0);
    fx_vm(&f, "a", &p)->cpus = 2;
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    vm->vcpu[0].time = (struct vcpu_time){1, 2, 3, 4};
    vm->vcpu[1].time = (struct vcpu_time){10, 20, 30, 40};
    struct vcpu_time t = monitor_vm_time(f.mon, vm);
    cr_assert_eq(t.user, 11u);
    cr_assert_eq(t.kernel, 22u);
    cr_assert_eq(t.monitor, 33u);
    cr_assert_eq(t.idle, 44u);
}

Test(monitor, charges_go_to_the_cpu_whose_trap_is_handled)
{
    struct prog p;
    busy_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    struct monitor *mon = f.mon;
    uint64_t c0 = sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR];
    uint64_t c1 = sim_cpu_stats(mon->m, 1)->cycles[TIME_MONITOR];
    mon->cur_cpu = -1;
    monitor_charge(mon, 500);
    cr_assert_eq(sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR], c0, "work between traps is free");
    mon->cur_cpu = 1;
    monitor_charge(mon, 500);
    cr_assert_eq(sim_cpu_stats(mon->m, 1)->cycles[TIME_MONITOR], c1 + 500);
    cr_assert_eq(sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR], c0);
    mon->cur_cpu = -1;
}

Test(monitor, mark_by_hand_records_value_and_time)
{
    struct prog p;
    busy_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    for (uint32_t i = 0; i < 20; i++)
        monitor_mark(f.mon, vm, i * 3);
    cr_assert_eq(vm->nmarks, 20, "marks grow past their first allocation");
    for (int i = 0; i < 20; i++)
        cr_assert_eq(vm->marks[i].value, (uint32_t)i * 3);
}

Test(monitor, destroy_accepts_null)
{
    monitor_destroy(NULL);
}
