/*
 * harness.h - running hand-assembled MIPS code on a fresh machine, for the
 * simulator's unit tests.
 *
 * There is no toolchain in a unit test: a test assembles its program with
 * the encoders below (one function per instruction, named after it, with
 * the operands in assembler order), writes it into the machine's memory
 * through the host API, starts CPU 0 and runs until the program stores to
 * the HALT register. Then it inspects registers, CP0, memory, statistics
 * and console output through the public API.
 *
 *   struct harness h;
 *   h_init(&h, NULL);                    // 1 node, 1 MB, console captured
 *   h_li(&h, T0, 0x7FFFFFFF);
 *   h_emit(&h, addiu(T1, T0, 1));
 *   h_halt(&h, 0);
 *   cr_assert_eq(h_go(&h), SIM_STOP_HALT);
 *   cr_assert_eq(h_reg(&h, T1), 0x80000000u);
 *   h_fini(&h);
 *
 * or, shorter, with registers preset from the host:
 *
 *   h_set(&h, T0, 0x7FFFFFFF);
 *   H_EXEC(&h, addiu(T1, T0, 1));        // emits, halts, runs, asserts HALT 0
 *
 * Encoders take branch offsets in instructions, relative to the delay slot
 * (as the hardware does); h_rel(from, to) computes one from two addresses:
 * `h_emit(&h, beq(A0, ZERO, h_rel(h_here(&h), target)))`, or emit a forward
 * branch with offset 0 and fix it later with h_patch(). The encoders were
 * checked against llvm-mc's encodings for mipsel/mips32.
 *
 * Exceptions: with no handler and Status.BEV=0 the CPU goes to the native
 * vectors (put code there with h_org); h_catch() installs a recording host
 * handler instead (see enum h_on_exc), and H_EXC_PROBE turns each SYSCALL
 * into a snapshot of the CPU's statistics, to measure a few instructions.
 */
#ifndef UNIT_HARNESS_H
#define UNIT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "flash/hostapi.h"
#include "flash/mips.h"
#include "flash/sim.h"
#include "flash/stats.h"

/* ---- registers ---------------------------------------------------------- */

enum {
    ZERO, AT, V0, V1, A0, A1, A2, A3,
    T0, T1, T2, T3, T4, T5, T6, T7,
    S0, S1, S2, S3, S4, S5, S6, S7,
    T8, T9, K0, K1, GP, SP, FP, RA,
};

/* ---- addresses ---------------------------------------------------------- */

#define REFILL_VECTOR  0x80000000u /* TLB refill, BEV=0 */
#define GENERAL_VECTOR 0x80000180u /* everything else, BEV=0 */
#define CODE_BASE      0x80001000u /* where h_init() puts the assembly cursor */
#define DATA_BASE      0x80010000u /* a page the tests use for data (PA 0x10000) */
#define DATA_PA        0x00010000u

/* Device registers through kseg1. */
#define DEV_KSEG1      0xBF000000u
#define CONS_TX        0xBF000000u
#define CONS_RX        0xBF000004u
#define CONS_CTRL      0xBF000008u
#define PWR_HALT       0xBF001000u
#define PWR_NCPUS      0xBF001004u
#define PWR_NODE_MEM   0xBF001008u
#define PWR_CPU_START  0xBF00100Cu
#define PWR_CPU_PC     0xBF001010u
#define PWR_CYCLE_LO   0xBF001014u
#define PWR_CYCLE_HI   0xBF001018u
#define PWR_MARK       0xBF00101Cu
#define IPI_SEND       0xBF002000u
#define IPI_ACK        0xBF002004u
#define DISK0          0xBF003000u /* + 0x100 * k */
#define DISK_SECTOR    0x00u
#define DISK_COUNT     0x04u
#define DISK_DMA       0x08u
#define DISK_CMD       0x0Cu
#define DISK_STATUS    0x10u
#define DISK_ACK       0x14u
#define DISK_CAPACITY  0x18u
#define DISK_TARGET    0x1Cu
#define MAGIC_THRESHOLD  0xBF004000u
#define MAGIC_HOT_POP    0xBF004004u
#define MAGIC_RESET_ALL  0xBF004008u
#define MAGIC_RESET_PAGE 0xBF00400Cu

/* ---- encoders ----------------------------------------------------------- */

