#!/usr/bin/env python3
"""Compare the UART outputs of QEMU (reference) and rivet for each unit.

usage: compare.py [--label L] [--h1] MANIFEST

MANIFEST has one line per unit, tab-separated:
    name  ref.out  ref.rc  rivet.out  rivet.rc  rivet.err
Prints one line per unit:
    PASS diff/<name> (K cases)
    FAIL diff/<name>: case C differs: qemu "<line>" vs rivet "<line>"
then the totals, and exits 1 if any unit failed.  K is the number of
"case" lines in the reference; C is the index printed by the last "case"
line at or before the first differing line.

--label L replaces "diff" in those lines.  --h1 is for the two-hart mode
(run.sh --smp 2): the output also holds hart 1's lines, each prefixed
"h1." (smp.h), which the reference must end with an "h1.done" line; PASS
lines count hart 1's cases apart ("K cases + K1 on hart 1") and a
difference in hart 1's part is reported as "hart 1 case C".
"""

import sys


def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except OSError:
        return None


def read_rc(path):
    try:
        with open(path) as f:
            return int(f.read().strip() or "-1")
    except (OSError, ValueError):
        return -1


H1 = "h1."


def case_at(lines, idx):
    """Index of the case containing line idx (from its "case <hex>" header;
    "h1.case <hex>" for a line of hart 1's output)."""
    head = "case "
    if idx < len(lines) and lines[idx].startswith(H1):
        head = H1 + "case "
    for i in range(min(idx, len(lines) - 1), -1, -1):
        if lines[i].startswith(head):
            try:
                c = str(int(lines[i].split()[1], 16))
                return "hart 1 case " + c if head.startswith(H1) else "case " + c
            except (IndexError, ValueError):
                return "case ?"
    return "case -"     # before the first case: start-up output


def show(line):
    if line is None:
        return "<end of output>"
    if len(line) > 120:
        line = line[:117] + "..."
    return '"%s"' % line.replace("\\", "\\\\").replace('"', '\\"')


def rc_text(rc):
    return "timeout" if rc == 124 else "exit %d" % rc


def tail_of(path):
    err = read_text(path) or ""
    err = [l for l in err.splitlines() if l.strip()]
    return err[-1][:160] if err else ""


def compare(name, ref_out, ref_rc, riv_out, riv_rc, riv_err, label="diff", h1=False):
    """Returns (passed, cases, message)."""
    ref = read_text(ref_out)
    rrc = read_rc(ref_rc)
    if ref is None or rrc != 0 or not ref.rstrip("\n").split("\n")[-1].startswith("done"):
        return False, 0, "FAIL %s/%s: QEMU reference run failed (%s, no \"done\" line): suite bug" % (label, name, rc_text(rrc))
    ref_lines = ref.split("\n")
    if h1 and not any(l.startswith(H1 + "done") for l in ref_lines):
        return False, 0, "FAIL %s/%s: QEMU reference has no \"h1.done\" line: suite bug" % (label, name)
    cases = sum(1 for l in ref_lines if l.startswith("case "))
    h1_cases = sum(1 for l in ref_lines if l.startswith(H1 + "case "))
    out = read_text(riv_out) or ""
    orc = read_rc(riv_rc)
    if out == ref and orc == rrc:
        if h1:
            return True, cases + h1_cases, "PASS %s/%s (%d cases + %d on hart 1)" % (label, name, cases, h1_cases)
        return True, cases, "PASS %s/%s (%d cases)" % (label, name, cases)
    out_lines = out.split("\n")
    if out == ref:
        msg = "FAIL %s/%s: output identical but rivet ended with %s" % (label, name, rc_text(orc))
    else:
        i = 0
        n = min(len(ref_lines), len(out_lines))
        while i < n and ref_lines[i] == out_lines[i]:
            i += 1
        a = ref_lines[i] if i < len(ref_lines) else None
        b = out_lines[i] if i < len(out_lines) else None
        # A missing final newline shows up as an empty last element.
        if a == "" and i == len(ref_lines) - 1:
            a = None
        if b == "" and i == len(out_lines) - 1:
            b = None
        msg = "FAIL %s/%s: %s differs: qemu %s vs rivet %s" % (label, name, case_at(ref_lines, i), show(a), show(b))
        if orc != 0:
            msg += " (rivet %s" % rc_text(orc)
            t = tail_of(riv_err)
            msg += (": %s)" % t) if t else ")"
    return False, cases + h1_cases, msg


def main():
    args = sys.argv[1:]
    label, h1 = "diff", False
    while len(args) > 1:
        if args[0] == "--label":
            label = args[1]
            args = args[2:]
        elif args[0] == "--h1":
            h1 = True
            args = args[1:]
        else:
            break
    if len(args) != 1:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    units = []
    with open(args[0]) as f:
        for line in f:
            if line.strip():
                units.append(line.rstrip("\n").split("\t"))
    passed = failed = total = 0
    for u in units:
        ok, cases, msg = compare(*u, label=label, h1=h1)
        print(msg, flush=True)
        total += cases
        if ok:
            passed += 1
        else:
            failed += 1
    print("%s: %d cases compared in %d units" % (label, total, len(units)))
    print("%s: %d passed, %d failed" % (label, passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
