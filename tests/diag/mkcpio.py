#!/usr/bin/env python3
"""Broken initramfs images for the diagnosis tests, made from a good one
without unpacking it (no root, no mknod): the newc entries are rewritten.

usage: mkcpio.py IN.cpio.gz OUT.cpio.gz EDIT...
  drop=PATH        leave PATH out
  chmod=PATH:MODE  set PATH's permission bits (octal)
  truncate=N       keep only the first N bytes of the compressed output
"""
import gzip, sys

def entries(data):
    off = 0
    while off + 110 <= len(data):
        if data[off] == 0:
            off += 1
            continue
        h = data[off:off + 110]
        assert h[:5] == b'07070', 'not a newc archive'
        f = [int(h[6 + 8 * i:14 + 8 * i], 16) for i in range(13)]
        namesize, filesize = f[11], f[6]
        name = data[off + 110:off + 110 + namesize - 1].decode()
        doff = (off + 110 + namesize + 3) & ~3
        yield h, f, name, data[doff:doff + filesize]
        off = (doff + filesize + 3) & ~3
        if name == 'TRAILER!!!':
            return

def pack(h, f, name, body):
    f = list(f)
    f[6], f[11] = len(body), len(name) + 1
    hdr = h[:6] + b''.join(b'%08x' % v for v in f)
    out = hdr + name.encode() + b'\0'
    out += b'\0' * (-len(out) % 4) + body
    return out + b'\0' * (-len(out) % 4)

def main():
    src, dst, edits = sys.argv[1], sys.argv[2], sys.argv[3:]
    drop = {e[5:].lstrip('/') for e in edits if e.startswith('drop=')}
    chmod = {e[6:].split(':')[0].lstrip('/'): int(e.split(':')[1], 8) for e in edits if e.startswith('chmod=')}
    cut = [int(e[9:]) for e in edits if e.startswith('truncate=')]
    out = b''
    for h, f, name, body in entries(gzip.decompress(open(src, 'rb').read())):
        key = name.lstrip('./')
        if key in drop:
            continue
        if key in chmod:
            f[1] = (f[1] & ~0o7777) | chmod[key]
        out += pack(h, f, name, body)
    z = gzip.compress(out)
    open(dst, 'wb').write(z[:cut[0]] if cut else z)

main()