static inline uint32_t enc_r(unsigned op, unsigned rs, unsigned rt, unsigned rd, unsigned sa,
                             unsigned funct)
{
    return (uint32_t)op << 26 | (uint32_t)(rs & 31) << 21 | (uint32_t)(rt & 31) << 16 |
           (uint32_t)(rd & 31) << 11 | (uint32_t)(sa & 31) << 6 | (funct & 63);
}

static inline uint32_t enc_i(unsigned op, unsigned rs, unsigned rt, int32_t imm)
{
    return (uint32_t)op << 26 | (uint32_t)(rs & 31) << 21 | (uint32_t)(rt & 31) << 16 |
           ((uint32_t)imm & 0xFFFFu);
}

/* J-type: target is the absolute address (its 256 MB region is the delay slot's). */
static inline uint32_t enc_j(unsigned op, uint32_t target)
{
    return (uint32_t)op << 26 | ((target >> 2) & 0x03FFFFFFu);
}

/* SPECIAL (opcode 0) */
static inline uint32_t nop(void) { return 0; }
static inline uint32_t sll(int rd, int rt, int sa) { return enc_r(0, 0, rt, rd, sa, 0x00); }
static inline uint32_t srl(int rd, int rt, int sa) { return enc_r(0, 0, rt, rd, sa, 0x02); }
static inline uint32_t sra(int rd, int rt, int sa) { return enc_r(0, 0, rt, rd, sa, 0x03); }
static inline uint32_t sllv(int rd, int rt, int rs) { return enc_r(0, rs, rt, rd, 0, 0x04); }
static inline uint32_t srlv(int rd, int rt, int rs) { return enc_r(0, rs, rt, rd, 0, 0x06); }
static inline uint32_t srav(int rd, int rt, int rs) { return enc_r(0, rs, rt, rd, 0, 0x07); }
static inline uint32_t jr(int rs) { return enc_r(0, rs, 0, 0, 0, 0x08); }
static inline uint32_t jalr(int rd, int rs) { return enc_r(0, rs, 0, rd, 0, 0x09); }
static inline uint32_t movz(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x0A); }
static inline uint32_t movn(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x0B); }
static inline uint32_t syscall_(void) { return 0x0000000Cu; }
static inline uint32_t break_(void) { return 0x0000000Du; }
static inline uint32_t sync_(void) { return 0x0000000Fu; }
static inline uint32_t mfhi(int rd) { return enc_r(0, 0, 0, rd, 0, 0x10); }
static inline uint32_t mthi(int rs) { return enc_r(0, rs, 0, 0, 0, 0x11); }
static inline uint32_t mflo(int rd) { return enc_r(0, 0, 0, rd, 0, 0x12); }
static inline uint32_t mtlo(int rs) { return enc_r(0, rs, 0, 0, 0, 0x13); }
static inline uint32_t mult(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x18); }
static inline uint32_t multu(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x19); }
static inline uint32_t div_(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x1A); }
static inline uint32_t divu(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x1B); }
static inline uint32_t add(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x20); }
static inline uint32_t addu(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x21); }
static inline uint32_t sub(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x22); }
static inline uint32_t subu(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x23); }
static inline uint32_t and_(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x24); }
static inline uint32_t or_(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x25); }
static inline uint32_t xor_(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x26); }
static inline uint32_t nor_(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x27); }
static inline uint32_t slt(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x2A); }
static inline uint32_t sltu(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x2B); }
static inline uint32_t tge(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x30); }
static inline uint32_t tgeu(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x31); }
static inline uint32_t tlt(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x32); }
static inline uint32_t tltu(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x33); }
static inline uint32_t teq(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x34); }
static inline uint32_t tne(int rs, int rt) { return enc_r(0, rs, rt, 0, 0, 0x36); }

/* REGIMM (opcode 1): rt selects the operation */
static inline uint32_t bltz(int rs, int off) { return enc_i(1, rs, 0x00, off); }
static inline uint32_t bgez(int rs, int off) { return enc_i(1, rs, 0x01, off); }
static inline uint32_t bltzl(int rs, int off) { return enc_i(1, rs, 0x02, off); }
static inline uint32_t bgezl(int rs, int off) { return enc_i(1, rs, 0x03, off); }
static inline uint32_t tgei(int rs, int imm) { return enc_i(1, rs, 0x08, imm); }
static inline uint32_t tgeiu(int rs, int imm) { return enc_i(1, rs, 0x09, imm); }
static inline uint32_t tlti(int rs, int imm) { return enc_i(1, rs, 0x0A, imm); }
static inline uint32_t tltiu(int rs, int imm) { return enc_i(1, rs, 0x0B, imm); }
static inline uint32_t teqi(int rs, int imm) { return enc_i(1, rs, 0x0C, imm); }
static inline uint32_t tnei(int rs, int imm) { return enc_i(1, rs, 0x0E, imm); }
static inline uint32_t bltzal(int rs, int off) { return enc_i(1, rs, 0x10, off); }
static inline uint32_t bgezal(int rs, int off) { return enc_i(1, rs, 0x11, off); }
static inline uint32_t bltzall(int rs, int off) { return enc_i(1, rs, 0x12, off); }
static inline uint32_t bgezall(int rs, int off) { return enc_i(1, rs, 0x13, off); }

