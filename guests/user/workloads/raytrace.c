/*
 * raytrace - the paper's Raytrace workload (Table 1: "SPLASH-2 raytracer;
 * parallel application").
 *
 *   raytrace [-s small|medium|large|WIDTH] [-j THREADS] [-o IMAGE.ppm]
 *
 * Renders a WIDTH x WIDTH*3/4 image of spheres over a textured floor, with
 * two lights, shadows and reflections, in 16.16 fixed point (the machine
 * has no FPU). One sproc thread per CPU (ncpus(), or -j) shares the scene,
 * which is read-only once built, and the image; threads take 16x16 tiles
 * from a shared counter (an LL/SC atomic add) until none are left, as
 * SPLASH-2's raytrace takes work from its job queues. Every pixel is a
 * pure function of the scene, so the image checksum and the ray count do
 * not depend on the number of threads or on which thread drew what.
 *
 * Besides a few big spheres, the scene has a "forest" of 4096 small
 * spheres on a 64 x 64 grid, each with its own 1 KB texture, stored in a
 * shuffled order as a heap-allocated scene would be; rays walk the grid
 * cells they cross (a 2D DDA, as SPLASH-2's raytrace walks its uniform
 * grid); the floor samples a 4 MB noise texture at a fine scale. So every
 * thread reads about 8.5 MB of read-shared scene at scattered places: TLB
 * misses (the paper's Figure 5 names Raytrace among the workloads with
 * high TLB miss rates) and the read-shared pages that Disco replicates
 * (section 4.2.3, Figure 8).
 */
#include <fixed.h>
#include <thread.h>

#include "wl.h"

static const char *prog = "raytrace";
static const struct wl_sizes sizes = { 96, 320, 640 };

#define TILE 16
#define MAX_DEPTH 3
#define MAX_THREADS 64
#define STACK_BYTES (64 * 1024)
#define NOISE_BITS 10                    /* 1024 x 1024 words: 4 MB */
#define NOISE_SIZE (1 << NOISE_BITS)
#define EPS (FX_ONE / 64)
/* Nothing is seen beyond FAR units: squared distances in the scene must
   stay below 32768, the largest 16.16 number (no overflow, which C leaves
   undefined and compilers then treat differently). */
#define FAR fx_from_int(120)

struct vec {
	fx_t x, y, z;
};

struct sphere {
	struct vec center;
	fx_t radius, radius2;
	struct vec color;
	fx_t reflect;                    /* 0..1 */
};

struct light {
	struct vec pos;
	fx_t intensity;
};

/* The forest: FOREST x FOREST cells of CELL units from FOREST_MIN on x and
   z, one sphere per cell wholly inside it and below y = 1. */
#define FOREST 64
#define CELL (3 * FX_HALF)
#define FOREST_MIN fx_from_int(-48)
#define FOREST_TOP FX_ONE
#define TEX 16                           /* texels per side */

struct tree {
	struct sphere s;
	uint32_t tex[TEX * TEX];
};

/* Hits: 0..NSPHERES-1 big spheres, FLOOR, then FOREST_HIT + cell. */
#define FLOOR NSPHERES
#define FOREST_HIT (NSPHERES + 1)

/* The scene: built by the main thread, then only read. */
#define NSPHERES 28
static struct sphere spheres[NSPHERES];
static struct light lights[2];
static uint32_t *noise;                  /* NOISE_SIZE^2 words */
static struct tree *cells[FOREST * FOREST];  /* by cell, shuffled in memory */
static struct vec eye, forward, right, up;

/* The image and the work counter, written by every thread. */
static int width, height, ntiles, tiles_x;
static uint32_t *image;
static volatile int next_tile;

struct worker {
	uint32_t rays;
	char pad[124];                   /* a cache line each: no sharing */
};
static struct worker workers[MAX_THREADS];

/* ---- Vectors ---- */

static struct vec v(fx_t x, fx_t y, fx_t z)
{
	return (struct vec){ x, y, z };
}

static struct vec add(struct vec a, struct vec b)
{
	return v(a.x + b.x, a.y + b.y, a.z + b.z);
}

static struct vec sub(struct vec a, struct vec b)
{
	return v(a.x - b.x, a.y - b.y, a.z - b.z);
}

static struct vec scale(struct vec a, fx_t s)
{
	return v(fx_mul(a.x, s), fx_mul(a.y, s), fx_mul(a.z, s));
}

static fx_t dot(struct vec a, struct vec b)
{
	return fx_mul(a.x, b.x) + fx_mul(a.y, b.y) + fx_mul(a.z, b.z);
}

