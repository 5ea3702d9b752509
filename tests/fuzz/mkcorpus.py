#!/usr/bin/env python3
"""Writes the seed corpus of the host-input fuzz harnesses into
tests/fuzz/corpus/<harness>/ (small files only, no kernels). The DTB seeds
are rivet's own tree, from `RIVET -M virt,dumpdtb=...`.

usage: tests/fuzz/mkcorpus.py RIVET
"""
import gzip
import os
import struct
import subprocess
import sys
import tempfile
import zlib

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "board"))
import badinputs as bi  # noqa: E402  (ELF, DTB and uImage builders)

NOPS = b"\x13\x00\x00\x00" * 8


def write(harness, name, data):
    d = os.path.join(here, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def symbol_elf():
    """ELF with a symbol table naming tohost/fromhost (the HTIF path)."""
    strtab = b"\0_start\0tohost\0fromhost\0"
    syms = b"\0" * 24
    syms += struct.pack("<IBBHQQ", 1, 0x12, 0, 1, 0x80000000, 32)
    syms += struct.pack("<IBBHQQ", 8, 0x11, 0, 1, 0x80001000, 8)
    syms += struct.pack("<IBBHQQ", 15, 0x11, 0, 1, 0x80001040, 8)
    base = 64 + 56 + len(NOPS)
    sym_off, str_off = base, base + len(syms)
    shoff = str_off + len(strtab)
    sh = b"\0" * 64
    sh += struct.pack("<IIQQQQIIQQ", 0, 2, 0, 0, sym_off, len(syms), 2, 1, 8, 24)
    sh += struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, str_off, len(strtab), 0, 0, 1, 0)
    img = bi.elf([(0x80000000, NOPS, 0x2000)], 0x80000000, shoff=shoff, shdrs=[1, 2, 3])
    return img + syms + strtab + sh


def image_header(image_size):
    h = struct.pack("<IIQQQQQ4s4sI", 0x0000006f, 0, 0, image_size, 0, 0, 0,
                    b"RISC", b"V\0\0\0", 0)
    h = h[:0x38] + b"RSC\x05" + h[0x3c:]
    return h.ljust(64, b"\0") + NOPS


def main(rivet):
    write("elf", "minimal.elf", bi.elf([(0x80000000, NOPS, len(NOPS))], 0x80000000))
    write("elf", "bss.elf", bi.elf([(0x80000000, NOPS, 0x10000), (0x80100000, NOPS, 64)], 0x80000000))
    write("elf", "symbols.elf", symbol_elf())
    write("elf", "odd-offsets.elf", bi.odd_elf())
    write("vmlinux", "vmlinux.elf", bi.elf([(0, NOPS, 0x3000), (0x200000, NOPS, 0x1000)],
                                           0xffffffff80000000))
    write("vmlinux", "elf-kernel.elf", bi.elf([(0x80200000, NOPS, 0x1000)], 0x80200000))
    write("vmlinux", "plain.uimg", bi.uimage(NOPS, 0))
    write("vmlinux", "Image", image_header(0x10000))
    write("uimage", "plain.uimg", bi.uimage(NOPS * 4, 0))
    write("uimage", "gzip.uimg", bi.uimage(gzip.compress(NOPS * 4), 1))
    write("uimage_gz", "gzip.uimg", bi.uimage(gzip.compress(NOPS * 16), 1))
    write("uimage_gz", "zeros.uimg", bi.uimage(gzip.compress(b"\0" * 65536), 1))
    write("image", "Image", image_header(0x10000))
    write("image", "Image-huge-size", image_header(0x7fffffff))
    write("raw", "nops.bin", NOPS)
    write("raw", "bytes.bin", bytes(range(256)))
    with tempfile.TemporaryDirectory() as t:
        dumped = os.path.join(t, "virt.dtb")
        subprocess.run([rivet, "-M", "virt,dumpdtb=" + dumped], check=True)
        virt = open(dumped, "rb").read()
    write("dtb", "virt.dtb", b"\0" + virt)                 # no extras
    write("dtb", "virt-append-initrd.dtb", b"\x0b" + virt)  # initrd, 5 * 128-byte -append
    write("dtb", "small.dtb", b"\x01" + bi.small_tree())
    lines = {
        "default": ["-M", "virt", "-nographic"],
        "kernel": ["-M", "virt", "-m", "256M", "-bios", "none", "-kernel", "kernel.bin",
                   "-initrd", "initrd.bin", "-append", "console=ttyS0"],
        "elf-bios": ["-machine", "virt,aclint=on", "-bios", "fw.elf", "-kernel", "kernel.bin",
                     "-smp", "1", "-cpu", "rv64"],
        "icount": ["-M", "virt", "-icount", "shift=3", "-rtc", "base=2024-01-31T12:00:00",
                   "-serial", "file:out", "-no-reboot", "-d", "int", "-D", "log"],
        "sizes": ["-m", "1.5G", "-m", "8M", "-M", "virt,dumpdtb=x.dtb", "-display", "none",
                  "-monitor", "none"],
        "help": ["--help"],
        "device-loader": ["-bios", "none", "-device", "loader,file=fw.elf", "-device",
                          "loader,addr=0x80001000,data=0x12345678,data-len=4", "-device",
                          "loader,file=kernel.bin,addr=0x80400000,cpu-num=0"],
    }
    for name, args in lines.items():
        write("cmdline", name, b"\0".join(a.encode() for a in args))


if __name__ == "__main__":
    main(sys.argv[1])
