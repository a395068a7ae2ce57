#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# builder-bench.sh [--kpatch] [--runs N] - the time from a one-file source
# patch to a verified livepatch module with `klp-fixup build` on the cached
# test kernels, and its peak memory; with --kpatch, kpatch-build (with
# integration/kpatch/, --klp-notes) on the same patch and the same clang
# kernel in the same run, first from a fresh copy of the tree (its first
# run) and then again (its warm run).  The patch is
# tests/kpatch/scenario/consoles.patch (fs/proc/consoles.c: two functions).
# Results replace the "builder" section of docs/performance.md.
#
# The builder's figure is the median wall time of N runs (default 5), each
# from nothing: its work directory is made and removed by the run.  Peak
# memory is GNU time's maximum resident set of the builder and every
# process it waited for (the compiler, make).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
here=$top/tests/e2e
fixup=${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}
runs=5 kpatch=0
while [ $# -gt 0 ]; do
	case $1 in
	--kpatch) kpatch=1; shift ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "usage: builder-bench.sh [--kpatch] [--runs N]" >&2; exit 2 ;;
	esac
done
[ -x /usr/bin/time ] || { echo "builder-bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
patch=$top/tests/kpatch/scenario/consoles.patch
work=$top/build/bench-builder
rm -rf "$work"
mkdir -p "$work"
results=$work/results.md
: > "$results"

# One kernel: RUNS builds; prints "median_s max_rss_kib compiles".
bench_kernel() {
	local cc=$1 out times=() rss=0
	out=$(KLP_CC=$cc "$top/tests/kernel/build-kernel.sh" x86_64 plugin | tail -n 1)
	for i in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$work/time" "$fixup" build --kdir "$out" \
			-o "$work/lp-$cc.ko" "$patch" > "$work/build-$cc.out"
		read -r t m < "$work/time"
		times+=("$t")
		[ "$m" -le "$rss" ] || rss=$m
	done
	printf '%s\n' "${times[@]}" | sort -n | awk -v rss="$rss" -v c="$(sed -n 's/.*compiles: //p' "$work/build-$cc.out")" \
		'{ t[NR] = $1 } END { printf "%.1f %d %s\n", t[int((NR + 1) / 2)], rss, c }'
}

{
	echo "| kernel | patch to verified .ko (median of $runs) | peak memory | compiles |"
	echo "| --- | --- | --- | --- |"
	for cc in gcc clang; do
		read -r t m c < <(bench_kernel $cc)
		echo "$cc $t" >> "$work/builder-times"
		echo "| x86_64 $cc 12/19 test kernel | $t s | $((m / 1024)) MiB | $c |"
	done
} | sed 's|gcc 12/19|gcc 12|; s|clang 12/19|clang-19|' >> "$results"

if [ "$kpatch" = 1 ]; then
	# kpatch-build as tests/kpatch/run-kpatch-build.sh runs it, on the
	# clang kernel, in its own copy of the tree: fresh for the first run.
	. "$here/lib.sh"
	. "$top/tests/kpatch/lib.sh"
	e2e_arch=x86_64 e2e_cc=clang
	e2e_kernel kpatch	# kpatch-build reads its DWARF
	ours=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/ours" ours)
	ksrc=$work/kpatch-src
	cp -a "$src" "$ksrc"
	kpatch_env
	kpb() {
		local start=$SECONDS
		mkdir -p "$work/kpatch-$1"
		env "${kpatch_env[@]}" CACHEDIR="$work/cache-$1" KLP_FIXUP="$fixup" \
			KLP_PLUGIN_FLAGS="$e2e_plugin_flags" "$ours/kpatch-build/kpatch-build" \
			--klp-notes -s "$ksrc" -c "$out/.config" -v "$out/vmlinux" -j "$(nproc)" \
			-n livepatch_consoles -o "$work/kpatch-$1" "$patch" > "$work/kpatch-$1.log" 2>&1 || {
			tail -n 20 "$work/kpatch-$1.log" >&2
			echo "builder-bench: kpatch-build failed ($1 run): $work/kpatch-$1.log" >&2
			exit 1
		}
		echo $((SECONDS - start))
	}
	first=$(kpb first) || exit 1
	warm=$(kpb warm) || exit 1
	ours_clang=$(awk '$1 == "clang" { print $2 }' "$work/builder-times")
	{
		echo
		echo "Same patch, same clang kernel, one run: kpatch-build (with integration/kpatch/,"
		echo "\`--klp-notes\`) first from a fresh copy of the tree, then again."
		echo
		echo "| tool | time | builder's speed-up |"
		echo "| --- | --- | --- |"
		echo "| kpatch-build, first run | $first s | $(awk -v a="$first" -v b="$ours_clang" 'BEGIN { printf "%.0fx", a / b }') |"
		echo "| kpatch-build, warm run | $warm s | $(awk -v a="$warm" -v b="$ours_clang" 'BEGIN { printf "%.0fx", a / b }') |"
		echo "| klp-fixup build | $ours_clang s | 1x |"
	} >> "$results"
	rm -rf "$ksrc"
fi
cat "$results"

# docs/performance.md: replace the section between the markers
{
	echo '## klp-fixup build: patch to module'
	echo
	echo '`bench/builder-bench.sh` (one-file patch `tests/kpatch/scenario/consoles.patch`):'
	echo
	cat "$results"
} > "$work/section.md"
python3 "$top/bench/doc-section.py" "$top/docs/performance.md" builder-bench "$work/section.md"
