#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""scale-check.py - the checks bench/scale-build.sh runs on one distribution-
sized kernel, written as one JSON result for bench/scale-report.py:

  - build: wall and CPU seconds with and without the plugin (times.txt),
    and the compiler warnings the plugin build has that the plain one has
    not; and the compile overhead measured in pairs, which a drifting
    machine does not skew (bench/compile-pairs.py, run once per pair of
    builds and kept beside them as ARCH-CC-CONFIG.pairs.json);
  - klp-check sites, addrs and coverage of vmlinux (the tiny kernels'
    checks, tests/kernel/check-kernel.sh).  A site the kernel's own
    __mcount_loc lacks is explained, not passed over, only when the code
    holds the fentry call (or objtool's nop) where the notes say and the
    booted kernel's ftrace does not list the function either: its build
    (scripts/sorttable) dropped the entry;
  - the 32- and 16-bit C objects of the build: compiled with the plugin and
    left out on purpose, or without notes (lost), or compiled without the
    plugin because their Makefile sets flags of its own;
  - .debug_klp raw and stored against .symtab+.strtab;
  - positions: every local of the notes whose name the booted kernel's
    /proc/kallsyms lists more than once, resolved by `klp-fixup sympos
    --batch`, must be the entry at that position of the guest's list.

Exit status: 0 when every check passes, 1 otherwise (the result is written
either way).
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
from collections import defaultdict

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, 'tests', 'tools'))
import elfread  # noqa: E402

KLP_FIXUP = os.environ.get('KLP_FIXUP', os.path.join(TOP, 'build', 'cmake', 'fixup', 'klp-fixup'))
KLP_CHECK = os.path.join(TOP, 'tests', 'tools', 'klp-check')
WARNING = re.compile(r'(^|[^a-z_])warning[:s]', re.I)


def build_times(path, arch, cc, config):
    """{variant: (wall, cpu)} of times.txt's lines for this kernel."""
    times = {}
    for line in open(path):
        f = line.split()
        if len(f) == 8 and f[:2] == [arch, cc] and f[3] == config:
            user, system = f[7].split('+')
            times[f[2]] = (float(f[5]), float(user) + float(system))
    return times


def compile_pairs(out, plain, cache):
    """bench/compile-pairs.py's result for the two trees: CACHE when it is
    newer than both trees' vmlinux, else measured now (minutes of one core)."""
    built = max(os.path.getmtime(os.path.join(t, 'vmlinux')) for t in (out, plain))
    if not (os.path.exists(cache) and os.path.getmtime(cache) > built):
        subprocess.run([os.path.join(TOP, 'bench', 'compile-pairs.py'), out, plain, '--json', cache])
    return json.load(open(cache)) if os.path.exists(cache) else None


def warnings(out):
    return {line.strip() for line in open(os.path.join(out, 'build.log'), errors='replace')
            if WARNING.search(line)}


