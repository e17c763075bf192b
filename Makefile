# Makefile for the Disco teaching kit (GNU make, non-recursive).
# Everything it builds goes under build/. Targets:
#   make            the simulator, its library, unit tests and guest programs
#   make deps       check (and as root, install) the Debian packages needed
#   make test       unit tests, guest test programs, a Valgrind run
#                   (make unit-tests or make guest-tests for one half)
#   make run        the 8-CPU demo guests/demo/smp_hello under the simulator
#   make docs       Doxygen for sim/, reference/ and autograder/src into build/docs (warnings are errors)
#   make bench      the figures: simulator speed, Figures 5 to 8, Table 3, grading time (bench/)
#   make report     Figures 5 to 8 and Tables 2 and 3 as one HTML page, build/report/index.html
#                   (REPORT=quick by default, full for the paper-scale sizes, smoke the smallest)
#   make lab-release LAB=N   lab N's starter tree (build/release/labN)
#   make check-labs every lab: reference full marks, starter 0, variants partial
#   make grade      in a released lab tree: its public tests, with a score
#   make gradescope LAB=N    lab N's Gradescope autograder zip
#   make clean

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
# Keep intermediate objects (such as test programs' .o files) for make and gdb.
.SECONDARY:

B := build

# ---- Host C -----------------------------------------------------------------

# make presets CC to "cc", so a plain ?= would never take effect.
ifeq ($(origin CC),default)
CC := gcc
endif
CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -Isim/include
DEPFLAGS = -MMD -MP
SIM_LIBS = -lelf -ljansson -lm

