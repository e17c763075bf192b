# guests/user/workloads/workloads.mk: the paper's four workloads (Table 1)
# as user programs for the kit's Unix kernel, their host-side generator,
# and a host build of the same sources to check the guest's checksums.
# Included by the top-level Makefile after guests/lib/lib.mk and
# guests/user/user.mk (it uses ULIB*, USER_LDFLAGS, GUEST_STRIP).
#
#   $(B)/guests/user/workloads/NAME.elf   the programs, with symbols
#   $(WL_BIN_DIR)/NAME                     stripped copies for an image's /bin
#   $(WL_GEN)                              host tool: input files (gen/wlgen.c)
#   $(B)/host/workloads/NAME               host builds (host/compat.h)
#
# Programs: pmake, cc, ld (pmake's compiler and linker), engineering,
# raytrace, database, and radix (SPLASHOS's radix sort as a program, for
# Figure 7). `make workloads` builds them all; `make
# workloads-host-check` runs the host builds at the small sizes and
# compares with expected-small.txt; `make workloads-check` runs the guest
# programs on the kernel (run.sh) on 1, 2 and 8 CPUs and compares the same
# way. See README.md.

WL_DIR := guests/user/workloads
WL_OUT := $(B)/guests/user/workloads
WL_OBJ := $(B)/gobj/$(WL_DIR)
WL_BIN_DIR := $(WL_OUT)/bin
WL_NAMES := pmake cc ld engineering raytrace database radix

# The objects of each program besides its own NAME.o.
WL_COMMON := wl.o
WL_EXTRA_pmake := gen/srcgen.o
WL_EXTRA_cc :=
WL_EXTRA_ld :=
WL_EXTRA_engineering := eng_logic.o eng_machine.o
WL_EXTRA_raytrace :=
WL_EXTRA_database := db_bpool.o db_btree.o gen/tables.o
WL_EXTRA_radix :=
wl_objs = $(addprefix $(WL_OBJ)/,$(1).o $(WL_COMMON) $(WL_EXTRA_$(1)))

WL_ELFS := $(WL_NAMES:%=$(WL_OUT)/%.elf)
WL_BINS := $(WL_NAMES:%=$(WL_BIN_DIR)/%)

$(WL_OBJ)/%.o: GUEST_INCLUDES = $(ULIB_INCLUDES)

# Static pattern rules need the objects as prerequisites of each ELF.
define WL_PROGRAM
$(WL_OUT)/$(1).elf: $(call wl_objs,$(1)) $(ULIB_CRT0) $(ULIB) $(USER_LDSCRIPT)
	@mkdir -p $$(@D)
	$$(GUEST_LD) $$(USER_LDFLAGS) -o $$@ $$(ULIB_CRT0) $$(filter $(WL_OBJ)/%.o,$$^) $$(ULIB)
endef
$(foreach p,$(WL_NAMES),$(eval $(call WL_PROGRAM,$(p))))

$(WL_BINS): $(WL_BIN_DIR)/%: $(WL_OUT)/%.elf
	@mkdir -p $(@D)
	$(GUEST_STRIP) -o $@ $<

# ---- Host side ----

WL_HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror
WL_GEN := $(B)/tools/wlgen

$(WL_GEN): $(WL_DIR)/gen/wlgen.c $(WL_DIR)/gen/srcgen.c $(WL_DIR)/gen/tables.c \
		$(WL_DIR)/gen/srcgen.h $(WL_DIR)/gen/tables.h
	@mkdir -p $(@D)
	$(CC) $(WL_HOST_CFLAGS) -o $@ $(filter %.c,$^)

WL_HOST := $(B)/host/workloads
WL_HOST_OBJ := $(B)/host/obj/$(WL_DIR)
WL_HOST_PROGS := $(WL_NAMES:%=$(WL_HOST)/%)
wl_host_objs = $(addprefix $(WL_HOST_OBJ)/,$(1).o $(WL_COMMON) \
	$(WL_EXTRA_$(1)) host/compat.o $(if $(filter raytrace,$(1)),fixed.o))

$(WL_HOST_OBJ)/%.o: $(WL_DIR)/%.c
	@mkdir -p $(@D)
	$(CC) $(WL_HOST_CFLAGS) -include $(WL_DIR)/host/compat.h -I$(WL_DIR)/host \
		-MMD -MP -c -o $@ $<

# raytrace uses the C library's fixed-point code as it is.
$(WL_HOST_OBJ)/fixed.o: guests/lib/fixed.c
	@mkdir -p $(@D)
	$(CC) $(WL_HOST_CFLAGS) -I$(WL_DIR)/host -MMD -MP -c -o $@ $<

define WL_HOST_PROGRAM
$(WL_HOST)/$(1): $(call wl_host_objs,$(1))
	@mkdir -p $$(@D)
	$$(CC) -o $$@ $$^ -lpthread
endef
$(foreach p,$(WL_NAMES),$(eval $(call WL_HOST_PROGRAM,$(p))))

# ---- Targets ----

.PHONY: workloads workloads-host workloads-host-check workloads-check
workloads: $(WL_ELFS) $(WL_BINS) $(WL_GEN)
workloads-host: $(WL_HOST_PROGS) $(WL_GEN)

workloads-host-check: workloads-host
	$(WL_DIR)/host-check.sh

# On the kernel: small sizes on 1, 2 and 8 CPUs, output as the host's.
# (unix.mk comes later in the Makefile: its variables are not set yet here.)
workloads-check: workloads $(FLASHSIM) $(B)/guests/unix/kernel.elf \
		$(B)/guests/tools/mkfs $(USER_BINS)
	$(WL_DIR)/check.sh

# Part of `make guests` once the kernel's side has provided user.ld.
ifneq ($(wildcard $(USER_LDSCRIPT)),)
guests: $(WL_ELFS) $(WL_BINS)
endif
guests: $(WL_GEN)

-include $(patsubst %.o,%.d,$(sort $(foreach p,$(WL_NAMES),$(call wl_objs,$(p)) \
	$(call wl_host_objs,$(p)))))
