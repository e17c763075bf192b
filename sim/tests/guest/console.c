/*
 * console: the console device, MACHINE.md "Devices" (console).
 * The runner gives it no input (</dev/null).
 *
 * Prints through TX (word and byte stores: the data registers accept both),
 * and checks that RX says 0xFFFFFFFF when there is no input and that
 * enabling the input interrupt raises nothing without input.
 */
#include "baremetal.h"

#define IP6 (1 << IRQ_CONS)

int main(void)
{
	int empty = 1;

	printf("console: checking TX, RX and CTRL\n");
	printf("  printf: %d %u %x %08x %s %c %%\n", -42, 42u, 0xbeefu, 0xbeefu,
	       "str", 'c');
	console_puts("  a byte store to TX: ");
	*(volatile uint8_t *)(CONSOLE_BASE + CONSOLE_TX) = 'B';
	console_putc('\n');
	check(1, "TX prints (see the lines above)");

	for (int i = 0; i < 10; i++)
		if (mmio_read(CONSOLE_BASE + CONSOLE_RX) != 0xFFFFFFFF)
			empty = 0;
	check(empty, "RX reads 0xFFFFFFFF when there is no input");
	check_eq(console_getc(), (uint32_t)-1, "console_getc() returns -1");

	mmio_write(CONSOLE_BASE + CONSOLE_CTRL, 1);
	check_eq(intr_pending() & IP6, 0, "CTRL input interrupt on, no input: no IP6");
	mmio_write(CONSOLE_BASE + CONSOLE_CTRL, 0);

	return checks_report("console");
}
