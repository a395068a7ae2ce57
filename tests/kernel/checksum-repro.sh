#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# checksum-repro.sh OBJDIR [N|all] - compile units of a test kernel again,
# each with the command kbuild recorded for it (tests/tools/kbuild-cmd:
# the same flags, the plugin build-kernel.sh froze for that build), and
# compare every function's and object's checksum with the one in vmlinux
# (`klp-fixup diff --target vmlinux`).  The same source, flags and
# compiler must give the same checksums: 100%.
#
# N: the first N units of a
# fixed shuffle (so a sample covers the whole tree, and two runs take the
# same units); "all" (the default) compiles every C unit vmlinux has
# notes for.  KLP_JOBS compiles run side by side (default: CPUs).
#
# Prints one line per unit that differs (with what differs), then
#   repro: U units compiled, F functions and O objects compared, D differ
# and exits 1 if anything differs or a compile fails.
set -euo pipefail
objdir=$(cd "${1:?usage: checksum-repro.sh OBJDIR [N|all]}" && pwd)
count=${2:-all}
top=$(cd "$(dirname "$0")/../.." && pwd)
fixup=${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}
jobs=${KLP_JOBS:-$(nproc)}
srctree=$(readlink -f "$objdir/source")
work=$(mktemp -d "${TMPDIR:-/tmp}/klp-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The units vmlinux has notes for, as objects of this tree: the recorded
# path is the source file, absolute under the source tree.
"$fixup" dump --json "$objdir/vmlinux" | python3 -c '
import json, sys, random
srctree, objdir, count = sys.argv[1], sys.argv[2], sys.argv[3]
units = set()
for u in json.load(sys.stdin)["units"]:
    p = u["path"]
    if p.startswith(srctree + "/"):
        p = p[len(srctree) + 1:]
    if p.endswith(".c"):
        units.add(p[:-2] + ".o")
units = sorted(units)
random.Random(12).shuffle(units)
if count != "all":
    units = units[:int(count)]
for u in sorted(units):
    print(u)
' "$srctree" "$objdir" "$count" > "$work/units"

# One unit: compile, then compare; a line per unit into $work/results.
compare_one() {
	local unit=$1 out
	out=$work/o/${unit//\//_}
	mkdir -p "$work/o"
	if ! "$top/tests/tools/kbuild-cmd" -o "$out" --run "$objdir" "$unit" \
		> "$out.log" 2>&1; then
		echo "compile-failed $unit: $(tail -n 1 "$out.log")"
		return
	fi
	if ! "$fixup" diff --json --target "$objdir/vmlinux" "$out" > "$out.json" 2> "$out.err"; then
		echo "diff-failed $unit: $(head -n 1 "$out.err")"
		return
	fi
	python3 - "$unit" "$out.json" "$out" "$fixup" <<'PY'
import json, subprocess, sys
unit, answer, obj, fixup = sys.argv[1:5]
d = json.load(open(answer))["units"][0]
syms = json.loads(subprocess.run([fixup, "dump", "--json", obj], check=True,
                                 capture_output=True, text=True).stdout)
nf = sum(1 for u in syms["units"] for s in u["symbols"] if s["kind"] == "func")
no = sum(1 for u in syms["units"] for s in u["symbols"] if s["kind"] == "object")
bad = [f"{c} {k[:-1]} {n}" for k in ("functions", "objects")
       for c in ("changed", "new", "removed") for n in d[k][c]]
print(f"{'differs' if bad else 'same'} {unit} {nf} {no}" + (": " + ", ".join(bad) if bad else ""))
PY
	rm -f "$out"
}
export -f compare_one
export work top objdir fixup

xargs -a "$work/units" -P "$jobs" -I{} bash -c 'compare_one "$@"' _ {} > "$work/results"

python3 - "$work/results" <<'PY'
import sys
units = funcs = objs = bad = 0
for line in open(sys.argv[1]):
    word, rest = line.split(" ", 1)
    if word in ("same", "differs"):
        unit, nf, no = rest.split(":")[0].split()[:3]
        units += 1
        funcs += int(nf)
        objs += int(no)
    if word != "same":
        bad += 1
        print(line.rstrip())
print(f"repro: {units} units compiled, {funcs} functions and {objs} objects compared, "
      f"{bad} differ")
sys.exit(1 if bad else 0)
PY
