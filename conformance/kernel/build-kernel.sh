#!/usr/bin/env bash
# build-kernel.sh - build (or reuse) a minimal Linux kernel (Debian's
# linux-source-6.1 or linux-source-6.12) with lib/test_hmm.c built in, for the
# svmcheck kernel conformance harness.
#
# Usage: build-kernel.sh
#   Env: SVMCHECK_KERNEL_VERSION 6.1 or 6.12 (default 6.1): which linux-source
#        SVMCHECK_KERNEL_CACHE  cache root (default $HOME/.cache/svmcheck/kernel)
#        SVMCHECK_KERNEL_JOBS   make -j value (default 2; the machine has 2 cores)
#
# Result: <cache>/<key>/bzImage and the configured source tree
#         <cache>/<key>/linux/ (used for headers: lib/test_hmm_uapi.h,
#         tools/testing/selftests/...). key = <linux-source version>-<sha256
#         of config.fragment, first 12 hex chars>.
# Concurrency: every run takes an exclusive flock on <cache>/<key>.lock before
# it looks at <key>/, and a build happens in <cache>/<key>.building/ which is
# renamed to <key>/ only once bzImage is there. Two runs on one machine thus
# never build in one tree at once (they used to: "asm/unistd_64_x32.h: No such
# file"), and a killed build never leaves a <key>/ that looks complete.
# The last line of stdout is the absolute bzImage path. Progress goes to stderr.
# Exit codes: 0 ok, 1 build/config failure, 2 package installation failure,
#             64 bad SVMCHECK_KERNEL_VERSION.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FRAGMENT="$HERE/config.fragment"
CACHE_ROOT="${SVMCHECK_KERNEL_CACHE:-$HOME/.cache/svmcheck/kernel}"
JOBS="${SVMCHECK_KERNEL_JOBS:-2}"
VERSION="${SVMCHECK_KERNEL_VERSION:-6.1}"
case "$VERSION" in 6.1|6.12) ;; *) echo "SVMCHECK_KERNEL_VERSION must be 6.1 or 6.12: $VERSION" >&2; exit 64;; esac
PKGS=(linux-source-"$VERSION" util-linux qemu-system-x86 build-essential bc bison flex libelf-dev
      libssl-dev cpio xz-utils)
# Options whose absence makes the harness meaningless: fail loudly.
REQUIRED=(CONFIG_TEST_HMM CONFIG_DEVICE_PRIVATE CONFIG_HMM_MIRROR CONFIG_ZONE_DEVICE
          CONFIG_SERIAL_8250_CONSOLE CONFIG_BLK_DEV_INITRD CONFIG_RD_GZIP
          CONFIG_DEVTMPFS CONFIG_BINFMT_ELF CONFIG_ADVISE_SYSCALLS)

