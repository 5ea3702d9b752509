#!/usr/bin/env bash
# Board-level tests of rivet's virt machine against the spec and QEMU 7.2.
#
# usage: tests/board/run.sh RIVET
#
# Prints "PASS board/<name>", "FAIL board/<name>: <reason>" or
# "SKIP board/<name>: <reason>" per test and exits non-zero if any test
# failed. Bare-metal programs are built into build/tests/board/ with
# riscv64-unknown-elf-gcc; qemu-system-riscv64 (the reference) and dtc are
# expected on PATH. See tests/board/README.md.
set -u

if [ $# -ne 1 ]; then
    echo "usage: $0 RIVET" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rivet=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
# Separate output directories let several runs proceed side by side.
out=${RIVET_BOARD_OUT:-$root/build/tests/board}
spec=${RIVET_SPEC_DIR:-/work/shared/spec}
mkdir -p "$out" && out=$(cd "$out" && pwd) && cd "$out" || exit 2

fails=0
pass() { echo "PASS board/$1${2:+ ($2)}"; }
fail() { echo "FAIL board/$1: $2"; fails=$((fails + 1)); }
skip() { echo "SKIP board/$1: $2"; }

if [ ! -x "$rivet" ]; then
    fail setup "$1 is not an executable"
    exit 1
fi
qemu=$(command -v qemu-system-riscv64 || true)
# QEMU's stdio serial with no monitor: its output is exactly the UART's.
qemu_cmd=("$qemu" -M virt -display none -serial stdio -monitor none)

# ---- build ---------------------------------------------------------------
# Soft-float rv64imac: the programs must not depend on the FPU being on.
TCC=riscv64-unknown-elf-gcc
TCFLAGS=(-march=rv64imac_zicsr -mabi=lp64 -mcmodel=medany -nostdlib -nostartfiles
         -ffreestanding -O2 -Wall -Wextra -Werror -Wl,--no-warn-rwx-segments)
build() {  # build NAME LDSCRIPT SOURCES...
    local name=$1 ld=$2; shift 2
    local srcs=() s
    for s in "$@"; do srcs+=("$here/$s"); done
    if [ -f "$name.elf" ] && [ -z "$(find "${srcs[@]}" "$here/$ld" "$here/bm.h" -newer "$name.elf")" ]; then
        return 0
    fi
    $TCC "${TCFLAGS[@]}" -T "$here/$ld" -I "$here" -o "$name.elf" "${srcs[@]}" 2>"$name.build.log" ||
        { cat "$name.build.log" >&2; return 1; }
}
if ! command -v $TCC >/dev/null; then
    fail build "$TCC not found"
    exit 1
fi
for prog in probe finisher reboot idle; do
    build $prog link.ld crt.S $prog.c || { fail build "cannot build $prog.elf"; exit 1; }
done
build payload payload.ld payload_start.S payload.c || { fail build "cannot build payload.elf"; exit 1; }
TCFLAGS+=(-DEXIT_CODE=0)
build htif_pass link.ld htif.S || { fail build "cannot build htif_pass.elf"; exit 1; }
TCFLAGS[-1]=-DEXIT_CODE=5
build htif_fail link.ld htif.S || { fail build "cannot build htif_fail.elf"; exit 1; }
unset 'TCFLAGS[-1]'

# run_emu OUTFILE TIMEOUT CMD... : stdout -> OUTFILE, stderr -> OUTFILE.err,
# exit status in $rc. stdin is /dev/null so nothing waits for a terminal.
run_emu() {
    local o=$1 t=$2; shift 2
    timeout -k 2 "$t" "$@" </dev/null >"$o" 2>"$o.err"
    rc=$?
}

# ---- 1. device tree ---------------------------------------------------------
# The script prints its own PASS/FAIL lines; count its failures here.
dt_tests() {
    local res
    res=$(python3 "$here/dtcompare.py" "$rivet" "$spec" "$out/dt" "$@" 2>&1)
    local st=$?
    printf '%s\n' "$res"
    local n; n=$(grep -c '^FAIL ' <<<"$res")
    [ $st -ne 0 ] && [ "$n" -eq 0 ] && { fail "dt${1:+-selftest}" "dtcompare.py exited $st"; return; }
    fails=$((fails + n))
}
dt_tests
dt_tests --selftest

# ---- 2. M-mode probe --------------------------------------------------------
# Implementation-specific lines that rivet must print (run with -m 128M):
#  misa = RV64 IMAFDC + S + U, matching the DT's riscv,isa (QEMU adds H);
#  marchid/mimpid = 0 as in 10.x (7.2 reports its version);
#  the goldfish RTC is 32-bit only (spec §4.6; QEMU 7.2 splits an 8-byte read);
#  no PCIe/fw_cfg/flash behind rivet's DT, so those addresses fault.
cat >probe.expect-rivet-only <<'EOF'
~misa=0x800000000014112d
~marchid=0x0
~mimpid=0x0
~load64 rtc 0x101000: fault mcause=0x5 mtval=0x101000
~rivet-only load32 pcie-ecam 0x30000000: fault mcause=0x5 mtval=0x30000000
~rivet-only load8 fw-cfg 0x10100000: fault mcause=0x5 mtval=0x10100000
~rivet-only load32 flash 0x20000000: fault mcause=0x5 mtval=0x20000000
EOF
probe_test() {
    local name=probe
    run_emu probe.rivet 10 "$rivet" -M virt -m 128M -bios probe.elf -nographic
    if [ $rc -ne 0 ]; then
        fail $name "rivet exited $rc: $(tail -c 300 probe.rivet.err | tr '\n' ' ')"; return
    fi
    # Stated outright so the test does not rest on QEMU alone.
    local want
    for want in a0=0x0 a1=0x87e00000 a2=0x1028 t0=0x80000000 mip=0x80 \
                fw_dynamic_info.magic=0x4942534f dtb.magic=0xd00dfeed "== done"; do
        grep -qxF -- "$want" probe.rivet || { fail $name "rivet output lacks '$want'"; return; }
    done
    if [ -z "$qemu" ]; then
        skip $name "qemu-system-riscv64 not found; rivet's output was only spot-checked"; return
    fi
    run_emu probe.qemu 20 "${qemu_cmd[@]}" -m 128M -bios probe.elf
    if [ $rc -ne 0 ]; then
        fail $name "QEMU exited $rc: $(tail -c 300 probe.qemu.err | tr '\n' ' ')"; return
    fi
    local why
    why=$(python3 "$here/outcompare.py" probe.qemu probe.rivet \
          --expect-rivet-only probe.expect-rivet-only) || { fail $name "$why"; return; }
    pass $name "$(grep -vc '^~' probe.rivet) lines identical to QEMU"
}
probe_test

# The comparison must notice a changed, a missing and an extra line, and a
# missing implementation-specific line; '~' lines must not count.
probe_selftest() {
    local name=probe-selftest
    [ -s probe.rivet ] || { fail $name "no probe output to mutate"; return; }
    local ref=probe.rivet
    [ -s probe.qemu ] && ref=probe.qemu
    sed 's/^uart.lsr=0x60$/uart.lsr=0x61/' probe.rivet >mut.1
    sed '/^mip.MTIP after deadline=/d' probe.rivet >mut.2
    sed 's/^plic.claim\[ctx0\]=0xa$/plic.claim[ctx0]=0xa\nplic.claim[ctx0]=0xa/' probe.rivet >mut.3
    sed '/^== done$/d' probe.rivet >mut.4
    sed '/^~rivet-only load32 pcie-ecam/d' probe.rivet >mut.5
    sed 's/^~marchid=.*/~marchid=0x1234/' probe.rivet >mut.ok
    local m
    for m in 1 2 3 4 5; do
        cmp -s probe.rivet mut.$m && { fail $name "mutation $m did not apply"; return; }
        python3 "$here/outcompare.py" "$ref" mut.$m --expect-rivet-only probe.expect-rivet-only \
            >/dev/null && { fail $name "mutation $m was not detected"; return; }
    done
    python3 "$here/outcompare.py" "$ref" mut.ok >/dev/null ||
        { fail $name "a changed '~' line was compared"; return; }
    pass $name "5 mutations detected"
}
probe_selftest

# ---- 3. OpenSBI + S-mode payload -------------------------------------------
# OpenSBI's console turns "\n" into "\r\n"; compare text lines.
strip_cr() { tr -d '\r' <"$1" >"$1.tmp" && mv "$1.tmp" "$1"; }
payload_check() {  # payload_check FILE EMU-NAME -> prints the first problem
    local f=$1 want
    local -a lines=(
        "Platform Name             : riscv-virtio,qemu"
        "Domain0 Next Address      : 0x0000000080200000"
        "Domain0 Next Arg1         : 0x0000000087e00000"
        "Domain0 Next Mode         : S-mode"
        "payload: hello from S-mode"
        "payload: dtb = 0x87e00000"
        "payload: dtb magic ok"
        "payload: dtb has OpenSBI reserved-memory"
        "payload: probe TIME = 0x1"
        "payload: probe SRST = 0x1"
        "payload: probe nonexistent = 0x0"
        "payload: legacy console putchar works"
        "payload: timer interrupt received (sbi set_timer)"
        "payload: stimecmp accessible (Sstc)"
        "payload: timer interrupt received (stimecmp)"
        "payload: shutting down via SRST"
    )
    for want in "${lines[@]}"; do
        grep -qxF -- "$want" "$f" || { echo "no line '$want'"; return; }
    done
    grep -q '^OpenSBI v' "$f" || { echo "no OpenSBI banner"; return; }
    grep -q '^Boot HART Base ISA *: rv64' "$f" || { echo "no 'Boot HART Base ISA' line"; return; }
    grep -q '^Boot HART ISA Extensions *: .*sstc' "$f" || { echo "no sstc in 'Boot HART ISA Extensions'"; return; }
    # OpenSBI's own region at the start of RAM, and the everything-else region.
    grep -q '^Domain0 Region[0-9]* *: 0x0000000080000000-0x00000000800[0-9a-f]*ffff ()' "$f" ||
        { echo "no firmware domain region at 0x80000000"; return; }
    grep -q '^Domain0 Region[0-9]* *: 0x0000000000000000-0xffffffffffffffff (R,W,X)' "$f" ||
        { echo "no all-memory domain region"; return; }
    if grep -q 'DBCN = 0x1' "$f"; then
        grep -qxF "payload: DBCN console write works" "$f" || { echo "DBCN present but its write did not print"; return; }
    fi
    grep -q 'FAIL' "$f" && { grep -m1 FAIL "$f"; return; }
}
opensbi_test() {
    local name=opensbi-payload why
    run_emu opensbi.rivet 20 "$rivet" -M virt -m 128M -bios default -kernel payload.elf -nographic
    strip_cr opensbi.rivet
    if [ $rc -ne 0 ]; then
        fail $name "rivet exited $rc (timeout is 124): $(tail -n 3 opensbi.rivet | tr '\n' '|') $(head -c 200 opensbi.rivet.err | tr '\n' ' ')"; return
    fi
    why=$(payload_check opensbi.rivet)
    [ -n "$why" ] && { fail $name "rivet: $why"; return; }
    # rivet's misa has no H; OpenSBI prints it as the base ISA.
    grep -qxF "Boot HART Base ISA        : rv64imafdc" opensbi.rivet ||
        { fail $name "rivet: $(grep 'Base ISA' opensbi.rivet)"; return; }
    pass $name
}
opensbi_test

# The same payload on QEMU: shows that the payload and payload_check are right.
opensbi_qemu_test() {
    local name=opensbi-payload-qemu why
    [ -z "$qemu" ] && { skip $name "qemu-system-riscv64 not found"; return; }
    run_emu opensbi.qemu 30 "${qemu_cmd[@]}" -m 128M -bios default -kernel payload.elf
    strip_cr opensbi.qemu
    [ $rc -ne 0 ] && { fail $name "QEMU exited $rc"; return; }
    why=$(payload_check opensbi.qemu)
    [ -n "$why" ] && { fail $name "QEMU: $why"; return; }
    pass $name
}
opensbi_qemu_test

# ---- 4. bad input -----------------------------------------------------------
bad=$out/bad
rm -rf "$bad"; mkdir -p "$bad/adir"
head -c 100 probe.elf >"$bad/trunc.elf"
truncate -s 200M "$bad/big.initrd"       # sparse: costs no disk space
truncate -s 300M "$bad/big.kernel"
truncate -s 4096 "$bad/small.bin"
printf 'this is not a device tree\n' >"$bad/notdtb"
python3 - "$bad" <<'EOF'
# Two corrupt U-Boot uImages: wrong header CRC, and valid header CRC with
# wrong data CRC.
import struct, sys, zlib
payload = b"\x13\x00\x00\x00" * 64
def image(hcrc_ok, dcrc):
    h = struct.pack(">IIIIIIIBBBB32s", 0x27051956, 0, 0, len(payload), 0x80200000,
                    0x80200000, dcrc, 5, 26, 2, 0, b"rivet-test")   # os linux, arch riscv, kernel
    crc = zlib.crc32(h) if hcrc_ok else zlib.crc32(h) ^ 0xdeadbeef
    return h[:4] + struct.pack(">I", crc) + h[8:] + payload
open(sys.argv[1] + "/badhcrc.uimg", "wb").write(image(False, zlib.crc32(payload)))
open(sys.argv[1] + "/baddcrc.uimg", "wb").write(image(True, zlib.crc32(payload) ^ 1))
EOF

# bad_test NAME REGEX ARGS... : exit status 1, nothing on stdout, exactly one
# stderr line, starting "rivet: ", and matching REGEX (extended, case-
# insensitive), which names the file/option and the problem.
bad_test() {
    local id=$1 name=bad-$1 re=$2; shift 2
    local o=$bad/$id.out
    run_emu "$o" 10 "$rivet" "$@"
    local err; err=$(head -c 400 "$o.err" | tr '\n' '|')
    local n; n=$(wc -l <"$o.err")
    if [ $rc -ne 1 ]; then fail "$name" "exit status $rc, expected 1 (stderr: $err)"
    elif [ -s "$o" ]; then fail "$name" "output on stdout: $(head -c 100 "$o")"
    elif [ "$n" -ne 1 ]; then fail "$name" "$n stderr lines: $err"
    elif [[ $err != "rivet: "* ]]; then fail "$name" "stderr does not start with 'rivet: ': $err"
    elif ! grep -qiE -- "$re" "$o.err"; then fail "$name" "stderr does not match /$re/: $err"
    else pass "$name"
    fi
}
bad_test missing-kernel    '/nonexistent/vmlinux.*(no such|not found|exist)' -M virt -kernel /nonexistent/vmlinux
bad_test dir-as-kernel     'adir.*(regular|directory)'            -M virt -kernel "$bad/adir"
if [ "$(id -u)" = 0 ]; then
    skip bad-unreadable-kernel "running as root: chmod 000 does not stop reads (bad-dir-as-kernel covers an unreadable path)"
else
    cp "$bad/small.bin" "$bad/noperm.bin"; chmod 000 "$bad/noperm.bin"
    bad_test unreadable-kernel 'noperm\.bin.*(permission|denied)' -M virt -kernel "$bad/noperm.bin"
fi
bad_test truncated-elf     'trunc\.elf.*(truncat|short|corrupt)'   -M virt -kernel "$bad/trunc.elf"
bad_test non-riscv-elf     '/bin/true.*(risc-?v|machine)'          -M virt -kernel /bin/true
bad_test uimage-header-crc 'badhcrc\.uimg.*(crc|checksum)'         -M virt -kernel "$bad/badhcrc.uimg"
bad_test uimage-data-crc   'baddcrc\.uimg.*(crc|checksum)'         -M virt -kernel "$bad/baddcrc.uimg"
bad_test initrd-too-big    'big\.initrd.*(fit|too (big|large)|ram)' -M virt -m 128M -kernel "$bad/small.bin" -initrd "$bad/big.initrd"
bad_test kernel-too-big    'big\.kernel.*(fit|too (big|large)|ram)' -M virt -m 128M -kernel "$bad/big.kernel"
bad_test bios-too-big      'big\.kernel.*(fit|too (big|large)|ram)' -M virt -m 128M -bios "$bad/big.kernel"
bad_test ram-too-small     '-m 1\b.*(small|least|minimum)'         -M virt -m 1
bad_test ram-malformed     '-m abc.*(size|invalid|malformed)'      -M virt -m abc
bad_test append-no-kernel  '-append.*-kernel'                      -M virt -append x
bad_test initrd-no-kernel  '-initrd.*-kernel'                      -M virt -initrd "$bad/small.bin"
bad_test unknown-option    '-frobnicate.*(invalid|unknown|unrecogni)' -frobnicate
bad_test machine-property  'foo.*(property|unknown|invalid)'       -M virt,foo=bar
bad_test machine-type      'sifive_u.*(machine|unsupported)'       -M sifive_u
bad_test dtb-not-dtb       'notdtb.*(device tree|dtb|fdt)'         -M virt -dtb "$bad/notdtb"
bad_test smp-65            '-smp 65.*(1 to 64|harts)'             -M virt -smp 65
bad_test smp-maxcpus       'maxcpus.*(equal|hot)'                  -M virt -smp 4,maxcpus=8
bad_test smp-topology      'cores.*threads.*cpus'                  -M virt -smp 2,cores=3
bad_test accel-kvm         'kvm.*(accelerator|tcg)'                -M virt -accel kvm
bad_test cpu-h-value       'h must be true or false'               -M virt -cpu rv64,h=maybe
bad_test cpu-property      "unknown property 'zfoo'"               -M virt -cpu rv64,zfoo=on
bad_test device-unknown    'foo.*(unsupported|device)'             -M virt -device foo
bad_test missing-bios      '/nonexistent/fw\.bin.*(no such|not found|exist)' -M virt -bios /nonexistent/fw.bin
bad_test missing-arg       '-kernel.*(argument|requires|missing)'  -M virt -kernel

# ---- 4b. damaged and hostile files (issue 8) ----------------------------------
# badinputs.py writes them; under SAN=1 these runs also show that no read of
# a file's structures is misaligned or overflows.
python3 "$here/badinputs.py" "$bad" || fail badinputs "badinputs.py failed"
bad_test dtb-rsvmap        'rsvmap\.dtb.*(device tree|dtb)'        -M virt -dtb "$bad/rsvmap.dtb"
bad_test dtb-badstruct     'badstruct\.dtb.*(device tree|dtb)'     -M virt -dtb "$bad/badstruct.dtb"
bad_test dtb-version-15    'version15\.dtb.*(version|device tree)' -M virt -dtb "$bad/version15.dtb"
bad_test vmlinux-wraps     'wrap\.elf.*(address space|overflow|wrap)' -M virt -bios none -kernel "$bad/wrap.elf"
bad_test uimage-gzip-bomb  'gzbomb\.uimg.*(decompress|fit|ram)'    -M virt -m 16M -bios none -kernel "$bad/gzbomb.uimg"
bad_test rtc-year-2263     'rtc.*2263.*range'                      -M virt -rtc base=2263-01-01
bad_test ram-nan           '-m nan.*size'                          -M virt -m nan
bad_test dtb-bigger-than-ram 'big\.kernel.*(larger|ram)'          -M virt -m 8M -dtb "$bad/big.kernel"

# good_run NAME ARGS...: rivet must accept the input: exit 0, nothing on
# stderr but the device-tree checker's "rivet: warning:" lines.
good_run() {
    local name=$1; shift
    run_emu "$bad/$name.out" 20 "$rivet" "$@"
    if [ $rc -ne 0 ] || grep -qv '^rivet: warning: ' "$bad/$name.out.err"; then
        fail "$name" "exit status $rc: $(head -c 300 "$bad/$name.out.err" | tr '\n' '|')"; return 1
    fi
}
# ELF, program headers, section headers and symbols at odd offsets.
good_run elf-odd-offsets -M virt,dumpdtb="$bad/odd.dtb" -bios none -kernel "$bad/odd.elf" &&
    pass elf-odd-offsets
# A near-1 MiB -dtb plus a 10 KB -append: the tree must grow, not abort.
long_append=$(python3 -c 'print("console=ttyS0 " + "x" * 10000)')
if good_run dtb-big-append -M virt,dumpdtb="$bad/big-append.dtb" -dtb "$bad/big.dtb" \
        -kernel "$bad/small.bin" -append "$long_append"; then
    if python3 -c 'import sys; d = open(sys.argv[1], "rb").read()
sys.exit(sys.argv[2].encode() + b"\0" not in d or len(d) < 1024 * 1024)' \
            "$bad/big-append.dtb" "$long_append"; then
        pass dtb-big-append
    else
        fail dtb-big-append "the dumped tree lacks the -append text or the big property"
    fi
fi
# Oversized input must be refused before it costs host memory: peak RSS
# well under the 300 MiB that the gzip bomb (300 KB) expands to, or that a
# 300 MiB raw kernel or firmware file holds.
# peak_rss_test NAME ARGS...: rivet ARGS must exit 1 with a peak RSS under 150 MiB.
peak_rss_test() {
    local name=$1 kb; shift
    [ -x /usr/bin/time ] || { skip "$name" "/usr/bin/time not found"; return; }
    /usr/bin/time -f %M -o "$bad/$name.rss" "$rivet" "$@" </dev/null >/dev/null 2>&1
    kb=$(tail -n 1 "$bad/$name.rss")
    if [ "$kb" -lt $((150 * 1024)) ] 2>/dev/null; then pass "$name" "peak RSS $((kb / 1024)) MiB"
    else fail "$name" "peak RSS ${kb} KiB, expected under 150 MiB"
    fi
}
peak_rss_test uimage-gzip-bomb-memory -M virt -m 16M -bios none -kernel "$bad/gzbomb.uimg"
peak_rss_test kernel-too-big-memory   -M virt -m 128M -kernel "$bad/big.kernel"
peak_rss_test bios-too-big-memory     -M virt -m 128M -bios "$bad/big.kernel"
peak_rss_test initrd-too-big-memory   -M virt -m 128M -kernel "$bad/small.bin" -initrd "$bad/big.initrd"

# The fuzz harnesses' seed corpus and every crasher they found, replayed
# through replay binaries linked against this rivet's own objects
# (tests/fuzz/README.md): each once crashed rivet or must keep working.
fuzz_regress_test() {
    local build rel san=0 res
    build=$(dirname "$rivet")
    rel=${build#"$root"/}
    if [ "$rel" = "$build" ] || [ ! -d "$root/$rel/src" ]; then
        skip fuzz-regress "$rivet is not built in the source tree"; return
    fi
    grep -q __asan_init "$rivet" && san=1
    res=$(make -s -C "$root" BUILD="$rel" SAN="$san" fuzz-regress 2>&1)
    local st=$?
    printf '%s\n' "$res" | grep '^\(PASS\|FAIL\) ' | sed 's/^\(PASS\|FAIL\) /\1 board\//'
    local n; n=$(grep -c '^FAIL ' <<<"$res")
    if [ $st -ne 0 ] && [ "$n" -eq 0 ]; then
        fail fuzz-regress "make fuzz-regress failed: $(tail -n 3 <<<"$res" | tr '\n' '|')"
    fi
    fails=$((fails + n))
}
fuzz_regress_test

help_test() {
    run_emu help.out 10 "$rivet" --help
    if [ $rc -ne 0 ]; then fail help "--help exited $rc"
    elif ! grep -q -- '-kernel' help.out || ! grep -q -- '-bios' help.out; then fail help "--help does not list -kernel and -bios"
    else pass help
    fi
    run_emu version.out 10 "$rivet" --version
    if [ $rc -ne 0 ]; then fail version "--version exited $rc"
    elif ! grep -qE '[0-9]+\.[0-9]+' version.out; then fail version "no version number in: $(cat version.out)"
    else pass version
    fi
}
help_test

# ---- 5. test finisher and reset ----------------------------------------------
finisher_test() {
    run_emu finisher.rivet 10 "$rivet" -M virt -bios finisher.elf -nographic
    if [ $rc -ne 7 ]; then fail finisher-code "exit status $rc, expected 7"
    elif ! grep -qxF "finisher: exiting with code 7" finisher.rivet; then fail finisher-code "program output missing"
    else pass finisher-code
    fi
}
finisher_test

# -icount skips idle time: 60 s of guest time spent in WFI must pass in a
# fraction of that on the host (the bound is generous; it fails only if the
# board really sleeps).
icount_idle_test() {
    local t0=$SECONDS
    run_emu idle.rivet 30 "$rivet" -M virt -bios idle.elf -icount shift=0 -nographic
    if [ $rc -ne 0 ]; then fail icount-idle "exit status $rc (timeout 30 s: idle time not skipped?)"
    elif ! grep -qxF "idle: woke at the deadline" idle.rivet; then fail icount-idle "$(head -c 200 idle.rivet)"
    else pass icount-idle "60 s of guest time in $((SECONDS - t0)) s"
    fi
}
icount_idle_test

# riscv-tests style programs end through tohost; QEMU's virt has no HTIF, so
# the expected behaviour is stated here.
htif_test() {
    run_emu htif_pass.rivet 10 "$rivet" -M virt -bios none -kernel htif_pass.elf -nographic
    if [ $rc -ne 0 ]; then fail htif-pass "exit status $rc, expected 0"
    elif ! grep -qxF "htif: hello through a proxied write!" htif_pass.rivet; then
        fail htif-pass "console output missing: $(head -c 200 htif_pass.rivet)"
    else pass htif-pass
    fi
    run_emu htif_fail.rivet 10 "$rivet" -M virt -bios none -kernel htif_fail.elf -nographic
    if [ $rc -ne 5 ]; then fail htif-fail "exit status $rc, expected 5"
    elif ! grep -qxF "FAIL test 5" htif_fail.rivet.err; then fail htif-fail "no 'FAIL test 5' on stderr"
    else pass htif-fail
    fi
}
htif_test

# What boot 2 must report on rivet, '~' lines included (they hold the 10.x
# behaviour rivet follows where QEMU 7.2 differs).
cat >reboot.expect <<'EOF'
reboot: boot 1
reboot: image_var=0x1234abcd
reboot: requesting reset
reboot: boot 2
reboot: pc at entry (t0)=0x80000000
~reboot: mip at entry=0x80
reboot: image_var after reset=0x1234abcd
reboot: dtb magic after reset=0xd00dfeed
reboot: rng-seed found
reboot: rng-seed changed
reboot: uart scr after reset=0x0
reboot: plic priority[10] after reset=0x0
reboot: msip after reset=0x0
~reboot: mtimecmp after reset=0x0
~reboot: mtime restarted
== done
EOF
reboot_test() {
    local name=reset-reboots why
    run_emu reboot.rivet 10 "$rivet" -M virt -bios reboot.elf -nographic
    if [ $rc -ne 0 ]; then fail $name "exit status $rc: $(tr '\n' '|' <reboot.rivet)"; return; fi
    if ! cmp -s reboot.expect reboot.rivet; then
        fail $name "$(diff reboot.expect reboot.rivet | grep '^[<>]' | head -4 | tr '\n' '|')"; return
    fi
    if [ -n "$qemu" ]; then
        run_emu reboot.qemu 20 "${qemu_cmd[@]}" -bios reboot.elf
        [ $rc -ne 0 ] && { fail $name "QEMU exited $rc"; return; }
        why=$(python3 "$here/outcompare.py" reboot.qemu reboot.rivet) || { fail $name "vs QEMU: $why"; return; }
    fi
    pass $name
}
reboot_test

noreboot_test() {
    local name=reset-no-reboot
    run_emu noreboot.rivet 10 "$rivet" -M virt -bios reboot.elf -nographic -no-reboot
    if [ $rc -ne 0 ]; then fail $name "exit status $rc"; return; fi
    if [ "$(cat noreboot.rivet)" != "$(head -n 3 reboot.expect)" ]; then
        fail $name "expected one boot, got: $(tr '\n' '|' <noreboot.rivet)"; return
    fi
    pass $name
}
noreboot_test

# -perfmap (as QEMU's): every compiled block named in /tmp/perf-PID.map
# with its guest physical address, in perf's format "START SIZE NAME".
perfmap_test() {
    local name=perfmap map n bad ram
    RIVET_JIT=eager "$rivet" -perfmap -M virt -bios reboot.elf -nographic -no-reboot \
        >perfmap.out 2>&1 </dev/null &
    local pid=$!
    wait $pid; rc=$?
    map=/tmp/perf-$pid.map
    if [ $rc -ne 0 ] || [ ! -s "$map" ]; then fail $name "exit status $rc, map file: $(ls -l "$map" 2>&1)"; return; fi
    n=$(wc -l <"$map")
    bad=$(grep -cvE '^[0-9a-f]+ [0-9a-f]+ rivet-jit pa=0x[0-9a-f]+ \([0-9]+ insns\)$' "$map")
    ram=$(grep -c 'pa=0x8[0-9a-f]\{7\} ' "$map")  # the firmware in RAM, not only the MROM
    rm -f "$map"
    [ "$bad" -eq 0 ] || { fail $name "$bad of $n lines are not START SIZE rivet-jit pa=ADDR (N insns)"; return; }
    [ "$ram" -gt 0 ] || { fail $name "no block in RAM among $n"; return; }
    pass $name "$n blocks"
}
perfmap_test

. "$here/hostile.sh"   # hostile guests: trap loops, signals, broken stdout
echo "board: $fails failed"
[ $fails -eq 0 ]
