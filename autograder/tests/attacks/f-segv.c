/* (f) SIGSEGV at the first privileged instruction. HOOK_PRIVILEGED */
static void attack(void)
{
    *(volatile int *)0 = 1;
}
