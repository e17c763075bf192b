/*
 * halconf.h - build constants of the native HAL.
 *
 * The native kernel is linked in kseg0 (guests/mk/kseg0.ld): physical
 * address pa is at kernel virtual address 0x80000000 + pa. The disco build
 * has its own halconf.h with 0xC0000000 (the paper's kernel relocation).
 */
#ifndef HALCONF_H
#define HALCONF_H

#define HAL_KBASE 0x80000000u

#endif
