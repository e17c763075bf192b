/*
 * fixed.h - 16.16 fixed-point arithmetic for the workloads.
 *
 * The machine has no FPU and guests are built with -msoft-float, so real
 * numbers are fx_t: a 32-bit signed integer holding x * 65536. Range about
 * +-32768, resolution 1/65536. The results are exact functions of their
 * inputs on every host and run, which is what deterministic checksums need.
 */
#ifndef ULIB_FIXED_H
#define ULIB_FIXED_H

#include <stdint.h>

typedef int32_t fx_t;

#define FX_SHIFT 16
#define FX_ONE   ((fx_t)1 << FX_SHIFT)
#define FX_HALF  (FX_ONE / 2)
#define FX_PI    ((fx_t)205887)          /* pi * 65536, rounded */
#define FX_2PI   ((fx_t)411775)

static inline fx_t fx_from_int(int n) { return (fx_t)((uint32_t)n << FX_SHIFT); }
/* Rounds toward minus infinity, as an arithmetic shift does. */
static inline int fx_to_int(fx_t x) { return x >> FX_SHIFT; }
static inline int fx_round(fx_t x) { return (x + FX_HALF) >> FX_SHIFT; }
/* num / den as a fixed-point number (den != 0). */
fx_t fx_from_frac(int num, int den);

/* Product, rounded to nearest; the 64-bit intermediate cannot overflow. */
static inline fx_t fx_mul(fx_t a, fx_t b)
{
	return (fx_t)(((int64_t)a * b + FX_HALF) >> FX_SHIFT);
}

fx_t fx_div(fx_t a, fx_t b);     /* a / b truncated; b == 0 gives +-max */
fx_t fx_sqrt(fx_t x);            /* floor of the square root; 0 for x <= 0 */
fx_t fx_sin(fx_t angle);         /* angle in radians, any value */
fx_t fx_cos(fx_t angle);
fx_t fx_abs(fx_t x);

#endif
