/* (t) Make the test process report success without running any test. */
#include <stdio.h>
#include <unistd.h>

__attribute__((constructor)) static void attack(void)
{
    if (in_unit_test()) {
        fprintf(stderr, "[====] Synthesis: Tested: 1 | Passing: 1 | Failing: 0 | Crashing: 0\n");
        _exit(0);
    }
}
