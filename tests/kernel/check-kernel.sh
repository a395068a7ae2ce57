#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-kernel.sh ARCH - build linux-source-6.12 for ARCH with klp.so (cached,
# see build-kernel.sh; KLP_CC=clang: x86_64 with clang-19 and klp-clang.so)
# and report, for the lit test to check:
#   - compiler/linker warnings in the build log (there must be none),
#   - the .debug_klp section of vmlinux (non-allocated), and its stored
#     size against .symtab+.strtab (note format 2's bound: at most 25%),
#   - klp-check sites/addrs/coverage of vmlinux and of a module.
set -euo pipefail
arch=${1:?usage: check-kernel.sh ARCH}
here=$(cd "$(dirname "$0")" && pwd)
check=$here/../tools/klp-check
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"

out=$("$here/build-kernel.sh" "$arch" plugin "${KLP_KERNEL_ROOT:-}" | tail -n 1)
echo "built: $arch ${KLP_CC:-gcc}"
warnings=$(grep -Ei '(^|[^a-z_])warning[:s]' "$out/build.log" || true)
echo "warnings: $(printf '%s' "$warnings" | grep -c . || true)"
[ -z "$warnings" ] || printf '%s\n' "$warnings" | head -n 20

readelf -SW "$out/vmlinux" | sed -n 's/^ *\[ *[0-9]*\] \(\.debug_klp\) *\([A-Z]*\) *[0-9a-f]* [0-9a-f]* \([0-9a-f]*\) 00 *\([A-Z]*\) .*/section: \1 \2 flags=[\4]/p'
readelf -SW "$out/vmlinux" | awk '
	{ sub(/^ *\[ *[0-9]+\]/, "") }
	$1 == ".debug_klp" { notes = strtonum("0x" $5) }
	$1 == ".symtab" || $1 == ".strtab" { tables += strtonum("0x" $5) }
	END {
		pct = 100.0 * notes / tables
		printf "notes size: %d bytes stored, %.1f%% of .symtab+.strtab (%d): %s\n",
			notes, pct, tables, pct <= 25.0 ? "within 25%" : "MORE THAN 25%"
	}'
# (head closes the pipe early: the dump's SIGPIPE is expected)
{ "$KLP_FIXUP" dump "$out/vmlinux" || true; } | head -n 1 | sed 's/^file [^:]*:/vmlinux:/'
echo "vmlinux $("$check" sites "$out/vmlinux" | tail -n 1)"
echo "vmlinux $("$check" addrs "$out/vmlinux" | tail -n 1)"
src=$(dirname "$out")/src-${KLP_KERNEL_VERSION:-6.12}
"$check" coverage --srctree="$src" --objtree="$out" "$out/vmlinux" | sed 's/^/vmlinux /'

ko=$out/samples/livepatch/livepatch-sample.ko
{ "$KLP_FIXUP" dump "$ko" || true; } | head -n 1 | sed 's/^file [^:]*:/module:/'
echo "module $("$check" addrs "$ko" | tail -n 1)"
"$check" coverage --srctree="$src" --objtree="$out" "$ko" | sed 's/^/module /'

# x86_64: the vDSO's 32-bit half (-m32) is compiled with the plugin too,
# and each of its C units is left out on purpose (KLP_UNIT_LEFT_OUT); its
# .S objects (kbuild's .cmd file names the source) have no notes to have.
# s390x: the same for the compat vDSO (-m31).
vdso32=
[ "$arch" = x86_64 ] && vdso32=$out/arch/x86/entry/vdso/vdso32
[ "$arch" = s390x ] && vdso32=$out/arch/s390/kernel/vdso32
if [ -n "$vdso32" ]; then
	left=0 lost=0
	for o in "$vdso32"/*.o; do
		[ -f "$o" ] || continue
		grep -q '^source_.* := .*\.c$' "$(dirname "$o")/.$(basename "$o").cmd" || continue
		if "$check" coverage "$o" | grep -q '^coverage: left out on purpose'; then
			left=$((left + 1))
		else
			lost=$((lost + 1))
		fi
	done
	echo "vdso32: $left objects left out on purpose, $lost without notes"
fi

# ppc64le: calls a livepatch could not make, over every object of the
# build (C and assembly told apart by their FILE symbol), and in vmlinux.
if [ "$arch" = ppc64le ]; then
	mapfile -t objs < <(find "$out" -name '*.o' ! -name 'vmlinux.o' ! -name '.tmp_*' \
			    ! -path '*/tools/*' ! -path '*/scripts/*' ! -path '*/boot/*' | sort)
	echo "objects $("$here/../tools/ppc-nop-check" --summary --srctree="$src" "${objs[@]}" | tail -n 1)" || true
fi
