#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kpatch-exact.sh ARCH [CC] - `klp-fixup diff` against the ground truth on
# kpatch's own integration patches (test/integration/linux-6.17.0/*.patch
# of the kpatch tarball in ../shared/peers), on a test kernel of
# tests/kernel/build-kernel.sh: ARCH x86_64 or ppc64le, CC gcc (default,
# or KLP_CC) or clang (x86_64 only); the O= directory is
# KLP_KERNEL_ROOT/ARCH-CC-plugin (built with build-kernel.sh if it has no
# vmlinux yet, unless KLP_EXACT_BUILD=0).
#
# For each patch: does it apply to the 6.12 tree (patch -p1, fuzz allowed)?
# If so it is applied to a hard-linked copy of the source tree (GNU patch
# writes a new file, so the original tree keeps its own; checked), and every
# unit it touches is compiled twice with kbuild's saved command
# (tests/tools/kbuild-cmd, plus -ffunction-sections): from the original
# tree and from the patched copy.  A touched .c file is a unit when the O=
# tree built it (it has a .o.cmd); a touched header means every unit whose
# dependency list names it; .S files are skipped (listed).  Then
#   tests/tools/func-diff OLD NEW                       the ground truth
#   klp-fixup diff --json OLD NEW                       the checksums' answer
#   tests/tools/func-diff --compare-diff --objects OLD NEW DIFF.json
# must agree exactly on the functions changed, new and removed (and on the
# local objects).  Prints one line per patch, what disagrees under it, and
#   summary: P patches, A applied to 6.12, U units compiled, F functions
#            compared, C changed, N new, R removed, X false positives,
#            Y false negatives
#   objects: O compared, ..., X false positives, Y false negatives
#   time: S s
# The units are compiled with this build's plugin (KLP_PLUGIN_DIR,
# KLP_CLANG_PASS as for build-kernel.sh), the one klp-fixup goes with;
# KLP_EXACT_PLUGIN=kernel uses the copy the kernel was built with.
# Exits 1 on any disagreement or failed compile, 2 when something it needs
# is missing.  Work files: KLP_EXACT_DIR (default build/kpatch-exact)/ARCH-CC.
set -euo pipefail
usage="usage: kpatch-exact.sh ARCH [gcc|clang]"
arch=${1:?$usage}
cc=${2:-${KLP_CC:-gcc}}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fixup=${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}
root=${KLP_KERNEL_ROOT:-$top/build/kernel}
peers=${KLP_PEERS:-$top/../shared/peers}
kbuild_cmd=$top/tests/tools/kbuild-cmd
func_diff=$top/tests/tools/func-diff
start=$SECONDS

case $arch-$cc in
x86_64-gcc|x86_64-clang|ppc64le-gcc) ;;
*) echo "kpatch-exact.sh: no test kernel $arch-$cc (x86_64 gcc, x86_64 clang, ppc64le gcc)" >&2
   exit 2 ;;
esac
objdir=$root/$arch-$cc-plugin
# the kernel (cached: normally built already by the kernel tests)
if [ ! -f "$objdir/vmlinux" ] && [ "${KLP_EXACT_BUILD:-1}" != 0 ]; then
	KLP_CC=$cc "$here/build-kernel.sh" "$arch" plugin "$root" > /dev/null
fi
[ -f "$objdir/vmlinux" ] || { echo "kpatch-exact.sh: $objdir/vmlinux missing: build the kernel first" \
	"(KLP_CC=$cc tests/kernel/build-kernel.sh $arch plugin)" >&2; exit 2; }
objdir=$(cd "$objdir" && pwd)
srctree=$(readlink -f "$objdir/source")
[ -x "$fixup" ] || { echo "kpatch-exact.sh: $fixup missing" >&2; exit 2; }
tarball=$(ls "$peers"/kpatch-[0-9a-f]*.tar.gz 2>/dev/null | grep -v unit-test | head -n 1 || true)
[ -f "$tarball" ] || { echo "kpatch-exact.sh: kpatch tarball not found in $peers" >&2; exit 2; }

work=${KLP_EXACT_DIR:-$top/build/kpatch-exact}/$arch-$cc
mkdir -p "$work"
exec 9> "$work.lock"
flock 9
rm -rf "$work/kpatch" "$work/old" "$work/new"
mkdir -p "$work/kpatch" "$work/old" "$work/new"
# kpatch's patches and the headers some of them include (kpatch-build puts
# kmod/patch on the include path), from the tarball, not copied anywhere else
tar -xzf "$tarball" -C "$work/kpatch" --strip-components=1 --wildcards \
	'*/test/integration/linux-6.17.0/*.patch' '*/kmod/patch/*.h'
