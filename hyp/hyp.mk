# rivet-hv, the partitioning hypervisor in hyp/ (bare metal, HS-mode).
#   make hyp    builds build/hyp/rivet-hv.bin (and .elf), OpenSBI's payload
HYP_CC     := riscv64-unknown-elf-gcc
HYP_OBJCOPY := riscv64-unknown-elf-objcopy
HYP_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany -ffreestanding -nostdlib \
              -fno-builtin -fno-stack-protector -fno-pic -O2 -g -std=gnu11 -Wall -Wextra -MMD -MP
HYP_SRCS   := $(sort $(wildcard hyp/*.c hyp/*.S))
HYP_OBJS   := $(patsubst hyp/%,build/hyp/%.o,$(HYP_SRCS))

hyp: build/hyp/rivet-hv.bin

build/hyp/%.c.o: hyp/%.c
	@mkdir -p $(dir $@)
	$(HYP_CC) $(HYP_CFLAGS) -c -o $@ $<

build/hyp/%.S.o: hyp/%.S
	@mkdir -p $(dir $@)
	$(HYP_CC) $(HYP_CFLAGS) -c -o $@ $<

build/hyp/rivet-hv.elf: $(HYP_OBJS) hyp/link.ld
	$(HYP_CC) $(HYP_CFLAGS) -T hyp/link.ld -Wl,--no-relax -Wl,--no-warn-rwx-segments -o $@ $(HYP_OBJS)

build/hyp/rivet-hv.bin: build/hyp/rivet-hv.elf
	$(HYP_OBJCOPY) -O binary $< $@

-include $(HYP_OBJS:.o=.d)

.PHONY: hyp

# Bare-metal guests for tests/hyp (Linux Image format, loaded at 0x90000000).
HYP_GUEST := tests/hyp/guest
build/hyp/guest-%.img: $(HYP_GUEST)/start.S $(HYP_GUEST)/guest.c $(HYP_GUEST)/link.ld
	@mkdir -p $(dir $@)
	$(HYP_CC) $(HYP_CFLAGS) $(if $(filter fault,$*),-DFAULT) $(if $(filter vinst,$*),-DFAULT_VIRT) \
	    -T $(HYP_GUEST)/link.ld \
	    -Wl,--no-warn-rwx-segments -o build/hyp/guest-$*.elf $(HYP_GUEST)/start.S $(HYP_GUEST)/guest.c
	$(HYP_OBJCOPY) -O binary build/hyp/guest-$*.elf $@

hyp-tests: build/hyp/rivet-hv.bin build/hyp/guest-sbi.img build/hyp/guest-fault.img build/hyp/guest-vinst.img
.PHONY: hyp-tests

# The same hypervisor with the zone configurations of tests/hyp/configs/
# (deliberately broken ones, which it must refuse).
HYP_CORE_OBJS := $(filter-out build/hyp/config.c.o,$(HYP_OBJS))
HYP_CFGS := $(patsubst tests/hyp/configs/%.c,build/hyp/cfg-%/rivet-hv.bin,$(wildcard tests/hyp/configs/*.c))
build/hyp/cfg-%/rivet-hv.bin: tests/hyp/configs/%.c $(HYP_CORE_OBJS) hyp/link.ld
	@mkdir -p $(dir $@)
	$(HYP_CC) $(HYP_CFLAGS) -Ihyp -c -o $(dir $@)config.o $<
	$(HYP_CC) $(HYP_CFLAGS) -T hyp/link.ld -Wl,--no-relax -Wl,--no-warn-rwx-segments \
	    -o $(dir $@)rivet-hv.elf $(HYP_CORE_OBJS) $(dir $@)config.o
	$(HYP_OBJCOPY) -O binary $(dir $@)rivet-hv.elf $@
hyp-tests: $(HYP_CFGS)
