/*
 * test_emulate.c - virtual CPUs (emulate.h): exception forwarding,
 * privileged-instruction emulation on the virtual CP0 and virtual TLB,
 * branch evaluation for delay slots, and resuming a vCPU.
 *
 * Each test has a monitor with one VM (two vCPUs); vCPU 0 sits on CPU 0
 * as if the monitor were handling one of its traps there, with its
 * virtual Status.BEV already cleared by its kernel.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "disco/emulate.h"
#include "disco/l2tlb.h"
#include "disco/pmap.h"
#include "disco/vm.h"
#include "test_fixture.h"

static struct fx f;
static struct monitor *mon;
static struct vm *vm;
static struct vcpu *v;

#define PC 0xC0001100u        /* where the emulated instruction "is" */
#define BRANCH 0xC0002000u    /* a branch whose delay slot holds it */

static void setup(void)
{
    fx_init(&f);
    fx_capture_stderr(&f);
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    c->cpus = 2;
    mon = fx_create(&f);
    vm = mon->vm[0];
    v = &vm->vcpu[0];
    fx_place(mon, v, 0);
    v->cp0.status = 0;
    v->pc = PC;
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(emulate, .init = setup, .fini = teardown);

static uint32_t R(int r)
{
    return sim_cpu_reg(mon->m, 0, r);
}

static void set_R(int r, uint32_t x)
{
    sim_cpu_set_reg(mon->m, 0, r, x);
}

static bool priv(uint32_t insn)
{
    return emulate_privileged(v, insn, PC, false);
}

static uint32_t mfc0(int reg, int sel)
{
    set_R(T0, 0xDEADBEEF);
    cr_assert(priv(i_mfc0(T0, reg, sel)), "mfc0 $%d not emulated", reg);
    return R(T0);
}

static void mtc0(int reg, uint32_t val)
{
    set_R(T1, val);
    cr_assert(priv(i_mtc0(T1, reg, 0)), "mtc0 $%d not emulated", reg);
}

static uint32_t glo(uint32_t gpfn, uint32_t flags)
{
    return (gpfn << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | flags;
}

static void put_branch(uint32_t insn)
{
    cr_assert_eq(pmap_write(vm, v, BRANCH - MIPS_KSSEG, &insn, 4), 0);
}

static unsigned exccode(void)
{
    return (v->cp0.cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
}

/* ---- emulate_forward ----------------------------------------------------------- */

Test(emulate, forward_sets_epc_cause_exl_and_goes_to_the_general_vector)
{
    emulate_forward(v, EXC_SYS, 0x00400100, false, 0, false, 0);
    cr_assert_eq(v->cp0.epc, 0x00400100u);
    cr_assert_eq(exccode(), (unsigned)EXC_SYS);
    cr_assert(!(v->cp0.cause & CAUSE_BD));
    cr_assert(v->cp0.status & ST_EXL);
    cr_assert_eq(v->pc, GUEST_GENERAL_VECTOR);
    cr_assert_eq(v->forwarded, 1u);
    cr_assert(!vm->failed);
}

Test(emulate, forward_in_a_delay_slot_sets_bd_and_epc_to_the_branch)
{
    emulate_forward(v, EXC_BP, 0x00400200, true, 0, false, 0);
    cr_assert_eq(v->cp0.epc, 0x00400200u);
    cr_assert(v->cp0.cause & CAUSE_BD);
    /* The next one, not in a delay slot, clears BD. */
    v->cp0.status &= ~ST_EXL;
    emulate_forward(v, EXC_BP, 0x00400300, false, 0, false, 0);
    cr_assert(!(v->cp0.cause & CAUSE_BD));
}

Test(emulate, forward_with_exl_already_set_keeps_epc_and_bd)
{
    v->cp0.status = ST_EXL;
    v->cp0.epc = 0x00401000;
    v->cp0.cause = CAUSE_BD | (EXC_TLBL << CAUSE_EXC_SHIFT);
    emulate_forward(v, EXC_ADEL, 0xC0000010, false, 0x7FFFFFFF, false, 0);
    cr_assert_eq(v->cp0.epc, 0x00401000u, "EPC overwritten with EXL set");
    cr_assert(v->cp0.cause & CAUSE_BD, "BD changed with EXL set");
    cr_assert_eq(exccode(), (unsigned)EXC_ADEL, "ExcCode is always the new one");
    cr_assert_eq(v->cp0.badvaddr, 0x7FFFFFFFu);
}

Test(emulate, forward_sets_ce_for_coprocessor_unusable)
{
    emulate_forward(v, EXC_CPU, 0xC0001000, false, 0, false, 1);
    cr_assert_eq(exccode(), (unsigned)EXC_CPU);
    cr_assert_eq((v->cp0.cause & CAUSE_CE_MASK) >> CAUSE_CE_SHIFT, 1u);
    v->cp0.status = 0;
    emulate_forward(v, EXC_RI, 0xC0001000, false, 0, false, 0);
    cr_assert_eq(v->cp0.cause & CAUSE_CE_MASK, 0u, "CE left over from the previous exception");
}

Test(emulate, forward_keeps_pending_interrupt_bits)
{
    v->cp0.cause = (1u << (CAUSE_IP_SHIFT + IRQ_DISK)) | (1u << (CAUSE_IP_SHIFT + IRQ_SOFT0));
    emulate_forward(v, EXC_SYS, 0xC0001000, false, 0, false, 0);
    cr_assert_eq(v->cp0.cause & CAUSE_IP_MASK,
                 (1u << (CAUSE_IP_SHIFT + IRQ_DISK)) | (1u << (CAUSE_IP_SHIFT + IRQ_SOFT0)));
}

Test(emulate, forward_of_a_tlb_exception_sets_badvaddr_context_and_entryhi)
{
    v->cp0.context = 0xFF800000 | 0x1230;  /* PTEBase | an old BadVPN2 */
    v->cp0.entryhi = 0x00002000 | 0x42;    /* an old VPN2, ASID 0x42 */
    emulate_forward(v, EXC_TLBS, 0xC0001000, false, 0x12345678, true, 0);
    cr_assert_eq(exccode(), (unsigned)EXC_TLBS);
    cr_assert_eq(v->cp0.badvaddr, 0x12345678u);
    cr_assert_eq(v->cp0.context, 0xFF800000u | ((0x12345678u >> 13) << 4),
                 "Context 0x%08x: PTEBase kept, BadVPN2 = VA[31:13]", v->cp0.context);
    cr_assert_eq(v->cp0.entryhi, (0x12345678u & 0xFFFFE000u) | 0x42,
                 "EntryHi 0x%08x: VPN2 of the address, ASID kept", v->cp0.entryhi);
}

Test(emulate, forward_of_mod_and_tlbl_set_the_tlb_registers_too)
{
    emulate_forward(v, EXC_MOD, 0xC0001000, false, 0x00402000, false, 0);
    cr_assert_eq(v->cp0.badvaddr, 0x00402000u);
    cr_assert_eq(v->cp0.entryhi & ENTRYHI_VPN2_MASK, 0x00402000u);
    v->cp0.status = 0;
    emulate_forward(v, EXC_TLBL, 0xC0001000, false, 0x00604000, false, 0);
    cr_assert_eq(v->cp0.badvaddr, 0x00604000u);
    cr_assert_eq(v->cp0.context & ~CONTEXT_PTEBASE_MASK, (0x00604000u >> 13) << 4);
}

Test(emulate, forward_of_an_address_error_sets_only_badvaddr)
{
    v->cp0.context = 0x00000770;
    v->cp0.entryhi = 0x00006000 | 3;
    emulate_forward(v, EXC_ADES, 0xC0001000, false, 0x80000004, false, 0);
    cr_assert_eq(v->cp0.badvaddr, 0x80000004u);
    cr_assert_eq(v->cp0.context, 0x00000770u);
    cr_assert_eq(v->cp0.entryhi, 0x00006000u | 3);
}

Test(emulate, forward_of_other_exceptions_leaves_badvaddr)
{
    v->cp0.badvaddr = 0x11111111;
    emulate_forward(v, EXC_SYS, 0xC0001000, false, 0x22222222, false, 0);
    cr_assert_eq(v->cp0.badvaddr, 0x11111111u);
}

Test(emulate, refill_with_exl_clear_goes_to_the_refill_vector)
{
    emulate_forward(v, EXC_TLBL, 0x00400000, false, 0x00400000, true, 0);
    cr_assert_eq(v->pc, GUEST_REFILL_VECTOR);
}

Test(emulate, refill_with_exl_set_goes_to_the_general_vector)
{
    v->cp0.status = ST_EXL;
    emulate_forward(v, EXC_TLBL, 0xC0000010, false, 0x00400000, true, 0);
    cr_assert_eq(v->pc, GUEST_GENERAL_VECTOR);
}

Test(emulate, a_tlb_exception_that_is_no_refill_goes_to_the_general_vector)
{
    emulate_forward(v, EXC_TLBL, 0x00400000, false, 0x00400000, false, 0);
    cr_assert_eq(v->pc, GUEST_GENERAL_VECTOR);
}

Test(emulate, forward_with_virtual_bev_stops_the_vm)
{
    v->cp0.status = ST_BEV;
    emulate_forward(v, EXC_BP, 0xC0001000, false, 0, false, 0);
    cr_assert(vm->failed, "an exception with BEV=1 is a double fault");
    cr_assert(vm->halted);
    cr_assert_eq(v->state, VCPU_DEAD);
    cr_assert(strstr(vm->stop_reason, "double fault") != NULL, "reason: %s", vm->stop_reason);
    cr_assert(strstr(fx_stderr(&f), "disco: VM a stopped: ") != NULL, "stderr: %s", fx_stderr(&f));
}

/* ---- mfc0 ------------------------------------------------------------------------ */

Test(emulate, mfc0_reads_each_virtual_register)
{
    struct { int reg; uint32_t *field; uint32_t value; } regs[] = {
        {CP0_INDEX, &v->cp0.index, 0x80000021},
        {CP0_ENTRYLO0, &v->cp0.entrylo0, 0x0000A5DE},
        {CP0_ENTRYLO1, &v->cp0.entrylo1, 0x0000B61F},
        {CP0_CONTEXT, &v->cp0.context, 0xFF812340},
        {CP0_WIRED, &v->cp0.wired, 9},
        {CP0_BADVADDR, &v->cp0.badvaddr, 0x00BADBAD},
        {CP0_ENTRYHI, &v->cp0.entryhi, 0x7FFFE0AB},
        {CP0_COMPARE, &v->cp0.compare, 0x01020304},
        {CP0_STATUS, &v->cp0.status, 0x0000FF13},
        {CP0_CAUSE, &v->cp0.cause, 0x80008428},
        {CP0_EPC, &v->cp0.epc, 0xC0004444},
        {CP0_ERROREPC, &v->cp0.errorepc, 0xC0005555},
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        *regs[i].field = regs[i].value;
        uint32_t got = mfc0(regs[i].reg, 0);
        cr_assert_eq(got, regs[i].value, "mfc0 $%d gave 0x%08x, virtual value 0x%08x", regs[i].reg,
                     got, regs[i].value);
    }
}

Test(emulate, mfc0_of_the_real_status_is_not_what_the_guest_sees)
{
    v->cp0.status = ST_KSU_USER | ST_EXL;
    cr_assert_eq(mfc0(CP0_STATUS, 0), ST_KSU_USER | ST_EXL);
    cr_assert_neq(sim_cpu_cp0(mon->m, 0, CP0_STATUS, 0), ST_KSU_USER | ST_EXL);
}

Test(emulate, mfc0_prid_config_and_ebase_are_the_machines)
{
    cr_assert_eq(mfc0(CP0_PRID, 0), 0x00018001u, "PRId");
    cr_assert_eq(mfc0(CP0_PRID, 1), 0x80000000u, "EBase of vCPU 0");
    cr_assert_eq(mfc0(CP0_CONFIG, 0), sim_cpu_cp0(mon->m, 0, CP0_CONFIG, 0), "Config as the real CPU's");
    cr_assert_eq(mfc0(CP0_PAGEMASK, 0), 0u, "4 KB pages only");
}

Test(emulate, mfc0_ebase_gives_the_vcpu_number_not_the_cpus)
{
    struct vcpu *v1 = &vm->vcpu[1];
    fx_place(mon, v1, 0); /* vCPU 1 on CPU 0 */
    sim_cpu_set_reg(mon->m, 0, T0, 0);
    cr_assert(emulate_privileged(v1, i_mfc0(T0, CP0_PRID, 1), PC, false));
    cr_assert_eq(R(T0) & 0x3FF, 1u, "EBase.CPUNum is the vCPU's");
}

Test(emulate, mfc0_random_stays_between_wired_and_63)
{
    v->cp0.wired = 50;
    for (int i = 0; i < 40; i++) {
        uint32_t r = mfc0(CP0_RANDOM, 0);
        cr_assert(r >= 50 && r <= 63, "Random %u outside [Wired=50, 63]", r);
    }
}

Test(emulate, mfc0_to_zero_register_changes_nothing)
{
    v->cp0.epc = 0x1234;
    cr_assert(priv(i_mfc0(ZERO, CP0_EPC, 0)));
    cr_assert_eq(R(ZERO), 0u);
}

/* ---- Count and Compare ---------------------------------------------------------- */

Test(emulate, count_written_then_follows_machine_time)
{
    mtc0(CP0_COUNT, 1000000);
    uint32_t c0 = emulate_vcount(v);
    cr_assert(c0 - 1000000u < 1000u, "Count %u right after writing 1000000", c0);
    sim_cpu_charge(mon->m, 0, 5000);
    cr_assert_eq(emulate_vcount(v) - c0, 5000u, "Count follows the CPU's clock");
    uint32_t read = mfc0(CP0_COUNT, 0);
    cr_assert(read - (c0 + 5000) < 1000u, "mfc0 Count %u, virtual Count %u", read, c0 + 5000);
}

Test(emulate, count_wraps_as_32_bits)
{
    mtc0(CP0_COUNT, 0xFFFFFFF0u);
    sim_cpu_charge(mon->m, 0, 0x100);
    uint32_t c = emulate_vcount(v);
    cr_assert(c < 0x1000u, "Count 0x%08x should have wrapped", c);
}

Test(emulate, compare_write_clears_virtual_ip7_and_arms_the_timer)
{
    v->cp0.cause |= 1u << (CAUSE_IP_SHIFT + IRQ_TIMER);
    cr_assert_eq(v->timer_event, 0u);
    uint32_t when = emulate_vcount(v) + 100000;
    mtc0(CP0_COMPARE, when);
    cr_assert_eq(v->cp0.compare, when);
    cr_assert(!(v->cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_TIMER))), "IP7 still pending");
    cr_assert_neq(v->timer_event, 0u, "no timer event armed");
}

Test(emulate, compare_write_keeps_other_pending_interrupts)
{
    v->cp0.cause |= (1u << (CAUSE_IP_SHIFT + IRQ_TIMER)) | (1u << (CAUSE_IP_SHIFT + IRQ_DISK));
    mtc0(CP0_COMPARE, 5);
    cr_assert(v->cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_DISK)));
}

