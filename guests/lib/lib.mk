# guests/lib/lib.mk: the C library for user programs of the kit's Unix
# kernel. Included by the top-level Makefile after guests/mk/baremetal.mk.
#
# Produces
#   $(ULIB)       build/lib/guest/libc.a: everything but the startup code
#   $(ULIB_CRT0)  crt0.o, which a program links first (its _start calls main)
# and ULIB_INCLUDES, the include flags of code that uses the library.
#
# -nostdlibinc keeps the host's /usr/include out of reach: a guest sees
# only these headers, the shared guests/include, and clang's own
# freestanding ones (stdint.h, stddef.h, stdarg.h, stdbool.h).

GUEST_AR ?= llvm-ar

ULIB_INCLUDES := -nostdlibinc -Iguests/lib/include -Iguests/include

ULIB_SRCS := $(filter-out guests/lib/crt0.S,$(wildcard guests/lib/*.c guests/lib/*.S))
ULIB_OBJS := $(patsubst %,$(B)/gobj/%.o,$(basename $(ULIB_SRCS)))
ULIB_CRT0 := $(B)/gobj/guests/lib/crt0.o
ULIB := $(B)/lib/guest/libc.a

$(B)/gobj/guests/lib/%.o: GUEST_INCLUDES = $(ULIB_INCLUDES)

$(ULIB): $(ULIB_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(GUEST_AR) rcs $@ $^

.PHONY: ulib
ulib: $(ULIB) $(ULIB_CRT0)

-include $(ULIB_OBJS:.o=.d) $(ULIB_CRT0:.o=.d)

# Part of `make guests`.
guests: $(ULIB) $(ULIB_CRT0)
