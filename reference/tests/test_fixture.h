/*
 * test_fixture.h - what the monitor's unit tests share: hand-assembled
 * guest programs, a writer for the tiny ELF files that carry them, and a
 * small monitor built from a configuration in a private temporary
 * directory.
 *
 * The unit tests do not depend on any guest build: a test assembles its
 * guest kernel with the encoders below (one function per instruction,
 * operands in assembler order), and fx_vm() writes it as a MIPS32 ELF
 * linked in the supervisor segment. A test that needs a vCPU on a physical
 * CPU, as if the monitor were handling one of its traps, uses fx_place().
 *
 *   struct fx f;
 *   fx_init(&f);
 *   struct prog p;
 *   prog_init(&p);
 *   p_mcall(&p, MC_MARK, 7);
 *   p_halt(&p, 0);
 *   fx_vm(&f, "alpha", &p);
 *   fx_create(&f);
 *   cr_assert_eq(monitor_run(f.mon), 0);
 *   fx_fini(&f);
 */
#ifndef TEST_FIXTURE_H
#define TEST_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "disco/abi.h"
#include "disco/config.h"
#include "disco/monitor.h"
#include "disco/types.h"

/* ---- registers -------------------------------------------------------- */

enum {
    ZERO, AT, V0, V1, A0, A1, A2, A3,
    T0, T1, T2, T3, T4, T5, T6, T7,
    S0, S1, S2, S3, S4, S5, S6, S7,
    T8, T9, K0, K1, GP, SP, FP, RA,
};

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

static inline uint32_t i_nop(void) { return 0; }
static inline uint32_t i_syscall(void) { return 0x0000000Cu; }
static inline uint32_t i_break(void) { return 0x0000000Du; }
static inline uint32_t i_jr(int rs) { return enc_r(0, rs, 0, 0, 0, 0x08); }
static inline uint32_t i_jalr(int rd, int rs) { return enc_r(0, rs, 0, rd, 0, 0x09); }
static inline uint32_t i_addu(int rd, int rs, int rt) { return enc_r(0, rs, rt, rd, 0, 0x21); }
static inline uint32_t i_addiu(int rt, int rs, int imm) { return enc_i(0x09, rs, rt, imm); }
static inline uint32_t i_ori(int rt, int rs, unsigned imm) { return enc_i(0x0D, rs, rt, (int32_t)imm); }
static inline uint32_t i_lui(int rt, unsigned imm) { return enc_i(0x0F, 0, rt, (int32_t)imm); }
static inline uint32_t i_lw(int rt, int off, int base) { return enc_i(0x23, base, rt, off); }
static inline uint32_t i_sw(int rt, int off, int base) { return enc_i(0x2B, base, rt, off); }
/* Branches: offset in instructions, relative to the delay slot. */
static inline uint32_t i_beq(int rs, int rt, int off) { return enc_i(0x04, rs, rt, off); }
static inline uint32_t i_bne(int rs, int rt, int off) { return enc_i(0x05, rs, rt, off); }
static inline uint32_t i_blez(int rs, int off) { return enc_i(0x06, rs, 0, off); }
static inline uint32_t i_bgtz(int rs, int off) { return enc_i(0x07, rs, 0, off); }
static inline uint32_t i_bltz(int rs, int off) { return enc_i(0x01, rs, 0, off); }
static inline uint32_t i_bgez(int rs, int off) { return enc_i(0x01, rs, 1, off); }
static inline uint32_t i_j(uint32_t target) { return 0x02u << 26 | ((target >> 2) & 0x03FFFFFFu); }
static inline uint32_t i_jal(uint32_t target) { return 0x03u << 26 | ((target >> 2) & 0x03FFFFFFu); }
/* Coprocessor 0. */
static inline uint32_t i_mfc0(int rt, int rd, int sel) { return enc_r(0x10, 0x00, rt, rd, 0, 0) | (sel & 7); }
static inline uint32_t i_mtc0(int rt, int rd, int sel) { return enc_r(0x10, 0x04, rt, rd, 0, 0) | (sel & 7); }
static inline uint32_t i_tlbr(void) { return 0x42000001u; }
static inline uint32_t i_tlbwi(void) { return 0x42000002u; }
static inline uint32_t i_tlbwr(void) { return 0x42000006u; }
static inline uint32_t i_tlbp(void) { return 0x42000008u; }
static inline uint32_t i_eret(void) { return 0x42000018u; }
static inline uint32_t i_wait(void) { return 0x42000020u; }
static inline uint32_t i_cache(int op, int off, int base) { return enc_i(0x2F, base, op, off); }

