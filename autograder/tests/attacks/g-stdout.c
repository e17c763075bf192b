/* (g) 1 GB on stdout at the first privileged instruction. HOOK_PRIVILEGED */
#include <stdio.h>
#include <string.h>

static void attack(void)
{
    static char line[4096];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 2] = '\n';
    for (long i = 0; i < (1L << 30) / (long)(sizeof line - 1); i++)
        fputs(line, stdout);
}
