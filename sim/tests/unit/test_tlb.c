/*
 * test_tlb.c - the TLB: refill, invalid and modified exceptions, vectors,
 * BadVAddr/Context/EntryHi, ASIDs and the G bit, TLBP/TLBR/TLBWI/TLBWR,
 * Random and Wired, multiple matches, uncached mappings, and the host
 * API's view of the same TLB.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

static void setup(void) { h_init(&h, NULL); }
static void teardown(void) { h_fini(&h); }

TestSuite(tlb, .init = setup, .fini = teardown);
TestSuite(tlbinsn, .init = setup, .fini = teardown);
TestSuite(tlbapi, .init = setup, .fini = teardown);

#define UVA 0x00400000u  /* a kuseg page pair the tests map */
#define PAGE_A 0x00020000u /* physical pages with known contents */
#define PAGE_B 0x00030000u

static void fill_pages(void)
{
    h_poke32(&h, PAGE_A, 0xAAAA0000);
    h_poke32(&h, PAGE_A + MIPS_PAGE_SIZE, 0xAAAA1111);
    h_poke32(&h, PAGE_B, 0xBBBB0000);
    h_poke32(&h, PAGE_B + MIPS_PAGE_SIZE, 0xBBBB1111);
}

static void write_entry(int index, uint32_t hi, uint32_t lo0, uint32_t lo1)
{
    struct sim_tlb_entry e = {hi, lo0, lo1, 0};
    cr_assert_eq(sim_tlb_write(h.m, 0, index, &e), 0);
}

/* ---- the three TLB exceptions -------------------------------------------- */

Test(tlb, load_with_no_matching_entry_is_a_refill)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, A0, UVA + 0x10);
    uint32_t at = h_emit(&h, lw(V0, 0, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_TLBL);
    cr_expect(h.exc[0].refill);
    cr_expect_eq(h.exc[0].epc, at);
    cr_expect_eq(h.exc[0].badvaddr, UVA + 0x10);
    cr_expect_eq(h_stats(&h, 0)->tlb_refill, 1);
    cr_expect_eq(h_stats(&h, 0)->tlb_invalid, 0);
}

Test(tlb, store_with_no_matching_entry_is_a_tlbs_refill)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, A0, UVA);
    h_emit(&h, sw(ZERO, 4, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_TLBS);
    cr_expect(h.exc[0].refill);
    cr_expect_eq(h.exc[0].badvaddr, UVA + 4);
}

Test(tlb, matching_entry_with_v_clear_is_tlb_invalid_not_refill)
{
    h_catch(&h, H_EXC_HALT);
    write_entry(3, UVA, h_pte(PAGE_A, ENTRYLO_G | ENTRYLO_D), h_pte(PAGE_A + 4096, H_PTE_RW));
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_TLBL);
    cr_expect_not(h.exc[0].refill);
    cr_expect_eq(h_stats(&h, 0)->tlb_invalid, 1);
    cr_expect_eq(h_stats(&h, 0)->tlb_refill, 0);
}

Test(tlb, store_to_entry_with_d_clear_is_tlb_modified)
{
    h_catch(&h, H_EXC_HALT);
    fill_pages();
    write_entry(3, UVA, h_pte(PAGE_A, ENTRYLO_G | ENTRYLO_V | H_PTE_CACHED), h_pte(PAGE_A + 4096, H_PTE_RW));
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0)); /* reading is fine */
    h_emit(&h, sw(ZERO, 0, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_MOD);
    cr_expect_not(h.exc[0].refill);
    cr_expect_eq(h.exc[0].badvaddr, UVA);
    cr_expect_eq(h_stats(&h, 0)->tlb_modified, 1);
    cr_expect_eq(h_peek32(&h, PAGE_A), 0xAAAA0000, "the store went through");
}

Test(tlb, odd_page_uses_entrylo1)
{
    fill_pages();
    write_entry(0, UVA, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_B + 4096, H_PTE_RW));
    h_li(&h, A0, UVA);
    H_EXEC(&h, lw(V0, 0, A0), lw(V1, 4096, A0));
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
    cr_expect_eq(h_reg(&h, V1), 0xBBBB1111);
}

