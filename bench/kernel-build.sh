#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kernel-build.sh [ARCH[:clang]...] - what the plugins cost a kernel build, measured in
# one run: linux-source-6.12 (tests/kernel/build-kernel.sh's tiny config)
# is built from scratch without the plugin and with it (on ppc64le also in
# ppc-calls=static mode; x86_64:clang builds with clang-19 and klp-clang.so),
# one after the other, and compared:
#   - build time, wall clock and CPU (user+sys of all children): ratio;
#   - vmlinux .text size: growth (ppc64le: the nops the plugin keeps);
#   - ppc64le call sites changed: `bl` without nop / sibling calls that
#     ppc-nop-check finds in vmlinux without and with the plugin;
#   - .debug_klp bytes, per recorded symbol and as a share of .symtab+.strtab.
# Results replace the "Kernel builds" section of docs/performance.md.
# Takes about 5 minutes per build on 2 cores.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 ppc64le)
root=$top/build/bench
results=$root/results.txt
mkdir -p "$root"
: > "$results"
# Reuse the tests' unpacked tree so that no build's time includes unpacking.
if [ ! -e "$root/src-6.12" ] && [ -f "$top/build/kernel/src-6.12/.klp-ready" ]; then
	ln -s "$top/build/kernel/src-6.12" "$root/src-6.12"
fi

"$top/scripts/build.sh" >/dev/null
export KLP_FIXUP=$top/build/cmake/fixup/klp-fixup

for target in "${arches[@]}"; do
	# ARCH or ARCH:COMPILER (x86_64:clang: clang-19 and klp-clang.so)
	arch=${target%%:*}
	cc=gcc
	[ "$target" != "$arch" ] && cc=${target#*:}
	variants=(plain plugin)
	[ "$arch" = ppc64le ] && variants+=(plugin-static)
	for v in "${variants[@]}"; do
		out=$root/$arch-$cc-$v
		rm -rf "$out"
		echo "bench: building $arch $cc $v" >&2
		KLP_CC=$cc python3 - "$top/tests/kernel/build-kernel.sh" "$arch" "$cc" "$v" "$root" "$results" <<'PY'
import resource, subprocess, sys, time
script, arch, cc, variant, root, results = sys.argv[1:]
t0 = time.monotonic()
subprocess.run([script, arch, variant, root], check=True, stdout=subprocess.DEVNULL)
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(results, 'a') as f:
    f.write(f'{arch} {cc} {variant} wall {wall:.1f} cpu {ru.ru_utime + ru.ru_stime:.1f}\n')
PY
	done
done
python3 "$top/bench/kernel-report.py" "$root" "$results" "$top/docs/performance.md"
