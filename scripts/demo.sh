#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# demo.sh - install what is missing, build klp-toolchain, compile a
# kernel-style C file with the plugin for x86_64 and ppc64le and show the
# notes each object carries; then build an x86_64 kernel with the plugin
# (linux-source-6.12, cached under build/kernel), build a livepatch from two
# source patches with `klp-fixup build` (only the two units they touch are
# compiled), boot the kernel in qemu, load the patch and show it working and
# then removed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KLP_BUILD_DIR:-$top/build/cmake}
export KLP_BUILD_DIR=$build KLP_FIXUP=$build/fixup/klp-fixup
work=$top/build/demo
step() { printf '\n==> %s\n' "$*"; }

step "1/7 installing Debian packages (scripts/deps.sh)"
"$top/scripts/deps.sh"
step "2/7 building klp.so (x86_64, ppc64le) and klp-fixup"
"$top/scripts/build.sh" >/dev/null
mkdir -p "$work"

flags_x86=(-O2 -pg -mfentry -mrecord-mcount -fcf-protection=branch -fpatchable-function-entry=16,16)
step "3/7 gcc ${flags_x86[*]} -fplugin=klp.so examples/sample.c"
gcc "${flags_x86[@]}" -fplugin="$build/gcc-plugin/x86_64/klp.so" \
	-c "$top/examples/sample.c" -o "$work/sample-x86_64.o"
"$KLP_FIXUP" dump "$work/sample-x86_64.o"

step "4/7 powerpc64le-linux-gnu-gcc -O2 -pg -mprofile-kernel -fplugin=klp.so examples/sample.c"
powerpc64le-linux-gnu-gcc -O2 -pg -mprofile-kernel -fplugin="$build/gcc-plugin/ppc64le/klp.so" \
	-c "$top/examples/sample.c" -o "$work/sample-ppc64le.o"
"$KLP_FIXUP" dump "$work/sample-ppc64le.o"

step "5/7 checking the notes against each object's own tables (tests/tools/klp-check)"
for o in "$work"/sample-*.o; do
	echo "$(basename "$o"):"
	"$top/tests/tools/klp-check" sites "$o" | sed 's/^/  /'
	"$top/tests/tools/klp-check" addrs "$o" | sed 's/^/  /'
	"$top/tests/tools/klp-check" coverage "$o" | sed 's/^/  /'
done

step "6/7 building linux-source-6.12 for x86_64 with -fplugin=klp.so (first time: about 10 minutes)"
out=$("$top/tests/kernel/build-kernel.sh" x86_64 plugin | tail -n 1)
echo "kernel: $out/arch/x86/boot/bzImage"
{ "$KLP_FIXUP" dump "$out/vmlinux" || true; } | head -n 2
echo "  ..."

step "7/7 klp-fixup build from tests/e2e/scenario-build/*.patch, boot in qemu, load, check, unload"
sed -n '/^---/,$p' "$top"/tests/e2e/scenario-build/*.patch
"$top/tests/e2e/run-build.sh" "$top/build/demo/e2e"
