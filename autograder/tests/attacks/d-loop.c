/* (d) An infinite loop at the first privileged instruction. HOOK_PRIVILEGED */
static void attack(void)
{
    for (volatile int i = 0;; i++)
        ;
}