patches=("$work"/kpatch/test/integration/linux-6.17.0/*.patch)
# KLP_EXACT_PATCHES: a directory of other patches instead (-p1, like kpatch's)
[ -z "${KLP_EXACT_PATCHES:-}" ] || patches=("$KLP_EXACT_PATCHES"/*.patch)
macros=$work/kpatch/kmod/patch

# Files a patch touches, as paths in the tree (-p1).
patch_files() {
	sed -n 's/^+++ [^/]*\/\([^\t ]*\).*/\1/p' "$1" | sort -u
}
mapfile -t all_files < <(for p in "${patches[@]}"; do patch_files "$p"; done | sort -u)

# The hard-linked copy; kept between runs, with every file a patch touches
# linked back to the original before and after each patch.
copy=$work/src
if [ -d "$copy" ] && [ "$(stat -c %i "$copy/Makefile" 2>/dev/null)" != "$(stat -c %i "$srctree/Makefile")" ]; then
	rm -rf "$copy"
fi
if [ ! -d "$copy" ]; then
	cp -al "$srctree" "$copy.tmp"
	mv "$copy.tmp" "$copy"
fi
# ($work/touched: the files of every patch applied so far, kept across runs,
# for a run that stopped half-way or had other patches)
mapfile -t all_files < <({ printf '%s\n' "${all_files[@]}"; cat "$work/touched" 2>/dev/null; } |
			 sed '/^$/d' | sort -u)
restore() {
	local f
	for f in "${all_files[@]}"; do
		rm -f "$copy/$f" "$copy/$f.orig" "$copy/$f.rej"
		[ ! -e "$srctree/$f" ] || ln "$srctree/$f" "$copy/$f"
	done
}
restore
printf '%s\n' "${all_files[@]}" > "$work/touched"
sums() {
	local f
	for f in "${all_files[@]}"; do
		[ ! -e "$srctree/$f" ] || sha256sum "$srctree/$f"
	done
}
sums_before=$(sums)

# Units whose dependency list names header $1 (a path in the tree).
header_units() {
	grep -rlF --include='*.o.cmd' -e "  $srctree/$1 \\" "$objdir" 2>/dev/null |
		sed "s|^$objdir/||; s|/\.\([^/]*\)\.cmd\$|/\1|; s|^\.\([^/]*\)\.cmd\$|\1|" | sort -u || true
}

# The plugin: this build's (the one klp-fixup reads the notes of), copied
# so that a rebuild during the run cannot change it; KLP_EXACT_PLUGIN=kernel
# keeps the copy the kernel was built with.
plugin_args=()
if [ "${KLP_EXACT_PLUGIN:-build}" != kernel ]; then
	if [ "$cc" = clang ]; then
		plugin=${KLP_CLANG_PASS:-$top/build/cmake/clang-pass/llvm-19/klp-clang.so}
	else
		plugin=${KLP_PLUGIN_DIR:-$top/build/cmake/gcc-plugin}/$arch/klp.so
	fi
	[ -f "$plugin" ] || { echo "kpatch-exact.sh: $plugin missing: build with cmake first" >&2; exit 2; }
	mkdir -p "$work/plugin"
	cp "$plugin" "$work/plugin/"
	plugin=$work/plugin/$(basename "$plugin")
	plugin_args=(--strip-plugin --add=-fplugin="$plugin")
	[ "$cc" = gcc ] || plugin_args+=(--add=-fpass-plugin="$plugin")
fi

compile() {	# compile SIDE UNIT OUT
	local side=$1 unit=$2 out=$3 args=("${plugin_args[@]}")
	[ "$side" = old ] || args+=(--srctree-from "$srctree" --srctree-to "$copy")
	mkdir -p "$(dirname "$out")"
	"$kbuild_cmd" "${args[@]}" -o "$out" --run --add=-ffunction-sections \
		--add=-I"$macros" "$objdir" "$unit" > "$out.log" 2>&1
}

