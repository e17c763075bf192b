# guests/unix/disco.mk: the Unix kernel built for a virtual machine of the
# monitor (reference/): the same kernel sources with the disco HAL
# (guests/unix/hal/disco), linked in the supervisor segment (sseg.ld).
# Included by the top-level Makefile after unix.mk and reference.mk.
#
#   build/guests/unix/kernel-disco.elf        HALPAGE=1: frequent privileged
#                                             registers through the HAL page
#   build/guests/unix/kernel-disco-nohal.elf  HALPAGE=0: emulated mfc0/mtc0
#   make unix-disco    both
#   make disco-test    boot them under `disco` and compare with native runs
#                      (guests/unix/disco-test.sh)
#
# The kernel's own objects are compiled once for both (only halconf.h, the
# kernel segment base, differs from native); only the HAL differs between
# the two disco kernels. The HAL is hal/disco and hal/mips (the MIPS code
# shared with the native HAL, which includes the disco machine.h).

UDISCO_OUT := $(B)/guests/unix/disco
UDISCO_KERNEL_SRCS := $(wildcard guests/unix/*.c guests/unix/*.S)
UDISCO_HAL_SRCS := $(wildcard guests/unix/hal/disco/*.c guests/unix/hal/disco/*.S \
	guests/unix/hal/mips/*.c guests/unix/hal/mips/*.S)
UDISCO_KERNEL_OBJS := $(patsubst guests/unix/%,$(UDISCO_OUT)/kernel/%.o,\
	$(basename $(UDISCO_KERNEL_SRCS)))
udisco_hal_objs = $(patsubst guests/unix/hal/%,$(UDISCO_OUT)/hal$(1)/%.o,\
	$(basename $(UDISCO_HAL_SRCS)))
UDISCO_KERNELS := $(B)/guests/unix/kernel-disco.elf $(B)/guests/unix/kernel-disco-nohal.elf
UDISCO_LDSCRIPT := guests/mk/sseg.ld
UDISCO_CFLAGS = $(GUEST_CFLAGS) -std=gnu11 -Iguests/unix -Iguests/unix/hal \
	-Iguests/unix/hal/disco -Iguests/unix/hal/mips -Iguests/include

$(UDISCO_OUT)/kernel/%.o: guests/unix/%.c
	@mkdir -p $(@D)
	$(GUEST_CC) $(UDISCO_CFLAGS) -MMD -MP -c -o $@ $<

$(UDISCO_OUT)/kernel/%.o: guests/unix/%.S
	@mkdir -p $(@D)
	$(GUEST_CC) $(UDISCO_CFLAGS) -MMD -MP -c -o $@ $<

# The HAL twice: hal1 (HALPAGE=1) and hal0 (HALPAGE=0).
define UDISCO_HAL_RULES
$(UDISCO_OUT)/hal$(1)/%.o: guests/unix/hal/%.c
	@mkdir -p $$(@D)
	$$(GUEST_CC) $$(UDISCO_CFLAGS) -DHALPAGE=$(1) -MMD -MP -c -o $$@ $$<

$(UDISCO_OUT)/hal$(1)/%.o: guests/unix/hal/%.S
	@mkdir -p $$(@D)
	$$(GUEST_CC) $$(UDISCO_CFLAGS) -DHALPAGE=$(1) -MMD -MP -c -o $$@ $$<
endef
$(eval $(call UDISCO_HAL_RULES,0))
$(eval $(call UDISCO_HAL_RULES,1))

udisco_link = $(GUEST_LD) -T $(UDISCO_LDSCRIPT) -static -nostdlib -z max-page-size=4096 \
	-o $@ $(filter %.o,$^)

$(B)/guests/unix/kernel-disco.elf: $(UDISCO_KERNEL_OBJS) $(call udisco_hal_objs,1) \
		$(UDISCO_LDSCRIPT)
	@mkdir -p $(@D)
	$(udisco_link)

$(B)/guests/unix/kernel-disco-nohal.elf: $(UDISCO_KERNEL_OBJS) $(call udisco_hal_objs,0) \
		$(UDISCO_LDSCRIPT)
	@mkdir -p $(@D)
	$(udisco_link)

.PHONY: unix-disco disco-test
unix-disco: $(UDISCO_KERNELS)

# Everything the comparison boots: both kernels natively and under disco,
# the usertests image, the workloads and the tools that make their image.
disco-test: $(UDISCO_KERNELS) $(UNIX_KERNEL) $(UNIX_TOOLS) $(FLASHSIM) $(DISCO) \
		$(USER_IMG) $(UNIX_TEST_IMG) workloads
	guests/unix/disco-test.sh

guests: $(UDISCO_KERNELS)

-include $(patsubst %.o,%.d,$(UDISCO_KERNEL_OBJS) $(call udisco_hal_objs,0) \
	$(call udisco_hal_objs,1))
