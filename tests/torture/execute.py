#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""execute.py - GCC's own torture tests through the plugins (run side, ppc64le).

  execute.py [--jobs N] [--limit N] [--levels O2,...] [--variants V,...]
             TESTSUITE OUTDIR

On ppc64le the plugins rewrite calls: every call to a locally-binding
function keeps a nop after its `bl` and no such call becomes a sibling
call (docs/ppc64le-calls.md).  That changes code, so proving that it keeps
the program's meaning takes running code no one here wrote: every .c file
of TESTSUITE/execute (gcc.c-torture, tests/torture/extract.sh) is compiled
and linked statically at each level, once plain and once with each plugin
variant, and run under qemu-ppc64le:

  ppc-local    powerpc64le-linux-gnu-gcc, klp.so, ppc-calls=local (default)
  ppc-static   the same, ppc-calls=static
  clang-ppc    clang-19 --target=powerpc64le-linux-gnu, klp-clang.so

A test passes when it exits 0, as GCC's harness counts it.  Every test
that passes plain must pass with the plugin: compile, link and run.  One
line per variant and level, then the regressions; exit status 1 if any.
"""
import concurrent.futures
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compile import CLANG, CLANG_C89, GCC_PPC, arguments  # noqa: E402

GCC = ['powerpc64le-linux-gnu-gcc']
CLANG_PPC = ['clang-19', '--target=powerpc64le-linux-gnu', *CLANG_C89]
VARIANTS = {
    'ppc-local': (GCC, [f'-fplugin={GCC_PPC}']),
    'ppc-static': (GCC, [f'-fplugin={GCC_PPC}', '-fplugin-arg-klp-ppc-calls=static']),
    'clang-ppc': (CLANG_PPC, [f'-fplugin={CLANG}', f'-fpass-plugin={CLANG}']),
}
COMPILE_TIMEOUT = 120
RUN_TIMEOUT = 30


def build_and_run(cc, flags, src, exe):
    """None when the program exits 0, else what went wrong."""
    try:
        p = subprocess.run(cc + ['-w', '-static', '-fno-diagnostics-color', *flags, src,
                                 '-o', exe, '-lm'],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           timeout=COMPILE_TIMEOUT)
    except subprocess.TimeoutExpired:
        return 'compile timeout'
    if p.returncode:
        lines = p.stderr.decode(errors='replace').strip().splitlines()
        return 'build: ' + (lines[-1] if lines else 'failed')
    try:
        r = subprocess.run(['qemu-ppc64le', exe], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        return 'run timeout'
    finally:
        if os.path.exists(exe):
            os.unlink(exe)
    return None if r.returncode == 0 else f'exit status {r.returncode}'


def passes_plain(job):
    cc, level, src, work = job
    exe = os.path.join(work, f'{os.path.basename(cc[0])}-{level}-{os.path.basename(src)}.plain')
    return build_and_run(list(cc), [f'-{level}'], src, exe) is None


def one(job):
    variant, level, src, work, plain_ok = job
    cc, plugin = VARIANTS[variant]
    if not plain_ok:
        return ('skipped', src, None)       # fails here without the plugin too
    base = os.path.join(work, f'{variant}-{level}-{os.path.basename(src)}')
    err = build_and_run(cc, [f'-{level}', *plugin], src, base + '.klp')
    return ('regressed', src, err) if err else ('ok', src, None)


def main():
    args = arguments(VARIANTS, 'files (0: all)')
    d = os.path.join(args.testsuite, 'execute')
    names = sorted(f for f in os.listdir(d) if f.endswith('.c'))
    files = [os.path.join(d, f) for f in (names[:args.limit] if args.limit else names)]
    status = 0
    # The plain runs depend on the compiler and level only: ppc-local and
    # ppc-static share theirs.
    plain = {}
    for variant in args.variants.split(','):
        for level in args.levels.split(','):
            cc = tuple(VARIANTS[variant][0])
            if (cc, level) not in plain:
                with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
                    plain[cc, level] = list(ex.map(passes_plain,
                                                   [(cc, level, f, args.outdir) for f in files]))
            jobs = [(variant, level, f, args.outdir, ok) for f, ok in zip(files, plain[cc, level])]
            counts = {'ok': 0, 'skipped': 0, 'regressed': 0}
            bad = []
            with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
                for kind, src, err in ex.map(one, jobs):
                    counts[kind] += 1
                    if kind == 'regressed':
                        bad.append((src, err))
            print(f'{variant} -{level}: {len(files)} files, {counts["ok"]} pass with the '
                  f'plugin, {counts["skipped"]} do not pass plain, {counts["regressed"]} pass '
                  f'plain but not with the plugin', flush=True)
            for src, err in bad:
                print(f'  regressed: {os.path.relpath(src, args.testsuite)}: {err}', flush=True)
            if bad:
                status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