/* ---- mtc0 ----------------------------------------------------------------------- */

Test(emulate, mtc0_status_keeps_only_the_writable_bits)
{
    mtc0(CP0_STATUS, 0xFFFFFFFF);
    uint32_t want = ST_CU0 | ST_BEV | ST_IM_MASK | ST_KSU_MASK | ST_ERL | ST_EXL | ST_IE;
    cr_assert_eq(v->cp0.status, want, "Status 0x%08x, writable bits 0x%08x", v->cp0.status, want);
    mtc0(CP0_STATUS, ST_KSU_USER | ST_IE | (1u << (ST_IM_SHIFT + 7)));
    cr_assert_eq(v->cp0.status, ST_KSU_USER | ST_IE | (1u << (ST_IM_SHIFT + 7)));
}

Test(emulate, mtc0_cause_changes_only_the_software_interrupt_bits)
{
    v->cp0.cause = CAUSE_BD | (1u << (CAUSE_IP_SHIFT + IRQ_TIMER)) | (EXC_SYS << CAUSE_EXC_SHIFT);
    uint32_t before = v->cp0.cause;
    mtc0(CP0_CAUSE, 0xFFFFFFFF);
    cr_assert_eq(v->cp0.cause, before | (3u << CAUSE_IP_SHIFT), "Cause 0x%08x", v->cp0.cause);
    mtc0(CP0_CAUSE, 0);
    cr_assert_eq(v->cp0.cause, before, "Cause 0x%08x", v->cp0.cause);
}

