/*
 * test_mem.c - loads and stores of every size, the unaligned-word
 * instructions (little-endian), and LL/SC.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

static void setup(void) { h_init(&h, NULL); }
static void teardown(void) { h_fini(&h); }

TestSuite(load, .init = setup, .fini = teardown);
TestSuite(store, .init = setup, .fini = teardown);
TestSuite(unaligned, .init = setup, .fini = teardown);
TestSuite(llsc, .init = setup, .fini = teardown);

/* Bytes 7F FF 81 80 at DATA_BASE, 00 11 22 ... 77 at DATA_BASE + 16. */
static void fill_data(void)
{
    h_poke32(&h, DATA_BASE, 0x8081FF7F);
    h_poke32(&h, DATA_BASE + 16, 0x33221100);
    h_poke32(&h, DATA_BASE + 20, 0x77665544);
    h_set(&h, S0, DATA_BASE);
}

/* ---- loads ----------------------------------------------------------------- */

Test(load, lb_sign_extends_and_lbu_zero_extends)
{
    fill_data();
    H_EXEC(&h, lb(V0, 0, S0), lb(V1, 1, S0), lb(T0, 3, S0), lbu(T1, 1, S0), lbu(T2, 3, S0));
    cr_expect_eq(h_reg(&h, V0), 0x7F);
    cr_expect_eq(h_reg(&h, V1), 0xFFFFFFFF);
    cr_expect_eq(h_reg(&h, T0), 0xFFFFFF80);
    cr_expect_eq(h_reg(&h, T1), 0xFF);
    cr_expect_eq(h_reg(&h, T2), 0x80);
}

Test(load, lh_sign_extends_and_lhu_zero_extends)
{
    fill_data();
    H_EXEC(&h, lh(V0, 0, S0), lh(V1, 2, S0), lhu(T0, 0, S0), lhu(T1, 2, S0), lh(T2, 16, S0));
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFF7F);
    cr_expect_eq(h_reg(&h, V1), 0xFFFF8081);
    cr_expect_eq(h_reg(&h, T0), 0xFF7F);
    cr_expect_eq(h_reg(&h, T1), 0x8081);
    cr_expect_eq(h_reg(&h, T2), 0x1100);
}

Test(load, lw_reads_a_little_endian_word_at_base_plus_offset)
{
    fill_data();
    h_set(&h, S1, DATA_BASE + 24);
    H_EXEC(&h, lw(V0, 0, S0), lw(V1, -8, S1), lw(T0, -4, S1));
    cr_expect_eq(h_reg(&h, V0), 0x8081FF7F);
    cr_expect_eq(h_reg(&h, V1), 0x33221100);
    cr_expect_eq(h_reg(&h, T0), 0x77665544);
}

Test(load, kseg1_reads_the_same_memory_as_kseg0)
{
    fill_data();
    h_li(&h, S1, DATA_BASE + 0x20000000u);
    H_EXEC(&h, lw(V0, 0, S1), lb(V1, 3, S1));
    cr_expect_eq(h_reg(&h, V0), 0x8081FF7F);
    cr_expect_eq(h_reg(&h, V1), 0xFFFFFF80);
}

/* ---- stores ---------------------------------------------------------------- */

Test(store, sw_sh_sb_write_their_size_little_endian)
{
    h_set(&h, S0, DATA_BASE);
    h_set(&h, T0, 0x11223344);
    h_set(&h, T1, 0xFFFFBBCC);
    h_set(&h, T2, 0xFFFFFFAA);
    H_EXEC(&h, sw(T0, 0, S0), sb(T2, 1, S0), sh(T1, 2, S0), sw(T0, 4, S0), sb(T2, 7, S0),
           sh(T1, 8, S0));
    cr_expect_eq(h_peek32(&h, DATA_BASE), 0xBBCCAA44);
    cr_expect_eq(h_peek32(&h, DATA_BASE + 4), 0xAA223344);
    cr_expect_eq(h_peek32(&h, DATA_BASE + 8), 0x0000BBCC);
}

Test(store, store_then_load_through_kseg1_sees_the_value)
{
    h_set(&h, S0, DATA_BASE);
    h_li(&h, S1, DATA_BASE + 0x20000000u);
    h_set(&h, T0, 0xCAFEF00D);
    H_EXEC(&h, sw(T0, 12, S0), lw(V0, 12, S1));
    cr_expect_eq(h_reg(&h, V0), 0xCAFEF00D);
}

/* ---- lwl / lwr / swl / swr ---------------------------------------------- */

/* Memory 00 11 22 33 44 55 66 77 at DATA_BASE + 16: the word at byte k. */
static uint32_t word_at(unsigned k)
{
    uint32_t w = 0;
    for (unsigned i = 0; i < 4; i++)
        w |= (uint32_t)(0x11 * (k + i)) << (8 * i);
    return w;
}

