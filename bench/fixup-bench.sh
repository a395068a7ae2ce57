#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# fixup-bench.sh - time `klp-fixup sympos` and `klp-fixup convert` on a
# vmlinux with many symbols against `nm -n` on the same file (what the
# kernel build itself runs to order kallsyms), in one run, and record peak
# memory.  Results replace the "klp-fixup" section of docs/performance.md.
#
#   bench/fixup-bench.sh [VMLINUX]
#
# VMLINUX defaults to build/kernel/x86_64-gcc-plugin/vmlinux (read only).
# KLP_FIXUP picks the binary (default build/cmake/fixup/klp-fixup), RUNS
# the repetitions (best time counts, default 5), NREFS the number of
# references in the generated livepatch module (default 500).
#
# The generated module refers, through include/klp.h, to NREFS local
# symbols taken from the vmlinux's notes, same-named ones first, each from
# two places (2 relocations per symbol).  Every position convert writes is
# checked against one computed here from `nm -n` by address; a mismatch
# fails the benchmark.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
vmlinux=${1:-$top/build/kernel/x86_64-gcc-plugin/vmlinux}
klp_fixup=${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}
runs=${RUNS:-5}
nrefs=${NREFS:-500}

[ -r "$vmlinux" ] || { echo "fixup-bench: $vmlinux: not readable; build a kernel with the plugin or pass VMLINUX" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "fixup-bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -x "$klp_fixup" ] || { echo "fixup-bench: $klp_fixup: not built; run scripts/build.sh or set KLP_FIXUP" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export LC_ALL=C
python3 - "$top" "$vmlinux" "$klp_fixup" "$work" "$runs" "$nrefs" <<'EOF'
import collections
import json
import os
import re
import subprocess
import sys
import time

top, vmlinux, klp_fixup, work, runs, nrefs = sys.argv[1:5] + [int(sys.argv[5]), int(sys.argv[6])]
sys.path.insert(0, os.path.join(top, 'tests', 'tools'))
import elfread  # noqa: E402

# scripts/mksysmap and kallsyms.c, as in tests/tools/nm-sympos
MKSYSMAP = re.compile('|'.join([
    r' [aNUw] ', r' \$', r' \.L', r' __efistub_', r' __pi_\$', r' __pi_\.L', r' __kvm_nvhe_\$',
    r' __kvm_nvhe_\.L', r' __[A-Za-z0-9]*Thunk_', r' __kcfi_typeid_',
    r' __kvm_nvhe___kcfi_typeid_', r' __pi___kcfi_typeid_', r' __crc_', r' __kstrtab_',
    r' __kstrtabns_', r'_from_arm$', r'_from_thumb$', r'_veneer$', r' L0$', r' _SDA_BASE_$',
    r' _SDA2_BASE_$', r'\.long_branch\.', r'\.plt_branch\.']))


def measure(cmd):
    """Best wall time over runs, and the largest peak RSS (KiB).  RSS comes
    from /usr/bin/time: a child forked from this (large) Python process
    would report Python's pages as its own."""
    best, rss = None, 0
    rss_file = os.path.join(work, 'rss')
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(['/usr/bin/time', '-f', '%M', '-o', rss_file, *cmd], check=True,
                       stdout=subprocess.DEVNULL)
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
        rss = max(rss, int(open(rss_file).read().split()[-1]))
    return best, rss


# Ground truth: kallsyms order from nm -n, per name.
nm_out = subprocess.run(['nm', '-n', vmlinux], check=True, stdout=subprocess.PIPE).stdout.decode()
by_name = collections.defaultdict(list)
for seq, line in enumerate(nm_out.splitlines()):
    if MKSYSMAP.search(line):
        continue
    f = line.split(' ')
    if len(f) != 3 or f[1] in 'un' or f[1] == 'A':
        continue
    by_name[f[2]].append((int(f[0], 16), f[1] in 'wW', seq))
for v in by_name.values():
    v.sort()


def truth(name, addr):
    cands = by_name[name]
    for i, c in enumerate(cands):
        if c[0] == addr:
            return 0 if len(cands) == 1 else i + 1
    return None


# The references: local symbols from the notes, duplicated names first.
notes = json.loads(subprocess.run([klp_fixup, 'dump', '--json', vmlinux], check=True,
                                  stdout=subprocess.PIPE).stdout)
units = collections.Counter(u['path'] for u in notes['units'])
picked, seen = [], set()
for dup_first in (True, False):
    for u in notes['units']:
        if units[u['path']] != 1:
            continue        # a path recorded twice cannot be named
        for s in u['symbols']:
            key = (u['path'], s['name'])
            if s['binding'] != 'local' or s.get('address') is None or key in seen:
                continue
            if '"' in s['name'] or '"' in u['path'] or '\\' in u['path']:
                continue
            if (len(by_name[s['name']]) > 1) != dup_first:
                continue
            if truth(s['name'], int(s['address'], 16)) is None:
                continue
            seen.add(key)
            picked.append((u['path'], s['name'], int(s['address'], 16)))
picked = picked[:nrefs]

src = ['#include "klp.h"']
for i, (path, name, _addr) in enumerate(picked):
    src.append(f'extern char ref{i}[] KLP_LOCAL_SYM("vmlinux", "{path}", "{name}");')
for table in ('first', 'second'):
    src.append(f'void *{table}[] = {{')
    src += [f'\tref{i},' for i in range(len(picked))]
    src.append('};')
with open(os.path.join(work, 'refs.c'), 'w') as f:
    f.write('\n'.join(src) + '\n')
mod, out = os.path.join(work, 'refs.ko'), os.path.join(work, 'refs-out.ko')
subprocess.run(['gcc', '-O2', '-I', os.path.join(top, 'include'), '-c',
                os.path.join(work, 'refs.c'), '-o', mod], check=True)

# One conversion to check, then the timings.
subprocess.run([klp_fixup, 'convert', '--target', vmlinux, mod, '-o', out], check=True,
               stdout=subprocess.DEVNULL)
elf = elfread.Elf(out)
got = {s.name for s in elf.symbols if s.name.startswith('.klp.sym.')}
mismatches = 0
for path, name, addr in picked:
    if f'.klp.sym.vmlinux.{name},{truth(name, addr)}' not in got:
        mismatches += 1
        print(f'fixup-bench: {path} {name}: position differs from nm -n', file=sys.stderr)
nrelocs = sum(1 for s in elf.sections if s.name.startswith('.klp.rela.')
              for _ in range(s.size // 24))

sym = next(p for p in picked if len(by_name[p[1]]) > 1)
t_nm, m_nm = measure(['nm', '-n', vmlinux])
t_pos, m_pos = measure([klp_fixup, 'sympos', '--target', vmlinux, sym[0], sym[1]])
t_conv, m_conv = measure([klp_fixup, 'convert', '--target', vmlinux, mod, '-o', out])
# What the process costs before it reads anything (libc, libelf).
t_base, m_base = measure([klp_fixup, '--version'])
symtab = sum(s.size for s in elfread.Elf(vmlinux).sections if s.name in ('.symtab', '.strtab'))
nsyms = len(elfread.Elf(vmlinux).symbols)
klp = elfread.Elf(vmlinux).section('.debug_klp')
uname = os.uname()
cpu = next((line.split(':', 1)[1].strip() for line in open('/proc/cpuinfo')
            if line.startswith('model name')), uname.machine)

rows = [
    ('`nm -n vmlinux` (reference)', t_nm, m_nm),
    (f'`klp-fixup sympos` ({sym[1]}, {len(by_name[sym[1]])} of that name)', t_pos, m_pos),
    (f'`klp-fixup convert` ({len(picked)} references, {nrelocs} relocations)', t_conv, m_conv),
    ('`klp-fixup --version` (the process alone)', t_base, m_base),
]
lines = [
    '## klp-fixup',
    '',
    f'`bench/fixup-bench.sh` on `{os.path.relpath(vmlinux, top)}`: {nsyms} symbols, '
    f'`.symtab`+`.strtab` {symtab / 1024:.0f} KiB, `.debug_klp` {klp.size / 1024:.0f} KiB; '
    f'{cpu}, load average {os.getloadavg()[0]:.1f} at the end of the run (other work shared '
    f'the CPUs), best of {runs} runs, peak RSS of the process.',
    '',
    '| command | time | ratio to nm | peak RSS | RSS / (.symtab+.strtab) |',
    '| --- | --- | --- | --- | --- |',
]
for what, t, m in rows:
    lines.append(f'| {what} | {t * 1000:.0f} ms | {t / t_nm:.2f}x | {m / 1024:.1f} MiB | '
                 f'{m * 1024 / symtab:.1f}x |')
worst_t = max(t_pos, t_conv) / t_nm
worst_m = max(m_pos, m_conv) * 1024 / symtab
lines += [
    '',
    f'Positions checked against `nm -n` by address: {len(picked) - mismatches} of '
    f'{len(picked)} agree.',
    '',
    f'Targets: time at most 0.5x `nm`: {"met" if worst_t <= 0.5 else "not met"} '
    f'({worst_t:.2f}x); peak memory under 2x `.symtab`+`.strtab`: '
    f'{"met" if worst_m < 2 else "not met"} ({worst_m:.1f}x; the notes, stored '
    f'zstd-compressed, are inflated whole). `sympos` and `convert` read '
    f'the vmlinux with `pread()` in 64 KiB chunks and hold none of its big sections: the notes '
    f'are checked in one pass that keeps only the list of units, the units the references name '
    f'are decoded again, and one pass over `.strtab` and `.symtab` keeps only the symbols with '
    f'the names those units and references use (`fixup/notes/symset.c`). Of the peak, '
    f'{m_base / 1024:.1f} MiB is the process before it reads anything (last row).',
    '',
]
print('\n'.join(lines))

perf = os.path.join(top, 'docs', 'performance.md')
text = open(perf).read() if os.path.exists(perf) else '# Performance\n\n'
section = '\n'.join(lines) + '\n'  # a blank line before what follows
# The section ends at the next heading or at the block bench/kernel-build.sh owns.
m = re.search(r'^## klp-fixup\n.*?(?=^## |^<!-- kernel-build:begin -->|\Z)', text, re.S | re.M)
if m:
    text = text[:m.start()] + section + text[m.end():]
else:
    text = text.rstrip('\n') + '\n\n' + section
with open(perf, 'w') as f:
    f.write(text)
print(f'fixup-bench: wrote {perf}')
sys.exit(1 if mismatches else 0)
EOF
