# rivet: a RISC-V virt board emulator.
#   make            build build/rivet
#   make check      build, then run every test suite; ends with "N passed, N failed"
#   make SAN=1 ...  the same with ASan/UBSan, in build-san/
#   make TSAN=1 ... the same with ThreadSanitizer, in build-tsan/
#   make bench      side-by-side benchmarks against qemu-system-riscv64

CC      ?= gcc
SAN     ?= 0
TSAN    ?= 0
ifeq ($(TSAN),1)
BUILD   ?= build-tsan
OPT     ?= -O1 -fno-omit-frame-pointer -fsanitize=thread -Wno-tsan
LDSAN   := -fsanitize=thread
else ifeq ($(SAN),1)
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
LDLIBS  += -lfdt -lz -lm -lpthread -lslirp

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

# ---- hypervisor-extension programs (tests/h; run by tests/h/run.sh) ------
# Each is built twice: as is, and for QEMU 7.2 without the checks it is
# known to get wrong (-DH_FOR_QEMU). `make check-spike-h` runs them on Spike.
H_SRCS := $(filter-out tests/h/start.S,$(sort $(wildcard tests/h/*.S)))
H_ELFS := $(patsubst tests/h/%.S,build/tests/h/%.elf,$(H_SRCS)) \
          $(patsubst tests/h/%.S,build/tests/h/qemu/%.elf,$(H_SRCS))
H_DEPS := $(wildcard tests/h/*.h tests/h/*.inc) tests/h/start.S tests/isa/common/test.h tests/isa/common/link.ld

build/tests/h/%.elf: tests/h/%.S $(H_DEPS)
	@mkdir -p $(dir $@)
	$(TCC) $(TCFLAGS) -Itests/h -o $@ tests/h/start.S $<

build/tests/h/qemu/%.elf: tests/h/%.S $(H_DEPS)
	@mkdir -p $(dir $@)
	$(TCC) $(TCFLAGS) -Itests/h -DH_FOR_QEMU -o $@ tests/h/start.S $<

h-tests: $(H_ELFS)
isa-tests: h-tests

check-spike-h: h-tests
	tests/h/run.sh spike
check-qemu-h: h-tests
	tests/h/run.sh qemu
.PHONY: h-tests check-spike-h check-qemu-h

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

bench-micro: $(patsubst bench/micro/%.c,build/bench/%.elf,$(wildcard bench/micro/*.c))

clean:
	rm -rf build build-san build-fuzz

.PHONY: all check check-qemu isa-tests bench bench-micro clean print-isa-elfs

# ---- host-input fuzzing (tests/fuzz/README.md) ------------------------------
#   make fuzz [FUZZ_TIME=600] [FUZZ_HARNESSES="elf dtb"]
#                     libFuzzer + ASan/UBSan (clang), FUZZ_TIME s per harness
#   make fuzz-regress replays the corpus and past crashers with $(CC)
FUZZ_HARNESSES ?= elf vmlinux uimage uimage_gz image raw dtb cmdline virtqueue
FUZZ_CC     ?= clang
FUZZ_BUILD  ?= build-fuzz
FUZZ_TIME   ?= 60
FUZZ_SAN    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -std=gnu11 -Wall -Wextra -Isrc -MMD -MP \
               -frounding-math
FUZZ_OBJS   := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter-out src/main.c,$(SRCS)) tests/fuzz/common.c)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c -o $@ $<

# The CPU (decoder, interpreter, JIT) sees no host input and the harnesses
# run no guest code: built plain, as sanitizers and coverage there only cost
# compile time (exec.c: 4 s plain, over a minute with ASan and UBSan).
FUZZ_PLAIN := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(filter src/cpu/%,$(SRCS)))
$(FUZZ_PLAIN): $(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz-build: $(FUZZ_HARNESSES:%=$(FUZZ_BUILD)/fuzz_%)

fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TIME) $(FUZZ_HARNESSES)

# The same harnesses with replay.c's main(), built like rivet itself (SAN=1
# for ASan/UBSan), linked against its objects.
FUZZ_REPLAY_OBJS := $(filter-out $(BUILD)/src/main.o,$(OBJS)) $(BUILD)/tests/fuzz/common.o \
                    $(BUILD)/tests/fuzz/replay.o
$(BUILD)/fuzz/replay_%: $(BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_REPLAY_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

fuzz-regress: $(FUZZ_HARNESSES:%=$(BUILD)/fuzz/replay_%)
	tests/fuzz/regress.sh $(BUILD)/fuzz $(FUZZ_HARNESSES)

-include $(wildcard $(FUZZ_BUILD)/*/*.d $(FUZZ_BUILD)/*/*/*.d $(BUILD)/tests/fuzz/*.d)
.PHONY: fuzz fuzz-build fuzz-regress
.PRECIOUS: $(FUZZ_BUILD)/%.o $(BUILD)/tests/fuzz/%.o

# ---- the partitioning hypervisor (hyp/): `make hyp` -----------------------
include hyp/hyp.mk
