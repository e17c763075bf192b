# reference/reference.mk: the monitor (libdisco.a and the `disco` command)
# and its Criterion unit tests. Included by the top-level Makefile.

DISCO_CFLAGS = -Ireference/include -Iguests/include
LIBDISCO_SRCS := $(filter-out reference/src/disco.c,$(wildcard reference/src/*.c))
LIBDISCO_OBJS := $(LIBDISCO_SRCS:%.c=$(B)/obj/%.o)
LIBDISCO := $(B)/lib/libdisco.a
DISCO := $(B)/bin/disco
DISCO_LIBS = -linih $(SIM_LIBS)

$(B)/obj/reference/%.o: CFLAGS += $(DISCO_CFLAGS)

$(LIBDISCO): $(LIBDISCO_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(DISCO): $(B)/obj/reference/src/disco.o $(LIBDISCO) $(LIBFLASH)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(DISCO_LIBS)

# Unit tests: every reference/tests/*.c into one Criterion binary.
DISCO_UNIT_SRCS := $(wildcard reference/tests/*.c)
DISCO_UNIT_OBJS := $(DISCO_UNIT_SRCS:%.c=$(B)/obj/%.o)
# Tests that run a test guest (reference/tests/guests) find it here.
$(B)/obj/reference/tests/%.o: CFLAGS += -DDISCO_VM_GUESTS='"$(B)/guests/vm"'
DISCO_UNIT_TESTS := $(B)/bin/disco-unit-tests

$(DISCO_UNIT_TESTS): $(DISCO_UNIT_OBJS) $(LIBDISCO) $(LIBFLASH)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ -lcriterion $(DISCO_LIBS)

-include $(LIBDISCO_OBJS:.o=.d) $(B)/obj/reference/src/disco.d $(DISCO_UNIT_OBJS:.o=.d)

# Test guests: small programs the monitor runs as VMs (reference/tests/guests),
# linked in the supervisor segment.
VMRT_OBJS := $(B)/gobj/reference/tests/guests/vmrt.o $(B)/gobj/reference/tests/guests/vmrt_asm.o
VM_GUEST_NAMES := $(filter-out vmrt,$(basename $(notdir $(wildcard reference/tests/guests/*.c))))
VM_GUESTS := $(VM_GUEST_NAMES:%=$(B)/guests/vm/%.elf)

$(B)/gobj/reference/tests/guests/%.o: GUEST_INCLUDES = -Ireference/tests/guests -Iguests/include

$(B)/gobj/reference/tests/guests/vmrt_asm.o: reference/tests/guests/vmrt.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_INCLUDES) -c -o $@ $<

$(B)/guests/vm/%.elf: $(B)/gobj/reference/tests/guests/%.o $(VMRT_OBJS) guests/mk/sseg.ld
	@mkdir -p $(@D)
	$(GUEST_LD) -T guests/mk/sseg.ld -static -nostdlib -z max-page-size=4096 -o $@ $(filter %.o,$^)

vm-guests: $(VM_GUESTS)
.PHONY: vm-guests
