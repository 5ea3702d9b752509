#!/usr/bin/env bash
# Installs what building rivet, its tests and the reference guest needs on
# Debian 12 (run as root, or with sudo available).
set -euo pipefail
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
PACKAGES=(
    build-essential libfdt-dev zlib1g-dev device-tree-compiler python3
    gcc-riscv64-unknown-elf                         # bare-metal test programs
    gcc-riscv64-linux-gnu libc6-dev-riscv64-cross   # Linux and busybox
    linux-source-6.1 bc bison flex libssl-dev libelf-dev cpio dpkg-dev
    opensbi                                         # fw_dynamic.bin for -bios default
    qemu-system-misc                                # the reference for differential tests
    gdb-multiarch time
    clang libclang-rt-14-dev                        # make fuzz: libFuzzer, ASan, UBSan
    libslirp-dev                                    # -netdev user (virtio-net)
    e2fsprogs                                       # mke2fs -d: the guest's ext4 disk image
    u-boot-qemu                                     # U-Boot for virt (tests/virtio: distro boot from a disk)
)
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${PACKAGES[@]}" >/dev/null
echo "tools/install-deps.sh: installed ${#PACKAGES[@]} packages"
