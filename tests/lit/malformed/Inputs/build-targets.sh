#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build-targets.sh PLUGIN DIR - the real files the malformed cases start
# from, as in tests/lit/fixup: a linked target (DIR/vmlinux), an `ld -r`
# module target (DIR/state-mod.ko), both with klp notes, and the two-object
# livepatch module of tests/lit/fixup (DIR/livepatch.ko).  DIR/out is the
# empty directory convert writes to.
set -euo pipefail
plugin=$1 dir=$2
fixup=$(cd "$(dirname "$0")/../../fixup/Inputs" && pwd)
top=$(cd "$(dirname "$0")/../../../.." && pwd)
rm -rf "$dir"
mkdir -p "$dir/out" "$dir/m"
n=0
for path in drivers/a/state.c drivers/b/state.c drivers/c/state.c drivers/main.c; do
	n=$((n + 1))
	gcc -fplugin="$plugin" -O2 -DUNIT=$n -fplugin-arg-klp-tu-path=$path \
		-c "$fixup/target.c" -o "$dir/u$n.o"
done
gcc -no-pie "$dir"/u[1-4].o -o "$dir/vmlinux"
ld -r "$dir"/u[1-4].o -o "$dir/state-mod.ko"
gcc -O2 -I"$top/include" -c "$fixup/livepatch-a.c" -o "$dir/lp-a.o"
gcc -O2 -I"$top/include" -c "$fixup/livepatch-b.c" -o "$dir/lp-b.o"
ld -r "$dir/lp-a.o" "$dir/lp-b.o" -o "$dir/livepatch.ko"
