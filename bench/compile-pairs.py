#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""compile-pairs.py PLUGIN_TREE PLAIN_TREE [--sample N] [--json FILE] - the
plugin's compile overhead on a kernel, measured in pairs.

A whole build with the plugin and one without it run half an hour apart, and
on a shared virtual machine the speed of a core drifts over that time by more
than the plugin costs: two such builds of pseries_le_defconfig differed by 18%
of CPU time, while the same compiles replayed in pairs differ by 1 to 3%.  So
this replays N C compiles of the two finished build trees (O= directories of
one config), each unit once with the plugin and once without it, back to
back, alternating which goes first, and sums the CPU time (user+sys) of each
side.  The units are every k-th C object of the sorted list, so the sample is
spread over the whole tree and the same on every run.

Each compile is kbuild's own saved command (.NAME.o.cmd, through
tests/tools/kbuild-cmd), run in its tree with its object written to a
scratch directory, so the trees are left as they are.  The compiler alone is
timed: the steps kbuild chains after it (objtool) are not the plugin's.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KBUILD_CMD = os.path.join(TOP, 'tests', 'tools', 'kbuild-cmd')


def c_units(tree, with_plugin=False):
    """The C units kbuild compiled in TREE, as tests/tools/kbuild-cmd lists them
    (with_plugin: only those compiled with klp's plugin)."""
    out = subprocess.run([KBUILD_CMD, '--list'] + (['--with-plugin'] if with_plugin else []) + [tree],
                         check=True, stdout=subprocess.PIPE, text=True).stdout
    return set(out.split())


def compile_command(tree, unit, scratch):
    """kbuild's compile of UNIT in TREE, as one shell line writing SCRATCH/unit.o
    (tests/tools/kbuild-cmd: make's escapes undone, dependency file and the
    steps chained after the compiler dropped)."""
    return subprocess.run([KBUILD_CMD, '--print', '-o', os.path.join(scratch, 'unit.o'), tree, unit],
                          check=True, stdout=subprocess.PIPE, text=True).stdout.strip()


def cpu_of(tree, cmd):
    """User+sys seconds of CMD run in TREE, and whether it succeeded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    rc = subprocess.run(['sh', '-c', cmd], cwd=tree, stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), rc == 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('plugin_tree')
    ap.add_argument('plain_tree')
    ap.add_argument('--sample', type=int, default=200)
    ap.add_argument('--json')
    a = ap.parse_args()
    units = sorted(c_units(a.plugin_tree, with_plugin=True) & c_units(a.plain_tree))
    if not units:
        sys.exit(f'compile-pairs: no C object of {a.plugin_tree} was compiled with a plugin '
                 f'and also in {a.plain_tree}: give two finished O= trees of one config')
    step = max(1, len(units) // a.sample)
    sample = units[::step][:a.sample]
    cpu = {'plugin': 0.0, 'plain': 0.0}
    failed = []
    with tempfile.TemporaryDirectory(prefix='klp-pairs.') as scratch:
        for i, unit in enumerate(sample):
            sides = [('plugin', a.plugin_tree), ('plain', a.plain_tree)]
            for side, tree in (sides if i % 2 == 0 else sides[::-1]):
                seconds, ok = cpu_of(tree, compile_command(tree, unit, scratch))
                cpu[side] += seconds
                if not ok:
                    failed.append(f'{side} {unit}')
    res = {'units': len(units), 'sample': len(sample), 'cpu_plugin': round(cpu['plugin'], 2),
           'cpu_plain': round(cpu['plain'], 2), 'ratio': round(cpu['plugin'] / cpu['plain'], 4),
           'failed': failed}
    if a.json:
        with open(a.json + '.tmp', 'w') as f:
            json.dump(res, f, indent=1)
        os.replace(a.json + '.tmp', a.json)
    print(f"compile-pairs: {res['sample']} of {res['units']} C units, CPU s plugin {res['cpu_plugin']} / "
          f"plain {res['cpu_plain']} = {res['ratio']}" + (f", {len(failed)} failed" if failed else ''))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
