/*
 * doublefault: MACHINE.md "CPU" (reset state): with Status.BEV = 1 an
 * exception stops the machine as a double fault. flashsim exits with 125;
 * the runner expects exactly that.
 */
#include "baremetal.h"

int main(void)
{
	printf("doublefault: setting Status.BEV and executing BREAK\n");
	mtc0(CP0_STATUS, mfc0(CP0_STATUS) | ST_BEV);
	__asm__ volatile("break");
	printf("doublefault: still running after BREAK with BEV = 1\n");
	return 1;
}
