#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kpatch-side-by-side.sh - kpatch's own integration patches
# (test/integration/linux-6.17.0 of the kpatch tarball in ../shared/peers)
# through three tools on one kernel, the x86_64 gcc test kernel with what
# kpatch-build needs of it (build-kernel.sh's kpatch variant: DWARF,
# CONFIG_BUG, no IBT; its config builds every file the patches touch):
#   stock kpatch-build (the tarball's commit, as it is),
#   kpatch-build with integration/kpatch/ (--klp-notes),
#   klp-fixup build.
# Each kpatch-build works in its own copy of the source tree: a first run
# (the first patch, which builds the whole tree) is timed on its own, then
# every patch runs warm.  For every patch and tool: built or refused (the
# first error), and the wall time.  The builder's changed and new
# functions are compared with kpatch-build's "changed function" and "new
# function" lines on the same patch.  Then each tool's modules are booted
# in one qemu guest per tool with tests/e2e/scenario-kpatch/init: loaded,
# the patch's -LOADED.test, transition, disabled, unloaded.
# About 100 minutes of both cores; nothing else should run beside it.
# Results replace the side-by-side sections of docs/builder.md and
# docs/performance.md, unless --no-docs.  WORK defaults to build/bench-side-by-side.  --only PATCH
# (again for more) runs those patches again in the WORK of an earlier run,
# keeping its trees and the other patches' results, then boots every
# module again: for a fix to one tool.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
docs=1 only=()
while [ $# -gt 0 ]; do
	case $1 in
	--no-docs) docs=0; shift ;;
	--only) only+=("${2:?--only needs a patch name}"); shift 2 ;;
	-*) echo "usage: kpatch-side-by-side.sh [--no-docs] [--only PATCH]... [WORK]" >&2; exit 2 ;;
	*) break ;;
	esac
