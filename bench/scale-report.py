#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scale-report.py RESULTS_DIR DOC - docs/scale.md from the results of
bench/scale-build.sh (one JSON per kernel, bench/scale-check.py).  The page
is rewritten between its markers; the text around them is kept, so the
explanations can be edited by hand.  A kernel with no result in RESULTS_DIR
keeps the rows an earlier run wrote for it: one kernel is an hour of both
cores, so kernels are measured one at a time, and a build tree that is gone
does not take its measured figures with it."""
import glob
import json
import os
import re
import sys

results_dir, doc = sys.argv[1:3]
BUILDS = ('| kernel | C objects | wall s plain / plugin | CPU s plain / plugin | CPU ratio | '
          'warnings the plugin adds | result |')
ORDER = {('x86_64', 'gcc', 'defconfig'): 0, ('x86_64', 'clang', 'defconfig'): 1,
         ('ppc64le', 'gcc', 'defconfig'): 2, ('x86_64', 'gcc', 'debian'): 3}
NAMES = {'defconfig': {'x86_64': 'x86_64_defconfig', 'ppc64le': 'pseries_le_defconfig'},
         'debian': {'x86_64': "Debian's amd64 config"}}
COMPILER = {'gcc': {'x86_64': 'gcc 12, klp.so', 'ppc64le': 'gcc 12, klp.so'},
            'clang': {'x86_64': 'clang-19, klp-clang.so'}}

results = []
for path in glob.glob(os.path.join(results_dir, '*.json')):
    r = json.load(open(path))
    results.append(r)
results.sort(key=lambda r: ORDER.get((r['arch'], r['cc'], r['config']), 9))
KERNEL_ORDER = {f"{NAMES[c][a]} ({COMPILER[cc][a]})": i for (a, cc, c), i in ORDER.items()}


def kernel(r):
    return f"{NAMES[r['config']][r['arch']]} ({COMPILER[r['cc']][r['arch']]})"


def yes(ok):
    return 'pass' if ok else '**FAIL**'


text = open(doc).read() if os.path.exists(doc) else '# Kernels at scale\n\n<!-- scale:begin -->\n<!-- scale:end -->\n'
begin, end = text.index('<!-- scale:begin -->'), text.index('<!-- scale:end -->') + len('<!-- scale:end -->')
measured = {kernel(r) for r in results}


def earlier_rows(header):
    """The rows of the page's results table whose header line is HEADER and
    whose kernel this run did not measure, by kernel name."""
    tables, rows = {}, None
    for line in text[begin:end].splitlines():
        if line.startswith('| kernel |'):
            rows = tables.setdefault(line, {})
        elif line.startswith('| ') and rows is not None and not line.startswith('| ---'):
            name = line.split(' | ')[0][2:]
            if name not in measured:
                rows[name] = line
        elif not line.startswith('|'):
            rows = None
    return tables.get(header, {})


def with_earlier(new):
    """NEW rows (kernel name, line) of the table whose header is the last
    line so far, and the page's earlier ones, in ORDER."""
    rows = dict(new)
    rows.update(earlier_rows(lines[-2]))
    return [rows[k] for k in sorted(rows, key=lambda k: KERNEL_ORDER.get(k, 9))]


# `name` (kernel) items of a sentence of the page, for kernels not measured now.
def earlier_items(prefix):
    for line in text[begin:end].splitlines():
        if line.startswith(prefix):
            return [(m.group(2), m.group(1)) for m in re.finditer(r'`([^`]+)` \(([^()]*\([^()]*\))\)', line)
                    if m.group(2) not in measured]
    return []


UNNOTED = '| kernel | not in the notes | `__pfx_` symbols | others | the others |'
UNNOTED_TEXT = ('The duplicated locals of the guest\'s list that no unit\'s notes hold: on x86_64 the '
                '`__pfx_` symbols of the padding before functions (made by objtool, or by clang; the '
                'notes record the padding in the function\'s record, and no livepatch refers to one), '
                'and the symbols of assembler files.')
