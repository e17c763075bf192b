/*
 * parse.c - sizes and counts as the tools write them ("32M", "0x1000"), and
 * engine names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flash/sim.h"

bool sim_parse_size(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (!s || !*s || *s == '-' || *s == ' ')
        return false;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        return false;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end || (v << shift) >> shift != v || (v << shift) > max)
        return false;
    *out = v << shift;
    return true;
}

bool sim_parse_engine(const char *s, enum sim_engine *out)
{
    if (s && !strcmp(s, "fast"))
        *out = SIM_ENGINE_FAST;
    else if (s && !strcmp(s, "interp"))
        *out = SIM_ENGINE_INTERP;
    else
        return false;
    return true;
}
