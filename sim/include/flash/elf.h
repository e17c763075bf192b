/**
 * @file elf.h
 * @brief Reading MIPS32 ELF executables (with libelf).
 *
 * sim_elf_read() checks that a file is a MIPS32 little-endian executable and
 * returns its loadable segments; it does not decide where they go. The
 * machine's boot loader (sim_load_elf_file()) places them by their kseg0 or
 * kseg1 address; a monitor places a guest kernel's segments in the guest's
 * own physical memory.
 */
#ifndef FLASH_ELF_H
#define FLASH_ELF_H

#include <stddef.h>
#include <stdint.h>

/** One PT_LOAD segment. */
struct sim_elf_segment {
    uint32_t vaddr;      /**< virtual address of the segment */
    uint32_t memsz;      /**< bytes in memory (the rest after filesz is bss, zero) */
    uint32_t filesz;     /**< bytes taken from the file */
    const uint8_t *data; /**< the filesz bytes (inside sim_elf's buffer) */
};

/** A parsed executable. */
struct sim_elf {
    uint32_t entry;                 /**< entry point */
    int nsegs;                      /**< number of PT_LOAD segments (at least 1) */
    struct sim_elf_segment *segs;   /**< the segments, in file order */
    uint8_t *image;                 /**< the whole file (owned) */
};

/**
 * Read and check an ELF file: ELF32, little-endian, EM_MIPS, ET_EXEC, MIPS I,
 * II or MIPS32 (Release 1) code, and at least one well-formed PT_LOAD
 * segment. Returns 0, or -1 with a message naming the problem in @p err.
 */
int sim_elf_read(const char *path, struct sim_elf *out, char *err, size_t errlen);

/** Free what sim_elf_read() allocated. */
void sim_elf_free(struct sim_elf *e);

#endif
