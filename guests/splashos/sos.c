/*
 * sos.c - SPLASHOS itself: boot, synchronization, memory, output, faults.
 *
 * No privileged instruction here: everything the machine does for us goes
 * through hal.h, so that this file runs unchanged on the bare machine and,
 * later, in a Disco virtual machine.
 *
 * Memory: one address space, no VM. Each node's memory is a heap
 * [lo, hi): sos_alloc() bumps lo of the lowest node with room, and
 * sos_alloc_local() lowers hi of the caller's node. The top HAL_STACK_BYTES
 * of every node hold that node's CPU stack; node 0 begins with the program.
 */
#include <stdarg.h>

#include "hal.h"
#include "splashos.h"

struct node_heap {
	uint32_t lo, hi;          /* free physical range */
};

static struct node_heap heap[HAL_MAX_CPUS];
static struct sos_lock heap_lock;
static struct sos_lock cons_lock;
static int ncpus_running;
static int first_heap_node;   /* sos_alloc() never goes back below it */

/* The barrier: arrivals counted in one cache line, the generation that
   waiters spin on in another, so spinning does not slow the counting. */
static volatile uint32_t barrier_count __attribute__((aligned(SOS_CACHE_LINE)));
static volatile uint32_t barrier_gen __attribute__((aligned(SOS_CACHE_LINE)));

static struct sos_lock status_lock;
static int final_status;

int sos_cpu(void)
{
	return hal_cpu_id();
}

int sos_ncpus(void)
{
	return ncpus_running;
}

/* ---- LL/SC ---- */

uint32_t sos_fetch_add(volatile uint32_t *p, uint32_t v)
{
	uint32_t old, tmp;

	/* LL links the line; SC stores only if no other CPU wrote it since,
	   else we retry (MACHINE.md, "CPU": what breaks the link). */
	__asm__ volatile(
		"	.set push\n"
		"	.set noreorder\n"
		"1:	ll	%0, 0(%2)\n"
		"	addu	%1, %0, %3\n"
		"	sc	%1, 0(%2)\n"
		"	beqz	%1, 1b\n"
		"	nop\n"
		"	sync\n"
		"	.set pop\n"
		: "=&r"(old), "=&r"(tmp)
		: "r"(p), "r"(v)
		: "memory");
	return old;
}

void sos_lock(struct sos_lock *l)
{
	uint32_t tmp;

	for (;;) {
		/* Spin on plain loads (a cached copy) until the lock looks
		   free, and only then try LL/SC: fewer coherence misses. */
		while (l->held)
			;
		__asm__ volatile(
			"	.set push\n"
			"	.set noreorder\n"
			"	ll	%0, 0(%1)\n"
			"	bnez	%0, 1f\n"
			"	li	%0, 0\n"
			"	li	%0, 1\n"
			"	sc	%0, 0(%1)\n"
			"1:\n"
			"	.set pop\n"
			: "=&r"(tmp)
			: "r"(&l->held)
			: "memory");
		if (tmp)
			break;
	}
	hal_sync();   /* the critical section starts after the lock is ours */
}

void sos_unlock(struct sos_lock *l)
{
	hal_sync();   /* the critical section's stores before the release */
	l->held = 0;
}

void sos_barrier(void)
{
	uint32_t gen = barrier_gen;

	if (sos_fetch_add(&barrier_count, 1) == (uint32_t)ncpus_running - 1) {
		/* Last to arrive: reset the count, then release the others. */
		barrier_count = 0;
		hal_sync();
		barrier_gen = gen + 1;
	} else {
		while (barrier_gen == gen)
			;
	}
	hal_sync();
}

/* ---- Memory ---- */

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((uint32_t)(a) - 1))

static void heap_init(int ncpus)
{
	uint32_t mem = hal_node_mem();

	for (int n = 0; n < ncpus; n++) {
		heap[n].lo = n * mem;
		heap[n].hi = (n + 1) * mem - HAL_STACK_BYTES;
	}
	heap[0].lo = ALIGN_UP(hal_image_end_pa(), SOS_CACHE_LINE);
}

void *sos_alloc(size_t bytes)
{
	uint32_t size = ALIGN_UP(bytes, SOS_CACHE_LINE);
	void *p = 0;

	sos_lock(&heap_lock);
	for (int n = first_heap_node; n < ncpus_running; n++) {
		if (heap[n].hi - heap[n].lo >= size) {
			p = hal_pa2va(heap[n].lo);
			heap[n].lo += size;
			first_heap_node = n;
			break;
		}
	}
	sos_unlock(&heap_lock);
	if (!p)
		sos_panic("sos_alloc: out of memory");
	return p;
}

