#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make-corpus.sh OUTDIR - build the fuzzers' seed corpora from real compiler
# output: the objects, linked file and modules of tests/lit/fixup, compiled
# with the klp plugins of $KLP_BUILD_DIR (default build/cmake).  Nothing
# here is committed; the corpus is rebuilt from the sources each time.
#   OUTDIR/notes/     seeds for fuzz-notes (objects, vmlinux, module targets)
#   OUTDIR/convert/   seeds for fuzz-convert (livepatch modules)
#   OUTDIR/targets/   the targets fuzz-convert converts against
#   OUTDIR/builder/   seeds for fuzz-builder: the e2e scenarios' patches,
#                     a kbuild .cmd file and Module.symvers lines of the
#                     form a 6.12 build writes (first byte: which)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KLP_BUILD_DIR:-$top/build/cmake}
out=${1:?usage: make-corpus.sh OUTDIR}
inputs=$top/tests/lit/fixup/Inputs
plugin=$build/gcc-plugin/x86_64/klp.so
[ -f "$plugin" ] || { echo "make-corpus.sh: no $plugin: run scripts/build.sh" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/notes" "$out/convert" "$out/targets" "$out/builder" "$out/tmp"
t=$out/tmp
cc="gcc -fplugin=$plugin"

# The target of tests/lit/fixup: four units, same-named statics.
units=(1:drivers/a/state.c 2:drivers/b/state.c 3:drivers/c/state.c 4:drivers/main.c)
objs=()
for u in "${units[@]}"; do
	n=${u%%:*}
	$cc -O2 -DUNIT="$n" -fplugin-arg-klp-tu-path="${u#*:}" -c "$inputs/target.c" -o "$t/u$n.o"
	objs+=("$t/u$n.o")
done
gcc -no-pie "${objs[@]}" -o "$out/targets/vmlinux"
ld -r "${objs[@]}" -o "$t/with-files.ko"
objcopy --strip-symbol=target.c "$t/with-files.ko" "$out/targets/state-mod.ko"
cp "$t/u1.o" "$t/u4.o" "$out/targets/vmlinux" "$out/targets/state-mod.ko" "$out/notes/"
$cc -O2 -DUNIT=2 -ffunction-sections -pg -mfentry -c "$inputs/target.c" -o "$out/notes/sections.o"
$cc -O2 -c "$inputs/module-init.c" -o "$out/notes/module-init.o"
# Other producers, where built: ppc64le (big relocation set, TOC) and clang.
ppc=$build/gcc-plugin/ppc64le/klp.so
if [ -f "$ppc" ] && command -v powerpc64le-linux-gnu-gcc >/dev/null; then
	powerpc64le-linux-gnu-gcc -fplugin="$ppc" -O2 -DUNIT=3 -c "$inputs/target.c" -o "$out/notes/ppc.o"
fi
kclang=$build/clang-pass/llvm-19/klp-clang.so
if [ -f "$kclang" ] && command -v clang-19 >/dev/null; then
	clang-19 -fpass-plugin="$kclang" -O2 -DUNIT=1 -c "$inputs/target.c" -o "$out/notes/clang.o"
fi

# Livepatch modules written with include/klp.h.
for f in livepatch-a livepatch-b livepatch-bad; do
	gcc -O2 -I"$top/include" -c "$inputs/$f.c" -o "$out/convert/$f.o"
done
ld -r "$out/convert/livepatch-a.o" "$out/convert/livepatch-b.o" -o "$out/convert/livepatch.ko"
# The builder's text inputs; fuzz-builder.c takes the first byte modulo 3:
# 0 a unified diff, 1 the .cmd file of sub/y.o, 2 Module.symvers.
n=0
for p in "$top"/tests/e2e/scenario-build*/*.patch; do
	{ printf '\0'; cat "$p"; } > "$out/builder/patch-$((n += 1))"
done
{
	printf '\1'
	printf 'savedcmd_sub/y.o := gcc -Wp,-MMD,sub/.y.o.d -nostdinc -I/src/include '
	printf -- '-fplugin=/src/scripts/klp.so -DKBUILD_MODNAME='"'"'"y"'"'"' -c -o sub/y.o /src/sub/y.c '
	printf -- '; ./tools/objtool/objtool --hacks=jump_label --orc sub/y.o ; '
	printf -- 'scripts/mod/modpost sub/y.o\n\n'
	printf 'source_sub/y.o := /src/sub/y.c\n\n'
	printf 'deps_sub/y.o := \\\n  /src/include/linux/k.h \\\n  $(wildcard include/config/X) \\\n'
	printf '  /src/include/linux/compiler.h \\\n\nsub/y.o: $(deps_sub/y.o)\n\n$(deps_sub/y.o):\n'
} > "$out/builder/cmd"
{
	printf '\2'
	printf '0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n'
	printf '0x9abcdef0\tusb_get_dev\tdrivers/usb/core/usbcore\tEXPORT_SYMBOL_GPL\t\n'
	printf '0x0\txfs_buf_get\tfs/xfs/xfs\tEXPORT_SYMBOL\tXFS\n'
} > "$out/builder/symvers"
rm -rf "$t"
echo "make-corpus.sh: $(ls "$out/notes" | wc -l) reader seeds, $(ls "$out/convert" | wc -l) convert seeds," \
	"$(ls "$out/builder" | wc -l) builder seeds in $out"
