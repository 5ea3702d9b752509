# rivet: a RISC-V virt board emulator.
#   make            build build/rivet
#   make check      build, then run every test suite; ends with "N passed, N failed"
#   make SAN=1 ...  the same with ASan/UBSan, in build-san/
#   make bench      side-by-side benchmarks against qemu-system-riscv64

CC      ?= gcc
SAN     ?= 0
ifeq ($(SAN),1)
BUILD   ?= build-san
OPT     ?= -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN   := -fsanitize=address,undefined
else
BUILD   ?= build
OPT     ?= -O2
LDSAN   :=
endif
CFLAGS  += $(OPT) -g -std=gnu11 -Wall -Wextra -Isrc -MMD -MP \
           -frounding-math -fsignaling-nans
LDLIBS  += -lfdt -lz -lm -lpthread

SRCS    := $(shell find src -name '*.c' | sort)
OBJS    := $(SRCS:%.c=$(BUILD)/%.o)
RIVET   := $(BUILD)/rivet

all: $(RIVET)

$(RIVET): $(OBJS)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

-include $(OBJS:.o=.d)

# ---- bare-metal test programs -------------------------------------------
TCC      := riscv64-unknown-elf-gcc
TARCH    := -march=rv64gc_zba_zbb_zbc_zbs -mabi=lp64d
TCFLAGS  := $(TARCH) -mcmodel=medany -nostdlib -nostartfiles -ffreestanding -O2 \
            -Itests/isa/common -Ttests/isa/common/link.ld -Wl,--no-warn-rwx-segments
ISA_SRCS := $(sort $(wildcard tests/isa/*.S tests/isa/*.c tests/priv/*.S tests/priv/*.c))
TEST_DEPS := $(wildcard tests/isa/common/* tests/priv/*.h tests/priv/*.inc)
ISA_ELFS := $(patsubst %,build/%.elf,$(basename $(ISA_SRCS)))

build/tests/%.elf: tests/%.S $(TEST_DEPS)
	@mkdir -p $(dir $@)
	$(TCC) $(TCFLAGS) -o $@ tests/isa/common/start.S $<

build/tests/%.elf: tests/%.c $(TEST_DEPS)
	@mkdir -p $(dir $@)
	$(TCC) $(TCFLAGS) -o $@ tests/isa/common/start.S $<

isa-tests: $(ISA_ELFS)

# ---- bare-metal SMP test programs (tests/smp; run by tests/smp/run.sh) ----
SMP_SRCS := $(sort $(wildcard tests/smp/*.c))
SMP_DEPS := $(wildcard tests/smp/common/*) tests/smp/xmc_fencei.c
SMP_ELFS := $(patsubst %,build/%.elf,$(basename $(SMP_SRCS)))

build/tests/smp/%.elf: tests/smp/%.c $(SMP_DEPS)
	@mkdir -p $(dir $@)
	$(TCC) $(TARCH) -mcmodel=medany -nostdlib -nostartfiles -ffreestanding -O2 -Wall \
	    -Itests/smp/common -Ttests/smp/common/link.ld -Wl,--no-warn-rwx-segments \
	    -o $@ tests/smp/common/crt.S tests/smp/common/lib.c $<

smp-tests: $(SMP_ELFS)
isa-tests: smp-tests

# The SMP programs on QEMU (-smp 2, 4, 8; threaded and thread=single).
check-qemu-smp: smp-tests
	tests/smp/run.sh qemu
.PHONY: smp-tests check-qemu-smp

# SUITES=isa,diff,board,boot (default all) selects what `make check` runs.
check: $(RIVET) isa-tests
	tests/check.sh $(RIVET) $(subst $(comma), ,$(SUITES))

comma := ,
print-isa-elfs:
	@echo $(ISA_ELFS)

# Run the bare-metal tests on QEMU: proves the tests themselves are right.
check-qemu: isa-tests
	tests/run_isa.sh qemu $(ISA_ELFS)

bench: $(RIVET)
	bench/run.sh $(RIVET)

# Bare-metal micro-benchmarks: RIVET_STATS=1 build/rivet -M virt -bios none -kernel build/bench/hashloop.elf
build/bench/%.elf: bench/micro/%.c tests/isa/common/link.ld
	@mkdir -p $(dir $@)
	$(TCC) $(TARCH) -mcmodel=medany -nostdlib -nostartfiles -ffreestanding -O2 \
	    -Ttests/isa/common/link.ld -Wl,--no-warn-rwx-segments -o $@ $<

bench-micro: build/bench/hashloop.elf

clean:
	rm -rf build build-san

.PHONY: all check check-qemu isa-tests bench bench-micro clean print-isa-elfs

# ---- the partitioning hypervisor (hyp/): `make hyp` -----------------------
include hyp/hyp.mk
