#!/usr/bin/env bash
# Checks the board suite itself: runs tests/board/run.sh against deliberately
# broken "rivets" (wrappers around the real one) and requires that the tests
# guarding each broken feature fail, by name.
#
# usage: tests/board/selftest.sh RIVET        (takes about 20 s)
set -u
[ $# -eq 1 ] || { echo "usage: $0 RIVET" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
real=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fake=$(cd "$here/../.." && pwd)/build/tests/board-selftest
rm -rf "$fake"; mkdir -p "$fake"

# name -> wrapper body ($REAL is the real rivet)
declare -A body expect
# A wrong interrupt number for the UART in every dumped device tree.
body[dt-uart-irq]='
dump=; for a in "$@"; do case $a in *dumpdtb=*) dump=${a#*dumpdtb=}; dump=${dump%%,*};; esac; done
"$REAL" "$@" || exit $?
[ -n "$dump" ] || exit 0
dtc -q -I dtb -O dts "$dump" | sed "s/interrupts = <0x0a>/interrupts = <0x0b>/" | dtc -q -I dts -O dtb -o "$dump"'
expect[dt-uart-irq]='dt-default dt-kernel-initrd-append dt-smp4'
# Twice the RAM: the DTB moves, so the probe's a1 and OpenSBI's Next Arg1 change.
body[ram-256M]='exec "$REAL" "$@" -m 256M'
expect[ram-256M]='probe opensbi-payload'
# The finisher's code is lost.
body[exit-code-lost]='"$REAL" "$@"; st=$?; [ $st -eq 7 ] && exit 0; exit $st'
expect[exit-code-lost]='finisher-code'
# Resets become exits.
body[no-reset]='exec "$REAL" "$@" -no-reboot'
expect[no-reset]='reset-reboots'
# Errors reported on two lines.
body[chatty-errors]='"$REAL" "$@"; st=$?; [ $st -eq 1 ] && echo "rivet: (more)" >&2; exit $st'
expect[chatty-errors]='bad-missing-kernel bad-smp-2 bad-ram-malformed'

# One run.sh per broken rivet, side by side, each with its own output dir.
for name in "${!body[@]}"; do
    f=$fake/$name
    printf '#!/usr/bin/env bash\nREAL=%q\n%s\n' "$real" "${body[$name]}" >"$f"
    chmod +x "$f"
    RIVET_BOARD_OUT=$fake/out-$name "$here/run.sh" "$f" >"$fake/$name.log" 2>&1 &
done
wait
bad=0
for name in "${!body[@]}"; do
    res=$(cat "$fake/$name.log")
    missed=()
    for t in ${expect[$name]}; do
        grep -q "^FAIL board/$t:" <<<"$res" || missed+=("$t")
    done
    if [ ${#missed[@]} -eq 0 ]; then
        echo "PASS board-selftest/$name ($(grep -c '^FAIL' <<<"$res") failures)"
    else
        echo "FAIL board-selftest/$name: not detected by ${missed[*]} (see $fake/$name.log)"
        bad=$((bad + 1))
    fi
done
exit $((bad > 0))
