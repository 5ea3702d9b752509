#!/usr/bin/env python3
"""Writes the damaged and hostile input files of the board suite's host-input
tests (issue 8) into DIR. Standard library only.

usage: badinputs.py DIR
"""
import gzip
import struct
import sys
import zlib

FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_END = 1, 2, 3, 9


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def fdt(props_by_node):
    """A DTB (version 17) from [(node name, [(prop, bytes)])], nodes under /."""
    strings, offs = b"", {}

    def name_off(n):
        nonlocal strings
        if n not in offs:
            offs[n] = len(strings)
            strings += n.encode() + b"\0"
        return offs[n]

    def node(name, props):
        s = struct.pack(">I", FDT_BEGIN_NODE) + pad4(name.encode() + b"\0")
        for p, v in props:
            s += struct.pack(">III", FDT_PROP, len(v), name_off(p)) + pad4(v)
        return s

    root_props, children = props_by_node[0][1], props_by_node[1:]
    st = node("", root_props)
    for name, props in children:
        st += node(name, props) + struct.pack(">I", FDT_END_NODE)
    st += struct.pack(">II", FDT_END_NODE, FDT_END)
    rsv = b"\0" * 16
    off_rsv = 40
    off_struct = off_rsv + len(rsv)
    off_strings = off_struct + len(st)
    total = off_strings + len(strings)
    hdr = struct.pack(">10I", 0xd00dfeed, total, off_struct, off_strings, off_rsv,
                      17, 16, 0, len(strings), len(st))
    return hdr + rsv + st + strings


def u32(v):
    return struct.pack(">I", v)


def small_tree():
    return fdt([("", [("#address-cells", u32(2)), ("#size-cells", u32(2)),
                      ("compatible", b"riscv-virtio\0")]),
                ("chosen", []),
                ("memory@80000000", [("device_type", b"memory\0"),
                                     ("reg", struct.pack(">QQ", 0x80000000, 0x8000000))])])


def patch32(blob, off, value):
    return blob[:off] + u32(value) + blob[off + 4:]


def elf(segments, entry, phoff=64, shdrs=None, extra=b"", shoff=0):
    """A little-endian RV64 ELF: segments [(paddr, data, memsz)], program
    headers at `phoff`; `extra` (section data and headers) follows."""
    ph = b""
    body = b""
    data_off = phoff + 56 * len(segments)
    for paddr, data, memsz in segments:
        ph += struct.pack("<IIQQQQQQ", 1, 7, data_off + len(body), paddr, paddr,
                          len(data), memsz, 8)
        body += data
    nsh = len(shdrs) if shdrs else 0
    eh = struct.pack("<16sHHIQQQIHHHHHH", b"\x7fELF\x02\x01\x01" + b"\0" * 9, 2, 243, 1,
                     entry, phoff, shoff, 0, 64, 56, len(segments), 64, nsh, 0)
    out = eh + b"\0" * (phoff - 64) + ph + body
    return out + extra


def odd_elf():
    """Program headers, section headers and the symbol table at odd file
    offsets: legal for ELF, and every read must cope with it."""
    code = b"\x13\x00\x00\x00" * 4          # nops
    phoff = 65
    base_len = phoff + 56 + len(code)
    strtab = b"\0_start\0tohost\0"
    sym_off = base_len + 1                  # odd
    syms = b"\0" * 24
    syms += struct.pack("<IBBHQQ", 1, 0x12, 0, 1, 0x80000000, 16)   # _start FUNC
    syms += struct.pack("<IBBHQQ", 8, 0x11, 0, 1, 0x80001000, 8)    # tohost OBJECT
    str_off = sym_off + len(syms)
    shoff = str_off + len(strtab) + 3       # odd again
    sh = b"\0" * 64
    sh += struct.pack("<IIQQQQIIQQ", 0, 2, 0, 0, sym_off, len(syms), 2, 1, 8, 24)  # .symtab
    sh += struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, str_off, len(strtab), 0, 0, 1, 0)  # .strtab
    img = elf([(0x80000000, code, 0x2000)], 0x80000000, phoff=phoff, shoff=shoff, shdrs=[1, 2, 3])
    img += b"\0" + syms + strtab + b"\0" * 3 + sh
    assert len(img) - len(sh) == shoff
    return img


def wrapping_vmlinux():
    """A vmlinux (entry in the top half, segments from physical 0) whose
    second segment ends past 2^64 once placed at 0x80000000 (-bios none)."""
    code = b"\x13\x00\x00\x00" * 4
    return elf([(0, code, 0x1000), (0xffffffff7ffff000, code, 0x2000)], 0xffffffff80000000)


def uimage(payload, comp, load=0x80200000):
    h = struct.pack(">IIIIIIIBBBB32s", 0x27051956, 0, 0, len(payload), load, load,
                    zlib.crc32(payload), 5, 26, 2, comp, b"rivet-test")
    return h[:4] + u32(zlib.crc32(h)) + h[8:] + payload


def gzip_bomb(mib):
    """gzip of `mib` MiB of zeros (about 1 KiB per MiB)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
    chunk = b"\0" * (1 << 20)
    out = b"".join(z.compress(chunk) for _ in range(mib))
    return out + z.flush()


def main(d):
    w = lambda name, data: open(f"{d}/{name}", "wb").write(data)
    good = small_tree()
    w("small.dtb", good)
    # Memory-reservation map pointing near the end of the blob: libfdt's
    # fdt_open_into computed a negative size from it.
    w("rsvmap.dtb", patch32(good, 16, len(good) - 8))
    # Structure block offset moved by one tag: libfdt then fails on /chosen.
    w("badstruct.dtb", patch32(good, 8, struct.unpack(">I", good[8:12])[0] + 4))
    # Version 15 (no strings-size field): fdt_check_full dereferences NULL.
    w("version15.dtb", good[:20] + u32(15) + u32(15) + good[28:])
    # Close to 1 MiB: with a long -append the tree outgrows a 1 MiB buffer.
    big = fdt([("", [("#address-cells", u32(2)), ("#size-cells", u32(2))]),
               ("chosen", []), ("blob", [("data", b"\xa5" * (1024 * 1024 - 300))])])
    w("big.dtb", big)
    w("wrap.elf", wrapping_vmlinux())
    w("odd.elf", odd_elf())
    w("gzbomb.uimg", uimage(gzip_bomb(300), 1))
    w("gzsmall.uimg", uimage(gzip.compress(b"\x13\x00\x00\x00" * 1024), 1))


if __name__ == "__main__":
    main(sys.argv[1])
