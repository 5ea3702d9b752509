# Sourced by tests/board/run.sh (uses its build, pass, fail, $rivet, $here):
# a hostile guest cannot keep rivet from exiting.  Each trap-loop shape
# (mtvec at an illegal instruction, mtvec at unmapped space, -bios none
# with no kernel, -bios none with a kernel that faults at once, a tight
# `j .`, wfi with interrupts off) runs on a pseudo-terminal and gets
# SIGTERM, SIGHUP (-nographic) and SIGINT (-serial stdio): rivet must exit
# within 1 s with the terminal as it was.  Then `rivet | head -3` (SIGPIPE)
# and `rivet | sleep 60` (stalled stdout) followed by SIGTERM.  The cases
# and the checks are in hostile.py.
hostile_tests() {
    local n
    for n in 1 2 3 4 5; do
        TCFLAGS+=(-DSHAPE=$n)
        build hostile_$n link.ld crt.S hostile.c || { unset 'TCFLAGS[-1]'; fail hostile-build "cannot build hostile_$n.elf"; return; }
        unset 'TCFLAGS[-1]'
    done
    build hostile_kernel link.ld hostile_kernel.S || { fail hostile-build "cannot build hostile_kernel.elf"; return; }
    local res
    res=$(python3 "$here/hostile.py" "$rivet" "$out" 2>&1)
    printf '%s\n' "$res"
    fails=$((fails + $(grep -c '^FAIL ' <<<"$res")))
    grep -q '^[PF][AI][SL]' <<<"$res" || fail hostile "hostile.py printed no results: $(head -c 300 <<<"$res")"
}
hostile_tests
