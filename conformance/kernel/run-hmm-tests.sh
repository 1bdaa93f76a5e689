#!/usr/bin/env bash
# run-hmm-tests.sh - build the kernel's own HMM selftest (hmm-tests.c, in
# tools/testing/selftests/vm/ up to 6.2 and mm/ after) static, run it in the VM
# through the same /init, and print the kselftest summary.
#
# Usage: run-hmm-tests.sh [SERIAL_LOG]   (default: ./hmm-tests.out next to this script)
#   Env: SVMCHECK_KERNEL_VERSION  6.1 (default) or 6.12, passed to build-kernel.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOG="${1:-$HERE/hmm-tests.out}"
IMAGE="$("$HERE/build-kernel.sh" | tail -n 1)"
SRC="$(dirname "$IMAGE")/linux"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

TEST="$SRC/tools/testing/selftests/mm/hmm-tests.c"
[ -f "$TEST" ] || TEST="$SRC/tools/testing/selftests/vm/hmm-tests.c"
"${CC:-cc}" -static -O2 -I "$SRC" -o "$WORK/hmm-tests" "$TEST" -lpthread
SVMCHECK_KERNEL_SRC="$SRC" "$HERE/make-initramfs.sh" --exec "$WORK/hmm-tests" "$WORK/initramfs.cpio.gz"
rc=0
SVMCHECK_BZIMAGE="$IMAGE" "$HERE/boot.sh" "$WORK/initramfs.cpio.gz" "$LOG" > /dev/null || rc=$?
grep -E '^# (PASSED|FAILED|Totals)|^not ok|@@SVM-INIT payload-end' "$LOG" >&2 || true
exit "$rc"