Test(unaligned, lwl_lwr_pair_loads_an_unaligned_word_at_every_offset)
{
    fill_data();
    /* The usual little-endian idiom: lwl rt, 3(a); lwr rt, 0(a). */
    for (int k = 0; k < 4; k++) {
        h_emit(&h, lwl(T0 + k, 16 + k + 3, S0));
        h_emit(&h, lwr(T0 + k, 16 + k, S0));
    }
    H_EXEC(&h, nop());
    for (int k = 0; k < 4; k++)
        cr_expect_eq(h_reg(&h, T0 + k), word_at((unsigned)k), "offset %d: %08x, expected %08x", k,
                     h_reg(&h, T0 + k), word_at((unsigned)k));
}

Test(unaligned, lwl_alone_merges_into_the_high_bytes)
{
    fill_data();
    for (int k = 0; k < 4; k++)
        h_set(&h, T0 + k, 0xAABBCCDD);
    H_EXEC(&h, lwl(T0, 16, S0), lwl(T1, 17, S0), lwl(T2, 18, S0), lwl(T3, 19, S0));
    /* The aligned word is 33 22 11 00 (high to low). */
    cr_expect_eq(h_reg(&h, T0), 0x00BBCCDD);
    cr_expect_eq(h_reg(&h, T1), 0x1100CCDD);
    cr_expect_eq(h_reg(&h, T2), 0x221100DD);
    cr_expect_eq(h_reg(&h, T3), 0x33221100);
}

Test(unaligned, lwr_alone_merges_into_the_low_bytes)
{
    fill_data();
    for (int k = 0; k < 4; k++)
        h_set(&h, T0 + k, 0xAABBCCDD);
    H_EXEC(&h, lwr(T0, 16, S0), lwr(T1, 17, S0), lwr(T2, 18, S0), lwr(T3, 19, S0));
    cr_expect_eq(h_reg(&h, T0), 0x33221100);
    cr_expect_eq(h_reg(&h, T1), 0xAA332211);
    cr_expect_eq(h_reg(&h, T2), 0xAABB3322);
    cr_expect_eq(h_reg(&h, T3), 0xAABBCC33);
}

Test(unaligned, swl_swr_pair_stores_an_unaligned_word_at_every_offset)
{
    h_set(&h, S0, DATA_BASE);
    h_set(&h, T0, 0xDDCCBBAA);
    for (int k = 0; k < 4; k++) {
        /* 8 bytes 00 11 .. 77 at DATA_BASE + 16 * (k + 1) */
        h_poke32(&h, DATA_BASE + 16u * (unsigned)(k + 1), 0x33221100);
        h_poke32(&h, DATA_BASE + 16u * (unsigned)(k + 1) + 4, 0x77665544);
        h_emit(&h, swl(T0, 16 * (k + 1) + k + 3, S0));
        h_emit(&h, swr(T0, 16 * (k + 1) + k, S0));
    }
    H_EXEC(&h, nop());
    static const uint8_t pattern[8] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77};
    static const uint8_t word[4] = {0xAA, 0xBB, 0xCC, 0xDD};
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 8; i++) {
            uint8_t want = (i >= k && i < k + 4) ? word[i - k] : pattern[i];
            uint8_t got = h_peek8(&h, DATA_BASE + 16u * (unsigned)(k + 1) + (unsigned)i);
            cr_expect_eq(got, want, "offset %d byte %d: %02x, expected %02x", k, i, got, want);
        }
}

Test(unaligned, swl_alone_stores_the_high_bytes_up_to_the_address)
{
    h_set(&h, S0, DATA_BASE);
    h_set(&h, T0, 0xDDCCBBAA);
    h_poke32(&h, DATA_BASE, 0x33221100);
    h_poke32(&h, DATA_BASE + 4, 0x33221100);
    H_EXEC(&h, swl(T0, 0, S0), swl(T0, 6, S0));
    cr_expect_eq(h_peek32(&h, DATA_BASE), 0x332211DD);     /* k=0: byte 0 = DD */
    cr_expect_eq(h_peek32(&h, DATA_BASE + 4), 0x33DDCCBB); /* k=2: bytes 0..2 = BB CC DD */
}

Test(unaligned, swr_alone_stores_the_low_bytes_from_the_address)
{
    h_set(&h, S0, DATA_BASE);
    h_set(&h, T0, 0xDDCCBBAA);
    h_poke32(&h, DATA_BASE, 0x33221100);
    h_poke32(&h, DATA_BASE + 4, 0x33221100);
    H_EXEC(&h, swr(T0, 3, S0), swr(T0, 5, S0));
    cr_expect_eq(h_peek32(&h, DATA_BASE), 0xAA221100);     /* k=3: byte 3 = AA */
    cr_expect_eq(h_peek32(&h, DATA_BASE + 4), 0xCCBBAA00); /* k=1: bytes 1..3 = AA BB CC */
}

