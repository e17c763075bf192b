/** @file
 * lab.c - where a lab's starter stubs end up (lab.h).
 *
 * The reference monitor never calls lab_not_implemented(); the starter trees
 * tools/lab-release.sh writes call it from every function a lab removes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "disco/lab.h"

void lab_not_implemented(const char *function, int lab)
{
    fflush(stdout);
    fprintf(stderr, "disco: not implemented: %s (lab %d)\n", function, lab);
    exit(LAB_NOT_IMPLEMENTED_STATUS);
}
