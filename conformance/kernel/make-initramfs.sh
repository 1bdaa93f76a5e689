#!/usr/bin/env bash
# make-initramfs.sh - build a gzip'd newc cpio initramfs for the svmcheck VM.
#
# Usage:
#   make-initramfs.sh PROGRAMS_FILE OUTPUT.cpio.gz
#       payload: /runner /programs   (runner.c built static, PROGRAMS_FILE
#                                     copied to /programs)
#   make-initramfs.sh --exec STATIC_BINARY OUTPUT.cpio.gz [ARG...]
#       payload: /payload ARG...     (any static binary, e.g. hmm-tests)
#
# The archive always holds /init (init.c built static), /dev/console, the
# mount points /proc /sys /dev /tmp, and /etc/svm-payload (the payload argv,
# one argument per line, read by /init).
#
# Env: SVMCHECK_KERNEL_SRC  configured kernel tree (default: the one that
#                           build-kernel.sh caches; it is built if missing)
#      CC                   C compiler (default cc)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CC="${CC:-cc}"
CFLAGS=(-static -O2 -Wall -Wextra -Werror)

usage() {
  echo "usage: $0 PROGRAMS_FILE OUTPUT.cpio.gz" >&2
  echo "       $0 --exec STATIC_BINARY OUTPUT.cpio.gz [ARG...]" >&2
  exit 64
}

MODE=runner
if [ "${1:-}" = "--exec" ]; then
  MODE=exec
  shift
  [ $# -ge 2 ] || usage
  PAYLOAD_BIN="$1"; OUTPUT="$2"; shift 2
  PAYLOAD_ARGS=("$@")
  [ -f "$PAYLOAD_BIN" ] || { echo "no such file: $PAYLOAD_BIN" >&2; exit 1; }
  if readelf -l "$PAYLOAD_BIN" 2>/dev/null | grep -q 'Requesting program interpreter'; then
    echo "$PAYLOAD_BIN is dynamically linked; the initramfs has no libc: build it with -static" >&2
    exit 1
  fi
else
  [ $# -eq 2 ] || usage
  PROGRAMS="$1"; OUTPUT="$2"
  [ -f "$PROGRAMS" ] || { echo "no such file: $PROGRAMS" >&2; exit 1; }
fi

if [ -n "${SVMCHECK_KERNEL_SRC:-}" ]; then
  SRC="$SVMCHECK_KERNEL_SRC"
else
  IMAGE="$("$HERE/build-kernel.sh" | tail -n 1)"
  SRC="$(dirname "$IMAGE")/linux"
fi
[ -f "$SRC/lib/test_hmm_uapi.h" ] || { echo "kernel tree not found at $SRC" >&2; exit 1; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$CC" "${CFLAGS[@]}" -o "$WORK/init" "$HERE/init.c"
"$CC" -O2 -o "$WORK/gen_init_cpio" "$SRC/usr/gen_init_cpio.c"

LIST="$WORK/list"
{
  echo "dir /dev 0755 0 0"
  echo "nod /dev/console 0600 0 0 c 5 1"
  echo "dir /proc 0755 0 0"
  echo "dir /sys 0755 0 0"
  echo "dir /tmp 1777 0 0"
  echo "dir /etc 0755 0 0"
  echo "file /init $WORK/init 0755 0 0"
  echo "file /etc/svm-payload $WORK/payload.argv 0644 0 0"
} > "$LIST"

if [ "$MODE" = runner ]; then
  "$CC" "${CFLAGS[@]}" -I "$SRC" -o "$WORK/runner" "$HERE/runner.c"
  printf '%s\n' /runner /programs > "$WORK/payload.argv"
  cp "$PROGRAMS" "$WORK/programs"
  echo "file /runner $WORK/runner 0755 0 0" >> "$LIST"
  echo "file /programs $WORK/programs 0644 0 0" >> "$LIST"
else
  printf '%s\n' /payload ${PAYLOAD_ARGS[@]+"${PAYLOAD_ARGS[@]}"} > "$WORK/payload.argv"
  cp "$PAYLOAD_BIN" "$WORK/payload"
  echo "file /payload $WORK/payload 0755 0 0" >> "$LIST"
fi

# Reproducible archive: gen_init_cpio stores each file's own mtime.
touch -d @0 "$WORK/init" "$WORK/payload.argv" "$WORK"/runner "$WORK"/programs "$WORK"/payload 2>/dev/null || true

"$WORK/gen_init_cpio" -t 0 "$LIST" | gzip -9 -n > "$OUTPUT.tmp"
mv "$OUTPUT.tmp" "$OUTPUT"
echo "initramfs written: $OUTPUT ($(wc -c < "$OUTPUT") bytes)" >&2
