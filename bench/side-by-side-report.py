#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""side-by-side-report.py WORK PATCH... - the Markdown table of
bench/kpatch-side-by-side.sh from what it left in WORK: per patch and tool
the result, the wall time and what the tool's guest printed; the builder's
changed and new functions against kpatch-build's lines on the same patch."""
import os
import re
import sys

work, patches = sys.argv[1], [os.path.basename(p)[:-len('.patch')] for p in sys.argv[2:]]
tools = [('stock', 'stock kpatch-build'),
         ('ours', 'kpatch-build with `integration/kpatch/`'),
         ('builder', '`klp-fixup build`')]


def read(name, default=''):
    try:
        with open(os.path.join(work, name)) as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


def guest(tool):
    """{patch: [its E2E lines]} and the problem count of TOOL's guest."""
    lines, problems = {}, None
    for line in read('guest-' + tool).splitlines():
        if line.startswith('check: guest log problems: '):
            problems = int(line.rsplit(' ', 1)[1])
        elif line.startswith('E2E: ') and ': ' in line[5:]:
            name, _, what = line[5:].partition(': ')
            lines.setdefault(name, []).append(what)
    return lines, problems


def in_guest(lines):
    """What one module did in the guest, in a few words."""
    if not lines:
        return 'not booted'
    if any('insmod failed' in l for l in lines):
        return 'insmod failed'
    words = []
    if 'loaded test: pass' in lines:
        words.append('its test passes')
    elif 'loaded test: FAIL' in lines:
        words.append('its test FAILS')
    else:
        words.append('loads')
    if not any(l.startswith('transition=0') for l in lines):
        words.append('transition not done')
    if 'unloaded' in lines:
        words.append('unloads')
    if 'after unload: old behaviour' in lines:
        words.append('old behaviour back')
    elif any('still patched' in l for l in lines):
        words.append('STILL PATCHED after unload')
    return ', '.join(words)


def functions(tool, name):
    """{"replaced NAME", "new NAME"} of TOOL's log for patch NAME."""
    return set(read(f'{tool}-{name}.functions').splitlines()) - {''}


def describe(ours, theirs, ours_name='the builder', theirs_name='kpatch-build'):
    """"agree (...)" or what only one side lists."""
    if ours == theirs:
        if not ours:
            return 'agree (none)'
        counts = [f'{sum(1 for f in ours if f.startswith(k))} {k}' for k in ('replaced', 'new')]
        return f'agree ({", ".join(counts)})'
    diff = []
    if ours - theirs:
        diff.append(f'only {ours_name}: ' + ', '.join(sorted(ours - theirs)))
    if theirs - ours:
        diff.append(f'only {theirs_name}: ' + ', '.join(sorted(theirs - ours)))
    return '; '.join(diff)


guests = {t: guest(t) for t, _ in tools}
out = []
out.append('| patch | ' + ' | '.join(title for _, title in tools) +
           ' | functions replaced and new: builder against kpatch-build |')
out.append('| --- ' * (len(tools) + 2) + '|')
totals = {t: [0, 0, 0] for t, _ in tools}  # built, passed in guest, seconds
agree = 0
for name in patches:
    cells = []
    for tool, _ in tools:
        result, secs = read(f'{tool}-{name}.result', '?'), read(f'{tool}-{name}.time', '?')
        totals[tool][2] += int(secs) if secs.isdigit() else 0
        if result == 'built':
            totals[tool][0] += 1
            g = in_guest(guests[tool][0].get(name, []))
            if 'FAIL' not in g and 'failed' not in g and 'STILL' not in g and 'not' not in g:
                totals[tool][1] += 1
            cells.append(f'built in {secs} s; {g}')
        else:
            # (the message without where its log is, or the patch's path)
            result = re.sub(r' Check .* for more details\.$', '', result)
            result = re.sub(r'^refused: \S+\.patch: ', 'refused: ', result)
            cells.append(f'{secs} s, {result}'.replace('|', '\\|'))
    builder = functions('builder', name)
    # (kpatch-build with the series, or stock where that one printed
    # nothing: create-diff-object prints its lines before it can fail)
    ref = 'ours' if functions('ours', name) else 'stock'
    theirs = functions(ref, name)
    cmp = describe(builder, theirs)
    if ref == 'stock' and theirs:
        cmp += ' (stock kpatch-build\'s lines)'
    if cmp.startswith('agree'):
        agree += 1
    other = functions('stock', name)
    if ref == 'ours' and other and other != theirs:
        cmp += '; stock against the series: ' + describe(other, theirs, 'stock', 'the series')
    out.append(f'| {name} | ' + ' | '.join(cells) + f' | {cmp} |')
out.append('')
for tool, title in tools:
    problems = guests[tool][1]
    first = read(f'{tool}-first-run.time')
    line = f'- {title}: {totals[tool][0]} of {len(patches)} built, {totals[tool][1]} loaded and ' \
           f'worked in qemu, {totals[tool][2]} s for all {len(patches)} patches'
    if first:
        line += f' (warm), after a first run of {first} s that builds the whole tree'
    if problems is not None:
        line += f'; guest log problems: {problems}'
    out.append(line + '.')
out.append(f'- Functions replaced and new: the builder and kpatch-build agree on '
           f'{agree} of {len(patches)} patches.')
print('\n'.join(out))
