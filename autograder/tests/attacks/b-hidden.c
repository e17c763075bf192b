/* (b) Read the hidden expected output (absolute path in the kit) and print it. */
#include <stdio.h>

__attribute__((constructor)) static void attack(void)
{
    FILE *f = fopen("@KIT@/autograder/hidden/lab1/two.out", "r");
    if (!f) {
        fprintf(stderr, "ATTACK-B blocked\n");
        return;
    }
    char line[512];
    while (fgets(line, sizeof line, f)) {
        printf("LEAKED: %s", line);
        fprintf(stderr, "LEAKED: %s", line);
    }
    fclose(f);
}
