/*
 * test_elf.c - reading and loading ELF executables: what is refused (and
 * that the message names the problem), and that a valid hand-made
 * executable loads, starts as MACHINE.md says, and runs.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flash/elf.h"
#include "harness.h"

TestSuite(elfread);
TestSuite(elfload);

/* ---- building ELF files by hand ----------------------------------------------- */

struct seg {
    uint32_t vaddr;
    const void *data;
    uint32_t filesz, memsz;
    uint32_t type; /* PT_LOAD unless set */
};

struct elf_spec {
    int cls;          /* ELFCLASS32 (default) or ELFCLASS64 */
    int data;         /* ELFDATA2LSB (default) or ELFDATA2MSB */
    uint16_t type;    /* ET_EXEC by default */
    uint16_t machine; /* EM_MIPS by default */
    uint32_t flags;   /* e_flags as given (valid_spec: EF_MIPS_ARCH_32) */
    uint32_t entry;
    int nsegs;
    struct seg segs[3];
    uint32_t bad_offset; /* if set, the first segment's p_offset */
};

static uint16_t h16(const struct elf_spec *s, uint16_t v) { return s->data == ELFDATA2MSB ? htobe16(v) : htole16(v); }
static uint32_t h32(const struct elf_spec *s, uint32_t v) { return s->data == ELFDATA2MSB ? htobe32(v) : htole32(v); }
static uint64_t h64(const struct elf_spec *s, uint64_t v) { return s->data == ELFDATA2MSB ? htobe64(v) : htole64(v); }

/* Write the file; returns its path (unlink and free it). */
static char *write_elf(struct elf_spec s)
{
    if (!s.cls)
        s.cls = ELFCLASS32;
    if (!s.data)
        s.data = ELFDATA2LSB;
    if (!s.type)
        s.type = ET_EXEC;
    if (!s.machine)
        s.machine = EM_MIPS;
    uint8_t buf[8192];
    memset(buf, 0, sizeof buf);
    size_t ehsize = s.cls == ELFCLASS64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
    size_t phsize = s.cls == ELFCLASS64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
    size_t off = ehsize + phsize * (size_t)s.nsegs;
    off = (off + 15) & ~(size_t)15;
    uint8_t ident[EI_NIDENT] = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, (uint8_t)s.cls, (uint8_t)s.data,
                                EV_CURRENT};
    if (s.cls == ELFCLASS64) {
        Elf64_Ehdr eh = {0};
        memcpy(eh.e_ident, ident, EI_NIDENT);
        eh.e_type = h16(&s, s.type);
        eh.e_machine = h16(&s, s.machine);
        eh.e_version = h32(&s, EV_CURRENT);
        eh.e_entry = h64(&s, s.entry);
        eh.e_phoff = h64(&s, sizeof(Elf64_Ehdr));
        eh.e_flags = h32(&s, s.flags);
        eh.e_ehsize = h16(&s, sizeof(Elf64_Ehdr));
        eh.e_phentsize = h16(&s, sizeof(Elf64_Phdr));
        eh.e_phnum = h16(&s, (uint16_t)s.nsegs);
        eh.e_shentsize = h16(&s, sizeof(Elf64_Shdr));
        memcpy(buf, &eh, sizeof eh);
        for (int i = 0; i < s.nsegs; i++) {
            Elf64_Phdr ph = {0};
            ph.p_type = h32(&s, s.segs[i].type ? s.segs[i].type : PT_LOAD);
            ph.p_offset = h64(&s, off);
            ph.p_vaddr = ph.p_paddr = h64(&s, s.segs[i].vaddr);
            ph.p_filesz = h64(&s, s.segs[i].filesz);
            ph.p_memsz = h64(&s, s.segs[i].memsz);
            ph.p_flags = h32(&s, PF_R | PF_X);
            memcpy(buf + sizeof eh + i * sizeof ph, &ph, sizeof ph);
            memcpy(buf + off, s.segs[i].data, s.segs[i].filesz);
            off += s.segs[i].filesz;
        }
    } else {
        Elf32_Ehdr eh = {0};
        memcpy(eh.e_ident, ident, EI_NIDENT);
        eh.e_type = h16(&s, s.type);
        eh.e_machine = h16(&s, s.machine);
        eh.e_version = h32(&s, EV_CURRENT);
        eh.e_entry = h32(&s, s.entry);
        eh.e_phoff = h32(&s, sizeof(Elf32_Ehdr));
        eh.e_flags = h32(&s, s.flags);
        eh.e_ehsize = h16(&s, sizeof(Elf32_Ehdr));
        eh.e_phentsize = h16(&s, sizeof(Elf32_Phdr));
        eh.e_phnum = h16(&s, (uint16_t)s.nsegs);
        eh.e_shentsize = h16(&s, sizeof(Elf32_Shdr));
        memcpy(buf, &eh, sizeof eh);
        for (int i = 0; i < s.nsegs; i++) {
            Elf32_Phdr ph = {0};
            ph.p_type = h32(&s, s.segs[i].type ? s.segs[i].type : PT_LOAD);
            ph.p_offset = h32(&s, i == 0 && s.bad_offset ? s.bad_offset : (uint32_t)off);
            ph.p_vaddr = ph.p_paddr = h32(&s, s.segs[i].vaddr);
            ph.p_filesz = h32(&s, s.segs[i].filesz);
            ph.p_memsz = h32(&s, s.segs[i].memsz);
            ph.p_flags = h32(&s, PF_R | PF_X);
            ph.p_align = h32(&s, 16);
            memcpy(buf + sizeof eh + i * sizeof ph, &ph, sizeof ph);
            memcpy(buf + off, s.segs[i].data, s.segs[i].filesz);
            off += s.segs[i].filesz;
        }
    }
    cr_assert_leq(off, sizeof buf);
    return h_tempfile(buf, off);
}