lines = ['<!-- scale:begin -->', '## Results', '',
         'Written by `bench/scale-report.py` from the last run of each kernel.', '',
         '### Builds', '',
         'Each kernel built from scratch with `make -j2` (x86_64: `bzImage`; ppc64le: `vmlinux`), '
         'with the plugin and then without it, in one run of `bench/scale-build.sh`. CPU is user+sys '
         'of make and every compiler and linker it ran.', '',
         BUILDS,
         '| --- | --- | --- | --- | --- | --- | --- |']
new = []
for r in results:
    t = r['times']
    if 'plain' in t and 'plugin' in t:
        walls = f"{t['plain'][0]:.0f} / {t['plugin'][0]:.0f}"
        cpus = f"{t['plain'][1]:.0f} / {t['plugin'][1]:.0f}"
        ratio = f"{t['plugin'][1] / t['plain'][1]:.3f}"
    else:
        walls = f"- / {t['plugin'][0]:.0f}" if 'plugin' in t else '-'
        cpus = f"- / {t['plugin'][1]:.0f}" if 'plugin' in t else '-'
        ratio = '-'
    new.append((kernel(r), f"| {kernel(r)} | {r['c_objects']} | {walls} | {cpus} | {ratio} | "
                 f"{len(r['added_warnings'])} | {yes(r['ok'])} |"))
lines += with_earlier(new)

lines += ['', 'Two whole builds run half an hour apart, and on this shared virtual machine a core\'s '
          'speed drifts over that time by more than the plugin costs. So the compile overhead is '
          'also measured in pairs (`bench/compile-pairs.py`): 200 C units spread over the tree '
          '(every k-th of the sorted list), each compiled with its saved kbuild command once with '
          'the plugin and once without, back to back, alternating which goes first.', '',
          '| kernel | C units | compiled in pairs | CPU s plain / plugin | CPU ratio |',
          '| --- | --- | --- | --- | --- |']
new = []
for r in results:
    q = r.get('pairs')
    if q:
        new.append((kernel(r), f"| {kernel(r)} | {q['units']} | {q['sample']}"
                    + (f" ({len(q['failed'])} failed)" if q['failed'] else '')
                    + f" | {q['cpu_plain']:.0f} / {q['cpu_plugin']:.0f} | {q['ratio']:.3f} |"))
lines += with_earlier(new)

lines += ['', '### Notes against the kernel\'s own tables', '',
          '`tests/tools/klp-check` on vmlinux, as `tests/kernel/check-kernel.sh` runs it on the tiny '
          'kernels. 32- and 16-bit C objects: compiled with the plugin and left out on purpose / '
          'without notes (lost) / compiled without the plugin, because their Makefile replaces the '
          'kernel\'s flags (and KCFLAGS with them).', '',
          '| kernel | units, symbols | C locals covered | sites | addresses | 32/16-bit C objects | .debug_klp raw / stored | stored / (.symtab+.strtab) |',
          '| --- | --- | --- | --- | --- | --- | --- | --- |']
new = []
for r in results:
    v, s, n = r['vmlinux'], r['sizes'], r['narrow']
    cov = f"{v['coverage']['covered']} of {v['coverage']['total']}"
    sites = v['sites']['line'].replace('sites: ', '')
    if v['sites']['dropped_by_kernel']:
        sites += f"; {len(v['sites']['dropped_by_kernel'])} dropped by the kernel's table (below)"
    narrow = f"{n['left_out']} / {len(n['lost'])} / {n['no_plugin']}" if n else 'none built'
    new.append((kernel(r), f"| {kernel(r)} | {re.sub(r'^linked [^,]*, ', '', r['notes'])} | {cov} | "
                 f"{sites} | {v['addrs']['line'].replace('addrs: ', '')} | {narrow} | "
                 f"{s['raw'] / 1024:.0f} / {s['stored'] / 1024:.0f} KiB | "
                 f"{100.0 * s['stored'] / s['tables']:.1f}% |"))