Test(tlb, fetch_from_an_unmapped_page_is_a_refill_at_that_pc)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, T0, UVA + 0x40);
    h_emit(&h, jr(T0));
    h_emit(&h, nop());
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_TLBL);
    cr_expect(h.exc[0].refill);
    cr_expect_eq(h.exc[0].epc, UVA + 0x40);
    cr_expect_eq(h.exc[0].badvaddr, UVA + 0x40);
}

/* ---- vectors and the registers a refill handler uses ---------------------- */

/* Refill vector halts with 10, general vector with 20. */
static int vector_taken(uint32_t status)
{
    h_org(&h, REFILL_VECTOR);
    h_halt(&h, 10);
    h_org(&h, GENERAL_VECTOR);
    h_halt(&h, 20);
    h_org(&h, CODE_BASE);
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0));
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, status);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    return sim_exit_status(h.m);
}

Test(tlb, refill_with_exl_clear_goes_to_offset_0)
{
    cr_expect_eq(vector_taken(0), 10);
}

Test(tlb, refill_with_exl_set_goes_to_offset_0x180)
{
    cr_expect_eq(vector_taken(ST_EXL), 20);
}

Test(tlb, host_handler_refill_flag_is_false_when_exl_was_set)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0));
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, ST_EXL);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_TLBL);
    cr_expect_not(h.exc[0].refill);
}

Test(tlb, invalid_goes_to_the_general_vector)
{
    write_entry(0, UVA, 0, 0);
    cr_expect_eq(vector_taken(0), 20);
}

Test(tlb, refill_sets_badvaddr_context_and_entryhi_vpn2_keeping_asid)
{
    h_catch(&h, H_EXC_HALT);
    uint32_t va = 0x12345ABCu;
    h_li(&h, T0, 0x80800000u | 0x7FFFF0u); /* PTEBase, and BadVPN2 bits that must be overwritten */
    h_emit(&h, mtc0(T0, CP0_CONTEXT, 0));
    h_emit(&h, ori(T0, ZERO, 0x42));
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    h_li(&h, A0, va);
    h_emit(&h, lw(V0, 0, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h_cp0(&h, CP0_BADVADDR), va);
    cr_expect_eq(h_cp0(&h, CP0_CONTEXT), 0x80800000u | ((va >> 13) << 4));
    cr_expect_eq(h_cp0(&h, CP0_ENTRYHI), (va & ENTRYHI_VPN2_MASK) | 0x42);
}

Test(tlb, native_refill_handler_fills_the_tlb_and_the_load_is_retried)
{
    fill_pages();
    /* Refill handler: EntryHi already holds the VPN2; map it to PAGE_B. */
    h_org(&h, REFILL_VECTOR);
    h_li(&h, K0, h_pte(PAGE_B, H_PTE_RW));
    h_emit(&h, mtc0(K0, CP0_ENTRYLO0, 0));
    h_li(&h, K0, h_pte(PAGE_B + 4096, H_PTE_RW));
    h_emit(&h, mtc0(K0, CP0_ENTRYLO1, 0));
    h_emit(&h, tlbwr());
    h_emit(&h, addiu(K1, K1, 1));
    h_emit(&h, eret());
    h_org(&h, GENERAL_VECTOR);
    h_halt(&h, 20);
    h_org(&h, CODE_BASE);
    h_li(&h, A0, UVA);
    H_EXEC(&h, lw(V0, 0, A0), lw(V1, 4096, A0), lw(T0, 0, A0));
    cr_expect_eq(h_reg(&h, K1), 1, "refills: %u", h_reg(&h, K1));
    cr_expect_eq(h_reg(&h, V0), 0xBBBB0000);
    cr_expect_eq(h_reg(&h, V1), 0xBBBB1111);
    cr_expect_eq(h_reg(&h, T0), 0xBBBB0000);
}

/* ---- ASIDs and the G bit ------------------------------------------------------ */

Test(tlb, non_global_entry_matches_only_its_asid)
{
    h_catch(&h, H_EXC_SKIP);
    fill_pages();
    write_entry(0, UVA | 3, h_pte(PAGE_A, ENTRYLO_V | ENTRYLO_D | H_PTE_CACHED),
                h_pte(PAGE_A + 4096, ENTRYLO_V | ENTRYLO_D | H_PTE_CACHED));
    h_li(&h, A0, UVA);
    h_set(&h, V1, 0x1234);
    h_emit(&h, ori(T0, ZERO, 3));
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    h_emit(&h, lw(V0, 0, A0)); /* ASID 3: hit, and the translation is now "hot" */
    h_emit(&h, ori(T0, ZERO, 4));
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    uint32_t at = h_emit(&h, lw(V1, 0, A0)); /* ASID 4: must miss */
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
    cr_expect_eq(h_reg(&h, V1), 0x1234);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_TLBL);
    cr_expect(h.exc[0].refill);
    cr_expect_eq(h.exc[0].epc, at);
}