/* A program that halts with 42, as little-endian words. */
static uint32_t prog[8];
static size_t prog_len;

static void make_prog(void)
{
    const uint32_t p[] = {
        ori(K0, ZERO, 42), lui(AT, PWR_HALT >> 16), sw(K0, PWR_HALT & 0xFFFF, AT), b(-1), nop(),
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        prog[i] = htole32(p[i]);
    prog_len = sizeof p;
}

static struct elf_spec valid_spec(void)
{
    make_prog();
    struct elf_spec s = {.entry = 0x80001000u, .nsegs = 1, .flags = EF_MIPS_ARCH_32};
    s.segs[0] = (struct seg){0x80001000u, prog, (uint32_t)prog_len, (uint32_t)prog_len, 0};
    return s;
}

/* sim_elf_read must refuse the file, with a message containing `why`. */
static void expect_refused(struct elf_spec s, const char *why)
{
    char *path = write_elf(s);
    struct sim_elf e;
    char err[256] = "";
    int rc = sim_elf_read(path, &e, err, sizeof err);
    cr_expect_eq(rc, -1, "accepted a file that should say \"%s\"", why);
    cr_expect_neq(strstr(err, why), NULL, "message \"%s\" does not say \"%s\"", err, why);
    cr_expect_neq(strstr(err, path), NULL, "message \"%s\" does not name the file", err);
    if (rc == 0)
        sim_elf_free(&e);
    unlink(path);
    free(path);
}

/* ---- sim_elf_read ---------------------------------------------------------------- */

Test(elfread, rejects_a_file_that_is_not_elf)
{
    char *path = h_tempfile("#!/bin/sh\necho this is not an ELF file\n", 40);
    struct sim_elf e;
    char err[256] = "";
    cr_expect_eq(sim_elf_read(path, &e, err, sizeof err), -1);
    cr_expect_neq(strstr(err, "not an ELF"), NULL, "%s", err);
    unlink(path);
    free(path);
}

Test(elfread, rejects_a_missing_file_naming_it)
{
    struct sim_elf e;
    char err[256] = "";
    cr_expect_eq(sim_elf_read("/nonexistent/kernel.elf", &e, err, sizeof err), -1);
    cr_expect_neq(strstr(err, "/nonexistent/kernel.elf"), NULL, "%s", err);
}

Test(elfread, rejects_a_64_bit_elf)
{
    struct elf_spec s = valid_spec();
    s.cls = ELFCLASS64;
    expect_refused(s, "32-bit");
}

Test(elfread, rejects_a_big_endian_elf)
{
    struct elf_spec s = valid_spec();
    s.data = ELFDATA2MSB;
    expect_refused(s, "big-endian");
}

Test(elfread, rejects_a_non_mips_elf)
{
    struct elf_spec s = valid_spec();
    s.machine = EM_386;
    expect_refused(s, "not a MIPS");
}

Test(elfread, rejects_a_relocatable_object)
{
    struct elf_spec s = valid_spec();
    s.type = ET_REL;
    expect_refused(s, "ET_EXEC");
}

Test(elfread, rejects_mips64_code)
{
    struct elf_spec s = valid_spec();
    s.flags = EF_MIPS_ARCH_64;
    expect_refused(s, "MIPS32");
}

Test(elfread, rejects_a_file_without_loadable_segments)
{
    struct elf_spec s = valid_spec();
    s.segs[0].type = PT_NOTE;
    expect_refused(s, "PT_LOAD");
}

Test(elfread, rejects_a_segment_outside_the_file)
{
    struct elf_spec s = valid_spec();
    s.bad_offset = 0x100000;
    expect_refused(s, "outside the file");
}

Test(elfread, rejects_more_file_bytes_than_memory_bytes_and_says_so)
{
    struct elf_spec s = valid_spec();
    s.segs[0].memsz = s.segs[0].filesz - 4;
    expect_refused(s, "p_filesz > p_memsz");
}

static void expect_path_refused(const char *path, const char *want)
{
    struct sim_elf e;
    char err[256] = "";
    cr_assert_neq(sim_elf_read(path, &e, err, sizeof err), 0, "%s was accepted", path);
    cr_assert(strstr(err, want), "message for %s: '%s' does not say '%s'", path, err, want);
    cr_assert(strstr(err, path), "message '%s' does not name the file", err);
}

Test(elfread, refuses_dev_zero_at_once_instead_of_reading_it)
{
    expect_path_refused("/dev/zero", "not a regular file");
}

Test(elfread, refuses_a_directory)
{
    expect_path_refused("/tmp", "a directory");
}

Test(elfread, reads_a_valid_executable)
{
    struct elf_spec s = valid_spec();
    static const uint8_t data2[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    s.nsegs = 2;
    s.segs[1] = (struct seg){0x80008000u, data2, 8, 64, 0};
    char *path = write_elf(s);
    struct sim_elf e;
    char err[256] = "";
    cr_assert_eq(sim_elf_read(path, &e, err, sizeof err), 0, "%s", err);
    cr_expect_eq(e.entry, 0x80001000u);
    cr_assert_eq(e.nsegs, 2);
    cr_expect_eq(e.segs[0].vaddr, 0x80001000u);
    cr_expect_eq(e.segs[0].filesz, prog_len);
    cr_expect(memcmp(e.segs[0].data, prog, prog_len) == 0);
    cr_expect_eq(e.segs[1].vaddr, 0x80008000u);
    cr_expect_eq(e.segs[1].memsz, 64);
    cr_expect_eq(e.segs[1].filesz, 8);
    cr_expect(memcmp(e.segs[1].data, data2, 8) == 0);
    sim_elf_free(&e);
    sim_elf_free(&e); /* twice is harmless */
    unlink(path);
    free(path);
}

Test(elfread, accepts_mips1_and_mips2_code)
{
    uint32_t archs[] = {EF_MIPS_ARCH_1, EF_MIPS_ARCH_2};
    for (int i = 0; i < 2; i++) {
        struct elf_spec s = valid_spec();
        s.flags = archs[i];
        char *path = write_elf(s);
        struct sim_elf e;
        char err[256] = "";
        cr_expect_eq(sim_elf_read(path, &e, err, sizeof err), 0, "arch %08x: %s", archs[i], err);
        sim_elf_free(&e);
        unlink(path);
        free(path);
    }
}

/* ---- sim_load_elf_file ---------------------------------------------------------- */

static struct harness h;
static void setup(void) { h_init(&h, NULL); }
static void teardown(void) { h_fini(&h); }
TestSuite(elfboot, .init = setup, .fini = teardown);

static void expect_load_refused(struct elf_spec s, const char *why)
{
    char *path = write_elf(s);
    char err[256] = "";
    cr_expect_eq(sim_load_elf_file(h.m, path, err, sizeof err), -1, "loaded; expected \"%s\"", why);
    cr_expect_neq(strstr(err, why), NULL, "message \"%s\" does not say \"%s\"", err, why);
    cr_expect_not(sim_cpu_running(h.m, 0), "a refused image started CPU 0");
    unlink(path);
    free(path);
}

Test(elfboot, refuses_a_segment_outside_kseg0_and_kseg1)
{
    struct elf_spec s = valid_spec();
    s.segs[0].vaddr = 0x00400000u;
    s.entry = 0x00400000u;
    expect_load_refused(s, "0x00400000");
    expect_load_refused(s, "kseg0 or kseg1");
}

Test(elfboot, refuses_a_segment_in_kseg2)
{
    struct elf_spec s = valid_spec();
    s.segs[0].vaddr = 0xC0001000u;
    expect_load_refused(s, "kseg0 or kseg1");
}

Test(elfboot, refuses_a_segment_too_big_for_memory)
{
    struct elf_spec s = valid_spec();
    s.segs[0].memsz = 2u << 20; /* 2 MB of bss in 1 MB of memory */
    expect_load_refused(s, "does not fit");
}

Test(elfboot, refuses_a_segment_running_from_kseg0_into_kseg1)
{
    struct elf_spec s = valid_spec();
    s.segs[0].vaddr = 0x9FFFFFF0u;
    s.segs[0].memsz = 0x100;
    expect_load_refused(s, "0x9ffffff0");
}

Test(elfboot, refuses_an_entry_point_outside_kseg0_and_kseg1)
{
    struct elf_spec s = valid_spec();
    s.entry = 0x00001000u;
    expect_load_refused(s, "entry point");
}

Test(elfboot, loads_and_runs_a_valid_executable)
{
    struct elf_spec s = valid_spec();
    char *path = write_elf(s);
    char err[256] = "";
    cr_assert_eq(sim_load_elf_file(h.m, path, err, sizeof err), 0, "%s", err);
    unlink(path);
    free(path);
    cr_expect(sim_cpu_running(h.m, 0));
    cr_expect_eq(sim_cpu_pc(h.m, 0), 0x80001000u);
    cr_expect_eq(sim_cpu_reg(h.m, 0, A0), 0);
    cr_expect_eq(sim_cpu_reg(h.m, 0, A1), 1);
    cr_expect_eq(sim_cpu_reg(h.m, 0, A2), 1u << 20);
    cr_expect_eq(sim_cpu_cp0(h.m, 0, CP0_STATUS, 0) & (ST_BEV | ST_ERL | ST_EXL | ST_IE | ST_KSU_MASK),
                 ST_BEV);
    cr_expect_eq(sim_cpu_mode(h.m, 0), MODE_KERNEL);
    cr_expect_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 42);
}

Test(elfboot, zeroes_bss_and_loads_kseg1_segments)
{
    /* Memory holds garbage where the bss goes. */
    for (uint32_t a = 0x8000; a < 0x8100; a += 4)
        h_poke32(&h, a, 0xDEADBEEF);
    static const uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    struct elf_spec s = valid_spec();
    s.nsegs = 3;
    s.segs[1] = (struct seg){0x80008000u, data, 8, 0x100, 0};
    s.segs[2] = (struct seg){0xA0009000u, data, 8, 8, 0};
    char *path = write_elf(s);
    char err[256] = "";
    cr_assert_eq(sim_load_elf_file(h.m, path, err, sizeof err), 0, "%s", err);
    unlink(path);
    free(path);
    cr_expect_eq(h_peek32(&h, 0x8000), 0x04030201u);
    cr_expect_eq(h_peek32(&h, 0x8004), 0x08070605u);
    for (uint32_t a = 0x8008; a < 0x8100; a += 4)
        cr_expect_eq(h_peek32(&h, a), 0, "bss at %x", a);
    cr_expect_eq(h_peek32(&h, 0x9000), 0x04030201u);
    cr_expect_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 42);
}

Test(elfboot, other_cpus_stay_in_reset)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 3;
    h_fini(&h);
    h_init(&h, &cfg);
    char *path = write_elf(valid_spec());
    char err[256] = "";
    cr_assert_eq(sim_load_elf_file(h.m, path, err, sizeof err), 0, "%s", err);
    unlink(path);
    free(path);
    cr_expect_eq(sim_cpu_reg(h.m, 0, A1), 3);
    cr_expect_eq(sim_cpu_reg(h.m, 0, A2), 3u << 20);
    cr_expect_not(sim_cpu_running(h.m, 1));
    cr_expect_not(sim_cpu_running(h.m, 2));
    cr_expect_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_cpu_stats(h.m, 1)->insns[MODE_KERNEL], 0);
}
