#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test.sh [--full] [LIT-OPTIONS] - install what is missing, build, and run
# every test: the lit suite in tests/lit, which includes whole-kernel
# builds (cached under build/kernel; KLP_KERNEL_TESTS=0 skips them).
# --full adds the tests too slow for CI's budget (lit feature "full":
# kpatch's integration patches on clang-19, ppc64le and s390x kernels
# configured for every file they touch, three more kernel builds,
# docs/builder.md; kpatch-build on the clang and ppc64le kernels built
# again with DWARF, two more, docs/kpatch-build.md).  Then the hardening stages
# (docs/reliability.md): the whole suite again (the kernels are cached by
# then) against an ASan+UBSan build of klp-fixup (build/cmake-asan), and a
# bounded libFuzzer run of
# each fuzz target (fuzz/run.sh, KLP_FUZZ_SECONDS, default 60; 0 skips).
# Before them, the Debian packages are built, installed into a scratch
# root and the suite runs against the installed files (KLP_PACKAGE_TESTS=0
# skips it).
# KLP_HARDENING=0 skips both.  Ends with one "lit: N passed, N failed,
# N skipped" line per lit stage and the sum over them; the exit status
# fails if any stage failed.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KLP_BUILD_DIR:-$top/build/cmake}
export KLP_BUILD_DIR=$build
if [ "${1:-}" = --full ]; then
	export KLP_FULL_TESTS=1
	shift
fi

"$top/scripts/deps.sh"
"$top/scripts/build.sh"

lit=$(ls /usr/lib/llvm-19/build/utils/lit/lit.py /usr/lib/llvm-14/build/utils/lit/lit.py 2>/dev/null | head -n 1)
[ -n "$lit" ] || { echo "test.sh: lit.py not found (llvm-19-tools)" >&2; exit 1; }
status=0
summaries=()

# summarize NAME RESULTS: print the stage's counts, remember them.
summarize() {
	local line
	line=$(python3 - "$2" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))['tests']
count = lambda *codes: sum(t['code'] in codes for t in tests)
print(count('PASS', 'XFAIL'), count('FAIL', 'XPASS', 'UNRESOLVED', 'TIMEOUT'),
      count('UNSUPPORTED', 'SKIPPED'))
PY
) || line="0 1 0"
	summaries+=("$line")
	set -- $1 $line
	echo "lit ($1): $2 passed, $3 failed, $4 skipped"
	stage_time "lit ($1)"
}

# stage_time NAME: the wall seconds since the last stage ended, so that a
# CI log shows where its budget went (docs/e2e.md, CI budget).
stage_start=0
stage_time() {
	echo "time ($1): $((SECONDS - stage_start)) s"
	stage_start=$SECONDS
}

results=$build/lit-results.json
# lit starts the tests it knows to be longest first; a fresh build has no
# times of its own yet, and takes tests/lit/.lit_test_times.txt (a CI
# run's), so that the kernel builds start at once and no long test is
# left to run alone at the end.
stage_time "deps and build"
python3 "$lit" -v -o "$results" "$top/tests/lit" "$@" || status=1
summarize main "$results"

if [ "${KLP_PACKAGE_TESTS:-1}" != 0 ]; then
	# The Debian packages, installed with dpkg into a scratch root: the
	# suite again against the installed files (not the kernel builds,
	# which take the build tree's plugins), and package/*.test.
	"$top/scripts/package.sh" "$top/build/packages" >/dev/null
	"$top/tests/package/install-root.sh" "$top/build/packages" "$top/build/packages/root" >/dev/null
	KLP_INSTALL_ROOT=$top/build/packages/root KLP_KERNEL_TESTS=0 KLP_FULL_TESTS=0 \
	KLP_LIT_OUT=$top/build/packages/lit \
		python3 "$lit" -v -o "$top/build/packages/lit-results.json" \
		--filter-out 'kpatch/unit|torture/' "$top/tests/lit" "$@" || status=1
	summarize installed "$top/build/packages/lit-results.json"
fi

if [ "${KLP_HARDENING:-1}" != 0 ]; then
	# klp-fixup with ASan + UBSan; any report aborts, which fails the test
	# that ran it even under `not`.
	# The plugins run inside gcc/clang, which are not built with ASan:
	# they stay uninstrumented (docs/reliability.md).
	# Only klp-fixup is rebuilt; the tests take the plugins of the main build.
	asan=$top/build/cmake-asan
	cmake -S "$top" -B "$asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKLP_SANITIZE=ON \
		${KLP_CMAKE_ARGS:-} >/dev/null
	cmake --build "$asan" --target klp-fixup -j"$(nproc)" >/dev/null
	# Not again: the tests that run no klp-fixup worth the minutes
	# (kernel/: whole-kernel checks by klp-check and compiles of kernel
	# units, whose klp-fixup dump and diff the e2e and builder tests run
	# on the same kernels; kernel objects through ccache/distcc; kpatch's
	# own unit tests; GCC's torture tests, which run compilers, and the
	# reader only through klp-check's dump of tiny objects;
	# --full's tests, whose builder runs the default ones make on other
	# kernels).  Of the qemu scenarios, those whose klp-fixup work the
	# others do too: the builder's scenarios and kpatch's integration
	# patches run build, convert, verify and the resolver on every kernel
	# and on module targets; sympos, module, build and the ppc64le nop
	# scenario add qemu boots, not klp-fixup code; of those, the
	# integration patches on x86_64 gcc (vmlinux and xfs.ko targets, the
	# most patches), ppc64le and s390x (the other byte order) and the
	# builder's refusals stay (CI budget).
	asan_skip='kernel/|farm/kernel-farm|kpatch/unit|kpatch/kernel-|torture/'
	asan_skip+='|e2e/(x86_64|x86_64-clang|ppc64le|s390x)-(sympos|module|build|nop|build-module)\.test'
	asan_skip+='|e2e/x86_64-clang-|affected/kernel-'
	KLP_FIXUP_BIN=$asan/fixup/klp-fixup KLP_LIT_OUT=$asan/lit KLP_FULL_TESTS=0 \
	UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
		python3 "$lit" -v -o "$asan/lit-results.json" \
		--filter-out "$asan_skip" "$top/tests/lit" "$@" || status=1
	summarize asan+ubsan "$asan/lit-results.json"

	if [ "${KLP_FUZZ_SECONDS:-60}" != 0 ]; then
		# Random inputs: what a bounded run finds is reported, with its
		# reproducer in build/cmake-fuzz/findings, not failed.  The
		# committed inputs (fixed findings, the campaign corpus) are
		# replayed first and do fail the run (status 2).  Every check is
		# on: no finding is open.
		fuzz_status=0
		"$top/fuzz/run.sh" "${KLP_FUZZ_SECONDS:-60}" || fuzz_status=$?
		stage_time fuzz
		case $fuzz_status in
		0) ;;
		2) echo "test.sh: a committed fuzz input fails: build/cmake-fuzz/findings"; status=1 ;;
		*) echo "test.sh: the fuzz run found inputs to look at: build/cmake-fuzz/findings" \
			"(docs/reliability.md, Findings)" ;;
		esac
	fi
fi

python3 - "${summaries[@]}" <<'PY'
import sys
total = [sum(int(s.split()[i]) for s in sys.argv[1:]) for i in range(3)]
print(f"lit: {total[0]} passed, {total[1]} failed, {total[2]} skipped")
PY
exit $status
