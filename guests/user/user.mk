# guests/user/user.mk: user programs for the kit's Unix kernel.
# Included by the top-level Makefile after guests/lib/lib.mk.
#
# Each guests/user/NAME.c of USER_PROG_NAMES is one program, linked at
# 0x00400000 with guests/mk/user.ld (the kernel's side provides it) after
# the library's crt0.o and before libc.a, into $(B)/guests/user/NAME.elf
# (with symbols and debug information, for gdb and objdump). The copy in
# $(B)/guests/user/bin/NAME is stripped, without extension, as it goes in
# an image's /bin: a smaller file is fewer disk blocks for exec to read.
# USER_BINS lists those copies for the rules that build disk images.

USER_PROG_NAMES := init sh ls cat echo cp rm mkdir wc true false sum usertests libtest nfsd
USER_BIN_DIR := $(B)/guests/user/bin
USER_BINS := $(USER_PROG_NAMES:%=$(USER_BIN_DIR)/%)

USER_ELFS := $(USER_PROG_NAMES:%=$(B)/guests/user/%.elf)

GUEST_STRIP ?= llvm-strip
USER_LDSCRIPT ?= guests/mk/user.ld
USER_LDFLAGS := -T $(USER_LDSCRIPT) -static -nostdlib -z max-page-size=4096

$(B)/gobj/guests/user/%.o: GUEST_INCLUDES = $(ULIB_INCLUDES)

$(USER_ELFS): $(B)/guests/user/%.elf: $(B)/gobj/guests/user/%.o $(ULIB_CRT0) $(ULIB) \
		$(USER_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LD) $(USER_LDFLAGS) -o $@ $(ULIB_CRT0) $< $(ULIB)

$(USER_BINS): $(USER_BIN_DIR)/%: $(B)/guests/user/%.elf
	@mkdir -p $(@D)
	$(GUEST_STRIP) -o $@ $<

.PHONY: user-programs
user-programs: $(USER_ELFS) $(USER_BINS)

# Part of `make guests` once the kernel's side has provided user.ld.
ifneq ($(wildcard $(USER_LDSCRIPT)),)
guests: $(USER_ELFS) $(USER_BINS)
endif

-include $(USER_PROG_NAMES:%=$(B)/gobj/guests/user/%.d)

# ---- The usertests image and its test ----
#
# `make user-test` boots an image whose /etc/rc (guests/user/etc/rc.usertests)
# runs the utilities' script etc/utiltest, libtest and usertests, on 1, 2
# and 8 CPUs; guests/user/test.sh says what it checks.

USER_ROOT := $(B)/guests/user/root
USER_IMG := $(B)/guests/user/usertests.img

$(USER_IMG): $(USER_BINS) guests/user/etc/rc.usertests guests/user/etc/utiltest \
		$(B)/guests/tools/mkfs
	rm -rf $(USER_ROOT)
	mkdir -p $(USER_ROOT)/bin $(USER_ROOT)/etc
	cp $(USER_BINS) $(USER_ROOT)/bin/
	cp guests/user/etc/rc.usertests $(USER_ROOT)/etc/rc
	cp guests/user/etc/utiltest $(USER_ROOT)/etc/utiltest
	$(B)/guests/tools/mkfs $@ 32 -r $(USER_ROOT)

.PHONY: user-image user-test
user-image: $(USER_IMG)
user-test: $(USER_IMG) $(B)/guests/unix/kernel.elf $(B)/guests/tools/fsck $(FLASHSIM)
	guests/user/test.sh