/* Jumps, branches and immediates */
static inline uint32_t j(uint32_t target) { return enc_j(0x02, target); }
static inline uint32_t jal(uint32_t target) { return enc_j(0x03, target); }
static inline uint32_t beq(int rs, int rt, int off) { return enc_i(0x04, rs, rt, off); }
static inline uint32_t bne(int rs, int rt, int off) { return enc_i(0x05, rs, rt, off); }
static inline uint32_t blez(int rs, int off) { return enc_i(0x06, rs, 0, off); }
static inline uint32_t bgtz(int rs, int off) { return enc_i(0x07, rs, 0, off); }
static inline uint32_t b(int off) { return beq(ZERO, ZERO, off); }
static inline uint32_t addi(int rt, int rs, int imm) { return enc_i(0x08, rs, rt, imm); }
static inline uint32_t addiu(int rt, int rs, int imm) { return enc_i(0x09, rs, rt, imm); }
static inline uint32_t slti(int rt, int rs, int imm) { return enc_i(0x0A, rs, rt, imm); }
static inline uint32_t sltiu(int rt, int rs, int imm) { return enc_i(0x0B, rs, rt, imm); }
static inline uint32_t andi(int rt, int rs, unsigned imm) { return enc_i(0x0C, rs, rt, (int32_t)imm); }
static inline uint32_t ori(int rt, int rs, unsigned imm) { return enc_i(0x0D, rs, rt, (int32_t)imm); }
static inline uint32_t xori(int rt, int rs, unsigned imm) { return enc_i(0x0E, rs, rt, (int32_t)imm); }
static inline uint32_t lui(int rt, unsigned imm) { return enc_i(0x0F, 0, rt, (int32_t)imm); }
static inline uint32_t beql(int rs, int rt, int off) { return enc_i(0x14, rs, rt, off); }
static inline uint32_t bnel(int rs, int rt, int off) { return enc_i(0x15, rs, rt, off); }
static inline uint32_t blezl(int rs, int off) { return enc_i(0x16, rs, 0, off); }
static inline uint32_t bgtzl(int rs, int off) { return enc_i(0x17, rs, 0, off); }

/* SPECIAL2 (opcode 0x1C) */
static inline uint32_t madd(int rs, int rt) { return enc_r(0x1C, rs, rt, 0, 0, 0x00); }
static inline uint32_t maddu(int rs, int rt) { return enc_r(0x1C, rs, rt, 0, 0, 0x01); }
static inline uint32_t mul(int rd, int rs, int rt) { return enc_r(0x1C, rs, rt, rd, 0, 0x02); }
static inline uint32_t msub(int rs, int rt) { return enc_r(0x1C, rs, rt, 0, 0, 0x04); }
static inline uint32_t msubu(int rs, int rt) { return enc_r(0x1C, rs, rt, 0, 0, 0x05); }
static inline uint32_t clz(int rd, int rs) { return enc_r(0x1C, rs, rd, rd, 0, 0x20); }
static inline uint32_t clo(int rd, int rs) { return enc_r(0x1C, rs, rd, rd, 0, 0x21); }

