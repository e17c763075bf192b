/*
 * test_trace.c - the run's timeline (trace.h, disco --trace-json): a JSON
 * array in the Trace Event Format with a track per CPU, a slice per
 * stretch a vCPU runs, the guest's marks and its halt, the same file for
 * the same run.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "disco/monitor.h"
#include "disco/trace.h"
#include "test_fixture.h"

static struct fx f;

static void setup(void)
{
    fx_init(&f);
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(trace, .init = setup, .fini = teardown);

/* Run VM a (marks 1 and 2 around some emulated instructions, then halt)
 * with a trace into NAME; returns the parsed file. */
static json_t *run_marked(const char *name, uint64_t every)
{
    struct prog p;
    prog_init(&p);
    p_mcall(&p, MC_MARK, 1);
    for (int i = 0; i < 200; i++)
        p_emit(&p, i_mfc0(T0, CP0_STATUS, 0));
    p_mcall(&p, MC_MARK, 2);
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    char err[256] = "", path[512];
    snprintf(path, sizeof path, "%s", name ? fx_path(&f, name) : "");
    if (!name) {
        cr_assert_eq(monitor_run(f.mon), 0);
        return NULL;
    }
    cr_assert_eq(trace_open(f.mon, path, every, err, sizeof err), 0, "%s", err);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_eq(trace_close(f.mon), 0);
    json_error_t jerr;
    json_t *t = json_load_file(path, 0, &jerr);
    cr_assert_not_null(t, "the trace is not JSON: %s (line %d)", jerr.text, jerr.line);
    cr_assert(json_is_array(t), "the Trace Event Format's array");
    return t;
}

static json_t *traced_run(const char *name)
{
    return run_marked(name, 1000);
}

/* Events with phase ph (and name, if not NULL). */
static int count(json_t *t, const char *ph, const char *name)
{
    size_t i;
    json_t *e;
    int n = 0;
    json_array_foreach(t, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "ph")), ph))
            continue;
        if (!name || !strcmp(json_string_value(json_object_get(e, "name")), name))
            n++;
    }
    return n;
}

Test(trace, every_cpu_has_a_named_track)
{
    json_t *t = traced_run("t.json");
    cr_assert_eq(count(t, "M", "thread_name"), f.mon->ncpus);
    cr_assert_eq(count(t, "M", "process_name"), 1);
    json_decref(t);
}

Test(trace, a_running_vcpu_is_a_slice_on_its_cpu)
{
    json_t *t = traced_run("t.json");
    size_t i;
    json_t *e;
    double busy = 0;
    json_array_foreach(t, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "ph")), "X"))
            continue;
        cr_assert_str_eq(json_string_value(json_object_get(e, "name")), "a/vcpu0");
        busy += json_number_value(json_object_get(e, "dur"));
    }
    cr_assert_gt(busy, 0, "vCPU 0 ran for a while");
    json_decref(t);
}

Test(trace, marks_and_the_halt_are_instant_events)
{
    json_t *t = traced_run("t.json");
    cr_assert_eq(count(t, "i", "a: mark 1"), 1);
    cr_assert_eq(count(t, "i", "a: mark 2"), 1);
    cr_assert_eq(count(t, "i", "halt"), 1);
    json_decref(t);
}

Test(trace, counters_sample_each_cpus_time)
{
    json_t *t = traced_run("t.json");
    cr_assert_gt(count(t, "C", "CPU 0 time %"), 0, "sampled every 1000 cycles");
    json_decref(t);
}

Test(trace, the_same_run_gives_the_same_file)
{
    json_t *a = traced_run("a.json");
    fx_fini(&f);
    fx_init(&f);
    json_t *b = traced_run("b.json");
    cr_assert(json_equal(a, b));
    json_decref(a);
    json_decref(b);
}

/* The counters are sampled at the ends of the machine's time slices, not by
 * an event that would end a slice early: a traced run is the same run, to
 * the cycle (997 is no multiple of the 1000-cycle quantum). */
Test(trace, writing_a_trace_does_not_change_the_run)
{
    run_marked(NULL, 0);
    uint64_t plain = sim_now(f.mon->m);
    struct sim_cpu_stats st = *sim_cpu_stats(f.mon->m, 0);
    fx_fini(&f);
    fx_init(&f);
    json_decref(run_marked("t.json", 997));
    cr_expect_eq(sim_now(f.mon->m), plain, "the run took as many cycles");
    cr_expect(memcmp(sim_cpu_stats(f.mon->m, 0), &st, sizeof st) == 0, "CPU 0's statistics are the same");
}

Test(trace, an_unwritable_file_is_refused_with_a_message)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    char err[256] = "";
    cr_assert_eq(trace_open(f.mon, "/nonexistent-dir/t.json", 0, err, sizeof err), -1);
    cr_assert(strstr(err, "/nonexistent-dir/t.json") != NULL, "%s", err);
    cr_assert_null(f.mon->trace);
}