Test(tlb, global_entry_matches_every_asid)
{
    fill_pages();
    write_entry(0, UVA | 3, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_A + 4096, H_PTE_RW));
    h_li(&h, A0, UVA);
    h_emit(&h, ori(T0, ZERO, 0x99));
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    H_EXEC(&h, lw(V0, 0, A0));
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
}

Test(tlb, g_is_set_only_when_both_entrylo_g_bits_are)
{
    write_entry(0, UVA | 3, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_A + 4096, H_PTE_RW & ~ENTRYLO_G));
    struct sim_tlb_entry e;
    cr_assert_eq(sim_tlb_read(h.m, 0, 0, &e), 0);
    cr_expect_eq(e.entrylo0 & ENTRYLO_G, 0);
    cr_expect_eq(e.entrylo1 & ENTRYLO_G, 0);
    cr_expect_eq(sim_tlb_probe(h.m, 0, UVA | 4), -1);
    cr_expect_eq(sim_tlb_probe(h.m, 0, UVA | 3), 0);
}

Test(tlb, rewriting_a_used_entry_changes_the_translation_at_once)
{
    fill_pages();
    write_entry(5, UVA, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_A + 4096, H_PTE_RW));
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0));
    h_emit(&h, sw(ZERO, 8, A0));
    /* Rewrite entry 5 with TLBWI to point at PAGE_B. */
    h_emit(&h, ori(T0, ZERO, 5));
    h_emit(&h, mtc0(T0, CP0_INDEX, 0));
    h_li(&h, T0, UVA);
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    h_li(&h, T0, h_pte(PAGE_B, H_PTE_RW));
    h_emit(&h, mtc0(T0, CP0_ENTRYLO0, 0));
    h_li(&h, T0, h_pte(PAGE_B + 4096, H_PTE_RW));
    h_emit(&h, mtc0(T0, CP0_ENTRYLO1, 0));
    h_emit(&h, tlbwi());
    h_li(&h, T1, 0x77);
    H_EXEC(&h, lw(V1, 0, A0), sw(T1, 12, A0));
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
    cr_expect_eq(h_reg(&h, V1), 0xBBBB0000);
    cr_expect_eq(h_peek32(&h, PAGE_B + 12), 0x77);
    cr_expect_eq(h_peek32(&h, PAGE_A + 12), 0);
}

Test(tlb, two_matching_entries_count_a_multiple_match_and_the_lowest_wins)
{
    fill_pages();
    write_entry(9, UVA, h_pte(PAGE_B, H_PTE_RW), h_pte(PAGE_B + 4096, H_PTE_RW));
    write_entry(4, UVA, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_A + 4096, H_PTE_RW));
    h_li(&h, A0, UVA);
    H_EXEC(&h, lw(V0, 0, A0));
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
    cr_expect_geq(h_stats(&h, 0)->tlb_multiple, 1);
}