/*
 * fx_div's exact result (a * 2^16 / b, truncated toward zero, saturated)
 * without its 64-bit division, which this 32-bit CPU does in software,
 * one quotient bit per step for all 64: the integer part takes one
 * hardware divide and the 16 fraction bits 16 steps of long division.
 * Rays divide by their direction's components at every grid cell.
 */
static fx_t div_fx(fx_t a, fx_t b)
{
	if (b == 0)
		return a >= 0 ? INT32_MAX : INT32_MIN;
	int negative = (a < 0) != (b < 0);
	uint32_t ua = a < 0 ? -(uint32_t)a : (uint32_t)a;
	uint32_t ub = b < 0 ? -(uint32_t)b : (uint32_t)b;
	uint32_t q = ua / ub, r = ua % ub;

	if (q >= 0x8000)                 /* |a / b| >= 2^15: out of range */
		return negative ? INT32_MIN : INT32_MAX;
	for (int i = 0; i < 16; i++) {   /* r < ub <= 2^31: r << 1 fits */
		r <<= 1;
		q <<= 1;
		if (r >= ub) {
			r -= ub;
			q |= 1;
		}
	}
	return negative ? -(fx_t)q : (fx_t)q;
}

/* One division and three multiplications rather than three divisions. */
static struct vec normalize(struct vec a)
{
	fx_t len = fx_sqrt(dot(a, a));

	return len ? scale(a, div_fx(FX_ONE, len)) : a;
}

static fx_t fx(int num, int den)
{
	return fx_from_frac(num, den);
}

/* ---- The scene ---- */

/* One small sphere per cell, at a random place inside it, with a texture
   of random colours; cell i's record goes to a random place in the pool. */
static void build_forest(uint32_t *r)
{
	int n = FOREST * FOREST;
	struct tree *pool = wl_malloc(prog, n * sizeof(*pool));
	int *order = wl_malloc(prog, n * sizeof(int));

	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int k = wl_randn(r, i + 1), t = order[i];
		order[i] = order[k];
		order[k] = t;
	}
	for (int i = 0; i < n; i++) {
		struct tree *t = &pool[order[i]];
		uint32_t d[5];
		for (int k = 0; k < 5; k++)
			d[k] = wl_rand(r);
		fx_t radius = fx(20 + d[0] % 26, 100);      /* 0.20 .. 0.45 */
		fx_t room = CELL - 2 * radius;
		t->s.center = v(FOREST_MIN + (i % FOREST) * CELL + radius +
				fx_mul(room, (fx_t)(d[1] & 0xFFFF)),
				radius,
				FOREST_MIN + (i / FOREST) * CELL + radius +
				fx_mul(room, (fx_t)(d[2] & 0xFFFF)));
		t->s.radius = radius;
		t->s.radius2 = fx_mul(radius, radius);
		t->s.color = v(fx(30 + d[3] % 60, 100), fx(40 + d[4] % 60, 100),
			       fx(20, 100));
		t->s.reflect = 0;
		for (int k = 0; k < TEX * TEX; k++)
			t->tex[k] = wl_rand(r);
		cells[i] = t;
	}
	free(order);
}

static void build_scene(void)
{
	uint32_t r = 12345;

	/* A 5 x 5 grid of small spheres and three big mirrors. */
	/* The draws are made one statement at a time: C leaves the order in
	   which function arguments are evaluated unspecified (gcc and clang
	   differ), so draws inside one call's arguments would not give the
	   same scene everywhere. */
	for (int i = 0; i < 25; i++) {
		struct sphere *s = &spheres[i];
		uint32_t d[6];
		for (int k = 0; k < 6; k++)
			d[k] = wl_rand(&r);
		fx_t radius = fx(5 + d[0] % 4, 10);
		s->center = v(fx_from_int(3 * (i % 5) - 6) + fx(d[1] % 100, 100),
			      radius,
			      fx_from_int(3 * (i / 5) - 4) + fx(d[2] % 100, 100));
		s->radius = radius;
		s->color = v(fx(20 + d[3] % 80, 100), fx(20 + d[4] % 80, 100),
			     fx(20 + d[5] % 80, 100));
		s->reflect = i % 4 == 0 ? fx(3, 10) : 0;
	}
	static const int big[3][4] = { { -5, 2, 9, 2 }, { 5, 2, 9, 2 },
				       { 0, 3, 14, 3 } };
	for (int i = 0; i < 3; i++) {
		struct sphere *s = &spheres[25 + i];
		s->center = v(fx_from_int(big[i][0]), fx_from_int(big[i][1]),
			      fx_from_int(big[i][2]));
		s->radius = fx_from_int(big[i][3]);
		s->color = v(fx(9, 10), fx(9, 10), fx(95, 100));
		s->reflect = fx(7, 10);
	}
	for (int i = 0; i < NSPHERES; i++)
		spheres[i].radius2 = fx_mul(spheres[i].radius, spheres[i].radius);

	lights[0] = (struct light){ v(fx_from_int(-10), fx_from_int(15),
				      fx_from_int(-10)), fx(7, 10) };
	lights[1] = (struct light){ v(fx_from_int(12), fx_from_int(10),
				      fx_from_int(-4)), fx(5, 10) };

	build_forest(&r);

	noise = wl_malloc(prog, NOISE_SIZE * NOISE_SIZE * sizeof(uint32_t));
	for (uint32_t i = 0; i < NOISE_SIZE * NOISE_SIZE; i++)
		noise[i] = wl_mix(i ^ 0x600DF00Du);

	eye = v(0, fx_from_int(5), fx_from_int(-14));
	forward = normalize(sub(v(0, fx_from_int(1), fx_from_int(4)), eye));
	right = normalize(v(forward.z, 0, -forward.x));
	/* up = forward x right, pointing up */
	up = v(fx_mul(forward.y, right.z) - fx_mul(forward.z, right.y),
	       fx_mul(forward.z, right.x) - fx_mul(forward.x, right.z),
	       fx_mul(forward.x, right.y) - fx_mul(forward.y, right.x));
	if (up.y < 0)
		up = scale(up, -FX_ONE);
}