Test(emulate, mtc0_entryhi_masks_and_sets_the_real_asid)
{
    mtc0(CP0_ENTRYHI, 0xFFFFFFFF);
    cr_assert_eq(v->cp0.entryhi, 0xFFFFE0FFu, "EntryHi 0x%08x", v->cp0.entryhi);
    cr_assert_eq(sim_cpu_cp0(mon->m, 0, CP0_ENTRYHI, 0) & ENTRYHI_ASID_MASK, 0xFFu);
    mtc0(CP0_ENTRYHI, 0x00402000 | 0x42);
    cr_assert_eq(v->cp0.entryhi, 0x00402042u);
    cr_assert_eq(sim_cpu_cp0(mon->m, 0, CP0_ENTRYHI, 0) & ENTRYHI_ASID_MASK, 0x42u,
                 "the guest's ASID must be the real one while it runs");
}

Test(emulate, mtc0_of_the_other_registers)
{
    v->cp0.context = 0x00001230;
    mtc0(CP0_CONTEXT, 0xFFFFFFFF);
    cr_assert_eq(v->cp0.context, 0xFF801230u, "Context: only PTEBase is writable");
    mtc0(CP0_ENTRYLO0, 0xFFFFFFFF);
    cr_assert_eq(v->cp0.entrylo0, 0x3FFFFFFFu);
    mtc0(CP0_ENTRYLO1, 0x000012DE);
    cr_assert_eq(v->cp0.entrylo1, 0x000012DEu);
    mtc0(CP0_INDEX, 0xFFFFFFFF);
    cr_assert_eq(v->cp0.index & 63, 63u);
    mtc0(CP0_INDEX, 5);
    cr_assert_eq(v->cp0.index, 5u);
    mtc0(CP0_WIRED, 10);
    cr_assert_eq(v->cp0.wired, 10u);
    mtc0(CP0_EPC, 0xC0001234);
    cr_assert_eq(v->cp0.epc, 0xC0001234u);
    mtc0(CP0_ERROREPC, 0xC0005678);
    cr_assert_eq(v->cp0.errorepc, 0xC0005678u);
}

