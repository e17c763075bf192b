/*
 * halt3: the guest's HALT value becomes flashsim's exit status
 * (MACHINE.md, "Devices": power HALT register). The runner expects 3.
 */
#include "baremetal.h"

int main(void)
{
	printf("halt3: halting with status 3\n");
	halt(3);
}
