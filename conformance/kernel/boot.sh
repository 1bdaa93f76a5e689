#!/usr/bin/env bash
# boot.sh - boot the cached svmcheck kernel with an initramfs under QEMU (TCG).
#
# Usage: boot.sh INITRAMFS.cpio.gz [SERIAL_LOG]
#   The serial console (carriage returns stripped) goes to stdout and, if
#   SERIAL_LOG is given, to that file as well.
#   Env: SVMCHECK_BOOT_TIMEOUT  seconds before qemu is killed (default 120)
#        SVMCHECK_BZIMAGE       kernel image (default: build-kernel.sh's)
#        SVMCHECK_THP           transparent_hugepage= value (default madvise;
#                               'always' makes anonymous faults use THPs)
#
# A timing summary goes to stderr: host seconds from qemu start to the
# "@@SVM-INIT start" line, to "@@SVM-INIT payload-end", and to qemu exit.
# Exit status: 0 if qemu exited and the payload-end marker was seen,
#              124 on timeout, 3 if qemu exited without the marker,
#              otherwise qemu's own non-zero status.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $0 INITRAMFS [SERIAL_LOG]" >&2; exit 64; }
INITRAMFS="$1"
LOG="${2:-/dev/null}"
TIMEOUT="${SVMCHECK_BOOT_TIMEOUT:-120}"
[ -f "$INITRAMFS" ] || { echo "no such file: $INITRAMFS" >&2; exit 1; }
if [ -n "${SVMCHECK_BZIMAGE:-}" ]; then
  IMAGE="$SVMCHECK_BZIMAGE"
else
  IMAGE="$("$HERE/build-kernel.sh" | tail -n 1)"
fi
[ -f "$IMAGE" ] || { echo "no kernel image: $IMAGE" >&2; exit 1; }

# memmap=512M$0x40000000 : the '$' is literal (single quotes).
THP="${SVMCHECK_THP:-madvise}"
case "$THP" in always|madvise|never) ;; *) echo "SVMCHECK_THP must be always, madvise or never: $THP" >&2; exit 64;; esac
APPEND='console=ttyS0 panic=-1 transparent_hugepage='"$THP"' memmap=512M$0x40000000 test_hmm.spm_addr_dev0=0x40000000 test_hmm.spm_addr_dev1=0x50000000'

echo "[boot] kernel $IMAGE, initramfs $INITRAMFS, timeout ${TIMEOUT}s" >&2
t0=$EPOCHREALTIME
set +e
# perl (perl-base is part of every Debian system) strips the CRs, copies each
# line to stdout and the log, and notes when the init markers appear.
# --foreground keeps qemu in this script's process group: without it timeout
# starts a group of its own, and a caller that stops the boot by killing our
# group (bootGuest.ts, after an oops) left qemu running until the timeout.
timeout --foreground "$TIMEOUT" qemu-system-x86_64 -cpu max -smp 2 -m 2G -nographic -no-reboot \
    -kernel "$IMAGE" -initrd "$INITRAMFS" -append "$APPEND" </dev/null 2>&1 |
  perl -MTime::HiRes=time -e '
    my ($log) = @ARGV; my $t0 = time;
    open(my $fh, ">", $log) or die "cannot write $log: $!";
    $| = 1; $fh->autoflush(1);
    my ($ti, $te, $seen) = ("-", "-", 0);
    while (my $l = <STDIN>) {
      $l =~ s/\r//g;
      $ti = sprintf("%.2f", time - $t0) if $ti eq "-" && $l =~ /\@\@SVM-INIT start/;
      if ($l =~ /\@\@SVM-INIT payload-end/) { $seen = 1; $te = sprintf("%.2f", time - $t0); }
      print $l; print $fh $l;
    }
    print STDERR "[boot] host seconds: to init $ti, to payload-end $te\n";
    exit($seen ? 0 : 1);
  ' "$LOG"
st=("${PIPESTATUS[@]}")
set -e
t1=$EPOCHREALTIME
echo "[boot] qemu status ${st[0]}, total $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s" >&2
if [ "${st[0]}" -eq 124 ]; then echo "[boot] TIMEOUT after ${TIMEOUT}s" >&2; exit 124; fi
if [ "${st[0]}" -ne 0 ]; then exit "${st[0]}"; fi
if [ "${st[1]}" -ne 0 ]; then echo "[boot] payload-end marker not seen" >&2; exit 3; fi
exit 0