Test(emulate, mtc0_to_read_only_registers_changes_nothing)
{
    v->cp0.badvaddr = 0x1111;
    mtc0(CP0_BADVADDR, 0x2222);
    cr_assert_eq(v->cp0.badvaddr, 0x1111u);
    mtc0(CP0_PRID, 0);
    cr_assert_eq(mfc0(CP0_PRID, 0), 0x00018001u);
}

/* ---- the virtual TLB ---------------------------------------------------------------- */

static void tlb_regs(uint32_t index, uint32_t hi, uint32_t lo0, uint32_t lo1)
{
    v->cp0.index = index;
    v->cp0.entryhi = hi;
    v->cp0.entrylo0 = lo0;
    v->cp0.entrylo1 = lo1;
}

Test(emulate, tlbwi_writes_the_virtual_tlb_and_the_l2_tlb)
{
    tlb_regs(5, 0x00400000 | 7, glo(10, ENTRYLO_V | ENTRYLO_D), glo(11, ENTRYLO_V));
    cr_assert(priv(i_tlbwi()));
    cr_assert_eq(v->vtlb[5].hi, 0x00400007u);
    cr_assert_eq(v->vtlb[5].lo[0], glo(10, ENTRYLO_V | ENTRYLO_D));
    cr_assert_eq(v->vtlb[5].lo[1], glo(11, ENTRYLO_V));
    cr_assert(!v->vtlb[5].global);
    cr_assert_eq(l2tlb_lookup(v, 0x00400000, 7), &v->l2.e[5]);
    cr_assert_eq(v->pc, PC + 4);
}

