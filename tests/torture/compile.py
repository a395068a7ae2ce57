#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""compile.py - GCC's own torture tests through the plugins (compile side).

  compile.py [--jobs N] [--limit N] [--levels O0,O2,O3,Os] [--variants V,...]
             TESTSUITE OUTDIR

TESTSUITE is gcc/testsuite/gcc.c-torture of a GCC source tree (Debian's
gcc-12-source: tests/torture/extract.sh).  Every .c file of its compile/
and execute/ directories is compiled at each level, once plain and once
with each plugin variant:

  x86          gcc with build/cmake/gcc-plugin/x86_64/klp.so
  ppc-local    powerpc64le-linux-gnu-gcc with klp.so, ppc-calls=local
  ppc-static   the same, ppc-calls=static
  clang-x86    clang-19 with klp-clang.so (x86_64)
  clang-ppc    clang-19 --target=powerpc64le-linux-gnu with klp-clang.so

Both compiles take the kernel's ftrace flags for the target (FTRACE), so
the plugin records real patch sites.  A file that compiles plain must
compile with the plugin: no ICE, no crash, no new error (where the code is
not compared, a file is compiled plain only when the plugin's compile
fails, to tell which it is), and klp-check
must agree with every object's notes: sites, addresses and coverage
(`klp-check object`).  On x86 (gcc and clang) the code must be the plain one's:
the object without .debug_klp byte-identical, or where the notes' relocations
added a section symbol (a local object without a symbol of its own), the
allocated sections, their relocations and the other symbols identical
(klp-check same-code).  Prints one line per variant and
level, and the failures; exit status 1 if any.
"""
import argparse
import concurrent.futures
import contextlib
import io
import os
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get('KLP_BUILD_DIR', os.path.join(TOP, 'build', 'cmake'))
GCC_X86 = os.path.join(BUILD, 'gcc-plugin', 'x86_64', 'klp.so')
GCC_PPC = os.path.join(BUILD, 'gcc-plugin', 'ppc64le', 'klp.so')
CLANG = os.path.join(BUILD, 'clang-pass', 'llvm-19', 'klp-clang.so')

# clang 16 and later make C89 leftovers errors that GCC's old tests rely on.
CLANG_C89 = ['-Wno-error=implicit-function-declaration', '-Wno-error=implicit-int',
             '-Wno-error=int-conversion', '-Wno-error=incompatible-pointer-types',
             '-Wno-error=return-type']
# What 6.12's kbuild adds for ftrace: x86_64 gcc with CALL_PADDING
# (the __pfx_ padding), x86_64 clang (objtool writes __mcount_loc later),
# ppc64le gcc.  clang has no -mprofile-kernel, and the kernel builds
# ppc64le clang without ftrace: no flags there, and no site may be recorded.
FTRACE = {
    'x86': ['-pg', '-mfentry', '-mrecord-mcount', '-fpatchable-function-entry=16,16'],
    'ppc-local': ['-pg', '-mprofile-kernel'],
    'ppc-static': ['-pg', '-mprofile-kernel'],
    'clang-x86': ['-pg', '-mfentry', '-fpatchable-function-entry=16,16'],
    'clang-ppc': [],
}
VARIANTS = {
    'x86': (['gcc'], [f'-fplugin={GCC_X86}'], True),
    'ppc-local': (['powerpc64le-linux-gnu-gcc'], [f'-fplugin={GCC_PPC}'], False),
    'ppc-static': (['powerpc64le-linux-gnu-gcc'],
                   [f'-fplugin={GCC_PPC}', '-fplugin-arg-klp-ppc-calls=static'], False),
    'clang-x86': (['clang-19', *CLANG_C89], [f'-fplugin={CLANG}', f'-fpass-plugin={CLANG}'], True),
    'clang-ppc': (['clang-19', '--target=powerpc64le-linux-gnu', *CLANG_C89],
                  [f'-fplugin={CLANG}', f'-fpass-plugin={CLANG}'], False),
}
TIMEOUT = 120


def compile_one(cc, flags, src, out):
    try:
        p = subprocess.run(cc + ['-c', '-w', '-fno-diagnostics-color', *flags, src, '-o', out],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return 'timeout'
    if p.returncode:
        return p.stderr.decode(errors='replace').strip().splitlines()[-1:] or ['failed']
    return None


KLP_CHECK_PATH = os.path.join(TOP, 'tests', 'tools', 'klp-check')


# klp-check's checks of the notes and its comparison of the code (allocated
# sections, their relocations by symbol name, the symbols other than section
# symbols), loaded once
def _klp_check():
    import importlib.machinery
    import importlib.util
    sys.path.insert(0, os.path.dirname(KLP_CHECK_PATH))
    loader = importlib.machinery.SourceFileLoader('klp_check', KLP_CHECK_PATH)
    spec = importlib.util.spec_from_loader('klp_check', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


KLP_CHECK = _klp_check()


def check_notes(obj):
    """None when klp-check agrees with the object's notes, else its
    complaints.  In this process: a worker runs one job at a time, so its
    stdout is its own to catch, and a process per object would cost more
    than the compiles."""
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            bad = KLP_CHECK.cmd_object(obj)
    except Exception as e:      # the check itself failed on these notes
        return [f'klp-check: {type(e).__name__}: {e}']
    if not bad:
        return None
    lines = out.getvalue().splitlines()
    return [line for line in lines if 'mismatch' in line or 'missing' in line][:3] or lines[-3:]


def strip_notes(obj, out):
    subprocess.run(['objcopy', '-R', '.debug_klp', '-R', '.rela.debug_klp', obj, out],
                   check=True, stderr=subprocess.DEVNULL)


def one(job):
    variant, level, src, work = job
    cc, plugin, same_code = VARIANTS[variant]
    # one name per job, whichever worker runs it
    base = os.path.join(work, '-'.join((variant, level, os.path.basename(os.path.dirname(src)),
                                        os.path.basename(src))))
    plain, klp = base + '-plain.o', base + '-klp.o'
    flags = [f'-{level}', *FTRACE[variant]]
    try:
        # Where the code is compared, the plain object is needed anyway.
        # Elsewhere the plain compile only tells a file GCC's own tests
        # cannot compile here from one the plugin broke, so it runs only
        # when the plugin's compile fails: the same verdicts for half the
        # compiles.
        if same_code and compile_one(cc, flags, src, plain):
            return ('skipped', src, None)       # GCC's own tests may not compile here
        err = compile_one(cc, flags + plugin, src, klp)
        if err and not same_code and compile_one(cc, flags, src, plain):
            return ('skipped', src, None)
        if err:
            return ('failed', src, err)
        err = check_notes(klp)
        if err:
            return ('wrong', src, err)
        if same_code:
            strip_notes(plain, base + '-a.o')
            strip_notes(klp, base + '-b.o')
            with open(base + '-a.o', 'rb') as a, open(base + '-b.o', 'rb') as b:
                same = a.read() == b.read()
            # Not byte-identical: the notes' relocations may have added a
            # section symbol (a local object that has no symbol of its own,
            # addressed through its section), which the stripped object
            # keeps.  The code is what must not change.
            if not same and (KLP_CHECK.alloc_image(base + '-a.o') !=
                             KLP_CHECK.alloc_image(base + '-b.o')):
                return ('differs', src, None)
        return ('ok', src, None)
    finally:
        for f in (plain, klp, base + '-a.o', base + '-b.o'):
            if os.path.exists(f):
                os.unlink(f)


def arguments(variants, limit_help):
    """The command line both sides take; OUTDIR is made."""
    ap = argparse.ArgumentParser()
    ap.add_argument('--jobs', type=int, default=os.cpu_count())
    ap.add_argument('--limit', type=int, default=0, help=limit_help)
    ap.add_argument('--levels', default='O0,O2,O3,Os')
    ap.add_argument('--variants', default=','.join(variants))
    ap.add_argument('testsuite')
    ap.add_argument('outdir')
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    return args


def main():
    args = arguments(VARIANTS, 'files per directory (0: all)')
    files = []
    for d in ('compile', 'execute'):
        names = sorted(f for f in os.listdir(os.path.join(args.testsuite, d)) if f.endswith('.c'))
        if args.limit:
            names = names[:args.limit]
        files += [os.path.join(args.testsuite, d, f) for f in names]
    status = 0
    for variant in args.variants.split(','):
        for level in args.levels.split(','):
            jobs = [(variant, level, f, args.outdir) for f in files]
            counts = {'ok': 0, 'skipped': 0, 'failed': 0, 'wrong': 0, 'differs': 0}
            bad = []
            # processes, not threads: the checks are Python
            with concurrent.futures.ProcessPoolExecutor(args.jobs) as ex:
                for kind, src, err in ex.map(one, jobs, chunksize=8):
                    counts[kind] += 1
                    if kind != 'ok' and kind != 'skipped':
                        bad.append((kind, src, err))
            print(f'{variant} -{level}: {len(files)} files, {counts["ok"]} ok, '
                  f'{counts["skipped"]} do not compile plain, {counts["failed"]} fail with '
                  f'the plugin, {counts["wrong"]} with notes klp-check disputes, '
                  f'{counts["differs"]} differ in code', flush=True)
            for kind, src, err in bad:
                print(f'  {kind}: {os.path.relpath(src, args.testsuite)}'
                      + (f': {err}' if err else ''), flush=True)
            if bad:
                status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
