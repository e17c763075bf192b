# bench/bench.mk: the simulator speed benchmark (bench/run.sh, `make bench`).
# Included by the top-level Makefile after guests/mk/baremetal.mk.
#
#   $(B)/bench/cpubound.elf  the 1-CPU guest program
#   $(B)/bench/smp8.elf      the 8-CPU guest program
#   $(B)/bench/bench-host    the same workload compiled for the host
#
# `make bench-programs` builds the three (bench/run.sh calls it).

BENCH_WORK_OBJ := $(B)/gobj/bench/programs/work.o
BENCH_CPUBOUND := $(B)/bench/cpubound.elf
BENCH_SMP8 := $(B)/bench/smp8.elf
BENCH_HOST := $(B)/bench/bench-host
BENCH_PROGRAMS := $(BENCH_CPUBOUND) $(BENCH_SMP8) $(BENCH_HOST)

$(B)/bench/%.elf: $(B)/gobj/bench/programs/%.o $(BENCH_WORK_OBJ) \
		$(BAREMETAL_OBJS) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LINK)

# The native baseline: plain gcc -O2, no debug or simulator flags.
BENCH_HOST_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror
BENCH_HOST_SRCS := bench/programs/host_main.c bench/programs/work.c

$(BENCH_HOST): $(BENCH_HOST_SRCS) bench/programs/work.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_HOST_CFLAGS) -o $@ $(BENCH_HOST_SRCS)

.PHONY: bench-programs
bench-programs: $(FLASHSIM) $(BENCH_PROGRAMS)

bench: bench-programs

-include $(B)/gobj/bench/programs/cpubound.d $(B)/gobj/bench/programs/smp8.d \
	$(BENCH_WORK_OBJ:.o=.d)
