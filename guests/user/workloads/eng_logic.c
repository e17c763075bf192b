/*
 * eng_logic.c - the Verilog-like half of the engineering workload: a
 * gate-level simulation of a large synchronous netlist.
 *
 * The netlist is random but shaped like a real one: primary inputs, then
 * gates whose inputs come from earlier gates (half from close by, half
 * from anywhere, as long wires do), and one gate in 16 a D flip-flop whose
 * input may be any gate, so state feeds back. Every gate carries a 32-bit
 * word: 32 test vectors simulated at once, bit-parallel, as fault
 * simulators do. Each clock cycle drives new inputs, evaluates every
 * combinational gate in order (levelized), then latches the flip-flops.
 *
 * A gate is 16 bytes and inputs are read from all over the netlist, so a
 * cycle touches every page of a multi-megabyte array in a scattered order:
 * the high TLB miss rate the paper reports for Engineering (section 5.3).
 */
#include "eng.h"
#include "wl.h"

enum gate_type { G_INPUT, G_AND, G_OR, G_XOR, G_NAND, G_NOR, G_XNOR,
		 G_ANDN, G_DFF, G_NTYPES };

struct gate {
	uint32_t in0, in1;
	uint32_t type;
	uint32_t value;
};

#define INPUTS 64

static uint32_t eval(uint32_t type, uint32_t a, uint32_t b)
{
	switch (type) {
	case G_AND: return a & b;
	case G_OR: return a | b;
	case G_XOR: return a ^ b;
	case G_NAND: return ~(a & b);
	case G_NOR: return ~(a | b);
	case G_XNOR: return ~(a ^ b);
	case G_ANDN: return a & ~b;
	}
	return a;
}

/* (No library call: the guest has no compiler runtime for popcount.) */
static uint32_t popcount(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0F0F0F0Fu;
	return (x * 0x01010101u) >> 24;
}

void eng_logic(uint32_t ngates, uint32_t cycles, uint32_t seed,
	       char *result, int size)
{
	const char *prog = "engineering";

	if (ngates < 2 * INPUTS)
		ngates = 2 * INPUTS;
	struct gate *g = wl_malloc(prog, ngates * sizeof(*g));
	uint32_t *next_state = wl_malloc(prog, ngates / 8 * sizeof(uint32_t));
	uint32_t *dffs = wl_malloc(prog, ngates / 8 * sizeof(uint32_t));
	uint32_t r = wl_mix(seed) | 1, ndff = 0;

	for (uint32_t i = 0; i < ngates; i++) {
		struct gate *x = &g[i];
		x->value = 0;
		if (i < INPUTS) {
			x->type = G_INPUT;
			x->in0 = x->in1 = 0;
			continue;
		}
		x->type = (wl_rand(&r) & 15) == 0 && ndff < ngates / 8
			? G_DFF : 1 + wl_randn(&r, G_DFF - 1);
		for (int k = 0; k < 2; k++) {
			uint32_t in = wl_rand(&r) & 1
				? i - 1 - wl_randn(&r, i < 64 ? i : 64)
				: wl_randn(&r, i);
			if (k == 0)
				x->in0 = in;
			else
				x->in1 = in;
		}
		if (x->type == G_DFF) {
			x->in0 = wl_randn(&r, ngates);  /* any gate: feedback */
			dffs[ndff++] = i;
		}
	}

	uint32_t hash = WL_HASH0, toggles = 0, stim = wl_mix(seed + 1) | 1;
	for (uint32_t c = 0; c < cycles; c++) {
		for (uint32_t i = 0; i < INPUTS; i++)
			g[i].value = wl_rand(&stim);
		for (uint32_t i = INPUTS; i < ngates; i++) {
			struct gate *x = &g[i];
			if (x->type != G_DFF)
				x->value = eval(x->type, g[x->in0].value,
						g[x->in1].value);
		}
		/* The clock edge: every flip-flop takes its input at once. */
		for (uint32_t k = 0; k < ndff; k++)
			next_state[k] = g[g[dffs[k]].in0].value;
		for (uint32_t k = 0; k < ndff; k++) {
			struct gate *x = &g[dffs[k]];
			uint32_t d = x->value ^ next_state[k];
			toggles += popcount(d);
			x->value = next_state[k];
		}
		/* The outputs: the last 32 gates. */
		for (uint32_t i = ngates - 32; i < ngates; i++)
			hash = wl_hash32(hash, g[i].value);
	}
	snprintf(result, size, "logic: %u gates, %u flip-flops, %u cycles, "
		 "%u flip-flop toggles, checksum %08x\n",
		 ngates, ndff, cycles, toggles, hash);
	free(dffs);
	free(next_state);
	free(g);
}
