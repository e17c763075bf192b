/*
 * halconf.h - build constants of the disco HAL.
 *
 * The disco kernel is linked in the supervisor segment (guests/mk/sseg.ld):
 * the monitor shows a VM its physical memory at 0xC0000000 + pa (the
 * paper's kernel relocation, section 4.2.2; DESIGN.md "Guests and the port
 * to the monitor").
 */
#ifndef HALCONF_H
#define HALCONF_H

#define HAL_KBASE 0xC0000000u

#endif
