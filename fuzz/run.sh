#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh [SECONDS] - build the libFuzzer targets into build/cmake-fuzz (or
# $KLP_FUZZ_BUILD_DIR), make the seed corpus, and run each target for
# SECONDS (default 60) with one job.  Prints per target the executions,
# edge coverage and what it found; exits 1 if a target crashed, hung or
# leaked.  Findings are written as crash-*/timeout-*/leak-* files in
# $KLP_FUZZ_OUT (default build/cmake-fuzz/findings).  The regression
# inputs in fuzz/regressions/ are replayed first.  KLP_FUZZ_SKIP_KNOWN=1
# (scripts/test.sh sets it) steps around the open findings.
#
# Longer runs (docs/reliability.md): KLP_FUZZ_KEEP=1 fuzz/run.sh 3600
# keeps the grown corpus in build/cmake-fuzz/corpus between runs.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
fbuild=${KLP_FUZZ_BUILD_DIR:-$top/build/cmake-fuzz}
findings=${KLP_FUZZ_OUT:-$fbuild/findings}

CC=${KLP_FUZZ_CC:-clang-19} cmake -S "$top" -B "$fbuild" -DKLP_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$fbuild" --target fuzz-notes fuzz-convert -j"$(nproc)" >/dev/null
# The seeds come from the plugins of the normal build (all producers it has).
pbuild=${KLP_BUILD_DIR:-$top/build/cmake}
if [ ! -f "$pbuild/gcc-plugin/x86_64/klp.so" ]; then
	cmake --build "$fbuild" --target klp-gcc-x86_64 -j"$(nproc)" >/dev/null
	pbuild=$fbuild
fi

corpus=$fbuild/corpus
if [ -z "${KLP_FUZZ_KEEP:-}" ] || [ ! -d "$corpus/targets" ]; then
	KLP_BUILD_DIR=$pbuild "$top/fuzz/make-corpus.sh" "$corpus/seeds"
	rm -rf "$corpus/notes" "$corpus/convert" "$corpus/targets"
	cp -r "$corpus/seeds/notes" "$corpus/seeds/convert" "$corpus/seeds/targets" "$corpus/"
fi
export KLP_FUZZ_TARGETS="$corpus/targets/vmlinux $corpus/targets/state-mod.ko"
mkdir -p "$findings"

# Each fuzz process keeps its inputs in a klp-fuzz.* directory under
# TMPDIR and removes it at exit; a crash cannot, so the runs share one
# scratch directory, removed here whatever ends them.
base=${TMPDIR:-/tmp}
[ -w /dev/shm ] && [ -z "${TMPDIR:-}" ] && base=/dev/shm	# memory, as the harness prefers
scratch=$(mktemp -d "$base/klp-fuzz-run.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch

status=0
for target in notes convert; do
	bin=$fbuild/fuzz/fuzz-$target
	# Reproducers of fixed bugs must run clean; those listed in
	# fuzz/regressions/OPEN are bugs not fixed yet: reported, not failed.
	for reg in "$top"/fuzz/regressions/$target-*; do
		[ -e "$reg" ] || continue
		name=$(basename "$reg")
		if env -u KLP_FUZZ_SKIP_KNOWN "$bin" -runs=0 "$reg" > "$findings/$name.log" 2>&1; then
			grep -qx "$name" "$top/fuzz/regressions/OPEN" &&
				echo "fuzz-$target: $name runs clean now: remove it from fuzz/regressions/OPEN"
		elif grep -qx "$name" "$top/fuzz/regressions/OPEN"; then
			echo "fuzz-$target: $name: still open (docs/reliability.md)"
		else
			echo "fuzz-$target: $name fails again; see $findings/$name.log"
			status=1
		fi
	done
	log=$findings/$target.log
	# -timeout: an input that takes a second is a hang for files this small.
	if "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$findings/$target-" \
		"$corpus/$target" > "$log" 2>&1; then
		result=ok
	else
		result="FAILED (see $log)"
		status=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	echo "fuzz-$target: ${secs}s, ${execs:-?} executions, ${cov:-?} edges covered" \
		"(${ft:-?} features), corpus $(ls "$corpus/$target" | wc -l) files: $result"
done
exit $status
