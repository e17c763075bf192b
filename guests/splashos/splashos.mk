# guests/splashos/splashos.mk: SPLASHOS, the library OS, linked with its
# parallel radix sort. Included by the top-level Makefile after
# guests/mk/baremetal.mk (it uses its compile rules and GUEST_LINK).
#
#   $(B)/guests/splashos/radix.elf      256K keys (tests, a few seconds)
#   $(B)/guests/splashos/radix-big.elf  RADIX_BIG_KEYS keys (benchmarks)
#   $(B)/guests/splashos/fault.elf      check.sh's test of the fault path
#   $(B)/guests/splashos/radix-disco.elf  radix.elf for a Disco VM
#                                        (hal_disco.c, sseg.ld; radix.conf)
#
# `make splashos-check` runs both on 1 to 16 CPUs and checks that each
# halts with status 0 and prints the same checksum whatever the CPU count.

SPLASHOS_DIR := guests/splashos
SPLASHOS_OUT := $(B)/guests/splashos
SPLASHOS_OBJ := $(B)/gobj/$(SPLASHOS_DIR)
# The library OS proper: one HAL (all privileged code) plus sos.c.
SPLASHOS_OBJS := $(SPLASHOS_OBJ)/hal_native.o $(SPLASHOS_OBJ)/sos.o

RADIX_KEYS ?= 262144
RADIX_BIG_KEYS ?= 2097152
SPLASHOS_PROGRAMS := $(SPLASHOS_OUT)/radix.elf $(SPLASHOS_OUT)/radix-big.elf \
	$(SPLASHOS_OUT)/fault.elf $(SPLASHOS_OUT)/radix-disco.elf

$(SPLASHOS_OBJ)/%.o: GUEST_INCLUDES = -I$(SPLASHOS_DIR)

# One object of the application per size.
$(SPLASHOS_OBJ)/radix-%.o: $(SPLASHOS_DIR)/radix.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_INCLUDES) -DRADIX_KEYS=$(RADIX_$*)u \
		-MMD -MP -c -o $@ $<

RADIX_small := $(RADIX_KEYS)
RADIX_big := $(RADIX_BIG_KEYS)

$(SPLASHOS_OUT)/radix.elf: $(SPLASHOS_OBJ)/radix-small.o $(SPLASHOS_OBJS) \
		$(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LINK)

$(SPLASHOS_OUT)/radix-big.elf: $(SPLASHOS_OBJ)/radix-big.o $(SPLASHOS_OBJS) \
		$(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LINK)

# The same program for a virtual machine of the monitor: the other HAL,
# linked in the supervisor segment.
SPLASHOS_DISCO_OBJS := $(SPLASHOS_OBJ)/hal_disco.o $(SPLASHOS_OBJ)/sos.o
SPLASHOS_SSEG_LD := guests/mk/sseg.ld
$(SPLASHOS_OBJ)/hal_disco.o: GUEST_INCLUDES = -I$(SPLASHOS_DIR) -Iguests/include

$(SPLASHOS_OUT)/radix-disco.elf: $(SPLASHOS_OBJ)/radix-small.o \
		$(SPLASHOS_DISCO_OBJS) $(SPLASHOS_SSEG_LD)
	@mkdir -p $(@D)
	$(GUEST_LD) -T $(SPLASHOS_SSEG_LD) -static -nostdlib -z max-page-size=4096 \
		-o $@ $(filter %.o,$^)

# check.sh's test of the exception path.
$(SPLASHOS_OUT)/fault.elf: $(SPLASHOS_OBJ)/tests/fault.o $(SPLASHOS_OBJS) \
		$(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LINK)

.PHONY: splashos splashos-check
splashos: $(SPLASHOS_PROGRAMS)
guests: $(SPLASHOS_PROGRAMS)

splashos-check: $(FLASHSIM) $(SPLASHOS_PROGRAMS)
	$(SPLASHOS_DIR)/check.sh

-include $(SPLASHOS_OBJS:.o=.d) $(SPLASHOS_OBJ)/hal_disco.d $(SPLASHOS_OBJ)/radix-small.d \
	$(SPLASHOS_OBJ)/radix-big.d $(SPLASHOS_OBJ)/tests/fault.d
