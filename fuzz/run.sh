#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh [SECONDS] - build the libFuzzer targets into build/cmake-fuzz (or
# $KLP_FUZZ_BUILD_DIR), make the seed corpus, and run each target (notes,
# convert, diff, builder) for SECONDS (default 60) with one job each, the
# targets side by side (SECONDS is the run's wall time).  Prints per target
# the executions, edge coverage and what it found.  Findings are written
# as crash-*/timeout-*/leak-* files in $KLP_FUZZ_OUT (default
# build/cmake-fuzz/findings).  First, every committed input is replayed:
# the reproducers in fuzz/regressions/ and the campaign corpus in
# fuzz/corpus/TARGET.  Exit status: 2 when a committed input fails (a
# fixed bug is back), 1 when the random run found something, else 0.
#
# Longer runs (docs/reliability.md): KLP_FUZZ_KEEP=1 fuzz/run.sh 3600
# keeps the grown corpus in build/cmake-fuzz/corpus between runs.  A
# campaign: KLP_FUZZ_RUNS=N runs each target for N executions instead,
# and KLP_FUZZ_MERGE=1 then minimizes each grown corpus with the committed
# one into fuzz/corpus/TARGET (libFuzzer -merge=1, inputs whole: cutting
# them to 8 KiB lost 94 of the reader's 1,135 edges), for committing.
# KLP_FUZZ_ONLY="convert ..." runs those targets only (a campaign's
# second run of the slowest target, from the corpus the first committed).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-60}
fbuild=${KLP_FUZZ_BUILD_DIR:-$top/build/cmake-fuzz}
findings=${KLP_FUZZ_OUT:-$fbuild/findings}

CC=${KLP_FUZZ_CC:-clang-19} cmake -S "$top" -B "$fbuild" -DKLP_FUZZ=ON \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$fbuild" --target fuzz-notes fuzz-convert fuzz-diff fuzz-builder -j"$(nproc)" >/dev/null
# The seeds come from the plugins of the normal build (all producers it has).
pbuild=${KLP_BUILD_DIR:-$top/build/cmake}
if [ ! -f "$pbuild/gcc-plugin/x86_64/klp.so" ]; then
	cmake --build "$fbuild" --target klp-gcc-x86_64 -j"$(nproc)" >/dev/null
	pbuild=$fbuild
fi

corpus=$fbuild/corpus
if [ -z "${KLP_FUZZ_KEEP:-}" ] || [ ! -d "$corpus/targets" ]; then
	KLP_BUILD_DIR=$pbuild "$top/fuzz/make-corpus.sh" "$corpus/seeds"
	rm -rf "$corpus/notes" "$corpus/convert" "$corpus/diff" "$corpus/builder" "$corpus/targets"
	cp -r "$corpus/seeds/notes" "$corpus/seeds/convert" "$corpus/seeds/builder" \
		"$corpus/seeds/targets" "$corpus/"
	cp -r "$corpus/seeds/notes" "$corpus/diff"	# diff reads objects too
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

targets=(notes convert diff builder)
if [ -n "${KLP_FUZZ_ONLY:-}" ]; then
	for target in $KLP_FUZZ_ONLY; do
		case " ${targets[*]} " in *" $target "*) ;;
		*) echo "run.sh: KLP_FUZZ_ONLY: no target '$target' (${targets[*]})" >&2; exit 2;; esac
	done
	read -r -a targets <<< "$KLP_FUZZ_ONLY"
fi
status=0
# Committed inputs first: each must run clean.
for target in "${targets[@]}"; do
	bin=$fbuild/fuzz/fuzz-$target
	# Reproducers of fixed bugs; those listed in fuzz/regressions/OPEN are
	# bugs not fixed yet: reported, not failed.
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
			status=2
		fi
	done
	kept=$top/fuzz/corpus/$target
	if [ -d "$kept" ]; then
		log=$findings/$target-corpus.log
		if "$bin" -runs=0 -timeout=10 -rss_limit_mb=2048 "$kept" > "$log" 2>&1; then
			echo "fuzz-$target: committed corpus, $(ls "$kept" | wc -l) inputs: ok"
		else
			echo "fuzz-$target: committed corpus: FAILED (see $log)"
			status=2
		fi
	fi
done

# One target's random run; its result line goes to $findings/TARGET.result.
fuzz_one()
{
	local target=$1 bin=$fbuild/fuzz/fuzz-$1 log=$findings/$1.log limit result kept=()
	limit=-max_total_time=$secs
	# the committed corpus seeds the run too (libFuzzer writes new inputs
	# to the first directory only)
	[ -d "$top/fuzz/corpus/$target" ] && kept=("$top/fuzz/corpus/$target")
	[ -n "${KLP_FUZZ_RUNS:-}" ] && limit=-runs=$KLP_FUZZ_RUNS
	# -timeout: an input that takes a second is a hang for files this small.
	if "$bin" "$limit" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$findings/$target-" \
		"$corpus/$target" "${kept[@]}" > "$log" 2>&1; then
		result=ok
	else
		result="FAILED (see $log)"
	fi
	if [ -n "${KLP_FUZZ_MERGE:-}" ] && [ "$result" = ok ]; then
		rm -rf "$top/fuzz/corpus/$target.new"
		mkdir -p "$top/fuzz/corpus/$target.new"
		# the committed inputs too: what this run did not find again stays
		"$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 "$top/fuzz/corpus/$target.new" \
			"$corpus/$target" "${kept[@]}" > "$findings/$target-merge.log" 2>&1 &&
			rm -rf "$top/fuzz/corpus/$target" &&
			mv "$top/fuzz/corpus/$target.new" "$top/fuzz/corpus/$target"
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
	echo "fuzz-$target: ${KLP_FUZZ_RUNS:-${secs}s}${KLP_FUZZ_RUNS:+ runs}," \
		"${execs:-?} executions, ${cov:-?} edges covered (${ft:-?} features)," \
		"corpus $(ls "$corpus/$target" | wc -l) files: $result" > "$findings/$target.result"
}

for target in "${targets[@]}"; do
	fuzz_one "$target" &
done
wait
for target in "${targets[@]}"; do
	cat "$findings/$target.result"
	grep -q ': ok$' "$findings/$target.result" || { [ $status = 2 ] || status=1; }
done
exit $status
