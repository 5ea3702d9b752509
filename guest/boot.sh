#!/usr/bin/env bash
# Boots the reference guest (built by guest/build.sh) on rivet to a busybox
# shell. Extra arguments go to rivet. Ctrl-A x quits; `poweroff` ends it.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=$("$HERE/build.sh" --print)
RIVET=${RIVET:-$HERE/../build/rivet}
for f in "$CACHE/Image" "$CACHE/rootfs.cpio.gz"; do
    [ -f "$f" ] || { echo "guest/boot.sh: $f is missing; run guest/build.sh first" >&2; exit 1; }
done
exec "$RIVET" -M virt -m 256M -bios default -kernel "$CACHE/Image" \
    -initrd "$CACHE/rootfs.cpio.gz" -append "console=ttyS0" "$@"