log() { printf '[build-kernel] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

install_packages() {
  local missing=() p
  for p in "${PKGS[@]}"; do
    pkg_installed "$p" || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "all packages present"
    return 0
  fi
  log "installing missing packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    log "ERROR: need root to apt-get install: ${missing[*]}"
    exit 2
  fi
  local t0=$SECONDS
  if ! DEBIAN_FRONTEND=noninteractive apt-get update >&2; then
    log "ERROR: apt-get update failed (needed for: ${missing[*]})"
    exit 2
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y \
        "${missing[@]}" >&2; then
    # Find which package is at fault, to name it.
    for p in "${missing[@]}"; do
      if ! DEBIAN_FRONTEND=noninteractive apt-get install -y \
            "$p" >&2; then
        log "ERROR: apt-get install failed for package: $p"
        exit 2
      fi
    done
  fi
  for p in "${missing[@]}"; do
    pkg_installed "$p" || { log "ERROR: package still not installed: $p"; exit 2; }
  done
  log "packages installed in $((SECONDS - t0)) s"
}

install_packages

[ -f "$FRAGMENT" ] || die "missing $FRAGMENT"
SRC_VER="$(dpkg-query -W -f='${Version}' linux-source-"$VERSION")"
SRC_TAR=/usr/src/linux-source-"$VERSION".tar.xz
[ -f "$SRC_TAR" ] || die "missing $SRC_TAR (package linux-source-$VERSION)"
FRAG_SHA="$(sha256sum "$FRAGMENT" | cut -c1-12)"
KEY="$(printf '%s' "$SRC_VER" | tr -c 'A-Za-z0-9._-' '_')-$FRAG_SHA"
FINAL="$CACHE_ROOT/$KEY"
FINAL_IMAGE="$FINAL/bzImage"

mkdir -p "$CACHE_ROOT"
# fd 9 stays open (and the lock held) until this script exits.
exec 9>"$CACHE_ROOT/$KEY.lock"
if ! flock -n 9; then
  log "another build-kernel.sh holds $CACHE_ROOT/$KEY.lock; waiting for it"
  flock 9
fi

if [ -f "$FINAL_IMAGE" ] && [ -f "$FINAL/linux/.svmcheck-configured" ]; then
  log "reusing cached kernel (key $KEY)"
  printf '%s\n' "$FINAL_IMAGE"
  exit 0
fi
# A <key>/ without its bzImage was left by a killed build of an older version of
# this script (which built in place); under the lock nobody else uses it.
rm -rf "$FINAL"

OUT="$CACHE_ROOT/$KEY.building"
SRC="$OUT/linux"
IMAGE="$OUT/bzImage"
mkdir -p "$OUT"
if [ ! -f "$SRC/.svmcheck-extracted" ]; then
  log "extracting $SRC_TAR into $SRC"
  rm -rf "$SRC" "$OUT/linux.tmp"
  mkdir -p "$OUT/linux.tmp"
  tar -xJf "$SRC_TAR" -C "$OUT/linux.tmp" --strip-components=1
  mv "$OUT/linux.tmp" "$SRC"
  touch "$SRC/.svmcheck-extracted"
fi

log "configuring (tinyconfig + config.fragment)"
cfg_opts=()   # options to enable (CONFIG_X=y)
cfg_off=()    # options to disable (CONFIG_X=n), e.g. the other member of a choice
while IFS= read -r line; do
  line="${line%%#*}"
  line="$(printf '%s' "$line" | tr -d '[:space:]')"
  [ -n "$line" ] || continue
  case "$line" in
    CONFIG_*=y) cfg_opts+=("${line%=y}") ;;
    CONFIG_*=n) cfg_off+=("${line%=n}") ;;
    *) die "config.fragment: unsupported line '$line' (only CONFIG_X=y / CONFIG_X=n)" ;;
  esac
done < "$FRAGMENT"

make -C "$SRC" tinyconfig >"$OUT/config.log" 2>&1 || die "make tinyconfig failed (see $OUT/config.log)"
args=()
for o in "${cfg_opts[@]}"; do args+=(--enable "${o#CONFIG_}"); done
for o in ${cfg_off[@]+"${cfg_off[@]}"}; do args+=(--disable "${o#CONFIG_}"); done
"$SRC/scripts/config" --file "$SRC/.config" "${args[@]}"
make -C "$SRC" olddefconfig >>"$OUT/config.log" 2>&1 || die "make olddefconfig failed (see $OUT/config.log)"

missing_cfg=()
for o in "${cfg_opts[@]}"; do
  grep -qx "$o=y" "$SRC/.config" || missing_cfg+=("$o")
done
for o in ${cfg_off[@]+"${cfg_off[@]}"}; do
  grep -qx "$o=y" "$SRC/.config" && missing_cfg+=("$o(should be off)")
done
if [ "${#missing_cfg[@]}" -gt 0 ]; then
  log "WARNING: options from config.fragment not =y after olddefconfig: ${missing_cfg[*]}"
fi
for o in "${REQUIRED[@]}"; do
  grep -qx "$o=y" "$SRC/.config" || die "$o=y did not survive olddefconfig; see $SRC/.config"
done
touch "$SRC/.svmcheck-configured"

log "building bzImage with make -j$JOBS (log: $OUT/build.log)"
t0=$SECONDS
if ! make -C "$SRC" -j"$JOBS" bzImage >"$OUT/build.log" 2>&1; then
  tail -n 30 "$OUT/build.log" >&2
  die "kernel build failed (see $OUT/build.log)"
fi
log "bzImage built in $((SECONDS - t0)) s"
cp "$SRC/arch/x86/boot/bzImage" "$IMAGE"
# The tree holds no absolute paths that the scripts using it need (headers,
# gen_init_cpio.c, selftests), so it can move; the rename is atomic.
mv "$OUT" "$FINAL"
printf '%s\n' "$FINAL_IMAGE"
