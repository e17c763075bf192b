/*
 * srcgen.h - the source files of the pmake workload, generated.
 *
 * pmake builds a project of NFILES source files in a toy language (see
 * cc.c for its grammar), the kit's stand-in for the paper's GNU chess
 * (Table 1). File i is a pure function of i: the host tool wlgen writes the
 * files into the disk image, and `pmake -g` can write them in the guest;
 * both give the same bytes. A function only calls functions of files
 * 0..i, so the first N files always form a complete program.
 *
 * Shared by host and guest code: plain C, no library calls.
 */
#ifndef SRCGEN_H
#define SRCGEN_H

#define SRCGEN_MAX_FILE_BYTES 32768   /* no file is larger */

/* Write file i's text into buf (at least SRCGEN_MAX_FILE_BYTES); return
   its length. */
int srcgen_file(int i, char *buf);

/* "m007.t": the name of file i (buf of 16 bytes at least). */
void srcgen_name(int i, char *buf);

#endif