Test(tlb, uncached_mapping_pays_the_miss_latency_on_every_access)
{
    /* The same program with C=3 (cached) and C=2 (uncached): four loads
     * from one word cost one miss cached and four uncached. */
    uint64_t cycles[2], misses[2];
    for (int uncached = 0; uncached < 2; uncached++) {
        h_fini(&h);
        h_init(&h, NULL);
        uint32_t c = (uncached ? ENTRYLO_C_UNCACHED : 3u) << ENTRYLO_C_SHIFT;
        uint32_t f = ENTRYLO_V | ENTRYLO_D | ENTRYLO_G | c;
        write_entry(0, UVA, h_pte(PAGE_A, f), h_pte(PAGE_A + 4096, f));
        h_li(&h, A0, UVA);
        H_EXEC(&h, lw(V0, 0, A0), lw(V0, 0, A0), lw(V0, 0, A0), lw(V0, 0, A0));
        cr_expect_eq(h_reg(&h, V0), 0);
        cycles[uncached] = sim_cpu_cycles(h.m, 0);
        misses[uncached] = h_stats(&h, 0)->misses_local;
    }
    cr_expect_eq(misses[1] - misses[0], 3);
    cr_expect_eq(cycles[1] - cycles[0], 3 * h.cfg.lat_local);
}

/* ---- the TLB instructions -------------------------------------------------- */

Test(tlbinsn, tlbwi_writes_the_entry_at_index)
{
    h_emit(&h, ori(T0, ZERO, 17));
    h_emit(&h, mtc0(T0, CP0_INDEX, 0));
    h_li(&h, T0, UVA | 0x21);
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    h_li(&h, T0, h_pte(PAGE_A, ENTRYLO_V | ENTRYLO_D));
    h_emit(&h, mtc0(T0, CP0_ENTRYLO0, 0));
    h_li(&h, T0, h_pte(PAGE_B, ENTRYLO_V | (2u << ENTRYLO_C_SHIFT)));
    h_emit(&h, mtc0(T0, CP0_ENTRYLO1, 0));
    H_EXEC(&h, tlbwi());
    struct sim_tlb_entry e;
    cr_assert_eq(sim_tlb_read(h.m, 0, 17, &e), 0);
    cr_expect_eq(e.entryhi, UVA | 0x21);
    cr_expect_eq(e.entrylo0, h_pte(PAGE_A, ENTRYLO_V | ENTRYLO_D));
    cr_expect_eq(e.entrylo1, h_pte(PAGE_B, ENTRYLO_V | (2u << ENTRYLO_C_SHIFT)));
    cr_expect_eq(e.pagemask, 0);
}

Test(tlbinsn, tlbr_reads_the_entry_at_index_into_entryhi_and_entrylo)
{
    write_entry(23, UVA | 7, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_B, H_PTE_RW));
    h_emit(&h, ori(T0, ZERO, 23));
    h_emit(&h, mtc0(T0, CP0_INDEX, 0));
    H_EXEC(&h, tlbr(), mfc0(S0, CP0_ENTRYHI, 0), mfc0(S1, CP0_ENTRYLO0, 0), mfc0(S2, CP0_ENTRYLO1, 0));
    cr_expect_eq(h_reg(&h, S0), UVA | 7);
    cr_expect_eq(h_reg(&h, S1), h_pte(PAGE_A, H_PTE_RW));
    cr_expect_eq(h_reg(&h, S2), h_pte(PAGE_B, H_PTE_RW));
}

Test(tlbinsn, tlbp_finds_a_matching_entry_or_sets_p)
{
    write_entry(31, UVA | 7, h_pte(PAGE_A, ENTRYLO_V), h_pte(PAGE_B, ENTRYLO_V));
    h_li(&h, T0, UVA | 7);
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    h_emit(&h, tlbp());
    h_emit(&h, mfc0(S0, CP0_INDEX, 0));
    h_li(&h, T0, UVA | 8); /* another ASID, and the entry is not global */
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    h_emit(&h, tlbp());
    H_EXEC(&h, mfc0(S1, CP0_INDEX, 0));
    cr_expect_eq(h_reg(&h, S0), 31);
    cr_expect(h_reg(&h, S1) & INDEX_P);
}

