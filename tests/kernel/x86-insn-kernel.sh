#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# x86-insn-kernel.sh [CC] - the builder's x86-64 instruction lengths
# (fixup/build/x86-insn.c) against objdump over every C object of the
# cached x86_64 test kernel (CC: gcc, the default, or clang) in the whole
# tree: the code klp-fixup build decodes is what kbuild compiles from C.
# Prints the objects that differ and the summary line of
# tests/tools/x86-insn-compare.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${KLP_X86_KERNEL:-$(KLP_CC=${1:-gcc} "$top/tests/kernel/build-kernel.sh" x86_64 plugin | tail -n 1)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -Wall -o "$tmp/lengths" "$top/tests/unit/x86-insn-lengths.c" "$top/fixup/build/x86-insn.c"
# (kbuild's .cmd file names each object's source; 32- and 16-bit objects,
# vDSO and boot code, are not kernel code a livepatch replaces)
cd "$out"
find . -name '*.o' ! -name '*.mod.o' ! -name 'vmlinux.o' ! -path './tools/*' ! -path './scripts/*' |
	sed 's|^\./||' | sort | while read -r o; do
	grep -q "^source_.* := .*\.c$" "$(dirname "$o")/.$(basename "$o").cmd" 2>/dev/null || continue
	[ "$(od -An -tx1 -j4 -N1 "$o" | tr -d ' ')" = 02 ] || continue
	echo "$o"
done > "$tmp/objects"
mapfile -t objects < "$tmp/objects"
"$top/tests/tools/x86-insn-compare" "$tmp/lengths" "${objects[@]}" | grep -v ' instructions, agree$'
