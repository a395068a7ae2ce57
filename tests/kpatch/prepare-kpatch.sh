#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# prepare-kpatch.sh DIR [stock|cross|ours] - unpack kpatch from
# ../shared/peers into DIR, with its unit-test objects in test/unit/objs
# (where its git submodule would be), apply integration/kpatch/*.patch for
# "ours" (the default), only the cross-build patch for "cross" (stock
# kpatch that can build for ppc64le on this host), and build kpatch-build
# and, where the ppc64le cross compiler's plugin headers are installed,
# kpatch's own ppc64le plugin for that compiler.  Prints DIR.  kpatch's code stays out
# of this tree: it is unpacked from the tarball.  A DIR made from the same
# tarballs and patches is reused (tests share it); one caller at a time.
set -euo pipefail
dir=${1:?usage: prepare-kpatch.sh DIR [stock|cross|ours]}
flavor=${2:-ours}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $flavor in
stock) patches=() ;;
cross) patches=("$top"/integration/kpatch/*-cross-builds-*.patch) ;;
ours)  patches=("$top"/integration/kpatch/*.patch) ;;
*) echo "prepare-kpatch.sh: unknown flavor '$flavor' (stock, cross, ours)" >&2; exit 2 ;;
esac
peers=${KLP_PEERS:-$top/../shared/peers}
src=$(ls "$peers"/kpatch-[0-9a-f]*.tar.gz | grep -v unit-test | head -n 1)
objs=$(ls "$peers"/kpatch-unit-test-objs-*.tar.gz | head -n 1)
[ -f "$src" ] && [ -f "$objs" ] || { echo "prepare-kpatch.sh: kpatch tarballs not found in $peers" >&2; exit 2; }

mkdir -p "$(dirname "$dir")"
exec 9> "$dir.lock"
flock 9
stamp=$( { sha256sum "$src" "$objs"; echo "$flavor"
	   [ ${#patches[@]} -eq 0 ] || cat "${patches[@]}"; } | sha256sum | cut -c1-16)
if [ -f "$dir/.klp-stamp" ] && [ "$(cat "$dir/.klp-stamp")" = "$stamp" ]; then
	echo "$dir"
	exit 0
fi
rm -rf "$dir"
mkdir -p "$dir"
tar -xzf "$src" -C "$dir" --strip-components=1
rm -rf "$dir/test/unit/objs"
mkdir -p "$dir/test/unit/objs"
tar -xzf "$objs" -C "$dir/test/unit/objs" --strip-components=1
for p in "${patches[@]}"; do
	patch -s -d "$dir" -p1 < "$p" || { echo "prepare-kpatch.sh: $p does not apply" >&2; exit 1; }
done
make -s -C "$dir/kpatch-build" -j"$(nproc)" > "$dir/build.log" 2>&1 ||
	{ tail -n 20 "$dir/build.log" >&2; exit 1; }
# (its Makefile builds the plugin when ARCH is ppc64le, against the
# headers of $(CROSS_COMPILE)gcc)
if [ -d "$(powerpc64le-linux-gnu-gcc -print-file-name=plugin 2>/dev/null)/include" ]; then
	make -s -C "$dir/kpatch-build" ARCH=ppc64le CROSS_COMPILE=powerpc64le-linux-gnu- \
		gcc-plugins/ppc64le-plugin.so >> "$dir/build.log" 2>&1 ||
		{ tail -n 20 "$dir/build.log" >&2; exit 1; }
fi
echo "$stamp" > "$dir/.klp-stamp"
echo "$dir"