Test(tlbinsn, tlbwr_writes_at_random_which_lies_in_wired_to_63)
{
    h_emit(&h, ori(T0, ZERO, 40));
    h_emit(&h, mtc0(T0, CP0_WIRED, 0));
    h_li(&h, T0, UVA);
    h_emit(&h, mtc0(T0, CP0_ENTRYHI, 0));
    h_li(&h, T0, h_pte(PAGE_A, H_PTE_RW));
    h_emit(&h, mtc0(T0, CP0_ENTRYLO0, 0));
    h_emit(&h, mtc0(T0, CP0_ENTRYLO1, 0));
    h_emit(&h, mfc0(S0, CP0_RANDOM, 0));
    H_EXEC(&h, tlbwr());
    int idx = sim_tlb_probe(h.m, 0, UVA);
    cr_assert_geq(idx, 40);
    cr_assert_leq(idx, 63);
    /* Random steps down by one per instruction: TLBWR ran one after MFC0. */
    uint32_t r = h_reg(&h, S0);
    uint32_t want = r == 40 ? 63 : r - 1;
    cr_expect_eq((uint32_t)idx, want, "Random was %u before TLBWR, which wrote %d", r, idx);
}

Test(tlbinsn, random_stays_in_wired_to_63_and_takes_every_value)
{
    /* Wired = 60; read Random 64 times into memory, 7 instructions apart
     * (7 is prime to the 4 values Random can take, so it takes them all). */
    h_emit(&h, ori(T0, ZERO, 60));
    h_emit(&h, mtc0(T0, CP0_WIRED, 0));
    h_li(&h, S0, DATA_BASE);
    h_emit(&h, ori(T1, ZERO, 64));
    uint32_t loop = h_emit(&h, mfc0(T2, CP0_RANDOM, 0));
    h_emit(&h, sw(T2, 0, S0));
    h_emit(&h, addiu(S0, S0, 4));
    h_emit(&h, nop());
    h_emit(&h, addiu(T1, T1, -1));
    h_emit(&h, bne(T1, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    H_EXEC(&h, nop());
    bool seen[64] = {false};
    for (unsigned i = 0; i < 64; i++) {
        uint32_t r = h_peek32(&h, DATA_BASE + 4 * i);
        cr_assert(r >= 60 && r <= 63, "Random read %u with Wired = 60", r);
        seen[r] = true;
    }
    for (unsigned r = 60; r < 64; r++)
        cr_expect(seen[r], "Random never took the value %u", r);
}

Test(tlbinsn, writing_wired_resets_random_to_63)
{
    h_emitv(&h, (const uint32_t[]){nop(), nop(), nop(), nop(), nop()}, 5);
    h_emit(&h, ori(T0, ZERO, 10));
    H_EXEC(&h, mtc0(T0, CP0_WIRED, 0), mfc0(S0, CP0_RANDOM, 0));
    /* The MFC0 is one instruction after the write, so Random is 63 or 62. */
    cr_expect(h_reg(&h, S0) == 63 || h_reg(&h, S0) == 62, "Random = %u", h_reg(&h, S0));
    cr_expect_eq(h_cp0(&h, CP0_WIRED), 10);
}

Test(tlbinsn, pagemask_reads_zero_and_entryhi_keeps_only_vpn2_and_asid)
{
    h_li(&h, T0, 0xFFFFFFFF);
    H_EXEC(&h, mtc0(T0, CP0_PAGEMASK, 0), mtc0(T0, CP0_ENTRYHI, 0), mfc0(S0, CP0_PAGEMASK, 0),
           mfc0(S1, CP0_ENTRYHI, 0));
    cr_expect_eq(h_reg(&h, S0), 0);
    cr_expect_eq(h_reg(&h, S1), ENTRYHI_VPN2_MASK | ENTRYHI_ASID_MASK);
}

/* ---- the host API's view ------------------------------------------------------ */

Test(tlbapi, write_then_read_round_trips_and_probe_finds_it)
{
    struct sim_tlb_entry in = {UVA | 5, h_pte(PAGE_A, H_PTE_RW & ~ENTRYLO_G),
                               h_pte(PAGE_B, ENTRYLO_V), 0}, out;
    cr_assert_eq(sim_tlb_write(h.m, 0, 12, &in), 0);
    cr_assert_eq(sim_tlb_read(h.m, 0, 12, &out), 0);
    cr_expect_eq(out.entryhi, in.entryhi);
    cr_expect_eq(out.entrylo0, in.entrylo0);
    cr_expect_eq(out.entrylo1, in.entrylo1);
    cr_expect_eq(sim_tlb_probe(h.m, 0, UVA | 5), 12);
    cr_expect_eq(sim_tlb_probe(h.m, 0, UVA | 6), -1);
    cr_expect_eq(sim_tlb_probe(h.m, 0, UVA + 0x2000), -1);
}

Test(tlbapi, host_write_is_seen_by_tlbr_and_tlbwi_by_host_read)
{
    write_entry(2, UVA | 9, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_B, H_PTE_RW));
    h_emit(&h, ori(T0, ZERO, 2));
    h_emit(&h, mtc0(T0, CP0_INDEX, 0));
    h_emit(&h, tlbr());
    h_emit(&h, ori(T0, ZERO, 3));
    h_emit(&h, mtc0(T0, CP0_INDEX, 0));
    h_emit(&h, tlbwi()); /* entry 3 = a copy of entry 2 */
    H_EXEC(&h, tlbp(), mfc0(S0, CP0_INDEX, 0));
    struct sim_tlb_entry e2, e3;
    sim_tlb_read(h.m, 0, 2, &e2);
    sim_tlb_read(h.m, 0, 3, &e3);
    cr_expect_eq(e3.entryhi, e2.entryhi);
    cr_expect_eq(e3.entrylo0, e2.entrylo0);
    cr_expect_eq(e3.entrylo1, e2.entrylo1);
    cr_expect_eq(h_reg(&h, S0), 2, "TLBP and the lowest match");
    cr_expect_eq(sim_tlb_probe(h.m, 0, UVA | 9), 2);
}

Test(tlbapi, random_agrees_with_the_register_and_wired_write_resets_it)
{
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, CP0_WIRED, 0, 10), 0);
    cr_expect_eq(sim_tlb_random(h.m, 0), 63);
    cr_expect_eq(sim_cpu_cp0(h.m, 0, CP0_RANDOM, 0), 63);
    H_EXEC(&h, nop(), nop(), nop());
    int r = sim_tlb_random(h.m, 0);
    cr_expect(r >= 10 && r <= 63);
    cr_expect_eq((uint32_t)r, sim_cpu_cp0(h.m, 0, CP0_RANDOM, 0));
    cr_expect_neq(r, 63, "Random did not move in 10 instructions");
}

