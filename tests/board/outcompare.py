#!/usr/bin/env python3
"""Line-by-line comparison of two board-program outputs (QEMU vs rivet).

usage: outcompare.py REFERENCE ACTUAL [--expect-rivet-only FILE]

Lines starting with '~' are implementation-specific and are not compared
with the reference; with --expect-rivet-only, each line of FILE must appear
verbatim among ACTUAL's '~' lines instead. Both outputs must end with the
"== done" line, so a run that stops early cannot pass as a shorter match.
Prints nothing and exits 0 on success; otherwise prints one reason line and
exits 1.
"""
import sys


def compared(text):
    return [l for l in text.splitlines() if not l.startswith("~")]


def check(ref, act, expect_rivet_only=None):
    r, a = compared(ref), compared(act)
    for name, lines in (("reference", r), ("output", a)):
        if not lines or lines[-1] != "== done":
            last = lines[-1] if lines else "(nothing)"
            return "%s does not end with '== done' (last line: %r)" % (name, last)
    for i, (x, y) in enumerate(zip(r, a)):
        if x != y:
            return "line %d differs: QEMU %r vs rivet %r" % (i + 1, x, y)
    if len(r) != len(a):
        return "QEMU printed %d compared lines, rivet %d" % (len(r), len(a))
    if expect_rivet_only is not None:
        tilde = set(l for l in act.splitlines() if l.startswith("~"))
        for want in expect_rivet_only.splitlines():
            if want and want not in tilde:
                return "missing implementation-specific line %r" % want
    return None


def main():
    args = sys.argv[1:]
    expect = None
    if "--expect-rivet-only" in args:
        i = args.index("--expect-rivet-only")
        with open(args[i + 1]) as f:
            expect = f.read()
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    with open(args[0], errors="replace") as f:
        ref = f.read()
    with open(args[1], errors="replace") as f:
        act = f.read()
    why = check(ref, act, expect)
    if why:
        print(why)
        sys.exit(1)


if __name__ == "__main__":
    main()
