#!/usr/bin/env bash
# Builds the reference guest from Debian packages and caches it outside the
# repository: a Linux 6.1 defconfig Image, a static busybox and an initramfs.
# Each artefact is reused when it already exists, so a second run is instant.
#
# usage: guest/build.sh            build (or reuse) everything, print the paths
#        guest/build.sh --print    print the cache directory and exit
# env:   RIVET_CACHE (default ~/.cache/rivet), JOBS (default nproc)
set -euo pipefail

CACHE=${RIVET_CACHE:-$HOME/.cache/rivet}
JOBS=${JOBS:-$(nproc)}
CROSS=riscv64-linux-gnu-
HERE=$(cd "$(dirname "$0")" && pwd)
T0=$(date +%s)

if [ "${1:-}" = "--print" ]; then echo "$CACHE"; exit 0; fi

step() { printf '[guest %4ds] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }
die()  { printf 'guest/build.sh: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || die "missing '$1': install $2"; }

need ${CROSS}gcc "gcc-riscv64-linux-gnu"
need cpio cpio
need make make
need bc bc
need flex flex
need bison bison

mkdir -p "$CACHE"

# One build at a time per cache: several checkouts and test runs share it,
# and two makes in one kernel tree corrupt each other. The second waits.
if [ -z "${RIVET_GUEST_LOCKED:-}" ] && command -v flock >/dev/null; then
    export RIVET_GUEST_LOCKED=1
    exec flock "$CACHE/.build.lock" "$0" "$@"
fi

# defconfig plus these: no debug info (a build in minutes), the legacy
# SBI console so that `earlycon=sbi` works, and KVM built in (defconfig has
# it as a module) so that with `-cpu rv64,h=true` the guest has /dev/kvm
# (tests/kvm). Without the H extension KVM only prints "hypervisor extension
# not available". kernel.stamp holds this list: changing it rebuilds.
KERNEL_TWEAKS="-d DEBUG_INFO -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_DWARF4
    -d DEBUG_INFO_DWARF5 -e DEBUG_INFO_NONE -d DEBUG_INFO_BTF
    -e RISCV_SBI_V01 -e SERIAL_EARLYCON_RISCV_SBI -e HVC_RISCV_SBI
    -e VIRTUALIZATION -e KVM"

build_kernel() {
    local img=$CACHE/Image stamp=$CACHE/kernel.stamp
    if [ -s "$img" ] && [ -s "$CACHE/vmlinux" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$KERNEL_TWEAKS" ]; then
        step "kernel: reusing $img"; return
    fi
    local tarball=/usr/src/linux-source-6.1.tar.xz
    [ -f $tarball ] || die "missing $tarball: apt-get install linux-source-6.1"
    local src=$CACHE/linux-source-6.1
    if [ ! -d "$src" ]; then
        step "kernel: unpacking $tarball"
        tar -C "$CACHE" -xf $tarball || die "kernel: unpacking $tarball failed"
    fi
    step "kernel: defconfig (riscv64, debug info off, SBI earlycon on)"
    make -C "$src" -s ARCH=riscv CROSS_COMPILE=$CROSS defconfig >/dev/null
    # shellcheck disable=SC2086
    "$src/scripts/config" --file "$src/.config" $KERNEL_TWEAKS
    make -C "$src" -s ARCH=riscv CROSS_COMPILE=$CROSS olddefconfig >/dev/null
    step "kernel: building Image with -j$JOBS (about 6 minutes on 2 cores)"
    make -C "$src" -s ARCH=riscv CROSS_COMPILE=$CROSS -j"$JOBS" Image vmlinux \
        > "$CACHE/kernel-build.log" 2>&1 || { tail -20 "$CACHE/kernel-build.log" >&2; die "kernel build failed (log: $CACHE/kernel-build.log)"; }
    cp "$src/arch/riscv/boot/Image" "$img.tmp" && mv "$img.tmp" "$img"
    cp "$src/vmlinux" "$CACHE/vmlinux.tmp" && mv "$CACHE/vmlinux.tmp" "$CACHE/vmlinux"
    echo "$KERNEL_TWEAKS" > "$stamp"
    step "kernel: done, $(stat -c %s "$img") bytes"
}

fetch_busybox_source() {
    local dir=$CACHE/busybox-src
    if [ -d "$dir" ] && [ -f "$dir/Makefile" ]; then return; fi
    if ! apt-get source --print-uris busybox >/dev/null 2>&1; then
        step "busybox: adding a deb-src entry for Debian's sources"
        local sudo=
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null || die "busybox: need root (or sudo) to add a deb-src entry"
            sudo=sudo
        fi
        if [ -f /etc/apt/sources.list.d/debian.sources ]; then
            sed -e 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
                $sudo tee /etc/apt/sources.list.d/rivet-deb-src.sources >/dev/null
        elif [ -f /etc/apt/sources.list ]; then
            sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
                $sudo tee /etc/apt/sources.list.d/rivet-deb-src.list >/dev/null
        else
            die "busybox: no apt sources found to derive a deb-src entry from"
        fi
        $sudo apt-get update -qq || die "busybox: apt-get update failed"
    fi
    need dpkg-source dpkg-dev
    step "busybox: apt-get source busybox"
    rm -rf "$CACHE/bb-fetch" && mkdir -p "$CACHE/bb-fetch"
    (cd "$CACHE/bb-fetch" && apt-get source -qq busybox >/dev/null 2>&1) || die "busybox: apt-get source failed"
    local unpacked
    unpacked=$(find "$CACHE/bb-fetch" -maxdepth 1 -mindepth 1 -type d -name 'busybox-*' | head -1)
    [ -n "$unpacked" ] || die "busybox: source package did not unpack"
    mv "$unpacked" "$dir" && rm -rf "$CACHE/bb-fetch"
}

build_busybox() {
    local bin=$CACHE/busybox
    if [ -x "$bin" ] && [ -s "$CACHE/busybox-src/busybox.links" ]; then step "busybox: reusing $bin"; return; fi
    fetch_busybox_source
    local dir=$CACHE/busybox-src
    step "busybox: defconfig, static"
    make -C "$dir" -s ARCH=riscv CROSS_COMPILE=$CROSS defconfig >/dev/null
    sed -i -e 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' \
           -e 's/^CONFIG_TC=y/# CONFIG_TC is not set/' "$dir/.config"
    step "busybox: building with -j$JOBS"
    make -C "$dir" -s ARCH=riscv CROSS_COMPILE=$CROSS -j"$JOBS" busybox busybox.links \
        > "$CACHE/busybox-build.log" 2>&1 || { tail -20 "$CACHE/busybox-build.log" >&2; die "busybox build failed (log: $CACHE/busybox-build.log)"; }
    cp "$dir/busybox" "$bin.tmp" && mv "$bin.tmp" "$bin"
    step "busybox: done, $(stat -c %s "$bin") bytes"
}

# The static KVM client of tests/kvm, for kvm.cpio.gz. Rebuilt when its
# source changes; needs the cross libc's static libraries
# (libc6-dev-riscv64-cross) and the kernel headers it ships.
build_kvmtest() {
    local src=$HERE/../tests/kvm/kvmtest.c bin=$CACHE/kvmtest
    if [ -x "$bin" ] && [ "$bin" -nt "$src" ]; then step "kvmtest: reusing $bin"; return; fi
    step "kvmtest: ${CROSS}gcc -static"
    ${CROSS}gcc -static -O2 -Wall -o "$bin.tmp" "$src" || die "kvmtest: build failed"
    mv "$bin.tmp" "$bin"
}

# The guest benchmark programs (bench/guest/*.c), static: FP, fork+exec,
# pipes. Rebuilt when a source is newer than its binary.
build_bench_progs() {
    local prog src bin
    for prog in fft nop spawn; do
        src=$HERE/../bench/guest/$prog.c bin=$CACHE/bench-$prog
        if [ -x "$bin" ] && [ "$bin" -nt "$src" ]; then continue; fi
        step "bench: ${CROSS}gcc -static $prog.c"
        ${CROSS}gcc -static -O2 -Wall -o "$bin.tmp" "$src" -lm || die "bench: $prog.c failed to build"
        mv "$bin.tmp" "$bin"
    done
}

# make_initramfs NAME INIT-SCRIPT [FILE...]: a cpio.gz with busybox, its
# applet links, /dev/console and /dev/null, the files under guest/rootfs,
# the given /init and the given FILEs in /bin. The archive is written by a
# short Python script so that the device nodes need no root privileges.
make_initramfs() {
    local out=$CACHE/$1 init=$2
    shift 2
    if [ -s "$out" ] && [ -z "$(find "$init" "$HERE/rootfs" "$CACHE/busybox" "$@" -newer "$out" | head -1)" ]; then
        step "initramfs: reusing $out"; return
    fi
    step "initramfs: $(basename "$out") from $(basename "$init")"
    local root; root=$(mktemp -d)
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,etc}
    cp "$CACHE/busybox" "$root/bin/busybox"
    # The applet list comes from the host-side build, not from running the riscv binary.
    local applet
    for applet in $(cat "$CACHE/busybox-src/busybox.links" 2>/dev/null); do
        [ "$applet" = /bin/busybox ] && continue
        mkdir -p "$root$(dirname "$applet")"
        ln -sf /bin/busybox "$root$applet"
    done
    cp -r "$HERE/rootfs/." "$root/"
    cp "$init" "$root/init" && chmod 755 "$root/init"
    [ $# -eq 0 ] || cp "$@" "$root/bin/"
    python3 - "$root" "$out" <<'PY' || die "initramfs: writing cpio failed"
import os, sys, gzip, stat
root, out = sys.argv[1], sys.argv[2]
ino = [1000]
def hdr(name, mode, size, nlink=1, rdevmaj=0, rdevmin=0, mtime=0):
    ino[0] += 1
    h = "070701" + "".join("%08X" % v for v in (ino[0], mode, 0, 0, nlink, mtime, size, 0, 0, rdevmaj, rdevmin, len(name) + 1, 0))
    b = h.encode() + name.encode() + b"\0"
    b += b"\0" * ((4 - len(b) % 4) % 4)
    return b
def pad(data):
    return data + b"\0" * ((4 - len(data) % 4) % 4)
buf = bytearray()
for dirpath, dirs, files in os.walk(root):
    dirs.sort(); files.sort()
    for n in dirs + files:
        p = os.path.join(dirpath, n); rel = os.path.relpath(p, root)
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            t = os.readlink(p).encode()
            buf += hdr(rel, 0o120777, len(t)) + pad(t)
        elif stat.S_ISDIR(st.st_mode):
            buf += hdr(rel, 0o040755, 0, 2)
        else:
            d = open(p, "rb").read()
            buf += hdr(rel, stat.S_IFREG | (st.st_mode & 0o777), len(d)) + pad(d)
buf += hdr("dev/console", stat.S_IFCHR | 0o600, 0, 1, 5, 1)
buf += hdr("dev/null", stat.S_IFCHR | 0o666, 0, 1, 1, 3)
buf += hdr("TRAILER!!!", 0, 0)
buf += b"\0" * ((512 - len(buf) % 512) % 512)
with gzip.open(out + ".tmp", "wb", 9) as f: f.write(buf)
os.replace(out + ".tmp", out)
PY
    rm -rf "$root"
}

# stage_diskroot DIR: the busybox tree of the initramfs with guest/diskroot
# on top (an inittab that mounts /proc and /sys, extlinux.conf for U-Boot)
# and the kernel in /boot.
stage_diskroot() {
    local root=$1 applet
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,etc,mnt}
    cp "$CACHE/busybox" "$root/bin/busybox"
    for applet in $(cat "$CACHE/busybox-src/busybox.links" 2>/dev/null); do
        [ "$applet" = /bin/busybox ] && continue
        mkdir -p "$root$(dirname "$applet")"
        ln -sf /bin/busybox "$root$applet"
    done
    cp -r "$HERE/rootfs/." "$HERE/diskroot/." "$root/"
    cp "$CACHE/Image" "$root/boot/Image"
}

# up_to_date OUT INPUTS...: OUT exists and no input is newer.
up_to_date() {
    local out=$1; shift
    [ -s "$out" ] && [ -z "$(find "$@" -newer "$out" | head -1)" ]
}

# make_rootimg NAME: an ext4 image of the whole disk (no partition table;
# mke2fs -d, no root privileges needed) for booting Linux with
# root=/dev/vda. Tests copy it before writing to it.
make_rootimg() {
    local out=$CACHE/$1
    need mke2fs "e2fsprogs"
    if up_to_date "$out" "$HERE/rootfs" "$HERE/diskroot" "$CACHE/busybox" "$CACHE/Image"; then
        step "disk image: reusing $out"; return
    fi
    step "disk image: $(basename "$out") (ext4, busybox root, /boot/Image)"
    local root; root=$(mktemp -d)
    stage_diskroot "$root"
    rm -f "$out.tmp"
    mke2fs -q -t ext4 -L rivetroot -E root_owner=0:0 -d "$root" "$out.tmp" 64M \
        || die "disk image: mke2fs failed"
    mv "$out.tmp" "$out"
    rm -rf "$root"
}

# make_bootimg NAME INITRD: a disk as distributions ship them, for U-Boot's
# distro boot: an MBR partition table with one bootable Linux partition
# (from 1 MiB) holding the same ext4 root, the initramfs in /boot and an
# extlinux.conf that boots /boot/Image with it and root=/dev/vda1.
make_bootimg() {
    local out=$CACHE/$1 initrd=$CACHE/$2
    if up_to_date "$out" "$HERE/rootfs" "$HERE/diskroot" "$CACHE/busybox" "$CACHE/Image" "$initrd"; then
        step "boot disk: reusing $out"; return
    fi
    step "boot disk: $(basename "$out") (MBR, ext4 partition 1, extlinux.conf with initrd)"
    local root; root=$(mktemp -d)
    stage_diskroot "$root"
    cp "$initrd" "$root/boot/initramfs.cpio.gz"
    cat > "$root/boot/extlinux/extlinux.conf" <<'CONF'
# U-Boot's distro boot (sysboot) reads this from partition 1 of the disk.
default rivet
menu title rivet guest
timeout 1
label rivet
    kernel /boot/Image
    initrd /boot/initramfs.cpio.gz
    append root=/dev/vda1 rw console=ttyS0
CONF
    rm -f "$out.tmp"
    truncate -s 65M "$out.tmp"
    mke2fs -q -t ext4 -L rivetboot -E root_owner=0:0,offset=1048576 -d "$root" "$out.tmp" 64M \
        || die "boot disk: mke2fs failed"
    python3 - "$out.tmp" <<'PY' || die "boot disk: writing the partition table failed"
# One MBR entry: bootable, type 0x83 (Linux), from sector 2048 for 64 MiB;
# the CHS fields hold the "use LBA" maximum, as fdisk writes for big disks.
import struct, sys
start, count = 2048, 64 * 2048
entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff", start, count)
with open(sys.argv[1], "r+b") as f:
    f.seek(440)
    f.write(struct.pack("<IH", 0x72697674, 0) + entry + bytes(48) + b"\x55\xaa")
PY
    mv "$out.tmp" "$out"
    rm -rf "$root"
}

build_kernel
build_busybox
make_rootimg rootfs.ext4
make_initramfs rootfs.cpio.gz "$HERE/init-shell"
make_initramfs diskroot.cpio.gz "$HERE/init-diskroot"
make_bootimg boot.img diskroot.cpio.gz
make_initramfs poweroff.cpio.gz "$HERE/init-poweroff"
build_bench_progs
make_initramfs bench.cpio.gz "$HERE/init-bench" "$CACHE/bench-fft" "$CACHE/bench-nop" "$CACHE/bench-spawn"
build_kvmtest
make_initramfs kvm.cpio.gz "$HERE/init-kvm" "$CACHE/kvmtest"
step "ready: $CACHE/Image $CACHE/rootfs.cpio.gz"