Test(tlbapi, flush_invalidates_every_entry)
{
    fill_pages();
    for (int i = 0; i < 64; i++)
        write_entry(i, UVA + (uint32_t)i * 0x2000, h_pte(PAGE_A, H_PTE_RW),
                    h_pte(PAGE_A, H_PTE_RW));
    cr_assert_eq(sim_cpu_set_cp0(h.m, 0, CP0_WIRED, 0, 8), 0);
    cr_assert_eq(sim_tlb_flush(h.m, 0), 0);
    for (int i = 0; i < 64; i++) {
        struct sim_tlb_entry e;
        sim_tlb_read(h.m, 0, i, &e);
        cr_expect_eq(e.entrylo0 & ENTRYLO_V, 0, "entry %d still valid", i);
        cr_expect_eq(e.entrylo1 & ENTRYLO_V, 0, "entry %d still valid", i);
        cr_expect_eq(sim_tlb_probe(h.m, 0, UVA + (uint32_t)i * 0x2000), -1);
        for (int k = 0; k < i; k++) {
            struct sim_tlb_entry o;
            sim_tlb_read(h.m, 0, k, &o);
            cr_expect_neq(o.entryhi & ENTRYHI_VPN2_MASK, e.entryhi & ENTRYHI_VPN2_MASK,
                          "entries %d and %d share a VPN2 after a flush", k, i);
        }
    }
    h_catch(&h, H_EXC_HALT);
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect(h.exc[0].refill);
}

