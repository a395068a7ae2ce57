#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# plugin-overhead.sh [-n ROUNDS] [--instructions] [--clang|--no-clang] [--no-gcc] [--doc FILE] [OBJDIR]
# What the plugin costs the compiler, per translation unit.  Some of the heaviest
# units of a kernel build are compiled again with the command kbuild saved
# for them (tests/tools/kbuild-cmd, output to a scratch file), without the
# plugin (A) and with it (B), alternately A B A B ... for ROUNDS rounds
# (default 5) after one uncounted A B pair, and the CPU time (user+sys of
# the compiler and its children: cc1, as) is compared: per unit the median
# of the rounds' B/A ratios, over all units the median, min and max of
# those.  The bytes of .debug_klp
# the plugin adds are listed beside.
#
# OBJDIR is a kernel O= directory (default build/kernel/x86_64-gcc-plain,
# built with tests/kernel/build-kernel.sh x86_64 plain when missing); any
# klp plugin options in its commands are removed for A.  B adds
# -fplugin=klp.so (build/cmake/gcc-plugin/x86_64), copied once to a private
# directory so that a rebuild of the plugin during the run cannot mix two.
# clang: with --clang, or when build/kernel/x86_64-clang-plain exists (and
# not --no-clang), the same on that directory (CLANG_OBJDIR) with
# klp-clang.so (build/cmake/clang-pass/llvm-19; B adds -fplugin= and
# -fpass-plugin=).  UNITS overrides the list of units below; the units whose
# .cmd file exists are measured.
# --instructions counts instructions instead of CPU time: each compile runs
# under valgrind's callgrind (the driver, cc1 and as), which counts every
# instruction executed, the same in every run and whatever else the
# machine does, where CPU times of one compile spread by 10% or more on a
# shared machine.  One round (ROUNDS, default 1 here) is enough to resolve
# a fraction of a percent; it takes some 50 times the compile time.
# Results replace the "Compile time per unit" blocks of docs/performance.md
# (or of --doc FILE).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# Heavy C units of the tiny configuration (the largest compile times of its build).
# shellcheck disable=SC2206 # UNITS is a list of words
units=(${UNITS:-kernel/sched/core.o mm/page_alloc.o fs/namei.o kernel/workqueue.o mm/memory.o
       fs/dcache.o kernel/fork.o mm/vmscan.o kernel/signal.o})
rounds=${ROUNDS:-}
measure=cpu
gcc=yes
clang=auto
objdir=
doc=$top/docs/performance.md
usage() { sed -n '4p' "$0" | sed 's/^# */usage: /' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	-n|--rounds) [ $# -ge 2 ] || usage; rounds=$2; shift 2 ;;
	--rounds=*) rounds=${1#*=}; shift ;;
	--doc) [ $# -ge 2 ] || usage; doc=$2; shift 2 ;;
	--instructions) measure=instructions; shift ;;
	--clang) clang=yes; shift ;;
	--no-clang) clang=no; shift ;;
	--no-gcc) gcc=no; shift ;;
	-h|--help) usage ;;
	-*) echo "plugin-overhead: unknown option $1" >&2; usage ;;
	*) [ -z "$objdir" ] || usage; objdir=$1; shift ;;
	esac
done
if [ -z "$rounds" ]; then
	rounds=5
	[ "$measure" = instructions ] && rounds=1
fi
case $rounds in
''|*[!0-9]*|0) echo "plugin-overhead: ROUNDS must be a positive number" >&2; exit 2 ;;
esac
if [ "$measure" = instructions ] && ! command -v valgrind >/dev/null; then
	echo "plugin-overhead: --instructions needs valgrind (apt-get install valgrind)" >&2
	exit 1
fi

gcc_plugin=${KLP_PLUGIN:-$top/build/cmake/gcc-plugin/x86_64/klp.so}
clang_plugin=${KLP_CLANG_PASS:-$top/build/cmake/clang-pass/llvm-19/klp-clang.so}
clang_objdir=${CLANG_OBJDIR:-$top/build/kernel/x86_64-clang-plain}

if [ -z "$objdir" ] && [ "$gcc" = yes ]; then
	objdir=$top/build/kernel/x86_64-gcc-plain
	if [ ! -f "$objdir/vmlinux" ]; then
		echo "plugin-overhead: building $objdir" >&2
		KLP_CC=gcc "$top/tests/kernel/build-kernel.sh" x86_64 plain >/dev/null
	fi
