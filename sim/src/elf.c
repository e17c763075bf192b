/*
 * elf.c - reading MIPS32 executables with libelf, and the boot loader.
 *
 * MACHINE.md "Loading": every PT_LOAD segment must have a kseg0 or kseg1
 * virtual address and is placed at the corresponding physical address, its
 * bss zeroed; CPU 0 starts at the entry point in kernel mode with BEV=1,
 * $a0 = 0, $a1 = number of CPUs, $a2 = bytes of memory. Anything else is
 * refused with a message that says what is wrong.
 */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>

#include <sys/stat.h>

#include "flash/elf.h"
#include "internal.h"

/* EF_MIPS_ARCH and its values come from <elf.h>. */

/* No machine has more memory than this (MACHINE.md: below 0x1F000000). */
#define ELF_MAX_BYTES 0x1F000000ll

static uint8_t *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    /* /dev/zero, a pipe or a directory is not a program: refuse it at
     * once rather than read until memory runs out. A program larger than
     * the largest machine's memory cannot be loaded either. */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > ELF_MAX_BYTES) {
        snprintf(err, errlen, "%s: %s", path,
                 fstat(fileno(f), &st) != 0 ? strerror(errno)
                 : S_ISDIR(st.st_mode)      ? "a directory, not an ELF file"
                 : !S_ISREG(st.st_mode)     ? "not a regular file (a device, pipe or socket)"
                                            : "larger than any machine's memory: not a program");
        fclose(f);
        return NULL;
    }
    uint8_t *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            uint8_t *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                snprintf(err, errlen, "%s: out of memory", path);
                return NULL;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        snprintf(err, errlen, "%s: read error", path);
        return NULL;
    }
    *len = n;
    return buf;
}

static int fail(Elf *elf, struct sim_elf *out, char *err, size_t errlen, const char *path,
                const char *why)
{
    snprintf(err, errlen, "%s: %s", path, why);
    if (elf)
        elf_end(elf);
    sim_elf_free(out);
    return -1;
}

int sim_elf_read(const char *path, struct sim_elf *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    size_t len = 0;
    out->image = slurp(path, &len, err, errlen);
    if (!out->image)
        return -1;
    if (elf_version(EV_CURRENT) == EV_NONE)
        return fail(NULL, out, err, errlen, path, "libelf is too old");
    Elf *elf = elf_memory((char *)out->image, len);
    if (!elf || elf_kind(elf) != ELF_K_ELF)
        return fail(elf, out, err, errlen, path, "not an ELF file");

    GElf_Ehdr eh;
    if (!gelf_getehdr(elf, &eh))
        return fail(elf, out, err, errlen, path, "malformed ELF header");
    if (eh.e_ident[EI_CLASS] != ELFCLASS32)
        return fail(elf, out, err, errlen, path, "not a 32-bit ELF file (this machine is MIPS32)");
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return fail(elf, out, err, errlen, path, "big-endian ELF (this machine is little-endian)");
    if (eh.e_machine != EM_MIPS) {
        char why[96];
        snprintf(why, sizeof why, "not a MIPS executable (ELF machine %u, expected %u)",
                 (unsigned)eh.e_machine, (unsigned)EM_MIPS);
        return fail(elf, out, err, errlen, path, why);
    }
    if (eh.e_type != ET_EXEC)
        return fail(elf, out, err, errlen, path, "not an executable (ET_EXEC) ELF file");
    uint32_t arch = (uint32_t)eh.e_flags & (uint32_t)EF_MIPS_ARCH;
    if (arch != (uint32_t)EF_MIPS_ARCH_1 && arch != (uint32_t)EF_MIPS_ARCH_2 &&
        arch != (uint32_t)EF_MIPS_ARCH_32)
        return fail(elf, out, err, errlen, path,
                    "built for a MIPS architecture other than MIPS32 Release 1 (use -march=mips32)");

    size_t nph;
    if (elf_getphdrnum(elf, &nph) != 0)
        return fail(elf, out, err, errlen, path, "malformed program headers");
    out->segs = calloc(nph ? nph : 1, sizeof *out->segs);
    if (!out->segs)
        return fail(elf, out, err, errlen, path, "out of memory");
    for (size_t i = 0; i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(elf, (int)i, &ph))
            return fail(elf, out, err, errlen, path, "malformed program header");
        if (ph.p_type != PT_LOAD)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return fail(elf, out, err, errlen, path,
                        "a PT_LOAD segment has more bytes in the file than in memory (p_filesz > p_memsz)");
        if (ph.p_memsz == 0)
            continue;
        if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset)
            return fail(elf, out, err, errlen, path, "a PT_LOAD segment lies outside the file");
        if (ph.p_vaddr + ph.p_memsz > 0x100000000ull)
            return fail(elf, out, err, errlen, path, "a PT_LOAD segment wraps past 4 GB");
        out->segs[out->nsegs++] = (struct sim_elf_segment){
            .vaddr = (uint32_t)ph.p_vaddr,
            .memsz = (uint32_t)ph.p_memsz,
            .filesz = (uint32_t)ph.p_filesz,
            .data = out->image + ph.p_offset,
        };
    }
    if (out->nsegs == 0)
        return fail(elf, out, err, errlen, path, "no loadable (PT_LOAD) segment");
    out->entry = (uint32_t)eh.e_entry;
    elf_end(elf);
    return 0;
}