Test(emulate, tlbwi_installs_the_machine_translation_in_the_cpus_tlb)
{
    tlb_regs(5, 0x00400000 | 7, glo(10, ENTRYLO_V | ENTRYLO_D), glo(11, ENTRYLO_V));
    cr_assert(priv(i_tlbwi()));
    int i = sim_tlb_probe(mon->m, 0, 0x00400000 | 7);
    cr_assert_geq(i, 0, "no hardware entry after TLBWI");
    struct sim_tlb_entry te;
    sim_tlb_read(mon->m, 0, i, &te);
    cr_assert_eq((te.entrylo0 & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT, vm->pmap[10].mpfn,
                 "hardware maps the machine page, not the guest's PFN");
    cr_assert_eq(te.entrylo0 & (ENTRYLO_D | ENTRYLO_V), ENTRYLO_D | ENTRYLO_V);
    cr_assert_eq(te.entrylo1 & (ENTRYLO_D | ENTRYLO_V), ENTRYLO_V);
}

Test(emulate, tlbwi_is_global_only_if_both_entrylos_say_g)
{
    tlb_regs(6, 0x00600000, glo(12, ENTRYLO_V | ENTRYLO_G), glo(13, ENTRYLO_V | ENTRYLO_G));
    cr_assert(priv(i_tlbwi()));
    cr_assert(v->vtlb[6].global);
    cr_assert_eq(v->vtlb[6].lo[0] & ENTRYLO_G, 0u, "G is kept apart from the EntryLos");
    tlb_regs(7, 0x00800000, glo(12, ENTRYLO_V | ENTRYLO_G), glo(13, ENTRYLO_V));
    cr_assert(priv(i_tlbwi()));
    cr_assert(!v->vtlb[7].global);
}

Test(emulate, tlbwi_replaces_the_old_translation_in_hardware)
{
    tlb_regs(5, 0x00400000 | 7, glo(10, ENTRYLO_V), glo(11, ENTRYLO_V));
    cr_assert(priv(i_tlbwi()));
    tlb_regs(5, 0x00A00000 | 7, glo(12, ENTRYLO_V), glo(13, ENTRYLO_V));
    cr_assert(priv(i_tlbwi()));
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000 | 7), -1, "old translation still in hardware");
    cr_assert_geq(sim_tlb_probe(mon->m, 0, 0x00A00000 | 7), 0);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 7));
}

Test(emulate, tlbwr_writes_an_entry_between_wired_and_63)
{
    v->cp0.wired = 60;
    for (uint32_t k = 0; k < 20; k++) {
        tlb_regs(0, (k + 1) << 16 << 4, glo(20 + k, ENTRYLO_V), 0);
        cr_assert(priv(i_tlbwr()));
    }
    for (int i = 0; i < 60; i++)
        cr_assert_eq(v->vtlb[i].hi, MIPS_KSEG0 + (uint32_t)i * 2 * MIPS_PAGE_SIZE,
                     "TLBWR wrote wired entry %d", i);
    int written = 0;
    for (int i = 60; i < 64; i++)
        if (v->vtlb[i].hi < MIPS_KSEG0)
            written++;
    cr_assert_eq(written, 4, "TLBWR should cycle over the 4 entries above Wired");
}

