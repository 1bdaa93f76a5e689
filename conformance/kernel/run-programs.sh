#!/usr/bin/env bash
# run-programs.sh - run a runner programs file in the VM.
#
# Usage: run-programs.sh PROGRAMS_FILE [SERIAL_LOG]
#   Builds an initramfs (make-initramfs.sh), boots it (boot.sh), writes the
#   whole serial console to SERIAL_LOG (default: a temp file that is removed)
#   and prints the runner's JSON lines, marker stripped, on stdout.
#   Exit status is boot.sh's (0 = the payload finished).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 PROGRAMS_FILE [SERIAL_LOG]" >&2; exit 64; }
PROGRAMS="$1"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
LOG="${2:-$WORK/serial.log}"

IMAGE="$("$HERE/build-kernel.sh" | tail -n 1)"
SVMCHECK_KERNEL_SRC="$(dirname "$IMAGE")/linux" \
  "$HERE/make-initramfs.sh" "$PROGRAMS" "$WORK/initramfs.cpio.gz"
rc=0
SVMCHECK_BZIMAGE="$IMAGE" "$HERE/boot.sh" "$WORK/initramfs.cpio.gz" "$LOG" > /dev/null || rc=$?
sed -n 's/^.*@@SVM //p' "$LOG"
exit "$rc"
