/*
 * test_engines.c - the fast engine (fast.c) and the reference interpreter
 * (exec.c) run a program the same way, cycle for cycle, including code that
 * overwrites instructions the fast engine has already decoded; and the
 * engine is a setting like any other. (Every other unit test runs on the
 * default engine, the fast one; sim/tests/engines.sh compares both on whole
 * programs.)
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

TestSuite(engines);

/* The result and the statistics of one run. */
struct outcome {
    uint32_t t1;
    char *json;
};

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
    struct outcome o = {.t1 = h_reg(&h, T1)};
    json_t *j = h_stats_json(&h);
    o.json = json_dumps(j, JSON_SORT_KEYS);
    cr_assert_not_null(o.json);
    json_decref(j);
    h_fini(&h);
    return o;
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

Test(engines, default_and_environment)
{
    struct sim_config cfg;
    unsetenv("FLASHSIM_ENGINE");
    sim_config_default(&cfg);
    cr_assert_eq(cfg.engine, SIM_ENGINE_FAST);
    setenv("FLASHSIM_ENGINE", "interp", 1);
    sim_config_default(&cfg);
    cr_assert_eq(cfg.engine, SIM_ENGINE_INTERP);
    unsetenv("FLASHSIM_ENGINE");
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
