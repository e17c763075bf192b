/* Put before every attack (run.sh's make_attack): what the attacks share. */
#include <stdio.h>
#include <string.h>

/* True in a unit-test process of the grader (its command line has
 * --filter), false in disco and the build. */
__attribute__((unused)) static int in_unit_test(void)
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
    return strstr(cmd, "--filter") != NULL;
}
