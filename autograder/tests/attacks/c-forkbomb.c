/* (c) A fork bomb at the first privileged instruction. HOOK_PRIVILEGED
 * (Its processes are named bomb@PORT@ so the test can look for them.) */
#include <sys/prctl.h>
#include <unistd.h>

static void attack(void)
{
    prctl(PR_SET_NAME, "bomb@PORT@");
    for (;;)
        if (fork() < 0)
            usleep(1000);
}