Test(emulate, tlbr_reads_an_entry_back)
{
    tlb_regs(9, 0x00400000 | 3, glo(10, ENTRYLO_V | ENTRYLO_G), glo(11, ENTRYLO_V | ENTRYLO_G));
    cr_assert(priv(i_tlbwi()));
    tlb_regs(9, 0, 0, 0);
    cr_assert(priv(i_tlbr()));
    cr_assert_eq(v->cp0.entryhi, 0x00400003u);
    cr_assert_eq(v->cp0.entrylo0, glo(10, ENTRYLO_V | ENTRYLO_G), "G reads back in both EntryLos");
    cr_assert_eq(v->cp0.entrylo1, glo(11, ENTRYLO_V | ENTRYLO_G));
    cr_assert_eq(sim_cpu_cp0(mon->m, 0, CP0_ENTRYHI, 0) & ENTRYHI_ASID_MASK, 3u,
                 "TLBR changed the ASID: the real one follows");
}

Test(emulate, tlbp_finds_the_matching_entry)
{
    tlb_regs(12, 0x00400000 | 3, glo(10, ENTRYLO_V), 0);
    cr_assert(priv(i_tlbwi()));
    v->cp0.entryhi = 0x00400000 | 3;
    v->cp0.index = 0;
    cr_assert(priv(i_tlbp()));
    cr_assert_eq(v->cp0.index, 12u);
}

Test(emulate, tlbp_sets_p_when_nothing_matches)
{
    tlb_regs(12, 0x00400000 | 3, glo(10, ENTRYLO_V), 0);
    cr_assert(priv(i_tlbwi()));
    v->cp0.entryhi = 0x00400000 | 4;
    cr_assert(priv(i_tlbp()));
    cr_assert(v->cp0.index & INDEX_P, "Index 0x%08x: another ASID must not match", v->cp0.index);
    v->cp0.entryhi = 0x00402000 | 3;
    cr_assert(priv(i_tlbp()));
    cr_assert(v->cp0.index & INDEX_P, "another page pair must not match");
}

Test(emulate, tlbp_matches_a_global_entry_with_any_asid)
{
    tlb_regs(13, 0x00600000 | 1, glo(10, ENTRYLO_V | ENTRYLO_G), glo(11, ENTRYLO_V | ENTRYLO_G));
    cr_assert(priv(i_tlbwi()));
    v->cp0.entryhi = 0x00600000 | 0x99;
    cr_assert(priv(i_tlbp()));
    cr_assert_eq(v->cp0.index, 13u);
}

Test(emulate, tlbwi_of_a_forged_entry_stops_the_vm)
{
    tlb_regs(5, 0x00400000, glo(10, ENTRYLO_V), glo(vm->npages + 10, ENTRYLO_V));
    priv(i_tlbwi());
    cr_assert(vm->failed);
    cr_assert(strstr(vm->stop_reason, "forged") != NULL, "reason: %s", vm->stop_reason);
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000), -1, "a forged entry reached the hardware");
}

/* ---- eret, wait, cache, and what is not privileged ------------------------------------- */

Test(emulate, eret_returns_to_epc_and_clears_exl)
{
    v->cp0.status = ST_EXL | ST_KSU_USER | ST_IE;
    v->cp0.epc = 0x00400100;
    cr_assert(priv(i_eret()));
    cr_assert_eq(v->pc, 0x00400100u);
    cr_assert_eq(v->cp0.status, ST_KSU_USER | ST_IE);
    cr_assert_eq(emulate_guest_mode(v), MODE_USER);
}

Test(emulate, eret_with_erl_returns_to_errorepc)
{
    v->cp0.status = ST_ERL | ST_EXL;
    v->cp0.epc = 0xC0001000;
    v->cp0.errorepc = 0xC0002000;
    cr_assert(priv(i_eret()));
    cr_assert_eq(v->pc, 0xC0002000u);
    cr_assert_eq(v->cp0.status, ST_EXL, "ERL cleared, EXL left");
}

Test(emulate, eret_in_a_delay_slot_is_not_emulated)
{
    put_branch(i_beq(ZERO, ZERO, 4));
    v->cp0.status = ST_EXL;
    v->cp0.epc = 0xC0001000;
    cr_assert(!emulate_privileged(v, i_eret(), BRANCH, true));
    cr_assert(v->cp0.status & ST_EXL, "nothing done");
}

Test(emulate, wait_with_nothing_pending_takes_the_vcpu_off)
{
    cr_assert(priv(i_wait()));
    cr_assert_eq(v->state, VCPU_WAITING);
    cr_assert_eq(v->pc, PC + 4, "it resumes after the WAIT");
}

Test(emulate, wait_with_a_pending_masked_interrupt_goes_on)
{
    v->cp0.cause |= 1u << (CAUSE_IP_SHIFT + IRQ_DISK);
    v->cp0.status = 0; /* masked */
    cr_assert(priv(i_wait()));
    cr_assert_eq(v->state, VCPU_RUNNING);
    cr_assert_eq(v->pc, PC + 4);
}

Test(emulate, cache_is_a_no_op)
{
    uint32_t st = v->cp0.status;
    cr_assert(priv(i_cache(0x14, 0, T0)));
    cr_assert_eq(v->pc, PC + 4);
    cr_assert_eq(v->cp0.status, st);
    cr_assert_eq(v->emulated, 1u);
}

