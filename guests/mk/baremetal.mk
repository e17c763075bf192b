# guests/mk/baremetal.mk: how to build bare-metal MIPS programs for the
# simulated FLASH machine. Included by the top-level Makefile; $(B) is the
# build directory.
#
# A program is a list of objects linked with guests/mk/kseg0.ld:
#
#   $(B)/guests/foo.elf: $(B)/gobj/path/to/foo.o $(BAREMETAL_OBJS) $(GUEST_LDSCRIPT)
#   	@mkdir -p $(@D)
#   	$(GUEST_LINK)
#
# Any guests/.../x.c or x.S compiles to $(B)/gobj/guests/.../x.o. Code that
# needs other headers than the bare-metal runtime's can set GUEST_INCLUDES
# for its own objects with a pattern-specific variable, for example
#   $(B)/gobj/guests/unix/%.o: GUEST_INCLUDES = -Iguests/unix/include

GUEST_CC ?= clang
GUEST_LD ?= ld.lld

# mips32 little-endian, no FPU (MACHINE.md: CP1 raises CpU), no small-data
# section (-G0), and plain absolute code: no PIC, no abicalls, no GOT calls.
# DWARF 4: gdb-multiarch 13 finds no line table in clang 14's MIPS DWARF 5
# (no source lines, arguments or locals when debugging a guest with --gdb).
GUEST_CFLAGS := --target=mipsel-unknown-elf -march=mips32 -msoft-float -G0 \
	-mno-abicalls -fno-pic -ffreestanding -fno-builtin -nostdlib \
	-O2 -gdwarf-4 -Wall -Wextra -Werror
GUEST_INCLUDES = -Iguests/baremetal/include

GUEST_LDSCRIPT := guests/mk/kseg0.ld
# -z max-page-size=4096 keeps the file small (the MIPS default is 64 KB).
GUEST_LDFLAGS := -T $(GUEST_LDSCRIPT) -static -nostdlib -z max-page-size=4096

# The linker script is a prerequisite of every program, not an input file.
GUEST_LINK = $(GUEST_LD) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(B)/gobj/%.o: %.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_INCLUDES) -MMD -MP -c -o $@ $<

$(B)/gobj/%.o: %.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_INCLUDES) -MMD -MP -c -o $@ $<

# The bare-metal runtime (guests/baremetal), linked into every test program.
BAREMETAL_SRCS := $(wildcard guests/baremetal/*.c guests/baremetal/*.S)
BAREMETAL_OBJS := $(patsubst %,$(B)/gobj/%.o,$(basename $(BAREMETAL_SRCS)))

-include $(BAREMETAL_OBJS:.o=.d)