/* Loads and stores: op rt, off(base) */
static inline uint32_t lb(int rt, int off, int base) { return enc_i(0x20, base, rt, off); }
static inline uint32_t lh(int rt, int off, int base) { return enc_i(0x21, base, rt, off); }
static inline uint32_t lwl(int rt, int off, int base) { return enc_i(0x22, base, rt, off); }
static inline uint32_t lw(int rt, int off, int base) { return enc_i(0x23, base, rt, off); }
static inline uint32_t lbu(int rt, int off, int base) { return enc_i(0x24, base, rt, off); }
static inline uint32_t lhu(int rt, int off, int base) { return enc_i(0x25, base, rt, off); }
static inline uint32_t lwr(int rt, int off, int base) { return enc_i(0x26, base, rt, off); }
static inline uint32_t sb(int rt, int off, int base) { return enc_i(0x28, base, rt, off); }
static inline uint32_t sh(int rt, int off, int base) { return enc_i(0x29, base, rt, off); }
static inline uint32_t swl(int rt, int off, int base) { return enc_i(0x2A, base, rt, off); }
static inline uint32_t sw(int rt, int off, int base) { return enc_i(0x2B, base, rt, off); }
static inline uint32_t swr(int rt, int off, int base) { return enc_i(0x2E, base, rt, off); }
static inline uint32_t cache_(int op, int off, int base) { return enc_i(0x2F, base, op, off); }
static inline uint32_t ll(int rt, int off, int base) { return enc_i(0x30, base, rt, off); }
static inline uint32_t pref(int hint, int off, int base) { return enc_i(0x33, base, hint, off); }
static inline uint32_t sc(int rt, int off, int base) { return enc_i(0x38, base, rt, off); }

/* COP0 (opcode 0x10) */
static inline uint32_t mfc0(int rt, int rd, int sel) { return enc_r(0x10, 0x00, rt, rd, 0, 0) | (sel & 7); }
static inline uint32_t mtc0(int rt, int rd, int sel) { return enc_r(0x10, 0x04, rt, rd, 0, 0) | (sel & 7); }
static inline uint32_t tlbr(void) { return 0x42000001u; }
static inline uint32_t tlbwi(void) { return 0x42000002u; }
static inline uint32_t tlbwr(void) { return 0x42000006u; }
static inline uint32_t tlbp(void) { return 0x42000008u; }
static inline uint32_t eret(void) { return 0x42000018u; }
static inline uint32_t wait_(void) { return 0x42000020u; }

/* Coprocessor 1 and 2 (no FPU, no CP2 on this machine) */
static inline uint32_t mfc1(int rt, int fs) { return enc_r(0x11, 0x00, rt, fs, 0, 0); }
static inline uint32_t lwc1(int ft, int off, int base) { return enc_i(0x31, base, ft, off); }
static inline uint32_t swc1(int ft, int off, int base) { return enc_i(0x39, base, ft, off); }
static inline uint32_t mfc2(int rt, int rd) { return enc_r(0x12, 0x00, rt, rd, 0, 0); }
static inline uint32_t lwc2(int rt, int off, int base) { return enc_i(0x32, base, rt, off); }

/* The branch offset (in instructions) for a branch at `from` to `to`. */
static inline int h_rel(uint32_t from, uint32_t to)
{
    return (int)((int32_t)(to - (from + 4)) >> 2);
}

/* ---- the machine under test --------------------------------------------- */

/* What the recording exception handler does after recording. */
enum h_on_exc {
    H_EXC_HALT,   /* stop the machine: sim_halt(m, H_EXC_STATUS) */
    H_EXC_SKIP,   /* resume after the faulting instruction (EPC + 4, or + 8 in a delay
                     slot); after an interrupt, clear IP0/IP1 and resume at EPC */
    H_EXC_SKIP_SYS_HALTS, /* as H_EXC_SKIP, but SYSCALL halts with 0 (how user code ends) */
    H_EXC_PROBE,  /* SYSCALL snapshots the CPU's statistics (h->probe) and resumes
                     after it; anything else halts with H_EXC_STATUS */
};
#define H_EXC_STATUS 77 /* the exit status H_EXC_HALT halts with */
#define H_MAX_EXC 32

struct harness {
    struct sim_config cfg;
    struct sim *m;
    FILE *out;             /* console output, captured */
    char *out_buf;
    size_t out_len;
    uint32_t at;           /* assembly cursor (kseg0 or kseg1 address) */
    /* the recording handler (h_catch) */
    struct sim_exception exc[H_MAX_EXC];
    uint32_t exc_cause[H_MAX_EXC];  /* Cause as the handler saw it */
    uint32_t exc_status[H_MAX_EXC]; /* Status as the handler saw it */
    int nexc;
    enum h_on_exc on_exc;
    /* H_EXC_PROBE: statistics and cycles at each SYSCALL */
    struct sim_cpu_stats probe[H_MAX_EXC];
    uint64_t probe_cycles[H_MAX_EXC];
    int probe_cpu[H_MAX_EXC];
    int nprobe;
    /* Called at each probe, after the snapshot and before the CPU resumes
     * (NULL: nothing); k is the probe's number. */
    void (*on_probe)(struct harness *h, int k);
};