def klp_check(*args):
    r = subprocess.run([KLP_CHECK, *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout.strip().splitlines()


X86_FENTRY = (b'\xe8', b'\x0f\x1f\x44\x00\x00')  # call __fentry__, or objtool's nop


def dump_of(vmlinux):
    return json.loads(subprocess.run([KLP_FIXUP, 'dump', '--json', vmlinux], check=True,
                                     stdout=subprocess.PIPE, text=True).stdout)


def dropped_sites(vmlinux, dump, mismatches, ftrace):
    """Site mismatches where the kernel's own table has no entry for a
    function whose code has the fentry call (or its nop) where the notes
    say: scripts/sorttable zeroed the entry at build time, and the booted
    kernel's ftrace does not list the function either.  Returns the names
    explained so, and the mismatch lines left."""
    elf = elfread.Elf(vmlinux)
    sites = {s['name']: s for u in dump['units'] for s in u['symbols'] if s.get('site')}
    dropped, left = [], []
    for line in mismatches:
        m = re.match(r'site mismatch: (\S+): notes say (\d+), table says None$', line)
        s = sites.get(m.group(1)) if m else None
        ok = False
        if s and elf.machine == 62 and ftrace and m.group(1) not in ftrace:
            at = int(s['address'], 16) + s['site']['offset']
            sec = next((x for x in elf.sections if x.addr <= at < x.addr + x.size and x.flags & 2), None)
            code = elf.contents(sec)[at - sec.addr:at - sec.addr + 5] if sec else b''
            ok = any(code.startswith(c) for c in X86_FENTRY)
        (dropped if ok else left).append(m.group(1) if ok else line)
    return dropped, left


def vmlinux_checks(out, srctree, dump, ftrace):
    vmlinux = os.path.join(out, 'vmlinux')
    rc, lines = klp_check('addrs', vmlinux)
    res = {'addrs': {'ok': rc == 0, 'line': lines[-1] if lines else ''}}
    rc, lines = klp_check('sites', vmlinux)
    dropped, left = dropped_sites(vmlinux, dump, [l for l in lines if l.startswith(('site ', 'prefix '))],
                                  ftrace)
    res['sites'] = {'ok': not left and bool(lines) and lines[-1].startswith('sites:'),
                    'line': lines[-1] if lines else '', 'mismatches': left[:20],
                    'dropped_by_kernel': dropped}
    rc, lines = klp_check('coverage', f'--srctree={srctree}', f'--objtree={out}', vmlinux)
    m = re.search(r'coverage: (\d+) of (\d+) C local symbols', '\n'.join(lines))
    res['coverage'] = {'ok': rc == 0 and bool(m) and m.group(1) == m.group(2),
                       'covered': int(m.group(1)) if m else 0, 'total': int(m.group(2)) if m else 0,
                       'line': next((l for l in lines if l.startswith('coverage:')), ''),
                       # what it lacks, and the reader's warnings on the way
                       'missing': [l.strip() for l in lines
                                   if l.startswith(('  missing:', 'klp-fixup:'))][:20]}
    return res


def narrow_objects(out):
    """The ELF32 objects kbuild compiled from C (-m32, -m16), sorted by what
    the plugin did with them."""
    res = {'left_out': 0, 'lost': [], 'no_plugin': 0}
    for d, _dirs, files in os.walk(out):
        for f in files:
            if not f.endswith('.o') or f.startswith('.tmp'):
                continue
            obj, cmd = os.path.join(d, f), os.path.join(d, f'.{f}.cmd')
            with open(obj, 'rb') as fh:
                head = fh.read(5)
            if head[:4] != b'\x7fELF' or head[4] != 1 or not os.path.exists(cmd):
                continue
            text = open(cmd, errors='replace').read()
            if not re.search(r'^source_\S* := \S*\.c$', text, re.M):
                continue
            if 'plugin=' not in text.split('\n', 1)[0]:
                res['no_plugin'] += 1
                continue
            _rc, lines = klp_check('coverage', obj)
            if lines and lines[0].startswith('coverage: left out on purpose'):
                res['left_out'] += 1
            else:
                res['lost'].append(os.path.relpath(obj, out))
    return res


def sizes(vmlinux):
    elf = elfread.Elf(vmlinux)
    sec = elf.section('.debug_klp')
    tables = sum(s.size for s in elf.sections if s.name in ('.symtab', '.strtab'))
    stored = raw = sec.size if sec else 0
    if sec and sec.flags & 0x800:  # SHF_COMPRESSED: Elf64_Chdr's ch_size
        raw = struct.unpack_from(elf.e + 'Q', elf.data, sec.offset + 8)[0]
    return {'stored': stored, 'raw': raw, 'tables': tables}


def guest_kallsyms(log):
    """name -> [address...] in the booted kernel's kallsyms order, for the
    names it lists more than once; the type of each (name, address); the
    kallsyms line count; whether the guest finished; and the names of the
    functions its ftrace can patch."""
    names, types, total, done = defaultdict(list), {}, 0, False
    ftrace = set()
    for line in open(log, errors='replace'):
        line = line.replace('\r', '').rstrip('\n')
        f = re.search(r'SCALE: F (\S+)$', line)
        if f:
            ftrace.add(f.group(1))
            continue
        # (search: the console may put escape sequences before a line)
        m = re.search(r'SCALE: K ([0-9a-f]+) (\S) (\S+)$', line)
        if m:
            addr = int(m.group(1), 16)
            names[m.group(3)].append(addr)
            types[(m.group(3), addr)] = m.group(2)
        elif re.search(r'SCALE: kallsyms lines \d+$', line):
            total = int(line.split()[-1])
        elif line.endswith('SCALE: done'):
            done = True
    return names, types, total, done, ftrace if done else None


def positions(vmlinux, dump, names, types, work):
    """Every local of the notes that kallsyms lists under a duplicated name:
    its position from klp-fixup against the guest's order."""
    wanted, per_unit = [], defaultdict(int)
    for unit in dump['units']:
        for s in unit['symbols']:
            if s['binding'] == 'local' and s['address'] and s['name'] in names:
                per_unit[(unit['path'], s['name'])] += 1
                wanted.append((unit['path'], s['name'], int(s['address'], 16)))
    # Two locals of one name in one unit (function-local statics of two
    # functions) cannot be told apart by TU and name: counted, not asked.
    twice = [w for w in wanted if per_unit[w[:2]] > 1]
    asked = [w for w in wanted if per_unit[w[:2]] == 1]
    listing = os.path.join(work, 'sympos-batch.txt')
    with open(listing, 'w') as f:
        for tu, name, _addr in asked:
            f.write(f'{tu}\t{name}\n')
    r = subprocess.run([KLP_FIXUP, 'sympos', '--target', vmlinux, '--batch', listing],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    answers = {}
    for line in r.stdout.splitlines():
        tu, name, pos = line.split('\t')
        answers[(tu, name)] = int(pos)
    matched, wrong, unresolved = 0, [], []
    for tu, name, addr in asked:
        pos = answers.get((tu, name))
        if pos is None:
            unresolved.append(f'{tu} {name}')
        elif 1 <= pos <= len(names[name]) and names[name][pos - 1] == addr:
            matched += 1
        else:
            wrong.append(f'{tu} {name}: position {pos}, address {addr:#x}; guest: '
                         + ' '.join(f'{a:#x}' for a in names[name][:8]))
    # The guest's duplicated locals that no C unit's notes hold: on x86_64
    # the __pfx_ symbols of the padding before functions (objtool's, or
    # clang's: the notes record the padding in the function's record, and
    # no livepatch refers to one), and symbols of assembler files and
    # linker scripts.
    noted = {(name, addr) for _tu, name, addr in wanted}
    guest_locals = [(n, a) for n, addrs in names.items() for a in addrs if types[(n, a)].islower()]
    unnoted = [n for n, a in guest_locals if (n, a) not in noted]
    prefix = [n for n in unnoted if n.startswith('__pfx_')]
    others = [n for n in unnoted if not n.startswith('__pfx_')]
    return {'asked': len(asked), 'matched': matched, 'wrong': wrong[:20], 'nwrong': len(wrong),
            'unresolved': unresolved[:20], 'nunresolved': len(unresolved),
            'errors': r.stderr.strip().splitlines()[:10], 'same_name_in_unit': len(twice),
            'guest_duplicated_locals': len(guest_locals),
            'guest_locals_in_notes': len(guest_locals) - len(unnoted),
            'guest_unnoted_prefix': len(prefix), 'guest_unnoted_other': len(others),
            'guest_unnoted_other_names': sorted(set(others))[:20]}


def main():
    ap = argparse.ArgumentParser()
    for opt in ('--arch', '--cc', '--config', '--times', '--out', '--boot-log', '--result'):
        ap.add_argument(opt, required=True)
    ap.add_argument('--plain')
    a = ap.parse_args()
    vmlinux = os.path.join(a.out, 'vmlinux')
    srctree = os.path.join(os.path.dirname(a.out), 'src-6.12')
    res = {'arch': a.arch, 'cc': a.cc, 'config': a.config,
           'times': build_times(a.times, a.arch, a.cc, a.config)}
    units = subprocess.run(['sh', '-c', f'"{KLP_FIXUP}" dump "{vmlinux}" | head -n 1'],
                           stdout=subprocess.PIPE, text=True).stdout.strip()
    res['notes'] = re.sub(r'^file [^:]*: ', '', units)
    res['c_objects'] = sum(1 for line in open(os.path.join(a.out, 'build.log'), errors='replace')
                           if re.match(r'\s+CC\s', line))
    res['pairs'] = None
    if a.plain:
        cache = os.path.join(os.path.dirname(a.out), f'{a.arch}-{a.cc}-{a.config}.pairs.json')
        res['pairs'] = compile_pairs(a.out, a.plain, cache)
    res['added_warnings'] = sorted(warnings(a.out) - (warnings(a.plain) if a.plain else set()))[:20]
    names, types, total, done, ftrace = guest_kallsyms(a.boot_log)
    dump = dump_of(vmlinux)
    res['vmlinux'] = vmlinux_checks(a.out, srctree, dump, ftrace)
    res['narrow'] = narrow_objects(a.out) if a.arch == 'x86_64' else None
    res['sizes'] = sizes(vmlinux)
    res['boot'] = {'kallsyms_lines': total, 'complete': done, 'duplicated_names': len(names),
                   'ftrace_functions': len(ftrace or ())}
    res['positions'] = positions(vmlinux, dump, names, types, os.path.dirname(a.result)) if done else None

    p, v = res['positions'], res['vmlinux']
    res['ok'] = bool(not res['added_warnings'] and all(v[k]['ok'] for k in v)
                     and (res['narrow'] is None or not res['narrow']['lost'])
                     and done and p and p['asked'] and p['matched'] == p['asked'])
    with open(a.result + '.tmp', 'w') as f:
        json.dump(res, f, indent=1)
    os.replace(a.result + '.tmp', a.result)
    print(f"scale: {a.arch} {a.cc} {a.config}: {'pass' if res['ok'] else 'FAIL'} ({a.result})")
    return 0 if res['ok'] else 1


if __name__ == '__main__':
    sys.exit(main())