void *sos_alloc_local(size_t bytes)
{
	uint32_t size = ALIGN_UP(bytes, SOS_CACHE_LINE);
	struct node_heap *h = &heap[sos_cpu()];
	void *p = 0;

	sos_lock(&heap_lock);
	if (h->hi - h->lo >= size) {
		h->hi -= size;
		p = hal_pa2va(h->hi);
	}
	sos_unlock(&heap_lock);
	if (!p)
		sos_panic("sos_alloc_local: out of memory");
	return p;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

/* ---- Output ---- */

struct buf {
	char text[256];
	int len;
};

static void put(struct buf *b, char c)
{
	if (b->len < (int)sizeof(b->text))
		b->text[b->len++] = c;
}

static void put_number(struct buf *b, uint32_t v, uint32_t base, int width,
		       char pad)
{
	char digits[12];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	for (; width > n; width--)
		put(b, pad);
	while (n > 0)
		put(b, digits[--n]);
}

static void format(struct buf *b, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(b, *fmt);
			continue;
		}
		char pad = ' ';
		int width = 0;
		if (*++fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		switch (*fmt) {
		case 'd': {
			int v = va_arg(ap, int);
			if (v < 0) {
				put(b, '-');
				width--;
			}
			put_number(b, v < 0 ? -(uint32_t)v : (uint32_t)v, 10,
				   width, pad);
			break;
		}
		case 'u':
			put_number(b, va_arg(ap, uint32_t), 10, width, pad);
			break;
		case 'x':
			put_number(b, va_arg(ap, uint32_t), 16, width, pad);
			break;
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				put(b, *s);
			break;
		case 'c':
			put(b, (char)va_arg(ap, int));
			break;
		case '\0':
			return;
		default:
			put(b, *fmt);
			break;
		}
	}
}

static void emit(const struct buf *b)
{
	hal_cons_write(b->text, b->len);
}

static void bprintf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format(b, fmt, ap);
	va_end(ap);
}

int sos_printf(const char *fmt, ...)
{
	struct buf b = { .len = 0 };
	va_list ap;

	va_start(ap, fmt);
	format(&b, fmt, ap);
	va_end(ap);
	sos_lock(&cons_lock);
	emit(&b);
	sos_unlock(&cons_lock);
	return b.len;
}

void sos_mark(uint32_t value)
{
	hal_mark(value);
}

void sos_halt(int status)
{
	hal_halt(status);
}

void sos_panic(const char *msg)
{
	sos_printf("splashos: panic on CPU %d: %s\n", sos_cpu(), msg);
	hal_halt(SOS_EXIT_FAULT);
}

/* ---- Boot ---- */

/*
 * Every CPU comes here from the HAL's reset entry. CPU 0 sets up and
 * starts the others (SPLASH-2's CREATE, done once for all); then every CPU
 * runs the application. The machine halts when all are done, with the
 * largest status any returned.
 */
void sos_start(int cpu)
{
	extern char __bss_start[], __bss_end[];

	if (cpu == 0) {
		/* The loader zeroes .bss, but a real boot would not. */
		memset(__bss_start, 0, __bss_end - __bss_start);
		hal_init();
		uint32_t n = hal_ncpus();
		ncpus_running = n < HAL_MAX_CPUS ? n : HAL_MAX_CPUS;
		heap_init(ncpus_running);
		for (int c = 1; c < ncpus_running; c++)
			hal_start_cpu(c);
	}
	sos_barrier();

	int status = sos_main(cpu);

	sos_lock(&status_lock);
	if (status > final_status)
		final_status = status;
	sos_unlock(&status_lock);
	sos_barrier();
	if (cpu == 0)
		hal_halt(final_status);
	hal_idle_forever();
}

/* ---- Faults ---- */

static const char *const exc_names[] = {
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",
	"Sys", "Bp", "RI", "CpU", "Ov", "Tr",
};

/* Any exception is an application bug: SPLASHOS maps nothing, so there is
   no TLB miss to handle, and it enables no interrupts. Say so and stop.
   The message bypasses the console lock: the faulting CPU may hold it. */
void sos_fault(const struct hal_fault *f)
{
	static volatile uint32_t faulting[HAL_MAX_CPUS];
	int cpu = hal_cpu_id() & (HAL_MAX_CPUS - 1);
	uint32_t code = (f->cause >> 2) & 0x1F;
	const char *name = code < sizeof(exc_names) / sizeof(exc_names[0])
		? exc_names[code] : "?";
	struct buf b = { .len = 0 };

	if (faulting[cpu]++)   /* a fault while reporting one: just stop */
		hal_halt(SOS_EXIT_FAULT);
	bprintf(&b, "splashos: fatal %s exception (code %u) on CPU %d via "
		"the %s vector\n", name, code, cpu,
		f->vector ? "general" : "refill");
	emit(&b);
	b.len = 0;
	bprintf(&b, "  epc %08x badvaddr %08x cause %08x status %08x "
		"sp %08x ra %08x\n", f->epc, f->badvaddr, f->cause, f->status,
		f->sp, f->ra);
	emit(&b);
	hal_halt(SOS_EXIT_FAULT);
}
