#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# prepare-kpatch.sh DIR [stock|ours] - unpack kpatch from ../shared/peers
# into DIR, with its unit-test objects in test/unit/objs (where its git
# submodule would be), apply integration/kpatch/*.patch for "ours" (the
# default), and build kpatch-build.  Prints DIR.  kpatch's code stays out
# of this tree: it is unpacked from the tarball.  A DIR made from the same
# tarballs and patches is reused (tests share it); one caller at a time.
set -euo pipefail
dir=${1:?usage: prepare-kpatch.sh DIR [stock|ours]}
flavor=${2:-ours}
top=$(cd "$(dirname "$0")/../.." && pwd)
peers=${KLP_PEERS:-$top/../shared/peers}
src=$(ls "$peers"/kpatch-[0-9a-f]*.tar.gz | grep -v unit-test | head -n 1)
objs=$(ls "$peers"/kpatch-unit-test-objs-*.tar.gz | head -n 1)
[ -f "$src" ] && [ -f "$objs" ] || { echo "prepare-kpatch.sh: kpatch tarballs not found in $peers" >&2; exit 2; }

mkdir -p "$(dirname "$dir")"
exec 9> "$dir.lock"
flock 9
stamp=$( { sha256sum "$src" "$objs"; echo "$flavor"
	   [ "$flavor" = stock ] || cat "$top"/integration/kpatch/*.patch; } | sha256sum | cut -c1-16)
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
if [ "$flavor" = ours ]; then
	for p in "$top"/integration/kpatch/*.patch; do
		patch -s -d "$dir" -p1 < "$p" || { echo "prepare-kpatch.sh: $p does not apply" >&2; exit 1; }
	done
fi
make -s -C "$dir/kpatch-build" -j"$(nproc)" > "$dir/build.log" 2>&1 ||
	{ tail -n 20 "$dir/build.log" >&2; exit 1; }
echo "$stamp" > "$dir/.klp-stamp"
echo "$dir"