/* A smooth-ish texture value in [0, 1) from the noise table: the average
   of four scattered words around (x, z). */
static fx_t texture(fx_t x, fx_t z)
{
	uint32_t ix = (uint32_t)(x >> 10), iz = (uint32_t)(z >> 10);
	uint32_t mask = NOISE_SIZE - 1, sum = 0;

	for (uint32_t k = 0; k < 4; k++) {
		uint32_t a = (ix + (k & 1)) & mask, b = (iz + (k >> 1)) & mask;
		sum += noise[b * NOISE_SIZE + a] >> 18;   /* 14 bits */
	}
	return (fx_t)(sum & 0xFFFF);
}

/* ---- Tracing ---- */

struct hit {
	fx_t t;
	int what;            /* sphere index, NSPHERES for the floor, -1 none */
};

/* The ray's distance to sphere s if below h->t (then h takes it). */
static void hit_sphere(const struct sphere *s, int what, struct vec o,
		       struct vec d, struct hit *h)
{
	struct vec oc = sub(o, s->center);
	fx_t b = dot(oc, d);

	if (b > 0 && dot(oc, oc) > s->radius2)
		return;                      /* outside and moving away */
	/* disc = r^2 - (distance from the centre to the ray)^2, from the
	   closest point's offset q: far better conditioned in 16.16 than
	   b^2 - (|oc|^2 - r^2), whose terms are huge for distant spheres. */
	struct vec q = sub(oc, scale(d, b));
	fx_t disc = s->radius2 - dot(q, q);
	if (disc < 0)
		return;
	fx_t root = fx_sqrt(disc), t = -b - root;
	if (t < EPS)
		t = -b + root;
	if (t >= EPS && t < h->t) {
		h->t = t;
		h->what = what;
	}
}

/* Cell of a coordinate along x or z, or -1 outside the forest. */
static int cell_of(fx_t x)
{
	if (x < FOREST_MIN)
		return -1;
	int c = (x - FOREST_MIN) / CELL;
	return c < FOREST ? c : -1;
}

/*
 * Walk the cells the ray crosses while it is below the forest's top
 * (y <= 1), nearest first, and stop at the first sphere hit: each sphere
 * lies inside its cell, so no later cell can hold a nearer one. (A ray that
 * starts outside the forest's square is not followed into it; no ray of
 * this scene needs to be.)
 */
