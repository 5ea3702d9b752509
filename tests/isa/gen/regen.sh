#!/usr/bin/env bash
# Regenerate the table-driven ISA tests from cases/ (run from anywhere):
#   fp_s_arith.S fp_d_arith.S fp_cmp.S fp_cvt.S fp_round.S  <- fpgen.py + fpmodel.py
#   rv64m.S                                                 <- mgen.py
#   bitmanip.S                                              <- bgen.py
# Case lines are "OP [RM] ARGS... [# why this case matters]"; expected results
# and fflags are computed by exact models of the spec (fpmodel.py uses exact
# rationals with explicit rounding, so RMM and after-rounding tininess are
# modelled directly). After regenerating, run `make check-qemu`.
# crosscheck.py compares fpmodel.py with the host FPU on random inputs.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
isa=$(dirname "$here")
c=$here/cases
fp_file() { # name [tail]
    {
        cat "$c/$1.hdr"
        printf '#include "isa.h"\n#include "fp.h"\n\n        .text\n        .globl test_main\ntest_main:\n        FP_ENABLE\n        csrwi frm, 0\n'
        python3 "$here/fpgen.py" 1 < "$c/$1.txt"
        [ -f "$c/$1.tail" ] && cat "$c/$1.tail"
        printf '\n        li a0, 0\n        ret\n'
    } > "$isa/$1.S"
}
tpl_file() { # name generator
    python3 "$here/$2" 1 < "$c/$1.txt" > "$isa/.$1.body"
    python3 - "$c/$1.tpl" "$isa/.$1.body" > "$isa/$1.S" <<'PY'
import sys
tpl = open(sys.argv[1]).read()
body = open(sys.argv[2]).read().rstrip('\n')
sys.stdout.write(tpl.replace('@@BODY@@', body))
PY
    rm -f "$isa/.$1.body"
}
for f in fp_s_arith fp_d_arith fp_cmp fp_cvt fp_round; do fp_file $f; done
tpl_file rv64m mgen.py
tpl_file bitmanip bgen.py