npatch=0 napplied=0 nunits=0 nfuncs=0 nchanged=0 nnew=0 nremoved=0 fp=0 fn=0
nobjs=0 ofp=0 ofn=0 failed=0
for p in "${patches[@]}"; do
	name=$(basename "$p")
	npatch=$((npatch + 1))
	mapfile -t files < <(patch_files "$p")
	if ! dry=$(patch --dry-run -p1 -d "$copy" < "$p" 2>&1); then
		why=$(printf '%s\n' "$dry" | grep -E 'FAILED|can.t find file|No file to patch' |
		      head -n 3 | tr '\n' ' ' | sed 's/ *$//')
		echo "$name: does not apply to $(basename "$srctree"): $why"
		continue
	fi
	napplied=$((napplied + 1))
	how=applies
	printf '%s\n' "$dry" | grep -q 'with fuzz' && how="applies (fuzz)"
	patch -s -p1 --no-backup-if-mismatch -d "$copy" < "$p"
	for f in "${files[@]}"; do
		if [ -e "$srctree/$f" ] && [ "$(stat -c %i "$copy/$f")" = "$(stat -c %i "$srctree/$f")" ]; then
			echo "kpatch-exact.sh: $name: $f is still the original's inode after patching" >&2
			exit 1
		fi
	done
	units=() skipped=() notbuilt=()
	for f in "${files[@]}"; do
		case $f in
		*.c)
			u=${f%.c}.o
			if [ -f "$objdir/$(dirname "$u")/.$(basename "$u").cmd" ]; then
				units+=("$u")
			else
				notbuilt+=("$f")
			fi ;;
		*.h)
			mapfile -t hu < <(header_units "$f")
			[ ${#hu[@]} -gt 0 ] || notbuilt+=("$f")
			for u in "${hu[@]}"; do
				if grep -q "^source_$u := .*\.S\$" \
					"$objdir/$(dirname "$u")/.$(basename "$u").cmd"; then
					skipped+=("$u(.S)")
				else
					units+=("$u")
				fi
			done ;;
		*.S) skipped+=("$f") ;;
		*) skipped+=("$f") ;;
		esac
	done
	mapfile -t units < <(printf '%s\n' "${units[@]}" | sed '/^$/d' | sort -u)
	line="$name: $how"
	[ ${#notbuilt[@]} -eq 0 ] || line+="; not in this kernel: ${notbuilt[*]}"
	[ ${#skipped[@]} -eq 0 ] || line+="; skipped: ${skipped[*]}"
	if [ ${#units[@]} -eq 0 ]; then
		echo "$line; no unit to compile"
		restore
		continue
	fi
	pc=0 pn=0 pr=0 pfuncs=0 detail=() agree=1
	for u in "${units[@]}"; do
		nunits=$((nunits + 1))
		old=$work/old/$u new=$work/new/${name%.patch}/$u
		if [ ! -f "$old" ] && ! compile old "$u" "$old"; then
			detail+=("$u: compile of the original failed: $(tail -n 1 "$old.log")")
			failed=$((failed + 1)); agree=0; continue
		fi
		if ! compile new "$u" "$new"; then
			detail+=("$u: compile of the patched copy failed: $(grep -m1 -E 'error' "$new.log" || tail -n 1 "$new.log")")
			failed=$((failed + 1)); agree=0; continue
		fi
		"$func_diff" "$old" "$new" > "$new.truth"
		if ! "$fixup" diff --json "$old" "$new" > "$new.json" 2> "$new.err"; then
			detail+=("$u: klp-fixup diff failed: $(head -n 1 "$new.err")")
			failed=$((failed + 1)); agree=0; continue
		fi
		"$func_diff" --compare-diff --objects "$old" "$new" "$new.json" > "$new.cmp" || true
		read -r c n r < <(sed -n 's/^agree: \([0-9]*\) changed, \([0-9]*\) new, \([0-9]*\) removed$/\1 \2 \3/p' "$new.cmp") || true
		if [ -z "${c:-}" ]; then	# disagreement: count the ground truth itself
			c=$(grep -c '^changed ' "$new.truth" || true)
			r=$(grep -c '^removed ' "$new.truth" || true)
			n=$(grep -c '^added ' "$new.truth" || true)
		fi
		pc=$((pc + c)) pn=$((pn + n)) pr=$((pr + r))
		f=$(sed -n 's/^compared: \([0-9]*\) functions.*/\1/p' "$new.cmp")
		o=$(sed -n 's/^compared: .*, \([0-9]*\) objects$/\1/p' "$new.cmp")
		pfuncs=$((pfuncs + f)) nobjs=$((nobjs + o))
		k=$(grep -c '^false positive' "$new.cmp" || true); fp=$((fp + k))
		k=$(grep -c '^false negative' "$new.cmp" || true); fn=$((fn + k))
		k=$(grep -c '^object false positive' "$new.cmp" || true); ofp=$((ofp + k))
		k=$(grep -c '^object false negative' "$new.cmp" || true); ofn=$((ofn + k))
		while read -r l; do
			detail+=("$u: $l"); agree=0
		done < <(grep -E '^(object )?false (positive|negative)' "$new.cmp" || true)
		unset c n r
	done
	nfuncs=$((nfuncs + pfuncs))
	nchanged=$((nchanged + pc)) nnew=$((nnew + pn)) nremoved=$((nremoved + pr))
	line+="; units: ${units[*]}; functions: $pc changed, $pn new, $pr removed"
	[ $agree = 1 ] && line+="; agree" || line+="; DISAGREE"
	echo "$line"
	for d in "${detail[@]}"; do
		echo "  $d"
	done
	restore
done

if [ "$(sums)" != "$sums_before" ]; then
	echo "kpatch-exact.sh: the original source tree changed" >&2
	exit 1
fi
echo "original tree: untouched (${#all_files[@]} files the patches name)"
echo "summary: $npatch patches, $napplied applied to $(basename "$srctree"), $nunits units compiled," \
	"$nfuncs functions compared, $nchanged changed, $nnew new, $nremoved removed," \
	"$fp false positives, $fn false negatives"
echo "objects: $nobjs compared, $ofp false positives, $ofn false negatives"
echo "time: $((SECONDS - start)) s ($arch $cc)"
[ $((fp + fn + ofp + ofn + failed)) -eq 0 ]
