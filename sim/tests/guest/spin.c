/*
 * spin: loops forever. The runner runs it with --max-cycles 100000 and
 * expects flashsim's "cycle limit reached" status, 124.
 */
#include "baremetal.h"

int main(void)
{
	printf("spin: looping forever\n");
	for (;;)
		__asm__ volatile("");
}
