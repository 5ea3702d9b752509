#!/usr/bin/env python3
"""Compare the outputs of Spike (reference) and rivet for the V-mode
differential programs (tests/diffh).

usage: compare.py [--label L] [--ref-name N] [--all] MANIFEST

MANIFEST has one line per unit, tab-separated:
    name  source.S  ref.out  ref.rc  rivet.out  rivet.rc  rivet.err
Prints per unit
    PASS L/<name> (K cases[, A allowed differences])
    FAIL L/<name>: case C (<mode, hgatp, vsatp>) differs: spike "<line>" vs rivet "<line>" [(D of K cases differ)]
then the totals; exits 1 if any unit failed.  --all prints every
differing case of a failing unit, not only the first.

Lines are compared exactly, except where the spec allows several answers
("allowed differences", counted, never a failure):
  * trap lines ("trap H CAUSE EPC TVAL TVAL2 TINST BITS"): TINST (htinst /
    mtinst) may be 0 on one side and non-zero on the other (the spec lets
    an implementation write 0 instead of a transformed instruction or
    pseudo-instruction); TVAL2 (htval/mtval2) likewise (a guest-page fault
    may write 0 instead of GPA >> 2); TVAL of an illegal (2) or virtual (22)
    instruction exception likewise (0 or the instruction bits);
  * the "htinst" and "htval" CSR lines of the dump, 0 against non-zero, for
    the same reasons.
"""

import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "diff"))
from compare import read_rc, read_text  # noqa: E402,F401  (tests/diff/compare.py's readers)


def allowed(a, b):
    """True if lines a and b differ only where the spec allows it."""
    fa, fb = a.split(), b.split()
    if len(fa) != len(fb) or not fa:
        return False
    if fa[0] in ("htinst", "htval") and len(fa) == 2:
        return int(fa[1], 16) == 0 or int(fb[1], 16) == 0
    if fa[0] != "trap" or len(fa) != 8:
        return False
    if fa[:4] != fb[:4] or fa[7] != fb[7]:
        return False
    cause = int(fa[2], 16)
    for k in (4, 5, 6):
        if fa[k] == fb[k]:
            continue
        zero = int(fa[k], 16) == 0 or int(fb[k], 16) == 0
        if k == 4 and not (cause in (2, 22) and zero):
            return False
        if k in (5, 6) and not zero:
            return False
    return True


def case_headers(src):
    heads = {}
    for line in (read_text(src) or "").splitlines():
        m = re.match(r"# ---- case (\d+): (.*) ----$", line)
        if m:
            heads[int(m.group(1))] = m.group(2)
    return heads


def show(line):
    if line is None:
        return "<end of output>"
    return '"%s"' % (line if len(line) <= 120 else line[:117] + "...")


def split_cases(lines):
    """[(case index or None, [lines])]"""
    out = [(None, [])]
    for l in lines:
        if l.startswith("case "):
            try:
                out.append((int(l.split()[1]), [l]))
                continue
            except (IndexError, ValueError):
                pass
        out[-1][1].append(l)
    return out


def compare(name, src, ref_out, ref_rc, riv_out, riv_rc, riv_err, label, ref_name, show_all):
    ref = read_text(ref_out)
    rrc = read_rc(ref_rc)
    if ref is None or rrc != 0 or not ref.rstrip("\n").endswith("done"):
        return False, 0, 0, ["FAIL %s/%s: %s reference run failed (exit %d, no \"done\" line): suite bug"
                             % (label, name, ref_name, rrc)]
    out = read_text(riv_out) or ""
    orc = read_rc(riv_rc)
    rcases = split_cases(ref.rstrip("\n").split("\n"))
    ocases = split_cases(out.rstrip("\n").split("\n"))
    ncases = len(rcases) - 1
    heads = case_headers(src)
    n_allowed = 0
    bad = []
    for k in range(max(len(rcases), len(ocases))):
        rl = rcases[k][1] if k < len(rcases) else []
        ol = ocases[k][1] if k < len(ocases) else []
        idx = rcases[k][0] if k < len(rcases) else ocases[k][0]
        first = None
        for i in range(max(len(rl), len(ol))):
            a = rl[i] if i < len(rl) else None
            b = ol[i] if i < len(ol) else None
            if a == b:
                continue
            if a is not None and b is not None and allowed(a, b):
                n_allowed += 1
                continue
            first = (a, b)
            break
        if first:
            bad.append((idx, first))
    if not bad and orc == rrc:
        note = (", %d allowed differences" % n_allowed) if n_allowed else ""
        return True, ncases, n_allowed, ["PASS %s/%s (%d cases%s)" % (label, name, ncases, note)]
    if not bad:
        return False, ncases, n_allowed, ["FAIL %s/%s: output identical but rivet exited %d"
                                          % (label, name, orc)]
    msgs = []
    for idx, (a, b) in (bad if show_all else bad[:1]):
        where = "case %s (%s)" % (idx, heads.get(idx, "?")) if idx is not None else "start-up"
        msg = "FAIL %s/%s: %s differs: %s %s vs rivet %s" % (label, name, where, ref_name, show(a), show(b))
        if not show_all and len(bad) > 1:
            msg += " (%d of %d cases differ)" % (len(bad), ncases)
        if orc != 0:
            msg += " (rivet exit %d)" % orc
        msgs.append(msg)
    return False, ncases, n_allowed, msgs


def main():
    args = sys.argv[1:]
    label, ref_name, show_all = "diff-h", "spike", False
    while len(args) > 1:
        if args[0] == "--label":
            label, args = args[1], args[2:]
        elif args[0] == "--ref-name":
            ref_name, args = args[1], args[2:]
        elif args[0] == "--all":
            show_all, args = True, args[1:]
        else:
            break
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    passed = failed = total = total_allowed = 0
    with open(args[0]) as f:
        units = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    for u in units:
        ok, n, al, msgs = compare(*u, label=label, ref_name=ref_name, show_all=show_all)
        for m in msgs:
            print(m, flush=True)
        total += n
        total_allowed += al
        passed += ok
        failed += not ok
    print("%s: %d cases compared in %d units, %d allowed differences" % (label, total, len(units), total_allowed))
    print("%s: %d passed, %d failed" % (label, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
