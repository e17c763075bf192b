# guests/user/user.mk: user programs for the kit's Unix kernel.
# Included by the top-level Makefile after guests/lib/lib.mk.
#
# Each guests/user/NAME.c of USER_PROG_NAMES is one program, linked at
# 0x00400000 with guests/mk/user.ld (the kernel's side provides it) after
# the library's crt0.o and before libc.a, into $(B)/guests/user/bin/NAME:
# no extension, as it will be called in the image's /bin.
# USER_BINS lists them all for the rules that build disk images.

USER_PROG_NAMES := init sh ls cat echo cp rm mkdir wc true false sum usertests
USER_BIN_DIR := $(B)/guests/user/bin
USER_BINS := $(USER_PROG_NAMES:%=$(USER_BIN_DIR)/%)

USER_LDSCRIPT ?= guests/mk/user.ld
USER_LDFLAGS := -T $(USER_LDSCRIPT) -static -nostdlib -z max-page-size=4096

$(B)/gobj/guests/user/%.o: GUEST_INCLUDES = $(ULIB_INCLUDES)

$(USER_BINS): $(USER_BIN_DIR)/%: $(B)/gobj/guests/user/%.o $(ULIB_CRT0) $(ULIB) \
		$(USER_LDSCRIPT)
	@mkdir -p $(@D)
	$(GUEST_LD) $(USER_LDFLAGS) -o $@ $(ULIB_CRT0) $< $(ULIB)

.PHONY: user-programs
user-programs: $(USER_BINS)

# Part of `make guests` once the kernel's side has provided user.ld.
ifneq ($(wildcard $(USER_LDSCRIPT)),)
guests: $(USER_BINS)
endif

-include $(USER_PROG_NAMES:%=$(B)/gobj/guests/user/%.d)
