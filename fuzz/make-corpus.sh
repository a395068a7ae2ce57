#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# make-corpus.sh OUTDIR - build the fuzzers' seed corpora from real compiler
# output: the objects, linked file and modules of tests/lit/fixup, compiled
# with the klp plugins of $KLP_BUILD_DIR (default build/cmake).  Nothing
# here is committed; the corpus is rebuilt from the sources each time.
#   OUTDIR/notes/     seeds for fuzz-notes (objects, vmlinux, module targets)
#   OUTDIR/convert/   seeds for fuzz-convert (livepatch modules)
#   OUTDIR/targets/   the targets fuzz-convert converts against
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KLP_BUILD_DIR:-$top/build/cmake}
out=${1:?usage: make-corpus.sh OUTDIR}
inputs=$top/tests/lit/fixup/Inputs
plugin=$build/gcc-plugin/x86_64/klp.so
[ -f "$plugin" ] || { echo "make-corpus.sh: no $plugin: run scripts/build.sh" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$out/notes" "$out/convert" "$out/targets" "$out/tmp"
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
rm -rf "$t"
echo "make-corpus.sh: $(ls "$out/notes" | wc -l) reader seeds, $(ls "$out/convert" | wc -l) convert seeds in $out"
