#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-kpatch-oot.sh [--cc gcc|clang] [--arch x86_64|ppc64le] [WORK] -
# kpatch-build --oot-module on an out-of-tree module linked from three C
# files (tests/e2e/scenario-module/target: stats.c and limits.c each hold a
# static `level` and a static `describe()`), stock and with
# integration/kpatch/.  scenario-oot/oot.patch changes limits_value(),
# which now calls limits.c's describe() and reads its level, and
# stats_value(), which gains a check and still ends in a tail call to
# stats.c's describe().
#
# x86_64 (seed 003): the running module's FILE symbols are stripped, as in
# a module linked from objects that lack them; stock kpatch-build cannot
# tell the files apart.  ppc64le (a cross build): the FILE symbols stay,
# and the patched functions call functions that were static, through the
# module loader's stubs: every call needs its nop after the `bl` and none
# may be a sibling call; stock kpatch-build (with only the cross-build
# patch, and its own ppc64le plugin) is run on the same module.
#
# The running kernel is tests/kernel/build-kernel.sh's VARIANT kpatch
# (the e2e kernel's config with the DWARF kpatch-build reads);
# the module kpatch-build makes with --klp-notes is booted in qemu beside
# the target.  Prints lines for tests/lit/kpatch/oot-*.test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_options kpatch-oot "$@"
target=klp_e2e_target
lp=livepatch_oot

e2e_kernel kpatch
ours=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/ours" ours)
if [ "$e2e_arch" = ppc64le ]; then
	stock=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/cross" cross)
else
	stock=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/stock" stock)
fi

rm -rf "$work"
mkdir -p "$work/root"
kpatch_env

# The running module, built with the kernel's plugin (as its notes
# require) in the source directory kpatch-build is then given, as a user
# builds a module and later patches it: the notes name each file by the
# path it was compiled from, and klp-fixup matches the paths exactly.
running_src=$work/src
mkdir -p "$running_src"
cp "$top"/tests/e2e/scenario-module/target/* "$running_src/"
sed "s|^KDIR ?=.*|KDIR ?= $out|" "$here/scenario-oot/Makefile" > "$running_src/Makefile"
e2e_module "$running_src"
if [ "$e2e_arch" = x86_64 ]; then
	e2e_strip_file_symbols "$running_src/$target.ko" "$work/root/$target.ko" > /dev/null
else
	cp "$running_src/$target.ko" "$work/root/$target.ko"
fi
echo "target FILE symbols: $(readelf -sW "$work/root/$target.ko" | awk '$4 == "FILE"' | grep -c . || true)"

# kpatch-build saves a vmlinux found in its -s directory and moves the copy
# back when it is done, which would touch the shared e2e kernel's build
# (and make its next build redo the boot image) while other tests use it:
# it gets a copy of its own.
cp "$out/vmlinux" "$work/vmlinux"

# kpatch-build FLAVOR DIR [OPTIONS]: kpatch-build --oot-module on the
# module's source directory (it applies the patch there, builds, and takes
# the patch back out), with its cache in DIR.  Leaves DIR/kpatch.log.
kpatch_build()
{
	local flavor=$1 dir=$2
	shift 2
	mkdir -p "$dir/out"
	local start rc=0
	start=$(date +%s)
	env "${kpatch_env[@]}" CACHEDIR="$dir/cache" "$flavor/kpatch-build/kpatch-build" "$@" \
		-s "$out" -c "$out/.config" -v "$work/vmlinux" -j "$(nproc)" -n "$lp" -t modules \
		--oot-module "$work/root/$target.ko" --oot-module-src "$running_src" \
		-o "$dir/out" "$here/scenario-oot/oot.patch" > "$dir/kpatch.log" 2>&1 || rc=$?
	echo $(( $(date +%s) - start )) > "$dir/seconds"
	return $rc
}

# (the plugin as the running kernel and module were built with it)
if KLP_PLUGIN_FLAGS=$e2e_plugin_flags kpatch_build "$ours" "$work/ours" --klp-notes; then
	echo "ours: kpatch-build ok ($(cat "$work/ours/seconds") s)"
else
	tail -n 30 "$work/ours/cache/build.log" >&2 || true
	e2e_fail "kpatch-build --klp-notes failed: $work/ours/cache/build.log"
fi
ko=$work/ours/out/$lp.ko
readelf -sW "$ko" | grep -o "\.klp\.sym\.$target\.[^ ]*" | sort -u | sed 's/^/klp.sym: /'
"$KLP_FIXUP" verify --target "vmlinux=$out/vmlinux" --target "$target=$work/root/$target.ko" "$ko" |
	tail -n 1 | sed 's/^/verify: /'
for ref in stats.c:describe stats.c:level limits.c:describe limits.c:level; do
	echo "sympos ${ref%%:*} ${ref#*:}: $("$KLP_FIXUP" sympos --target "$work/root/$target.ko" "${ref%%:*}" "${ref#*:}")"
done
if [ "$e2e_arch" = ppc64le ]; then
	# no `bl` without its nop, no sibling call (`b` to another function)
	{ "$top/tests/tools/ppc-nop-check" --summary "$ko" || true; } | sed 's/^/nop-check: /'
	e2e_ppc_root "$work/root"
	printf 'target %s\npatch %s\nshow /proc/%s\n' $target $lp $target > "$work/root/e2e.conf"
else
	e2e_busybox_root "$work/root" "$here/scenario-oot/init"
fi
cp "$ko" "$work/root/"
e2e_boot "$work/root"
e2e_guest_report

# Stock kpatch-build on the same module and patch.
if kpatch_build "$stock" "$work/stock"; then
	echo "stock: kpatch-build ok ($(cat "$work/stock/seconds") s)"
else
	echo "stock: kpatch-build failed ($(cat "$work/stock/seconds") s): $(grep -m1 'ERROR' "$work/stock/cache/build.log" || tail -n 1 "$work/stock/kpatch.log")"
fi