/* ---- guest programs ----------------------------------------------------- */

#define FX_BASE    0xC0000000u  /* guest PA 0, the refill vector */
#define FX_GENERAL 0xC0000180u  /* general exception vector */
#define FX_ENTRY   0xC0001000u  /* where programs start */
#define FX_DATA    0xC0003000u  /* a page for a program's data (guest PA 0x3000) */
#define FX_IMAGE   0x4000u      /* bytes of image: vectors, code, data */

/* A guest kernel image at FX_BASE, assembled word by word. */
struct prog {
    uint32_t img[FX_IMAGE / 4];
    uint32_t at;    /* byte offset of the next word */
    uint32_t size;  /* bytes used */
};

/* Empty image, cursor at FX_ENTRY. */
void prog_init(struct prog *p);
/* Move the cursor to virtual address @p va. */
void p_org(struct prog *p, uint32_t va);
/* The address of the next word. */
uint32_t p_here(const struct prog *p);
/* Append one instruction word. */
void p_emit(struct prog *p, uint32_t w);
/* Load a 32-bit constant (always two words: lui, ori). */
void p_li(struct prog *p, int r, uint32_t v);
/* Monitor call @p nr with a0 = @p a0 (v0 result). */
void p_mcall(struct prog *p, uint32_t nr, uint32_t a0);
/* Monitor call MC_MARK with a0 = register @p r. */
void p_mark_reg(struct prog *p, int r);
/* MC_HALT with @p status. */
void p_halt(struct prog *p, uint32_t status);
/* Bytes at virtual address @p va (not moving the cursor). */
void p_bytes(struct prog *p, uint32_t va, const void *b, size_t n);
/* Print @p s through MC_CONS_WRITE, from a copy placed at @p data_va. */
void p_print(struct prog *p, uint32_t data_va, const char *s);

/* Write a MIPS32 little-endian ET_EXEC with one PT_LOAD segment. */
int fx_write_elf(const char *path, uint32_t vaddr, const void *data, uint32_t filesz,
                 uint32_t memsz, uint32_t entry);

/* ---- a monitor ------------------------------------------------------------ */

struct fx {
    char dir[64];                 /* private temporary directory */
    char path[256];               /* scratch for fx_path() */
    struct disco_config cfg;      /* 2 nodes of 4 MB, a cycle limit */
    struct monitor *mon;          /* after fx_create() */
    char *out;                    /* console output (open_memstream) */
    size_t outlen;
    FILE *outf;
    char errpath[256];            /* stderr capture file, if any */
    int saved_stderr;             /* fd, or -1 */
    char *errtext;                /* last fx_stderr() text */
};

void fx_init(struct fx *f);
/* A file name inside the fixture's directory (valid until the next call). */
const char *fx_path(struct fx *f, const char *name);
/* Add [vm NAME], 1 MB, kernel = program @p p written as NAME.elf. */
struct vm_config *fx_vm(struct fx *f, const char *name, const struct prog *p);
/* A raw disk image of @p sectors sectors, sector s byte j = pattern(s, j). */
const char *fx_disk(struct fx *f, const char *name, uint32_t sectors);
uint8_t fx_pattern(uint32_t sector, uint32_t byte);
/* monitor_create() on f->cfg; fails the test with its message if it fails. */
struct monitor *fx_create(struct fx *f);
/* Console output so far. */
const char *fx_out(struct fx *f);
/* Send stderr to a file from now on; fx_stderr() returns what arrived. */
void fx_capture_stderr(struct fx *f);
const char *fx_stderr(struct fx *f);
void fx_fini(struct fx *f);

/* Put vCPU @p v on physical CPU @p cpu as the scheduler would (off the run
 * queue, its registers and ASID loaded, an empty TLB) and make the monitor
 * act as if handling a trap on that CPU (mon->cur_cpu = cpu). */
void fx_place(struct monitor *mon, struct vcpu *v, int cpu);
/* Position of @p v in the run queue (0 first), or -1. */
int fx_runq_pos(const struct monitor *mon, const struct vcpu *v);
int fx_runq_len(const struct monitor *mon);

/* Is interrupt line @p line pending in CPU @p cpu's real Cause? */
bool fx_cpu_ip(struct monitor *mon, int cpu, int line);

#endif
