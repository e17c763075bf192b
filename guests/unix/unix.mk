# guests/unix/unix.mk: build rules for the Unix kernel and its host tools.
# Included by the top-level Makefile; uses guests/mk/baremetal.mk's rules
# ($(B)/gobj/%.o from .c and .S, GUEST_CFLAGS, GUEST_LD).
#
#   make unix        the kernel, build/guests/unix/kernel.elf, and the tools
#   make unix-image  a test disk image from guests/unix/test-programs
#   make unix-test   boot it on 1, 2 and 8 CPUs and check the output

# The native HAL is hal/native (the FLASH machine's devices and its CP0
# reached directly) and hal/mips (the MIPS code shared with the disco HAL).
UNIX_SRCS := $(wildcard guests/unix/*.c guests/unix/*.S \
	guests/unix/hal/native/*.c guests/unix/hal/native/*.S \
	guests/unix/hal/mips/*.c guests/unix/hal/mips/*.S)
UNIX_OBJS := $(patsubst %,$(B)/gobj/%.o,$(basename $(UNIX_SRCS)))
UNIX_KERNEL := $(B)/guests/unix/kernel.elf

$(B)/gobj/guests/unix/%.o: GUEST_INCLUDES = -Iguests/unix -Iguests/unix/hal \
	-Iguests/unix/hal/native -Iguests/unix/hal/mips -Iguests/include
$(B)/gobj/guests/unix/%.o: GUEST_CFLAGS += -std=gnu11

$(UNIX_KERNEL): $(UNIX_OBJS) $(GUEST_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LINK)

# ---- Host tools: mkfs, fsck, fsls, fscat ----

UNIX_TOOL_NAMES := mkfs fsck fsls fscat
UNIX_TOOLS := $(UNIX_TOOL_NAMES:%=$(B)/guests/tools/%)
UNIX_TOOL_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iguests/include

$(B)/guests/tools/%: guests/tools/%.c guests/tools/fsimg.c guests/tools/fsimg.h \
		guests/include/unix/fs.h
	@mkdir -p $(@D)
	$(CC) $(UNIX_TOOL_CFLAGS) -o $@ guests/tools/$*.c guests/tools/fsimg.c

# ---- Stand-in user programs and a test image ----

USER_LDSCRIPT := guests/mk/user.ld
UNIX_TP_DIR := guests/unix/test-programs
UNIX_TP_LIB := $(patsubst %,$(B)/gobj/%.o,$(basename \
	$(UNIX_TP_DIR)/tlib.c $(UNIX_TP_DIR)/tcrt0.c))
UNIX_TP_NAMES := $(filter-out tlib tcrt0,$(basename $(notdir $(wildcard $(UNIX_TP_DIR)/*.c))))
UNIX_TP_PROGS := $(UNIX_TP_NAMES:%=$(B)/guests/unix/test-programs/%)
UNIX_TEST_IMG := $(B)/guests/unix/test.img

$(B)/guests/unix/test-programs/%: $(B)/gobj/$(UNIX_TP_DIR)/%.o $(UNIX_TP_LIB) $(USER_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LD) -T $(USER_LDSCRIPT) -static -nostdlib -z max-page-size=4096 \
		-o $@ $(filter %.o,$^)

$(UNIX_TEST_IMG): $(UNIX_TP_PROGS) $(B)/guests/tools/mkfs $(UNIX_TP_DIR)/rc
	rm -rf $(B)/guests/unix/root
	mkdir -p $(B)/guests/unix/root/bin $(B)/guests/unix/root/etc
	cp $(UNIX_TP_PROGS) $(B)/guests/unix/root/bin/
	cp $(UNIX_TP_DIR)/rc $(B)/guests/unix/root/etc/rc
	$(B)/guests/tools/mkfs $@ 16 -r $(B)/guests/unix/root

.PHONY: unix unix-image unix-test
unix: $(UNIX_KERNEL) $(UNIX_TOOLS)
unix-image: unix $(UNIX_TEST_IMG)
unix-test: unix-image $(FLASHSIM)
	guests/unix/test.sh

-include $(UNIX_OBJS:.o=.d) $(UNIX_TP_LIB:.o=.d)

# Part of `make guests` (and so of `make`).
guests: $(UNIX_KERNEL) $(UNIX_TOOLS)
