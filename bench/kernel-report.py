#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""kernel-report.py ROOT RESULTS PERFORMANCE_MD - turn bench/kernel-build.sh's
builds into the "Kernel builds" sections of docs/performance.md (one per
compiler built in this run)."""
import json
import os
import re
import subprocess
import sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, 'tests', 'tools'))
import elfread  # noqa: E402

root, results, doc = sys.argv[1:4]
# One section per compiler, so a run of one compiler's builds leaves the
# other's figures (and their one-run ratios) alone.
MARK = {'gcc': 'kernel-build', 'clang': 'kernel-build-clang'}
TITLE = {'gcc': 'Kernel builds (gcc 12, klp.so)', 'clang': 'Kernel builds (clang-19, klp-clang.so)'}

times = {}
for line in open(results):
    arch, cc, variant, _w, wall, _c, cpu = line.split()
    times[(arch, cc, variant)] = (float(wall), float(cpu))


def sections(path):
    elf = elfread.Elf(path)
    return {s.name: s.size for s in elf.sections}, elf


def nop_check(path):
    out = subprocess.run([os.path.join(top, 'tests', 'tools', 'ppc-nop-check'), '--summary', path],
                         stdout=subprocess.PIPE, text=True).stdout
    m = re.search(r'(\d+) calls, (\d+) violations', out)
    return int(m.group(1)), int(m.group(2))


def block(cc):
    BEGIN, END = f'<!-- {MARK[cc]}:begin -->', f'<!-- {MARK[cc]}:end -->'
    lines = [BEGIN, '## ' + TITLE[cc], '',
             'Measured by `bench/kernel-build.sh` in one run on this 2-core machine: Debian '
             'linux-source-6.12 with the tiny LIVEPATCH configuration of `tests/kernel/build-kernel.sh`, '
             'each variant built from scratch with `make -j2 all` (vmlinux, bzImage/zImage, modules). '
             'CPU is user+sys time of the whole build.', '',
             '| arch | compiler | variant | wall s | CPU s | CPU ratio | wall ratio | vmlinux .text bytes | .text growth |',
             '| --- | --- | --- | --- | --- | --- | --- | --- | --- |']
    extra = []
    for arch in ('x86_64', 'ppc64le'):
        if (arch, cc, 'plain') not in times:
            continue
        base_wall, base_cpu = times[(arch, cc, 'plain')]
        base_secs, _ = sections(os.path.join(root, f'{arch}-{cc}-plain', 'vmlinux'))
        for variant in ('plain', 'plugin', 'plugin-static'):
            if (arch, cc, variant) not in times:
                continue
            wall, cpu = times[(arch, cc, variant)]
            vmlinux = os.path.join(root, f'{arch}-{cc}-{variant}', 'vmlinux')
            secs, elf = sections(vmlinux)
            growth = 100.0 * (secs['.text'] - base_secs['.text']) / base_secs['.text']
            lines.append(f'| {arch} | {cc} | {variant} | {wall:.0f} | {cpu:.0f} | {cpu / base_cpu:.3f} | '
                         f'{wall / base_wall:.3f} | {secs[".text"]} | {growth:+.2f}% |')
            if variant == 'plugin':
                doc_json = json.loads(subprocess.run(
                    [os.environ['KLP_FIXUP'], 'dump', '--json', vmlinux],
                    stdout=subprocess.PIPE, check=True).stdout)
                nsyms = sum(len(u['symbols']) for u in doc_json['units'])
                notes = secs['.debug_klp']
                symstr = secs['.symtab'] + secs['.strtab']
                alloc = sum(s.size for s in elf.sections if s.flags & elfread.SHF_ALLOC)
                base_alloc = sum(s.size for s in elfread.Elf(os.path.join(
                    root, f'{arch}-{cc}-plain', 'vmlinux')).sections if s.flags & elfread.SHF_ALLOC)
                extra.append(f'| {arch} | {cc} | {len(doc_json["units"])} | {nsyms} | {notes} | '
                             f'{notes / nsyms:.1f} | {100.0 * notes / symstr:.1f}% | {alloc - base_alloc:+d} |')
            if arch == 'ppc64le':
                calls, bad = nop_check(vmlinux)
                line = (f'ppc64le {variant}: {calls} `bl` to functions, {bad} ppc-nop-check '
                        f'violations (`bl` without nop or sibling call)')
                if variant == 'plain':
                    plain_bad = bad
                else:
                    # Every site the plugin changed now carries a 4-byte nop
                    # after its `bl`: that much growth is the guarantee itself,
                    # whatever the implementation; the rest is ours.
                    changed = plain_bad - bad
                    floor = 4 * changed
                    grown = secs['.text'] - base_secs['.text']
                    line += (f'; {changed} sites changed, their nops alone {floor} bytes = '
                             f'{100.0 * floor / base_secs[".text"]:.2f}% of plain `.text`; '
                             f'growth beyond the nops {grown - floor:+d} bytes = '
                             f'{100.0 * (grown - floor) / base_secs[".text"]:+.2f}%')
                extra.append(line)

    lines += ['', 'Notes in vmlinux (with the plugin):', '',
              '| arch | compiler | units | symbol notes | .debug_klp bytes | bytes per symbol note | '
              'of .symtab+.strtab | allocated bytes vs plain |',
              '| --- | --- | --- | --- | --- | --- | --- | --- |']
    lines += [e for e in extra if e.startswith('|')]
    ppc = [e for e in extra if not e.startswith('|')]
    if ppc:
        lines += ['', 'ppc64le calls in vmlinux (`tests/tools/ppc-nop-check --summary`):', '']
        lines += ['- ' + e for e in ppc]
    lines += ['', END]
    return lines


text = open(doc).read() if os.path.exists(doc) else '# Performance\n'
for cc in sorted({cc for _a, cc, _v in times}):
    lines = block(cc)
    begin, end = lines[0], lines[-1]
    if begin in text:
        text = re.sub(re.escape(begin) + '.*?' + re.escape(end), lambda _m: '\n'.join(lines), text, flags=re.S)
    else:
        text = text.rstrip('\n') + '\n\n' + '\n'.join(lines) + '\n'
    print('\n'.join(lines))
with open(doc, 'w') as f:
    f.write(text)