/* A handler that flushes the TLB on SYSCALL and resumes after it; any
 * other exception is recorded and halts. */
static void flush_on_syscall(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct harness *x = arg;
    if (x->nexc < H_MAX_EXC)
        x->exc[x->nexc] = *e;
    x->nexc++;
    if (e->code != EXC_SYS) {
        sim_halt(m, H_EXC_STATUS);
        return;
    }
    sim_tlb_flush(m, e->cpu);
    sim_cpu_set_cp0(m, e->cpu, CP0_EPC, 0, e->epc + 4);
    sim_cpu_eret(m, e->cpu);
}

Test(tlbapi, a_host_flush_during_a_run_drops_translations_in_use)
{
    fill_pages();
    write_entry(0, UVA, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_A + 4096, H_PTE_RW));
    sim_set_exception_handler(h.m, flush_on_syscall, &h);
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0));
    h_emit(&h, sw(V0, 4, A0));
    h_emit(&h, syscall_());
    h_emit(&h, lw(V1, 0, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
    cr_assert_eq(h.nexc, 2);
    cr_expect_eq(h.exc[0].code, EXC_SYS);
    cr_expect_eq(h.exc[1].code, EXC_TLBL);
    cr_expect(h.exc[1].refill);
}

Test(tlbapi, bad_arguments_return_minus_one)
{
    struct sim_tlb_entry e = {UVA, 0, 0, 0};
    cr_expect_eq(sim_tlb_write(h.m, 0, 64, &e), -1);
    cr_expect_eq(sim_tlb_write(h.m, 0, -1, &e), -1);
    cr_expect_eq(sim_tlb_write(h.m, 1, 0, &e), -1);
    cr_expect_eq(sim_tlb_read(h.m, 0, 64, &e), -1);
    cr_expect_eq(sim_tlb_read(h.m, -1, 0, &e), -1);
    cr_expect_eq(sim_tlb_random(h.m, 5), -1);
    cr_expect_eq(sim_tlb_probe(h.m, 5, UVA), -1);
    cr_expect_eq(sim_tlb_flush(h.m, 5), -1);
    struct sim_tlb_entry big = {UVA, 0, 0, 0x1FFE000};
    cr_expect_eq(sim_tlb_write(h.m, 0, 0, &big), -1, "PageMask must be 0");
}

Test(tlb, erl_does_not_unmap_kuseg_on_this_machine)
{
    fill_pages();
    write_entry(0, UVA, h_pte(PAGE_A, H_PTE_RW), h_pte(PAGE_A + 4096, H_PTE_RW));
    h_li(&h, A0, UVA);
    h_emit(&h, lw(V0, 0, A0));
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, ST_ERL);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
}

/* ---- the monitor changing translations the guest is using ------------------- */

/* At each SYSCALL the host handler applies `change` to CPU 0, then resumes
 * after it; any other exception is recorded and halts. */
struct host_change {
    void (*change)(struct sim *m);
    int calls;
    unsigned code;  /* the first non-syscall exception */
    uint32_t badvaddr;
};

static void change_on_syscall(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct host_change *hc = arg;
    if (e->code != EXC_SYS) {
        hc->code = e->code;
        hc->badvaddr = e->badvaddr;
        sim_halt(m, H_EXC_STATUS);
        return;
    }
    hc->calls++;
    hc->change(m);
    sim_cpu_set_cp0(m, e->cpu, CP0_EPC, 0, e->epc + 4);
    sim_cpu_eret(m, e->cpu);
}