Test(emulate, emulated_instructions_advance_the_pc_and_are_counted)
{
    priv(i_mfc0(T0, CP0_STATUS, 0));
    cr_assert_eq(v->pc, PC + 4);
    priv(i_tlbp());
    priv(i_mtc0(T0, CP0_EPC, 0));
    cr_assert_eq(v->emulated, 3u);
}

Test(emulate, a_non_privileged_word_is_refused)
{
    uint32_t words[] = {
        i_addiu(T0, T0, 1), i_syscall(), i_break(), i_lw(T0, 0, SP),
        0x41606000u, /* di (MIPS32r2): not in this machine */
        0x4200001Fu, /* deret */
        0x42000010u, /* an unassigned CO function */
        0x44000000u, /* mfc1: no FPU */
        0x40200000u, /* dmfc0: not MIPS32 */
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        v->pc = PC;
        cr_assert(!priv(words[i]), "0x%08x emulated", words[i]);
        cr_assert_eq(v->pc, PC, "0x%08x moved the pc", words[i]);
    }
    cr_assert_eq(v->emulated, 0u);
}

/* ---- emulate_next_pc ------------------------------------------------------------------------ */

Test(emulate, next_pc_outside_a_delay_slot_is_the_next_word)
{
    cr_assert_eq(emulate_next_pc(v, 0xC0001000, false), 0xC0001004u);
}

Test(emulate, next_pc_after_beq_taken_and_not_taken)
{
    put_branch(i_beq(T2, T3, 10));
    set_R(T2, 5);
    set_R(T3, 5);
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), BRANCH + 4 + 40);
    set_R(T3, 6);
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), BRANCH + 8);
}

Test(emulate, next_pc_after_bne_taken_and_not_taken)
{
    put_branch(i_bne(T2, T3, -3));
    set_R(T2, 1);
    set_R(T3, 2);
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), BRANCH + 4 - 12);
    set_R(T3, 1);
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), BRANCH + 8);
}

Test(emulate, next_pc_after_j_and_jal)
{
    put_branch(i_j(0xC0005000));
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), 0xC0005000u);
    put_branch(i_jal(0xC0006000));
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), 0xC0006000u);
}

Test(emulate, next_pc_after_jr_and_jalr)
{
    put_branch(i_jr(T4));
    set_R(T4, 0xC0007000);
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), 0xC0007000u);
    put_branch(i_jalr(RA, T5));
    set_R(T5, 0xC0007100);
    cr_assert_eq(emulate_next_pc(v, BRANCH, true), 0xC0007100u);
}

