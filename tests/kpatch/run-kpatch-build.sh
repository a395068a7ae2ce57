#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-kpatch-build.sh [--cc gcc|clang] [WORK] - kpatch-build on a kernel
# built with the klp plugin, stock and with integration/kpatch/.
#
# The running kernel: linux-source-6.12 x86_64 built with the plugin and
# what kpatch-build needs of it (DWARF, CONFIG_BUG, no IBT: see
# tests/kernel/build-kernel.sh; CALL_PADDING, so functions have __pfx_
# padding).  kpatch-build, patched, with --klp-notes, builds
# scenario/consoles.patch (show_console_dev prints a marker; c_start, whose
# name /proc/cpuinfo's c_start has too, changes) against it in its own
# in-tree copy of the source; the module is booted in qemu, loaded,
# read from user space, disabled and unloaded.  Stock kpatch's
# create-diff-object is then run on the very objects kpatch-build diffed,
# to record where stock kpatch-build stops.  Prints lines for
# tests/lit/kpatch/kernel-*.test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_options kpatch "$@"
[ "$e2e_arch" = x86_64 ] || e2e_fail "run-kpatch-build.sh: x86_64 only"
lp=livepatch_consoles

# (kpatch-build needs the running kernel's DWARF, which only this variant
# has)
e2e_kernel kpatch
ours=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/ours" ours)
stock=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/stock" stock)

# kpatch-build builds in the source tree itself: its own copy, kept
# between runs (later runs are incremental), with the notes' linker line.
ksrc=$(dirname "$out")/kpatch-src-$e2e_cc
# (a copy of the tree the kernels are built from, which has that line and
# no build output: they build with O=)
if [ ! -f "$ksrc/.klp-ready" ]; then
	rm -rf "$ksrc" "$ksrc.tmp"
	cp -a "$src" "$ksrc.tmp"
	mv "$ksrc.tmp" "$ksrc"
fi

# --skip-cleanup (for the stock comparison below) leaves the patch applied
# in the tree: take it back out, before and after.
unpatch() {
	if patch -s -R -p1 --dry-run -d "$ksrc" < "$here/scenario/consoles.patch" > /dev/null 2>&1; then
		patch -s -R -p1 -d "$ksrc" < "$here/scenario/consoles.patch"
	fi
}
unpatch
trap unpatch EXIT

rm -rf "$work"
mkdir -p "$work/root" "$work/out"
kpatch_env
start=$(date +%s)
if env "${kpatch_env[@]}" CACHEDIR="$work/cache" KLP_FIXUP="$KLP_FIXUP" KLP_PLUGIN_FLAGS="$e2e_plugin_flags" \
	"$ours/kpatch-build/kpatch-build" --klp-notes \
	-s "$ksrc" -c "$out/.config" -v "$out/vmlinux" -j "$(nproc)" -n "$lp" \
	-o "$work/out" --skip-cleanup "$here/scenario/consoles.patch" > "$work/kpatch-build.log" 2>&1; then
	echo "ours: kpatch-build ok ($(( $(date +%s) - start )) s)"
else
	tail -n 30 "$work/cache/build.log" >&2 || true
	e2e_fail "kpatch-build --klp-notes failed: $work/cache/build.log"
fi

# What the module says, then the guest.
readelf -sW "$work/out/$lp.ko" | grep -o '\.klp\.sym\.vmlinux\.[^ ]*' | sort -u | sed 's/^/klp.sym: /'
"$KLP_FIXUP" verify --target "$out/vmlinux" "$work/out/$lp.ko" | tail -n 1 | sed 's/^/verify: /'
echo "sympos fs/proc/consoles.c c_start: $("$KLP_FIXUP" sympos --target "$out/vmlinux" fs/proc/consoles.c c_start)"
cp "$work/out/$lp.ko" "$work/root/"
e2e_busybox_root "$work/root" "$here/scenario/init"
e2e_boot "$work/root"
e2e_guest_report

# Stock create-diff-object on the objects kpatch-build diffed.
tmp=$work/cache/tmp
obj=fs/proc/consoles.o
# (with the environment kpatch-build gave it: special section sizes)
if (cd "$tmp" && set -a && . ./kpatch-build.env && set +a &&
	"$stock/kpatch-build/create-diff-object" "orig/$obj" "patched/$obj" vmlinux \
	"$tmp/vmlinux.symtab" "$ksrc/Module.symvers" "$lp" "$work/stock.o") > "$work/stock.log" 2>&1; then
	echo "stock: create-diff-object ok"
else
	echo "stock: create-diff-object failed: $(grep -m1 'ERROR' "$work/stock.log")"
fi