void sim_elf_free(struct sim_elf *e)
{
    free(e->segs);
    free(e->image);
    e->segs = NULL;
    e->image = NULL;
    e->nsegs = 0;
}

/* The physical address of an unmapped kernel address, or -1. */
static int64_t kseg_to_phys(uint32_t va)
{
    if (va >= MIPS_KSEG0 && va < MIPS_KSEG1)
        return va - MIPS_KSEG0;
    if (va >= MIPS_KSEG1 && va < MIPS_KSSEG)
        return va - MIPS_KSEG1;
    return -1;
}

int sim_load_elf_file(struct sim *m, const char *path, char *err, size_t errlen)
{
    struct sim_elf e;
    if (sim_elf_read(path, &e, err, errlen) != 0)
        return -1;
    for (int i = 0; i < e.nsegs; i++) {
        const struct sim_elf_segment *s = &e.segs[i];
        int64_t pa = kseg_to_phys(s->vaddr);
        int64_t pa_end = kseg_to_phys(s->vaddr + s->memsz - 1);
        if (pa < 0 || pa_end < 0 || pa_end < pa) {
            snprintf(err, errlen, "%s: segment at 0x%08x is not in kseg0 or kseg1 (link the program at 0x80000000 or above)",
                     path, s->vaddr);
            sim_elf_free(&e);
            return -1;
        }
        if (!mem_is_ram(m, (uint64_t)pa, s->memsz)) {
            snprintf(err, errlen, "%s: segment at 0x%08x (%u bytes) does not fit in %llu bytes of memory",
                     path, s->vaddr, s->memsz, (unsigned long long)m->ram_size);
            sim_elf_free(&e);
            return -1;
        }
    }
    if (kseg_to_phys(e.entry) < 0) {
        snprintf(err, errlen, "%s: entry point 0x%08x is not in kseg0 or kseg1", path, e.entry);
        sim_elf_free(&e);
        return -1;
    }
    for (int i = 0; i < e.nsegs; i++) {
        const struct sim_elf_segment *s = &e.segs[i];
        uint64_t pa = (uint64_t)kseg_to_phys(s->vaddr);
        memcpy(m->ram + pa, s->data, s->filesz);
        memset(m->ram + pa + s->filesz, 0, s->memsz - s->filesz);
        mem_dma_written(m, pa, s->memsz);
    }
    struct cpu *c = &m->cpu[0];
    cpu_start(c, c->cycles, e.entry, ST_BEV, 0);
    c->gpr[5] = (uint32_t)m->ncpus;
    c->gpr[6] = (uint32_t)m->ram_size;
    sim_elf_free(&e);
    return 0;
}