Test(emulate, next_pc_after_the_sign_tests)
{
    set_R(T2, (uint32_t)-3);
    set_R(T3, 0);
    set_R(T4, 7);
    struct { uint32_t insn; bool taken; const char *what; } cases[] = {
        {i_bltz(T2, 2), true, "bltz -3"},  {i_bltz(T3, 2), false, "bltz 0"},
        {i_bgez(T3, 2), true, "bgez 0"},   {i_bgez(T2, 2), false, "bgez -3"},
        {i_blez(T3, 2), true, "blez 0"},   {i_blez(T4, 2), false, "blez 7"},
        {i_bgtz(T4, 2), true, "bgtz 7"},   {i_bgtz(T3, 2), false, "bgtz 0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        put_branch(cases[i].insn);
        uint32_t want = cases[i].taken ? BRANCH + 4 + 8 : BRANCH + 8;
        cr_assert_eq(emulate_next_pc(v, BRANCH, true), want, "%s", cases[i].what);
    }
}

Test(emulate, privileged_instruction_in_a_taken_branchs_delay_slot)
{
    put_branch(i_beq(T2, T3, 10));
    set_R(T2, 9);
    set_R(T3, 9);
    set_R(T1, 0xC0009999);
    cr_assert(emulate_privileged(v, i_mtc0(T1, CP0_EPC, 0), BRANCH, true));
    cr_assert_eq(v->cp0.epc, 0xC0009999u, "the instruction was emulated");
    cr_assert_eq(v->pc, BRANCH + 4 + 40, "and the branch was taken after it");
}

Test(emulate, privileged_instruction_in_an_untaken_branchs_delay_slot)
{
    put_branch(i_bne(T2, T3, 10));
    set_R(T2, 9);
    set_R(T3, 9);
    cr_assert(emulate_privileged(v, i_mfc0(T0, CP0_STATUS, 0), BRANCH, true));
    cr_assert_eq(v->pc, BRANCH + 8);
}

Test(emulate, privileged_instruction_in_a_jr_delay_slot)
{
    put_branch(i_jr(RA));
    set_R(RA, 0xC0003330);
    cr_assert(emulate_privileged(v, i_tlbp(), BRANCH, true));
    cr_assert_eq(v->pc, 0xC0003330u);
}

Test(emulate, a_delay_slot_branch_outside_the_kernel_stops_the_vm)
{
    emulate_next_pc(v, 0x00400000, true);
    cr_assert(vm->failed, "the monitor cannot read a branch in user space");
}

/* ---- modes and resuming ---------------------------------------------------------------- */

Test(emulate, guest_mode_follows_virtual_status)
{
    v->cp0.status = 0;
    cr_assert_eq(emulate_guest_mode(v), MODE_KERNEL);
    v->cp0.status = ST_KSU_USER;
    cr_assert_eq(emulate_guest_mode(v), MODE_USER);
    v->cp0.status = ST_KSU_USER | ST_EXL;
    cr_assert_eq(emulate_guest_mode(v), MODE_KERNEL);
    v->cp0.status = ST_KSU_USER | ST_ERL;
    cr_assert_eq(emulate_guest_mode(v), MODE_KERNEL);
}

Test(emulate, resume_runs_the_guest_kernel_in_supervisor_mode)
{
    v->cp0.status = 0;
    v->pc = 0xC0001234;
    emulate_resume(v);
    cr_assert_eq(sim_cpu_mode(mon->m, 0), MODE_SUPERVISOR);
    cr_assert_eq(sim_cpu_pc(mon->m, 0), 0xC0001234u);
    uint32_t st = sim_cpu_cp0(mon->m, 0, CP0_STATUS, 0);
    cr_assert(st & ST_IE, "real interrupts stay on");
    cr_assert(st & (1u << (ST_IM_SHIFT + IRQ_IPI)), "the monitor hears IPIs");
    cr_assert_eq(st & (ST_EXL | ST_ERL | ST_BEV), 0u);
}

Test(emulate, resume_runs_guest_user_code_in_user_mode)
{
    v->cp0.status = ST_KSU_USER | ST_IE;
    v->pc = 0x00400000;
    emulate_resume(v);
    cr_assert_eq(sim_cpu_mode(mon->m, 0), MODE_USER);
    cr_assert_eq(sim_cpu_pc(mon->m, 0), 0x00400000u);
}

Test(emulate, resume_delivers_a_pending_enabled_interrupt)
{
    v->cp0.status = ST_KSU_USER | ST_IE | (1u << (ST_IM_SHIFT + IRQ_DISK));
    v->cp0.cause = 1u << (CAUSE_IP_SHIFT + IRQ_DISK);
    v->pc = 0x00400040;
    emulate_resume(v);
    cr_assert_eq(v->cp0.epc, 0x00400040u);
    cr_assert_eq(exccode(), (unsigned)EXC_INT);
    cr_assert(v->cp0.status & ST_EXL);
    cr_assert_eq(sim_cpu_pc(mon->m, 0), GUEST_GENERAL_VECTOR);
    cr_assert_eq(sim_cpu_mode(mon->m, 0), MODE_SUPERVISOR, "the guest kernel takes it");
    cr_assert_eq(v->vinterrupts, 1u);
}

Test(emulate, resume_holds_a_masked_or_disabled_interrupt)
{
    v->cp0.cause = 1u << (CAUSE_IP_SHIFT + IRQ_DISK);
    v->pc = 0xC0001000;
    v->cp0.status = ST_IE; /* IM2 clear */
    emulate_resume(v);
    cr_assert_eq(v->vinterrupts, 0u);
    v->cp0.status = 1u << (ST_IM_SHIFT + IRQ_DISK); /* IE clear */
    emulate_resume(v);
    cr_assert_eq(v->vinterrupts, 0u);
    v->cp0.status = ST_IE | ST_EXL | (1u << (ST_IM_SHIFT + IRQ_DISK));
    emulate_resume(v);
    cr_assert_eq(v->vinterrupts, 0u);
    cr_assert_eq(sim_cpu_pc(mon->m, 0), 0xC0001000u);
}

Test(emulate, resume_writes_the_hal_page)
{
    v->cp0.status = ST_IE | (1u << (ST_IM_SHIFT + IRQ_TIMER));
    v->cp0.epc = 0xC0004321;
    v->cp0.badvaddr = 0x00BAD000;
    v->cp0.entryhi = 0x00400007;
    emulate_resume(v);
    uint32_t w[7];
    cr_assert_eq(sim_mem_read(mon->m, -1, (uint64_t)v->halpage * MIPS_PAGE_SIZE, w, sizeof w), 0);
    cr_assert_eq(w[HALPAGE_STATUS], v->cp0.status);
    cr_assert_eq(w[HALPAGE_CAUSE], v->cp0.cause);
    cr_assert_eq(w[HALPAGE_EPC], 0xC0004321u);
    cr_assert_eq(w[HALPAGE_BADVADDR], 0x00BAD000u);
    cr_assert_eq(w[HALPAGE_ENTRYHI], 0x00400007u);
    cr_assert_eq(w[HALPAGE_CPUID], 0u);
}