fi
if [ "$gcc" = yes ]; then
	[ -d "$objdir" ] || { echo "plugin-overhead: $objdir: not a kernel build directory" >&2; exit 1; }
	objdir=$(cd "$objdir" && pwd)
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# freeze NAME PLUGIN: a private copy of PLUGIN (keeping its file name, which
# -fplugin-arg-NAME-* options are matched against), checked to load.
freeze() {
	local cc=$1 plugin=$2 copy try
	[ -f "$plugin" ] || { echo "plugin-overhead: $plugin missing: run scripts/build.sh" >&2; exit 1; }
	copy=$work/$cc-plugin/$(basename "$plugin")
	mkdir -p "$(dirname "$copy")"
	for try in 1 2 3 4 5 6; do
		cp "$plugin" "$copy"
		if [ "$cc" = gcc ]; then
			echo 'static int n; int f(void) { return n++; }' |
				gcc -O2 -fplugin="$copy" -x c -c - -o "$work/probe.o" 2>/dev/null && break
		else
			echo 'static int n; int f(void) { return n++; }' |
				clang-19 -O2 -fplugin="$copy" -fpass-plugin="$copy" -x c -c - \
					-o "$work/probe.o" 2>/dev/null && break
		fi
		# a plugin being rebuilt right now: wait for the build to finish
		[ $try -lt 6 ] || { echo "plugin-overhead: $plugin does not load" >&2; exit 1; }
		sleep 10
	done
	echo "$copy"
}

runs=()
if [ "$gcc" = yes ]; then
	gcc_copy=$(freeze gcc "$gcc_plugin")
	runs=(gcc)
fi
if [ "$clang" = yes ] || { [ "$clang" = auto ] && [ -f "$clang_objdir/vmlinux" ]; }; then
	if [ ! -f "$clang_objdir/vmlinux" ]; then
		echo "plugin-overhead: building $clang_objdir" >&2
		KLP_CC=clang "$top/tests/kernel/build-kernel.sh" x86_64 plain >/dev/null
	fi
	clang_copy=$(freeze clang "$clang_plugin")
	runs+=(clang)
fi

export LC_ALL=C
for cc in "${runs[@]}"; do
	dir=${objdir:-} plugin=${gcc_copy:-}
	[ "$cc" = clang ] && dir=$clang_objdir plugin=$clang_copy
	python3 - "$top" "$cc" "$dir" "$plugin" "$rounds" "$work" "$doc" "$measure" "${units[@]}" <<'EOF'
import os
import re
import resource
import shlex
import statistics
import subprocess
import sys
import time

top, cc, objdir, plugin, rounds, work, doc, measure = sys.argv[1:9]
rounds = int(rounds)
wanted = sys.argv[9:]
counting = measure == 'instructions'
sys.path.insert(0, os.path.join(top, 'tests', 'tools'))
import elfread  # noqa: E402

kbuild_cmd = os.path.join(top, 'tests', 'tools', 'kbuild-cmd')
plugin_flags = [f'-fplugin={plugin}'] + ([f'-fpass-plugin={plugin}'] if cc == 'clang' else [])


def cmd_file(unit):
    d, b = os.path.split(unit)
    return os.path.join(objdir, d, '.' + b + '.cmd')


units = [u for u in wanted if os.path.exists(cmd_file(u))]
for u in wanted:
    if u not in units:
        print(f'plugin-overhead: {cc}: {u}: no {cmd_file(u)}, skipped', file=sys.stderr)
if not units:
    sys.exit(f'plugin-overhead: {cc}: none of the units was built in {objdir}')
if len(units) < 5:
    print(f'plugin-overhead: {cc}: only {len(units)} units', file=sys.stderr)


def command(unit, out, extra):
    line = subprocess.run([kbuild_cmd, '--print', '--strip-plugin', '-o', out, objdir, unit]
                          + [f'--add={f}' for f in extra],
                          check=True, stdout=subprocess.PIPE, text=True).stdout
    return shlex.split(line)