lines += with_earlier(new)

lines += ['', '### Positions against the booted kernel', '',
          'The kernel boots in qemu and lists every `/proc/kallsyms` line whose name is there more '
          'than once. Every local the notes record under such a name is resolved by `klp-fixup '
          'sympos --batch` (unit and name), and must be the entry at that position of the booted '
          'kernel\'s list, at the address the notes give.', '',
          '| kernel | kallsyms lines | names listed more than once | their locals | of those in the notes | resolved | at the booted kernel\'s position |',
          '| --- | --- | --- | --- | --- | --- | --- |']
new = []
for r in results:
    b, p = r['boot'], r['positions']
    if not p:
        new.append((kernel(r), f"| {kernel(r)} | {b['kallsyms_lines']} | - | - | - | the guest did not finish | **FAIL** |"))
        continue
    pct = 100.0 * p['matched'] / p['asked'] if p['asked'] else 0.0
    new.append((kernel(r), f"| {kernel(r)} | {b['kallsyms_lines']} | {b['duplicated_names']} | "
                 f"{p['guest_duplicated_locals']} | {p['guest_locals_in_notes']} | "
                 f"{p['asked'] - p['nunresolved']} of {p['asked']} | {p['matched']} ({pct:.2f}%) |"))
lines += with_earlier(new)

# (results from before the split have no such row)
head = ['', UNNOTED_TEXT, '', UNNOTED, '| --- | --- | --- | --- | --- |']
lines += head
new = []
for r in results:
    p = r['positions']
    if p and 'guest_unnoted_prefix' in p:
        names = ', '.join(f'`{n}`' for n in p['guest_unnoted_other_names']) or '-'
        new.append((kernel(r), f"| {kernel(r)} | {p['guest_duplicated_locals'] - p['guest_locals_in_notes']} | "
                     f"{p['guest_unnoted_prefix']} | {p['guest_unnoted_other']} | {names} |"))
rows = with_earlier(new)
if rows:
    lines += rows
else:
    del lines[-len(head):]

dropped = [(kernel(r), d) for r in results for d in r['vmlinux']['sites']['dropped_by_kernel']]
dropped += earlier_items("Sites the kernel's own table dropped")
problems = [(kernel(r), x) for r in results
            for x in (r['vmlinux']['sites']['mismatches']
                      + ([] if r['vmlinux']['coverage']['ok'] else r['vmlinux']['coverage']['missing'])
                      + r['positions']['wrong']
                      + r['positions']['unresolved'] + r['added_warnings']
                      if r['positions'] else ['the guest did not finish'])]
problems += [(m.group(1), m.group(2)) for m in re.finditer(r'^- (.*\)): `(.*)`$', text[begin:end], re.M)
             if m.group(1) not in measured]
dropped.sort(key=lambda kd: KERNEL_ORDER.get(kd[0], 9))
problems.sort(key=lambda kx: KERNEL_ORDER.get(kx[0], 9))
if dropped:
    lines += ['', "Sites the kernel's own table dropped (the code has the fentry call, or objtool's "
              "nop, where the notes say; the booted kernel's `available_filter_functions` does not "
              "list the function): " + ', '.join(f"`{d}` ({k})" for k, d in dropped) + '.']
if problems:
    lines += ['', 'Problems:'] + [f'- {k}: `{x}`' for k, x in problems]
lines += ['<!-- scale:end -->']

text = text[:begin] + '\n'.join(lines) + text[end:]
with open(doc + '.tmp', 'w') as f:
    f.write(text)
os.replace(doc + '.tmp', doc)
print(f'scale-report: {len(results)} kernels measured, {len(earlier_rows(BUILDS))} kept from {doc}, written there')
