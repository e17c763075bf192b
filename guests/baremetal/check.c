/*
 * check.c: what the self-checking test programs use to say what they check.
 * Meant for CPU 0; other CPUs report through shared memory.
 */
#include "baremetal.h"

static int failures;

void check(int ok, const char *what)
{
	printf("%s %s\n", ok ? "  ok  " : "  FAIL", what);
	if (!ok)
		failures++;
}

void check_eq(uint32_t got, uint32_t want, const char *what)
{
	if (got == want) {
		printf("  ok   %s\n", what);
	} else {
		printf("  FAIL %s: got 0x%08x, want 0x%08x\n", what, got, want);
		failures++;
	}
}

int checks_failed(void)
{
	return failures;
}

int checks_report(const char *name)
{
	if (failures == 0) {
		printf("PASS %s\n", name);
		return 0;
	}
	printf("FAIL %s: %d check(s) failed\n", name, failures);
	return 1;
}
