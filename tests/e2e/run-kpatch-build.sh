#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-kpatch-build.sh [--cc gcc|clang] [--arch x86_64|ppc64le|s390x]
# [--variant VARIANT] [WORK] - kpatch's own integration patches
# (test/integration/linux-6.17.0 of the kpatch tarball in ../shared/peers)
# through `klp-fixup build` against the cached test kernel (VARIANT
# integration: the clang-19, ppc64le and s390x kernels configured for the files
# the patches touch, `scripts/test.sh --full`), then every module that built booted in one qemu guest: loaded,
# its -LOADED.test passed, disabled, unloaded, the test failing again.
# Prints one line per patch:
#   PATCH: built (N compiles, F functions)   | refused: MESSAGE
#   (built, or refused for changing no code: then func-diff's verdict)
#        | not in this kernel: UNIT           (a unit the config does not build)
# then the guest's lines and "check: guest log problems: N".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_options kpatch-build "$@"

e2e_kernel
rm -rf "$work"
mkdir -p "$work/root/tests"
e2e_integration_patches
cp "$dir"/*-LOADED.test "$work/root/tests/"
: > "$work/root/patches"

# The builder's changed and new functions of each unit against
# tests/tools/func-diff over the same two compiles (its own ELF reader:
# bytes and relocations): "func-diff: agree" or each difference.  The
# builder lists changes by checksum, so a function listed changed whose
# code is the same, or one left out whose code differs, shows here.
ground_truth() {
	python3 - "$work/$1.out" "$work/build-$1" "$top/tests/tools/func-diff" <<'PY'
import os, re, subprocess, sys
out, work, func_diff = sys.argv[1:4]
units, cur = [], None
for line in open(out):
    if line.startswith('unit '):
        cur = {'changed': set(), 'new': set()}
        units.append(cur)
    m = re.match(r'  (changed|new) function (\S+)', line)
    if m:
        cur[m.group(1)].add(m.group(2))
bad, counts = [], [0, 0]
for i, u in enumerate(units):
    truth = {'changed': set(), 'new': set()}
    # (ppc64le: base, the unpatched compile in the patched one's mode)
    old = f'{work}/base-{i}.o' if os.path.exists(f'{work}/base-{i}.o') else f'{work}/old-{i}.o'
    diff = subprocess.run([func_diff, old, f'{work}/new-{i}.o'],
                          capture_output=True, text=True, check=True).stdout
    for line in diff.splitlines():
        kind, _, name = line.partition(' ')
        # (objtool's __pfx_ symbols are the padding before a function)
        if kind in ('changed', 'added') and not name.startswith('__pfx_'):
            truth['changed' if kind == 'changed' else 'new'].add(name)
    for k in ('changed', 'new'):
        counts[k == 'new'] += len(truth[k])
        bad += [f'false positive: {k} {n}' for n in sorted(u[k] - truth[k])]
        bad += [f'false negative: {k} {n}' for n in sorted(truth[k] - u[k])]
print('  func-diff: ' + ('; '.join(bad) if bad else f'agree ({counts[0]} changed, {counts[1]} new)'))
PY
}
for patch in "$dir"/*.patch; do
	name=$(basename "$patch" .patch)
	mod=$(e2e_patch_module "$name")
	if "$KLP_FIXUP" build --kdir "$out" --name "$mod" --work "$work/build-$name" \
		-o "$work/root/$mod.ko" "$patch" > "$work/$name.out" 2> "$work/$name.err"; then
		echo "$name: built ($(sed -n 's/^units: .*, compiles: //p' "$work/$name.out") compiles," \
			"$(sed -n 's/^module [^:]*: \([0-9]*\) functions replaced.*/\1/p' "$work/$name.out") functions)"
		echo "$name $mod" >> "$work/root/patches"
		ground_truth "$name"
	elif grep -q 'there is nothing to livepatch' "$work/$name.err"; then
		# refused for changing no code: func-diff must agree
		echo "$name: refused: $(grep -m1 'error:' "$work/$name.err" | sed 's/.*: error: [^:]*: //')"
		for o in "$work/build-$name"/old-*.o; do echo "unit ${o##*/}"; done > "$work/$name.out"
		ground_truth "$name"
	elif grep -q 'did not build it' "$work/$name.err"; then
		echo "$name: not in this kernel: $(sed -n 's/.*no command kbuild saved for \([^:]*\):.*/\1/p' "$work/$name.err" | head -n 1)"
	else
		echo "$name: refused: $(grep -m1 'error:' "$work/$name.err" | sed "s|$out/||g; s|$work/||g")"
	fi
done

# The kernel's modules, for the tests that load them.
e2e_modules_install "$work/root"
e2e_busybox_root "$work/root" "$here/scenario-kpatch/init"
e2e_boot "$work/root"
e2e_guest_report
