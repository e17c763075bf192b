/*
 * page.c - the page hints of hal.h on the bare machine: the kernel zeroes
 * its own pages, and a freed page has nobody to be told about. (Under the
 * monitor they are the paper's monitor calls, hal/disco/cpu.c.)
 */
#include <stddef.h>

#include "hal.h"

void *memset(void *dst, int c, size_t n);   /* the kernel's, string.c */

void hal_page_zero(uint32_t pa)
{
	memset(hal_pa2kva(pa), 0, HAL_PAGE_SIZE);
}

void hal_page_freed(uint32_t pa)
{
	(void)pa;
}

void hal_page_kinds(const uint8_t *table, uint32_t npages)
{
	(void)table;
	(void)npages;
}