done
work=${1:-$top/build/bench-side-by-side}
[ ${#only[@]} -eq 0 ] || [ -d "$work/src-ours" ] ||
	{ echo "kpatch-side-by-side.sh: --only needs an earlier run's $work" >&2; exit 2; }
fixup=${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}
export KLP_FIXUP=$fixup
. "$top/tests/kpatch/lib.sh"
e2e_arch=x86_64 e2e_cc=gcc
e2e_kernel kpatch
ours=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/ours" ours)
stock=$("$top/tests/kpatch/prepare-kpatch.sh" "$top/build/kpatch/stock" stock)

[ ${#only[@]} -gt 0 ] || rm -rf "$work"
rm -rf "$work/kpatch" "$work/tests"
mkdir -p "$work/tests"
e2e_integration_patches
cp "$dir"/*-LOADED.test "$work/tests/"
patches=("$dir"/*.patch)
kpatch_env

# What a log says the livepatch replaces and adds, one "replaced NAME" or
# "new NAME" per line, sorted: the builder prints "  patched NAME sympos
# N" and "  new function NAME", kpatch's create-diff-object "OBJ: changed
# function: NAME" and "OBJ: new function: NAME".
functions() {
	sed -n 's/^  patched \([^ ]*\) sympos .*/replaced \1/p; s/^  new function \([^ ]*\).*/new \1/p;
		s/^.*: changed function: \([^ ]*\)$/replaced \1/p; s/^.*: new function: \([^ ]*\)$/new \1/p' "$@" |
		sort -u
}

# kpb TOOL NAME PATCH: one kpatch-build run of TOOL (ours | stock) in
# TOOL's own tree; writes $work/TOOL-NAME.{log,time,result}.
kpb() {
	local tool=$1 name=$2 patch=$3 kpatch=$ours ksrc=$work/src-$1 start cache rc=0 flags=()
	[ "$tool" = stock ] && kpatch=$stock
	[ "$tool" = ours ] && flags=(--klp-notes)
	cache=$work/cache-$tool-$name
	mkdir -p "$work/out-$tool"
	start=$SECONDS
	env "${kpatch_env[@]}" CACHEDIR="$cache" KLP_PLUGIN_FLAGS="$e2e_plugin_flags" \
		"$kpatch/kpatch-build/kpatch-build" "${flags[@]}" -s "$ksrc" -c "$out/.config" \
		-v "$out/vmlinux" -j "$(nproc)" -n "$(e2e_patch_module "$name")" -o "$work/out-$tool" \
		"$patch" > "$work/$tool-$name.log" 2>&1 || rc=$?
	echo $((SECONDS - start)) > "$work/$tool-$name.time"
	cp "$cache/build.log" "$work/$tool-$name.build.log" 2>/dev/null || true
	if [ "$rc" = 0 ]; then
		echo built > "$work/$tool-$name.result"
	else
		# the first error create-diff-object gave, else kpatch-build's own
		{ grep -h -m1 'create-diff-object: ERROR' "$work/$tool-$name.build.log" 2>/dev/null ||
		  grep -h -m1 'ERROR' "$work/$tool-$name.log" || tail -n 1 "$work/$tool-$name.log"; } |
			head -n 1 | sed "s|$work/||g; s|$top/||g; s/^/refused: /" > "$work/$tool-$name.result"
	fi
	rm -rf "$cache"
}

# The trees: copies of the one the kernels are built from (which has the
# notes' linker line and no build output: they build with O=).
for tool in ours stock; do
	[ ${#only[@]} -eq 0 ] || continue
	cp -a "$src" "$work/src-$tool"
	kpb "$tool" first "${patches[0]}"
	mv "$work/$tool-first.time" "$work/$tool-first-run.time"
	rm -f "$work/out-$tool"/*.ko
	echo "$tool: first run $(cat "$work/$tool-first-run.time") s: $(cat "$work/$tool-first.result")"
done

mkdir -p "$work/out-builder"
for patch in "${patches[@]}"; do
	name=$(basename "$patch" .patch)
	mod=$(e2e_patch_module "$name")
	if [ ${#only[@]} -gt 0 ] && ! printf '%s\n' "${only[@]}" | grep -qxF "$name"; then
		continue
	fi
	rm -f "$work"/out-*/"$mod.ko"
	start=$SECONDS rc=0
	"$fixup" build --kdir "$out" --name "$mod" --work "$work/build-$name" \
		-o "$work/out-builder/$mod.ko" "$patch" > "$work/builder-$name.log" 2>&1 || rc=$?
	echo $((SECONDS - start)) > "$work/builder-$name.time"
	if [ "$rc" = 0 ]; then
		echo built > "$work/builder-$name.result"
	else
		grep -m1 'error:' "$work/builder-$name.log" | sed "s|$out/||g; s|$work/||g; s/^klp-fixup: error: /refused: /" \
			> "$work/builder-$name.result"
	fi
	rm -rf "$work/build-$name"
	for tool in ours stock; do
		kpb "$tool" "$name" "$patch"
	done
	for tool in builder ours stock; do
		echo "$name: $tool: $(cat "$work/$tool-$name.time") s, $(cat "$work/$tool-$name.result")"
	done
done

# (the builder's own lines; kpatch-build's from its logs of the run)
for patch in "${patches[@]}"; do
	name=$(basename "$patch" .patch)
	functions "$work/builder-$name.log" > "$work/builder-$name.functions"
	for tool in ours stock; do
		functions "$work/$tool-$name.log" "$work/$tool-$name.build.log" 2>/dev/null |
			grep -v ' __pfx_' > "$work/$tool-$name.functions" || true
	done
done

# One guest per tool that built a module: the kernel's own modules
# (module-LOADED.test modprobes xfs), the patch tests, the modules.
e2e_modules_install "$work/modules"
for tool in builder ours stock; do
	: > "$work/guest-$tool"
	: > "$work/patches-$tool"
	for patch in "${patches[@]}"; do
		name=$(basename "$patch" .patch)
		[ "$(cat "$work/$tool-$name.result")" != built ] || echo "$name $(e2e_patch_module "$name")" >> "$work/patches-$tool"
	done
	[ -s "$work/patches-$tool" ] || continue
	root=$work/root-$tool
	rm -rf "$root"
	mkdir -p "$root"
	cp -a "$work/modules/." "$root/"
	cp -a "$work/tests" "$root/tests"
	cp "$work/patches-$tool" "$root/patches"
	while read -r name mod; do cp "$work/out-$tool/$mod.ko" "$root/"; done < "$work/patches-$tool"
	e2e_busybox_root "$root" "$top/tests/e2e/scenario-kpatch/init"
	e2e_boot "$root"
	cp "$work/console.log" "$work/console-$tool.log"
	e2e_guest_report > "$work/guest-$tool"
	sed "s/^/$tool guest: /" "$work/guest-$tool"
done

python3 "$top/bench/side-by-side-report.py" "$work" "${patches[@]}" > "$work/results.md"
cat "$work/results.md"
[ "$docs" = 1 ] || exit 0
# docs/builder.md (the table, beside what it means) and
# docs/performance.md (with the other benchmarks)
python3 "$top/bench/doc-section.py" "$top/docs/builder.md" side-by-side "$work/results.md"
{
	echo "## kpatch's integration patches: kpatch-build and klp-fixup build"
	echo
	echo '`bench/kpatch-side-by-side.sh` ([builder.md](builder.md#side-by-side-with-kpatch-build) says what it runs and what the rows mean):'
	echo
	cat "$work/results.md"
} > "$work/section.md"
python3 "$top/bench/doc-section.py" "$top/docs/performance.md" side-by-side "$work/section.md"