static void hit_forest(struct vec o, struct vec d, struct hit *h)
{
	fx_t t0 = 0, t1 = h->t;

	if (d.y < 0) {
		if (o.y > FOREST_TOP)
			t0 = div_fx(o.y - FOREST_TOP, -d.y);
		fx_t floor_t = div_fx(o.y, -d.y);
		if (floor_t < t1)
			t1 = floor_t;
	} else if (d.y > 0) {
		if (o.y >= FOREST_TOP)
			return;
		fx_t top_t = div_fx(FOREST_TOP - o.y, d.y);
		if (top_t < t1)
			t1 = top_t;
	} else if (o.y > FOREST_TOP) {
		return;
	}
	if (t0 >= t1)
		return;
	struct vec p = add(o, scale(d, t0));
	int cx = cell_of(p.x), cz = cell_of(p.z);
	if (cx < 0 || cz < 0)
		return;

	/* 2D DDA (Amanatides and Woo): the ray distance to the next cell
	   boundary on x and on z, and between boundaries. 64-bit, since a
	   ray nearly parallel to an axis has huge distances. */
	int sx = d.x > 0 ? 1 : -1, sz = d.z > 0 ? 1 : -1;
	int64_t next_x = INT64_MAX, next_z = INT64_MAX, step_x = 0, step_z = 0;
	if (d.x != 0) {
		fx_t edge = FOREST_MIN + (cx + (sx > 0)) * CELL;
		next_x = t0 + (int64_t)div_fx(edge - p.x, d.x);
		step_x = div_fx(CELL, fx_abs(d.x));
	}
	if (d.z != 0) {
		fx_t edge = FOREST_MIN + (cz + (sz > 0)) * CELL;
		next_z = t0 + (int64_t)div_fx(edge - p.z, d.z);
		step_z = div_fx(CELL, fx_abs(d.z));
	}
	for (;;) {
		int cell = cz * FOREST + cx;
		hit_sphere(&cells[cell]->s, FOREST_HIT + cell, o, d, h);
		if (h->what == FOREST_HIT + cell)
			return;
		if (next_x < next_z) {
			if (next_x >= t1 || (cx += sx) < 0 || cx >= FOREST)
				return;
			next_x += step_x;
		} else {
			if (next_z >= t1 || (cz += sz) < 0 || cz >= FOREST)
				return;
			next_z += step_z;
		}
	}
}

static struct hit intersect(struct vec o, struct vec d, fx_t tmax)
{
	struct hit h = { tmax, -1 };

	for (int i = 0; i < NSPHERES; i++)
		hit_sphere(&spheres[i], i, o, d, &h);
	if (d.y < 0) {                      /* the floor, y = 0 */
		fx_t t = div_fx(-o.y, d.y);
		if (t >= EPS && t < h.t) {
			h.t = t;
			h.what = FLOOR;
		}
	}
	hit_forest(o, d, &h);
	return h;
}

static struct vec trace(struct vec o, struct vec d, int depth, uint32_t *rays)
{
	struct hit h = intersect(o, d, FAR);
	struct vec color, normal;
	fx_t reflect;

	(*rays)++;
	if (h.what < 0)                     /* the sky: a vertical gradient */
		return v(fx(2, 10), fx(3, 10) + d.y / 4, fx(6, 10) + d.y / 3);
	struct vec p = add(o, scale(d, h.t));
	if (h.what == FLOOR) {
		int check = ((p.x >> FX_SHIFT) + (p.z >> FX_SHIFT)) & 1;
		fx_t tex = texture(p.x, p.z);
		fx_t base = check ? fx(8, 10) : fx(3, 10);
		base = fx_mul(base, FX_HALF + tex / 2);
		color = v(base, base, fx_mul(base, fx(9, 10)));
		normal = v(0, FX_ONE, 0);
		reflect = fx(2, 10);
	} else if (h.what >= FOREST_HIT) {
		const struct tree *t = cells[h.what - FOREST_HIT];
		normal = scale(sub(p, t->s.center), div_fx(FX_ONE, t->s.radius));
		/* The texel under the normal's x and z. */
		int u = fx_to_int((normal.x + FX_ONE) * (TEX / 2 - 1) / 2 + FX_HALF);
		int w = fx_to_int((normal.z + FX_ONE) * (TEX / 2 - 1) / 2 + FX_HALF);
		uint32_t texel = t->tex[(w & (TEX - 1)) * TEX + (u & (TEX - 1))];
		fx_t shade = FX_HALF + (fx_t)(texel & 0x7FFF);
		color = scale(t->s.color, shade);
		reflect = 0;
	} else {
		const struct sphere *s = &spheres[h.what];
		color = s->color;
		normal = scale(sub(p, s->center), div_fx(FX_ONE, s->radius));
		reflect = s->reflect;
	}