$(B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

# The simulator: a library (everything but main) and the flashsim command.
LIBFLASH_SRCS := $(filter-out sim/src/flashsim.c,$(wildcard sim/src/*.c))
LIBFLASH_OBJS := $(LIBFLASH_SRCS:%.c=$(B)/obj/%.o)
LIBFLASH := $(B)/lib/libflash.a
FLASHSIM := $(B)/bin/flashsim

$(LIBFLASH): $(LIBFLASH_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(FLASHSIM): $(B)/obj/sim/src/flashsim.o $(LIBFLASH)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(SIM_LIBS)

# The fast engine's handlers each end in their own indirect jump to the
# next (sim/src/fast.c); GCC's cross-jumping would merge them back into one.
# Each handler is reached only by a jump, so aligning jump targets to 32
# bytes starts every handler on a fetch block of its own, without a single
# padding instruction executed: on cpubound it was 2 to 7% faster, and
# much less sensitive to where the code happens to fall (bench/run.sh).
# Both flags are left out by a compiler that does not take them.
fast_flag = $(shell $(CC) -Werror $(1) -x c -c -o /dev/null /dev/null 2>/dev/null && echo $(1))
FAST_CFLAGS := $(call fast_flag,-fno-crossjumping) $(call fast_flag,-falign-jumps=32)
$(B)/obj/sim/src/fast.o: CFLAGS += $(FAST_CFLAGS)

# Unit tests: every sim/tests/unit/*.c goes into one Criterion binary.
UNIT_SRCS := $(wildcard sim/tests/unit/*.c)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(B)/obj/%.o)
UNIT_TESTS := $(B)/bin/sim-unit-tests

# Unit tests may include the simulator's private headers too.
$(B)/obj/sim/tests/unit/%.o: CFLAGS += -Isim/src

$(UNIT_TESTS): $(UNIT_OBJS) $(LIBFLASH)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion $(SIM_LIBS)

# ---- Guests (bare-metal MIPS) -----------------------------------------------

include guests/mk/baremetal.mk

# Self-checking test programs: sim/tests/guest/NAME.c becomes
# $(B)/guests/tests/NAME.elf; tools/run-guest-tests.sh says how to run each.
GUEST_TEST_NAMES := $(basename $(notdir $(wildcard sim/tests/guest/*.c)))
GUEST_TESTS := $(GUEST_TEST_NAMES:%=$(B)/guests/tests/%.elf)

$(B)/guests/tests/%.elf: $(B)/gobj/sim/tests/guest/%.o $(BAREMETAL_OBJS) \
		$(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LINK)

# Programs with an assembly part.
$(B)/guests/tests/exceptions.elf: $(B)/gobj/sim/tests/guest/exceptions_asm.o

# The demo for `make run`.
SMP_HELLO := $(B)/guests/demo/smp_hello.elf

$(SMP_HELLO): $(B)/gobj/guests/demo/smp_hello.o $(BAREMETAL_OBJS) \
		$(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LINK)

GUEST_PROGRAMS := $(GUEST_TESTS) $(SMP_HELLO)

# The simulator speed benchmark's programs (bench/run.sh, `make bench`).
# (-include: the build works before bench/bench.mk is committed.)
-include bench/bench.mk

# SPLASHOS, the library OS, and its radix sort (guests/splashos).
include guests/splashos/splashos.mk

# The C library and the user programs of the Unix kernel (guests/lib, guests/user).
include guests/lib/lib.mk
include guests/user/user.mk

# The paper's workloads as user programs (guests/user/workloads).
include guests/user/workloads/workloads.mk
include guests/unix/unix.mk

# The monitor: libdisco.a, the disco command, its unit tests.
include reference/reference.mk
# The autograder (build/bin/grade, make grade) and its Gradescope package.
-include autograder/autograder.mk
-include autograder/gradescope/gradescope.mk
include guests/unix/disco.mk

# ---- Targets ----------------------------------------------------------------


.PHONY: monitor
.PHONY: all sim guests deps deps-test test check unit-tests guest-tests run run-vms run-demo docs bench clean

all: sim guests $(if $(UNIT_SRCS),$(UNIT_TESTS)) monitor

monitor: $(LIBDISCO) $(DISCO) $(VM_GUESTS) $(if $(DISCO_UNIT_SRCS),$(DISCO_UNIT_TESTS))

sim: $(LIBFLASH) $(FLASHSIM)

guests: $(GUEST_PROGRAMS)

deps:
	tools/deps.sh $(B)/stamps/deps

# The tests need a browser too (tools/test-report.sh).
deps-test:
	tools/deps.sh --test $(B)/stamps/deps-test

# The unit tests are skipped until sim/tests/unit has some.
unit-tests: $(if $(UNIT_SRCS),$(UNIT_TESTS))
ifneq ($(UNIT_SRCS),)
	$(UNIT_TESTS)
else
	@echo "no unit tests in sim/tests/unit yet: skipped"
endif

guest-tests: $(FLASHSIM) $(GUEST_TESTS)
	tools/run-guest-tests.sh

# `make test` and `make run` check the Debian packages first, then build in
# a second make, so that nothing is compiled before the tools are there
# (even with -j).
test: deps-test
	@$(MAKE) --no-print-directory check

run: deps
	@$(MAKE) --no-print-directory run-vms

# The demonstration: two VMs running workloads under the monitor.
run-vms: all workloads unix-disco
	tools/demo.sh

# Every suite (tools/run-all-tests.sh), each run even if an earlier one
# failed; the images and programs the guest suites boot are built first.
check: all unix-image user-image workloads splashos bench-programs unix-disco
	tools/run-all-tests.sh

run-demo: $(FLASHSIM) $(SMP_HELLO)
	$(FLASHSIM) --nodes 8 $(SMP_HELLO)

docs: deps
	@mkdir -p $(B)/docs
	doxygen docs/Doxyfile

# The simulator's speed, the workloads on the bare machine, Figures 5 to 8 and Table 3, grading time.
bench: all workloads unix-disco
	bench/run.sh
	bench/workloads.sh
	bench/figure5.sh
	bench/figure6.sh
	bench/figure7.sh
	bench/figure8.sh
	bench/grading.sh

# The report: Figures 5 to 8 and Tables 2 and 3 run on this tree and drawn
# beside the paper's values, one self-contained page (bench/report.sh):
# make report [REPORT=quick|full|smoke] -> $(B)/report/index.html.
report: all workloads unix-disco
	B=$(B) REPORT=$(or $(REPORT),quick) bench/report.sh
.PHONY: report

# A lab's starter tree: make lab-release LAB=N [OUT=dir] (tools/lab-release.sh).
lab-release:
	@test -n "$(LAB)" || { echo "make: error: lab-release: say which lab, LAB=N" >&2; exit 2; }
	@test -x tools/lab-release.sh || { echo "make: error: lab-release: the instructor's kit only (not in a released lab tree)" >&2; exit 2; }
	tools/lab-release.sh $(LAB) $(or $(OUT),$(B)/release/lab$(LAB))
.PHONY: lab-release

# Every lab as an instructor uses it (tools/check-labs.sh): the reference
# gets full marks, the starter 0, known-wrong variants partial credit.
check-labs: deps
	@test -x tools/check-labs.sh || { echo "make: error: check-labs: the instructor's kit only (not in a released lab tree)" >&2; exit 2; }
	tools/check-labs.sh
.PHONY: check-labs

clean:
	rm -rf $(B)

# Header dependencies written by -MMD.
-include $(LIBFLASH_OBJS:.o=.d) $(B)/obj/sim/src/flashsim.d $(UNIT_OBJS:.o=.d)
-include $(patsubst %.elf,%.d,$(subst $(B)/guests/tests/,$(B)/gobj/sim/tests/guest/,$(GUEST_TESTS)))
-include $(B)/gobj/sim/tests/guest/exceptions_asm.d $(B)/gobj/guests/demo/smp_hello.d