/* The configuration unit tests start from: 1 node of 1 MB, no console
 * input, output captured, a cycle limit of 20 M so that a broken test stops. */
void h_default_config(struct sim_config *cfg);
/* Create the machine (cfg NULL: h_default_config). console_out is always
 * replaced by the captured stream. Aborts the test on failure. */
void h_init(struct harness *h, const struct sim_config *cfg);
void h_fini(struct harness *h);

/* Assembly */
void h_org(struct harness *h, uint32_t va);
uint32_t h_here(const struct harness *h);
uint32_t h_emit(struct harness *h, uint32_t insn);      /* returns the address it went to */
void h_emitv(struct harness *h, const uint32_t *insns, size_t n);
void h_align(struct harness *h, uint32_t bytes);          /* pad with nops */
void h_patch(struct harness *h, uint32_t va, uint32_t insn);
void h_li(struct harness *h, int r, uint32_t value);     /* always lui + ori */
void h_halt(struct harness *h, uint32_t status);         /* clobbers AT and K0 */
void h_halt_reg(struct harness *h, int r);               /* HALT with register r; clobbers AT */
/* A general-exception handler at 0x80000180 that skips the faulting
 * instruction (EPC += 4) and counts exceptions in K1. */
void h_skip_vector(struct harness *h);

/* Memory by kseg0/kseg1 virtual or physical address (pa < 0x20000000). */
void h_poke32(struct harness *h, uint32_t addr, uint32_t v);
uint32_t h_peek32(struct harness *h, uint32_t addr);
uint8_t h_peek8(struct harness *h, uint32_t addr);

/* Running. h_start starts a CPU with its current $a0 (set it with
 * sim_cpu_set_reg first if it matters). */
void h_start(struct harness *h, int cpu, uint32_t pc, uint32_t status);
enum sim_stop_reason h_run(struct harness *h);
/* Start CPU 0 at CODE_BASE in kernel mode with Status = 0 (BEV=0) and run. */
enum sim_stop_reason h_go(struct harness *h);
/* Emit insns at the cursor, then a HALT with 0; run from CODE_BASE and
 * assert that the program halted with 0. Preset registers with h_set(). */
void h_exec(struct harness *h, const uint32_t *insns, size_t n);
#define H_EXEC(h, ...) \
    h_exec((h), (const uint32_t[]){__VA_ARGS__}, sizeof((const uint32_t[]){__VA_ARGS__}) / 4)
/* Set a register of CPU 0 before the run (h_start keeps $a0). */
void h_set(struct harness *h, int r, uint32_t v);
/* Install the recording handler. */
void h_catch(struct harness *h, enum h_on_exc what);

/* TLB: map the even/odd page pair at va (8 KB aligned) to pa and pa + 4 KB
 * in CPU cpu's entry `index`, with EntryLo flags `flags` (V, D, G, C). */
#define H_PTE_CACHED (3u << ENTRYLO_C_SHIFT)
#define H_PTE_RW (ENTRYLO_V | ENTRYLO_D | ENTRYLO_G | H_PTE_CACHED)
void h_map(struct harness *h, int cpu, int index, uint32_t va, uint32_t pa, uint32_t flags);
static inline uint32_t h_pte(uint32_t pa, uint32_t flags)
{
    return ((pa >> MIPS_PAGE_SHIFT) << ENTRYLO_PFN_SHIFT) | flags;
}

/* Inspection */
uint32_t h_reg(struct harness *h, int r);
uint32_t h_cp0(struct harness *h, int reg);
const struct sim_cpu_stats *h_stats(struct harness *h, int cpu);
const char *h_console(struct harness *h); /* NUL-terminated */
/* The statistics as sim_write_stats() writes them, parsed (json_decref it). */
json_t *h_stats_json(struct harness *h);
/* A number in the statistics by a dotted path of object keys and array
 * indexes, e.g. h_json_u64(j, "nodes.1.misses_served.remote"). */
uint64_t h_json_u64(json_t *root, const char *path);

/* A temporary file with `len` bytes of `data` (or zeros); the caller frees
 * the returned path after unlinking it. */
char *h_tempfile(const void *data, size_t len);

/* Exception code of a Cause value. */
static inline unsigned cause_exc(uint32_t cause) { return (cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT; }
static inline unsigned cause_ce(uint32_t cause) { return (cause & CAUSE_CE_MASK) >> CAUSE_CE_SHIFT; }

#endif