/* ---- LL / SC ---------------------------------------------------------------- */

Test(llsc, sc_after_ll_succeeds_and_stores)
{
    h_set(&h, S0, DATA_BASE);
    h_poke32(&h, DATA_BASE, 41);
    H_EXEC(&h, ll(T0, 0, S0), addiu(T0, T0, 1), sc(T0, 0, S0));
    cr_expect_eq(h_reg(&h, T0), 1, "sc did not report success");
    cr_expect_eq(h_peek32(&h, DATA_BASE), 42);
}

Test(llsc, ll_sets_lladdr_to_the_physical_address_over_16)
{
    h_set(&h, S0, DATA_BASE);
    H_EXEC(&h, ll(T0, 0x24, S0));
    cr_expect_eq(h_cp0(&h, CP0_LLADDR), (DATA_PA + 0x24) >> 4);
}

Test(llsc, sc_without_ll_fails_and_stores_nothing)
{
    h_set(&h, S0, DATA_BASE);
    h_poke32(&h, DATA_BASE, 41);
    h_set(&h, T0, 99);
    H_EXEC(&h, sc(T0, 0, S0));
    cr_expect_eq(h_reg(&h, T0), 0);
    cr_expect_eq(h_peek32(&h, DATA_BASE), 41);
}

Test(llsc, second_sc_after_one_ll_fails)
{
    h_set(&h, S0, DATA_BASE);
    h_set(&h, T1, 7);
    H_EXEC(&h, ll(T0, 0, S0), sc(T0, 0, S0), sc(T1, 0, S0));
    cr_expect_eq(h_reg(&h, T0), 1);
    cr_expect_eq(h_reg(&h, T1), 0);
}

Test(llsc, an_exception_between_ll_and_sc_breaks_the_link)
{
    h_skip_vector(&h);
    h_set(&h, S0, DATA_BASE);
    h_poke32(&h, DATA_BASE, 41);
    H_EXEC(&h, ll(T0, 0, S0), syscall_(), addiu(T0, T0, 1), sc(T0, 0, S0));
    cr_expect_eq(h_reg(&h, K1), 1, "the syscall was not taken");
    cr_expect_eq(h_reg(&h, T0), 0);
    cr_expect_eq(h_peek32(&h, DATA_BASE), 41);
}

Test(llsc, eret_between_ll_and_sc_breaks_the_link)
{
    h_set(&h, S0, DATA_BASE);
    h_emit(&h, ll(T0, 0, S0));
    h_li(&h, T1, h_here(&h) + 16); /* the sc after the eret */
    h_emit(&h, mtc0(T1, CP0_EPC, 0));
    h_emit(&h, eret());
    H_EXEC(&h, sc(T0, 0, S0));
    cr_expect_eq(h_reg(&h, T0), 0);
}

static void dma_write(struct sim *m, void *arg)
{
    (void)arg;
    uint32_t v = 0x5555;
    sim_mem_write(m, -1, DATA_PA + 64, &v, 4); /* same 128-byte line */
}

Test(llsc, a_host_or_dma_write_to_the_line_breaks_the_link)
{
    h_set(&h, S0, DATA_BASE);
    sim_event_at(h.m, 2000, dma_write, NULL);
    /* ll, then spin 3000 iterations (past the event), then sc */
    h_emit(&h, ll(T0, 0, S0));
    h_emit(&h, ori(T1, ZERO, 3000));
    uint32_t loop = h_emit(&h, addiu(T1, T1, -1));
    h_emit(&h, bne(T1, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    H_EXEC(&h, sc(T0, 0, S0));
    cr_expect_eq(h_reg(&h, T0), 0);
}

/* CPU 1 stores to `offset` from DATA_BASE while CPU 0 sits between LL and
 * SC at DATA_BASE; returns CPU 0's SC result. */
static uint32_t sc_with_other_cpu_storing_at(int offset)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    h_fini(&h);
    h_init(&h, &cfg);
    h_set(&h, S0, DATA_BASE);
    h_emit(&h, ll(T0, 0, S0));
    h_emit(&h, ori(T1, ZERO, 3000));
    uint32_t loop = h_emit(&h, addiu(T1, T1, -1));
    h_emit(&h, bne(T1, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_emit(&h, sc(T0, 0, S0));
    h_halt(&h, 0);
    /* CPU 1: store, then spin */
    uint32_t cpu1 = 0x80002000u;
    h_org(&h, cpu1);
    h_li(&h, S0, DATA_BASE);
    h_emit(&h, sw(ZERO, offset, S0));
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    return h_reg(&h, T0);
}

Test(llsc, another_cpus_store_to_the_same_line_breaks_the_link)
{
    cr_expect_eq(sc_with_other_cpu_storing_at(8), 0);
}

Test(llsc, another_cpus_store_to_another_line_keeps_the_link)
{
    cr_expect_eq(sc_with_other_cpu_storing_at(256), 1);
}
