/*
 * elf.h - the parts of the ELF format exec needs (32-bit, little-endian).
 */
#ifndef ELF_H
#define ELF_H

#include <stdint.h>

#define ELF_MAGIC 0x464C457Fu   /* "\x7FELF" read as a little-endian word */
#define ELFCLASS32 1
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_MIPS 8
#define PT_LOAD 1
#define PF_X 1
#define PF_W 2
#define PF_R 4

struct elfhdr {
	uint32_t magic;
	uint8_t class, data, version, osabi;
	uint8_t pad[8];
	uint16_t type, machine;
	uint32_t version2, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct proghdr {
	uint32_t type, off, vaddr, paddr, filesz, memsz, flags, align;
};

#endif
