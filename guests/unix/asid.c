/*
 * asid.c - address-space identifiers, per CPU, by generations.
 *
 * Each TLB entry carries an 8-bit ASID, and the CPU only matches entries
 * whose ASID equals EntryHi.ASID: switching address spaces is writing
 * EntryHi, not flushing the TLB (guests/README.md). With 256 ASIDs and
 * more address spaces than that, ASIDs are recycled the way Linux/MIPS
 * does it:
 *
 *   - every CPU hands out ASIDs from its own counter, cpu->asid_next,
 *     whose upper 24 bits are a generation number;
 *   - an address space remembers, per CPU, the generation|ASID it got
 *     there (as->asid[cpu]); it is valid while its generation is the
 *     CPU's current one;
 *   - when the counter's low 8 bits wrap, the CPU starts a new generation
 *     and flushes its whole TLB: every ASID handed out before becomes
 *     invalid at once, and no stale entry can match a reused ASID.
 *
 * Throwing away an address space's TLB entries on one CPU is therefore
 * just forgetting its ASID there (as->asid[cpu] = 0): the next time it
 * runs there, it gets a fresh one. tlb.c builds shootdowns on this.
 */
#include "vm.h"

#define ASID_GEN_FIRST 0x100u

/* A fresh generation|ASID for this CPU. Interrupts off. */
uint32_t asid_new(struct cpu *c)
{
	uint32_t v = c->asid_next + 1;

	if ((v & HAL_ASID_MASK) == 0) {
		hal_tlb_flush_all();     /* a new generation: forget them all */
		if (v == 0)
			v = ASID_GEN_FIRST;
	}
	c->asid_next = v;
	return v;
}

/* Load as on this CPU: its ASID here (new if it has none of this
   generation), and its page directory for the refill handler. Called
   with interrupts off (by the scheduler, and by exec). */
void as_activate(struct as *as)
{
	struct cpu *c = mycpu();

	if (c->asid_next < ASID_GEN_FIRST)
		c->asid_next = ASID_GEN_FIRST;
	if (c->cur_as)
		as_deactivate();
	acquire(&as->ctxlock);
	/* Atomically: another CPU's as_deactivate() clears its own bit with
	   no lock, and a plain |= could put that bit back (then as_put finds
	   the space still active and panics). */
	atomic_or(&as->active, 1u << c->id);
	if ((as->asid[c->id] ^ c->asid_next) & ~HAL_ASID_MASK)
		as->asid[c->id] = asid_new(c);
	hal_set_asid(as->asid[c->id] & HAL_ASID_MASK);
	release(&as->ctxlock);
	hal_set_pgdir(as->pgdir);
	c->cur_as = as;
}

/* This CPU no longer runs its current address space. Interrupts off. */
void as_deactivate(void)
{
	struct cpu *c = mycpu();

	if (!c->cur_as)
		return;
	hal_set_pgdir(vm_empty_pgdir());
	atomic_clear(&c->cur_as->active, 1u << c->id);
	c->cur_as = NULL;
}