def cpu_of(argv):
    """user+sys seconds of one compile: the compiler driver and what it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(argv, cwd=objdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode:
        sys.stderr.write(p.stderr.decode(errors='replace'))
        sys.exit(f'plugin-overhead: {cc}: failed: {shlex.join(argv)}')
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions_of(argv):
    """Instructions of one compile, summed over the driver and its children
    (cc1 or clang -cc1, as), as callgrind counts them."""
    out = os.path.join(work, 'cg')
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):
        os.unlink(os.path.join(out, f))
    p = subprocess.run(['valgrind', '--tool=callgrind', '--trace-children=yes',
                        f'--callgrind-out-file={out}/cg.%p', *argv],
                       cwd=objdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode:
        sys.stderr.write(p.stderr.decode(errors='replace')[-4000:])
        sys.exit(f'plugin-overhead: {cc}: failed under valgrind: {shlex.join(argv)}')
    total = 0
    for f in os.listdir(out):
        for line in open(os.path.join(out, f), errors='replace'):
            if line.startswith(('summary:', 'totals:')):
                total += int(line.split()[1])
                break
    return total


measure_of = instructions_of if counting else cpu_of


def klp_bytes(path):
    sec = elfread.Elf(path).section('.debug_klp')
    return sec.size if sec else 0


rows = []
t0 = time.monotonic()
for unit in units:
    out_a = os.path.join(work, 'a.o')
    out_b = os.path.join(work, 'b.o')
    argv_a = command(unit, out_a, [])
    argv_b = command(unit, out_b, plugin_flags)
    a_times, b_times = [], []
    if not counting:
        cpu_of(argv_a)  # warm-up pair, not counted: headers into the page cache
        cpu_of(argv_b)
    for _ in range(rounds):
        a_times.append(measure_of(argv_a))
        b_times.append(measure_of(argv_b))
    if klp_bytes(out_a) or not klp_bytes(out_b):
        sys.exit(f'plugin-overhead: {cc}: {unit}: .debug_klp should be in B only')
    ratios = [b / a for a, b in zip(a_times, b_times)]
    rows.append((unit, statistics.median(a_times), statistics.median(b_times),
                 statistics.median(ratios), min(ratios), max(ratios), klp_bytes(out_b)))
    print(f'plugin-overhead: {cc}: {unit}: A {rows[-1][1]:.2f} B {rows[-1][2]:.2f} '
          f'B/A {rows[-1][3]:.4f}', file=sys.stderr)
elapsed = time.monotonic() - t0

version = subprocess.run([command(units[0], '/dev/null', [])[0], '--version'],
                         stdout=subprocess.PIPE, text=True).stdout.splitlines()[0]
version = re.sub(r'\s*\(.*?\)\s*', ' ', version).strip()
cpu = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo')
            if line.startswith('model name')), os.uname().machine)
meds = [r[3] for r in rows]
overall = statistics.median(meds)
mark = f'plugin-overhead-{cc}' + ('-instructions' if counting else '')
name = 'klp.so' if cc == 'gcc' else 'klp-clang.so'
flags = ' '.join(f'`{f.split("=")[0]}={name}`' for f in plugin_flags)
if counting:
    how = (f'each unit compiled with the command kbuild saved for it (`tests/tools/kbuild-cmd`, '
           f'output to a scratch file), without the plugin (A) and with {flags} added (B), '
           f'A B in turn, {rounds} round(s), under valgrind\'s callgrind '
           f'(`--instructions`): instructions executed by the compiler driver and its children '
           f'(cc1 or clang -cc1, as), which do not depend on the machine\'s load. {cpu}, run '
           f'in {elapsed:.0f} s.')
    head = '| unit | A instructions | B instructions | B/A | rounds\' range | `.debug_klp` bytes |'
    fmt = lambda v: f'{v / 1e6:,.1f}M'
    unit_word = 'instructions'
else:
    how = (f'each unit compiled with the command kbuild saved for it '
           f'(`tests/tools/kbuild-cmd`, output to a scratch file), without the plugin (A) and with '
           f'{flags} added (B), in the order A B A B ... for {rounds} rounds after one uncounted A B '
           f'pair. CPU is user+sys of the compiler and its children (cc1 or clang -cc1, as), median '
           f'of the rounds; B/A is the median of the {rounds} per-round ratios, with their range. '
           f'{cpu}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end of the '
           f'run ({elapsed:.0f} s; other work may have shared the CPUs).')
    head = '| unit | A CPU s | B CPU s | B/A | rounds\' range | `.debug_klp` bytes |'
    fmt = lambda v: f'{v:.2f}'
    unit_word = 'CPU'
lines = [
    f'<!-- {mark}:begin -->',
    f'### {version}, {name}' + (', instructions' if counting else ''),
    '',
    f'`bench/plugin-overhead.sh{" --instructions" if counting else ""}` on '
    f'`{os.path.relpath(objdir, top)}` (the tiny configuration of '
    f'`tests/kernel/build-kernel.sh`): ' + how,
    '',
    head,
    '| --- | --- | --- | --- | --- | --- |',
]
for unit, a, b, med, lo, hi, nb in rows:
    lines.append(f'| {unit} | {fmt(a)} | {fmt(b)} | {med:.4f} | {lo:.4f}-{hi:.4f} | {nb} |')
lines += [
    '',
    f'Over the {len(rows)} units: median B/A **{overall:.4f}** '
    f'({(overall - 1) * 100:+.2f}% {unit_word} per unit), min {min(meds):.4f}, '
    f'max {max(meds):.4f}.',
    f'<!-- {mark}:end -->',
]
block = '\n'.join(lines)
print(block)

text = open(doc).read() if os.path.exists(doc) else '# Performance\n'
begin, end = lines[0], lines[-1]
heading = '## Compile time per unit'
if begin in text:
    text = re.sub(re.escape(begin) + '.*?' + re.escape(end), lambda _m: block, text, flags=re.S)
else:
    # after the other compiler's block, or a new section at the end
    others = list(re.finditer(r'<!-- plugin-overhead-[a-z]+:end -->\n', text))
    if heading in text and others:
        at = others[-1].end()
        text = text[:at] + '\n' + block + '\n' + text[at:]
    else:
        text = text.rstrip('\n') + f'\n\n{heading}\n\n' + block + '\n'
with open(doc, 'w') as f:
    f.write(text)
print(f'plugin-overhead: wrote {doc}', file=sys.stderr)
EOF
done
