/*
 * test_timeline.c - the run's timeline (flash/timeline.h, flashsim
 * --trace-json): a JSON array in the Trace Event Format with a named track
 * per CPU, counters sampled per interval, a slice per stretch of one kind of
 * time, phase markers as instant events, and a clear refusal of a file it
 * cannot write. (That it does not change the run is test_determinism.c's.)
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flash/timeline.h"
#include "harness.h"

TestSuite(timeline);

/* Events with phase ph and name (NULL: any name). */
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

/* On 2 CPUs, CPU 0 marks 5, counts down a loop of about 4000 cycles, marks
 * 6, and halts; the timeline samples every 500 cycles. Returns the file. */
static json_t *traced_loop(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    cfg.mem_per_node = 256u << 10;
    struct harness h;
    h_init(&h, &cfg);
    h_li(&h, S0, PWR_HALT);
    h_emit(&h, ori(T0, ZERO, 5));
    h_emit(&h, sw(T0, 0x1C, S0)); /* MARK 5 */
    h_emit(&h, ori(T1, ZERO, 2000));
    uint32_t loop = h_emit(&h, addiu(T1, T1, -1));
    h_emit(&h, bne(T1, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_emit(&h, ori(T0, ZERO, 6));
    h_emit(&h, sw(T0, 0x1C, S0)); /* MARK 6 */
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, 0);

    char *path = h_tempfile(NULL, 0), err[256];
    cr_assert_eq(sim_timeline_open(h.m, path, 500, SIM_TIMELINE_MODES, err, sizeof err), 0, "%s", err);
    cr_assert(sim_timeline_on(h.m));
    cr_assert_eq(h_run(&h), SIM_STOP_HALT, "%s", sim_stop_message(h.m));
    cr_assert_eq(sim_timeline_close(h.m), 0);
    cr_assert(!sim_timeline_on(h.m));
    h_fini(&h);
    json_error_t jerr;
    json_t *t = json_load_file(path, 0, &jerr);
    cr_assert_not_null(t, "the timeline is not JSON: %s (line %d)", jerr.text, jerr.line);
    cr_assert(json_is_array(t), "the Trace Event Format's array");
    unlink(path);
    free(path);
    return t;
}

Test(timeline, every_cpu_has_a_named_track)
{
    json_t *t = traced_loop();
    cr_expect_eq(count(t, "M", "process_name"), 1);
    cr_expect_eq(count(t, "M", "thread_name"), 2);
    json_decref(t);
}

Test(timeline, counters_are_sampled_every_interval)
{
    json_t *t = traced_loop();
    int n = count(t, "C", "CPU 0 time %");
    cr_expect_geq(n, 7, "about 4000 cycles at one sample per 500: %d samples", n);
    cr_expect_eq(count(t, "C", "CPU 1 time %"), 0, "CPU 1 never started, so has no time to show");
    json_decref(t);
}

Test(timeline, a_busy_cpu_is_one_kernel_slice_covering_the_run)
{
    json_t *t = traced_loop();
    size_t i;
    json_t *e;
    int slices = 0;
    json_array_foreach(t, i, e) {
        if (strcmp(json_string_value(json_object_get(e, "ph")), "X"))
            continue;
        slices++;
        cr_expect_str_eq(json_string_value(json_object_get(e, "name")), "kernel");
        cr_expect_eq(json_integer_value(json_object_get(e, "tid")), 0);
        cr_expect_gt(json_number_value(json_object_get(e, "dur")), 3600 / 300.0,
                     "the slice covers the ~4000-cycle run (microseconds at 300 MHz)");
    }
    cr_expect_eq(slices, 1, "consecutive intervals of kernel time merge into one slice");
    json_decref(t);
}

Test(timeline, phase_markers_are_instant_events_in_order)
{
    json_t *t = traced_loop();
    cr_expect_eq(count(t, "i", "mark 5"), 1);
    cr_expect_eq(count(t, "i", "mark 6"), 1);
    double t5 = -1, t6 = -1;
    size_t i;
    json_t *e;
    json_array_foreach(t, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        if (!strcmp(name, "mark 5"))
            t5 = json_number_value(json_object_get(e, "ts"));
        if (!strcmp(name, "mark 6"))
            t6 = json_number_value(json_object_get(e, "ts"));
    }
    cr_expect_gt(t6 - t5, 3600 / 300.0, "the loop ran between the marks");
    json_decref(t);
}

Test(timeline, an_unwritable_file_is_refused_with_a_message)
{
    struct harness h;
    h_init(&h, NULL);
    char err[256] = "";
    cr_expect_eq(sim_timeline_open(h.m, "/nonexistent-dir/t.json", 0, 0, err, sizeof err), -1);
    cr_expect(strstr(err, "/nonexistent-dir/t.json") != NULL, "%s", err);
    cr_expect(!sim_timeline_on(h.m));
    h_fini(&h);
}
