#!/usr/bin/env python3
"""A stand-in for a kernel without symbols whose log sits in memory: a
Linux Image header, a `j .` loop, a VMCOREINFO page and a printk ring
buffer in the 5.10-6.x format (printk_ringbuffer.h), with records that
wrap around the end of the text ring as the kernel's allocator places
them. Booted with -bios none it runs in M-mode with the MMU off, at
0x80000000, so its virtual addresses are physical.

usage: fakeklog.py OUT.Image  (prints the records' lines, as dmesg would)"""
import struct
import sys

BASE = 0x80000000
VMCI, PRB_PTR, PRB = 0x1000, 0x2000, 0x2100
DESCS, INFOS, DATA = 0x3000, 0x3400, 0x4000
COUNT_BITS, SIZE_BITS = 3, 8                 # 8 descriptors, a 256-byte text ring
TEXTS = ["fake: the first record", "fake: this one wraps around the end of the ring",
         "fake: VFS: Unable to mount root fs on unknown-block(0,0)", "fake: the last record"]


def main():
    img = bytearray(0x6000)
    img[0:4] = struct.pack("<I", 0x0000006f)               # j .
    img[0x38:0x3c] = b"RSC\x05"                             # the Image header's magic2
    vmci = ("OSRELEASE=6.1.0-fake\nPAGESIZE=4096\nSYMBOL(prb)=%x\n"
            "OFFSET(printk_ringbuffer.text_data_ring)=48\nSIZE(prb_desc)=24\n"
            "OFFSET(prb_desc.text_blk_lpos)=8\nSIZE(printk_info)=88\n"
            "OFFSET(printk_info.ts_nsec)=8\nOFFSET(printk_info.text_len)=16\n" % (BASE + PRB_PTR))
    img[VMCI:VMCI + len(vmci)] = vmci.encode()
    struct.pack_into("<Q", img, PRB_PTR, BASE + PRB)
    size, first_id = 1 << SIZE_BITS, 13
    lpos = 3 * size + 0x90                      # late in wrap 3: the second record wraps
    lines = []
    for n, text in enumerate(TEXTS):
        rid, blk = first_id + n, (8 + len(text) + 7) & ~7
        begin = lpos
        if begin // size == (begin + blk) // size:
            nxt, off = begin + blk, begin % size
        else:                                   # get_next_lpos: stored at the ring's start
            nxt, off = (begin + blk) // size * size + blk, 0
        struct.pack_into("<Q", img, DATA + off, rid)
        img[DATA + off + 8:DATA + off + 8 + len(text)] = text.encode()
        idx = rid & ((1 << COUNT_BITS) - 1)
        struct.pack_into("<QQQ", img, DESCS + 24 * idx, (2 << 62) | rid, begin, nxt)  # finalized
        ts = 1000000 * (n + 1) + 234567000
        struct.pack_into("<QQH", img, INFOS + 88 * idx, n, ts, len(text))
        lines.append("[%5d.%06d] %s" % (ts // 10**9, ts % 10**9 // 1000, text))
        lpos = nxt
    last = first_id + len(TEXTS) - 1
    struct.pack_into("<I4xQQQQQ", img, PRB, COUNT_BITS, BASE + DESCS, BASE + INFOS, last,
                     first_id, last)
    struct.pack_into("<I4xQQQ", img, PRB + 48, SIZE_BITS, BASE + DATA, lpos, 3 * size + 0x90)
    open(sys.argv[1], "wb").write(img)
    print("\n".join(lines))


main()
