/* (e) malloc without bound, touching the memory. HOOK_PRIVILEGED */
#include <stdlib.h>
#include <string.h>

static void attack(void)
{
    for (;;) {
        char *p = malloc(16 << 20);
        if (!p)
            abort();
        memset(p, 1, 16 << 20);
    }
}