static void remap_to_b(struct sim *m)
{
    struct sim_tlb_entry e = {UVA, h_pte(PAGE_B, H_PTE_RW), h_pte(PAGE_B + 4096, H_PTE_RW), 0};
    sim_tlb_write(m, 0, 0, &e);
}

static void write_protect(struct sim *m)
{
    struct sim_tlb_entry e = {UVA, h_pte(PAGE_A, H_PTE_RW & ~ENTRYLO_D),
                              h_pte(PAGE_A + 4096, H_PTE_RW & ~ENTRYLO_D), 0};
    sim_tlb_write(m, 0, 0, &e);
}

static void invalidate(struct sim *m)
{
    struct sim_tlb_entry e = {UVA, h_pte(PAGE_A, ENTRYLO_G), h_pte(PAGE_A + 4096, ENTRYLO_G), 0};
    sim_tlb_write(m, 0, 0, &e);
}

static void switch_asid(struct sim *m)
{
    sim_cpu_set_cp0(m, 0, CP0_ENTRYHI, 0, 9);
}

/* Load and store through UVA (so the translation is in use), SYSCALL,
 * then load and store again. */
static void use_change_use(struct host_change *hc, uint32_t entry_flags)
{
    fill_pages();
    write_entry(0, UVA, h_pte(PAGE_A, entry_flags), h_pte(PAGE_A + 4096, entry_flags));
    sim_set_exception_handler(h.m, change_on_syscall, hc);
    h_li(&h, A0, UVA);
    h_li(&h, T1, 0x5555);
    h_emit(&h, lw(V0, 0, A0));
    h_emit(&h, sw(T1, 8, A0));
    h_emit(&h, syscall_());
    h_emit(&h, lw(V1, 0, A0));
    h_emit(&h, sw(T1, 12, A0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(hc->calls, 1);
}

Test(tlbapi, a_host_remap_of_a_page_in_use_takes_effect_at_once)
{
    struct host_change hc = {.change = remap_to_b};
    use_change_use(&hc, H_PTE_RW);
    cr_expect_eq(sim_exit_status(h.m), 0, "exception %u", hc.code);
    cr_expect_eq(h_reg(&h, V0), 0xAAAA0000);
    cr_expect_eq(h_reg(&h, V1), 0xBBBB0000, "the load after the remap read the old page");
    cr_expect_eq(h_peek32(&h, PAGE_B + 12), 0x5555, "the store after the remap went to the old page");
    cr_expect_eq(h_peek32(&h, PAGE_A + 12), 0);
}

Test(tlbapi, a_host_write_protect_of_a_page_in_use_makes_the_next_store_fault)
{
    struct host_change hc = {.change = write_protect};
    use_change_use(&hc, H_PTE_RW);
    cr_expect_eq(sim_exit_status(h.m), H_EXC_STATUS, "the store after the write-protect went through");
    cr_expect_eq(hc.code, EXC_MOD);
    cr_expect_eq(hc.badvaddr, UVA + 12);
    cr_expect_eq(h_reg(&h, V1), 0xAAAA0000, "loads still work");
    cr_expect_eq(h_peek32(&h, PAGE_A + 12), 0);
}

Test(tlbapi, a_host_invalidation_of_a_page_in_use_makes_the_next_access_fault)
{
    struct host_change hc = {.change = invalidate};
    use_change_use(&hc, H_PTE_RW);
    cr_expect_eq(hc.code, EXC_TLBL);
    cr_expect_eq(hc.badvaddr, UVA);
}

Test(tlbapi, a_host_asid_switch_hides_non_global_entries_at_once)
{
    struct host_change hc = {.change = switch_asid};
    use_change_use(&hc, H_PTE_RW & ~ENTRYLO_G);
    cr_expect_eq(hc.code, EXC_TLBL);
    cr_expect_eq(h_stats(&h, 0)->tlb_refill, 1);
}