	struct vec out = scale(color, fx(1, 10));   /* ambient */
	for (int l = 0; l < 2; l++) {
		struct vec to = sub(lights[l].pos, p);
		fx_t dist = fx_sqrt(dot(to, to));
		struct vec ldir = scale(to, div_fx(FX_ONE, dist));
		fx_t diffuse = dot(normal, ldir);
		if (diffuse <= 0)
			continue;
		(*rays)++;
		if (intersect(p, ldir, dist).what >= 0)
			continue;                   /* in shadow */
		out = add(out, scale(color, fx_mul(diffuse, lights[l].intensity)));
		/* Phong highlight: (r . l)^16 by squaring. */
		struct vec refl = sub(ldir, scale(normal, 2 * diffuse));
		fx_t spec = dot(refl, d);
		if (spec > FX_ONE)             /* rounding: a cosine is <= 1 */
			spec = FX_ONE;
		if (spec > 0) {
			for (int k = 0; k < 4; k++)
				spec = fx_mul(spec, spec);
			fx_t s = fx_mul(spec, lights[l].intensity);
			out = add(out, v(s, s, s));
		}
	}
	if (reflect > 0 && depth < MAX_DEPTH) {
		struct vec rd = sub(d, scale(normal, 2 * dot(d, normal)));
		struct vec rc = trace(p, normalize(rd), depth + 1, rays);
		out = add(scale(out, FX_ONE - reflect), scale(rc, reflect));
	}
	return out;
}

static uint32_t channel(fx_t c)
{
	if (c > FX_ONE)
		c = FX_ONE;
	if (c < 0)
		c = 0;
	int v8 = fx_to_int(c * 255 + FX_HALF);

	return v8 < 0 ? 0 : v8 > 255 ? 255 : v8;
}

static void render_tile(int tile, uint32_t *rays)
{
	int x0 = tile % tiles_x * TILE, y0 = tile / tiles_x * TILE;
	fx_t aspect = fx(width, height);

	for (int y = y0; y < y0 + TILE && y < height; y++)
		for (int x = x0; x < x0 + TILE && x < width; x++) {
			fx_t u = fx_mul(fx(2 * x + 1 - width, width), aspect);
			fx_t w = fx(height - 2 * y - 1, height);
			struct vec d = normalize(add(forward,
				add(scale(right, fx_mul(u, fx(7, 10))),
				    scale(up, fx_mul(w, fx(7, 10))))));
			struct vec c = trace(eye, d, 0, rays);
			image[y * width + x] = channel(c.x) << 16 |
					       channel(c.y) << 8 | channel(c.z);
		}
}

/* A thread: take tiles until there are none left. */
static void worker(void *arg)
{
	struct worker *w = arg;
	int tile;

	while ((tile = atomic_add(&next_tile, 1) - 1) < ntiles)
		render_tile(tile, &w->rays);
}

/* The image as a binary PPM, to look at it. */
static void write_ppm(const char *path)
{
	char header[32];
	int n = snprintf(header, sizeof(header), "P6\n%d %d\n255\n", width,
			 height);
	unsigned char *rgb = wl_malloc(prog, n + 3 * width * height);

	memcpy(rgb, header, n);
	for (int i = 0; i < width * height; i++) {
		rgb[n + 3 * i] = image[i] >> 16;
		rgb[n + 3 * i + 1] = image[i] >> 8;
		rgb[n + 3 * i + 2] = image[i];
	}
	if (wl_write_file(path, rgb, n + 3 * width * height) < 0)
		wl_die_errno(prog, path);
	free(rgb);
}

int main(int argc, char **argv)
{
	struct wl_args args;

	wl_getargs(argc, argv, "[-s small|medium|large|WIDTH] [-j THREADS] "
		   "[-o IMAGE.ppm]",
		   &sizes, sizes.medium, &args);
	width = args.size;
	height = width * 3 / 4;
	if (width < 16 || width > 4096)
		wl_die(prog, "WIDTH must be 16 to 4096");
	int nthreads = args.jobs ? args.jobs : ncpus();
	if (nthreads < 1 || nthreads > MAX_THREADS)
		wl_die(prog, "bad number of threads");
	tiles_x = (width + TILE - 1) / TILE;
	ntiles = tiles_x * ((height + TILE - 1) / TILE);
	image = wl_malloc(prog, width * height * sizeof(uint32_t));
	build_scene();

	mark(WL_MARK_START);
	for (int t = 0; t < nthreads; t++) {
		char *stack = wl_malloc(prog, STACK_BYTES);
		if (sproc(worker, &workers[t], stack + STACK_BYTES) < 0)
			wl_die_errno(prog, "sproc");
	}
	int failed = wl_wait_all(prog, nthreads);
	mark(WL_MARK_END);
	if (failed)
		wl_die(prog, "a thread failed");

	if (args.output)
		write_ppm(args.output);
	uint32_t rays = 0;
	for (int t = 0; t < nthreads; t++)
		rays += workers[t].rays;
	printf("raytrace: %dx%d pixels, %d tiles, %u rays, checksum %08x\n",
	       width, height, ntiles, rays,
	       wl_hash(WL_HASH0, image, width * height * sizeof(uint32_t)));
	return 0;
}
