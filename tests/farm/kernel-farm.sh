#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# kernel-farm.sh OUT PLUGIN [DIR] - the compiler plugin on a build farm.
#
# Builds the objects of one directory (DIR, default mm/) of the cached
# x86_64 linux-source-6.12 tree (tests/kernel/build-kernel.sh config) in
# the kbuild O= directory OUT with -fplugin=PLUGIN (a copy of it), four ways:
#   local     plain gcc: the reference objects;
#   ccache    twice through ccache with an empty cache: the second build
#             must be all direct hits, and give the reference objects;
#   identity  the plugin file changed by one byte: all misses again (ccache
#             hashes the file of -fplugin=, so a new plugin version never
#             reuses objects of the old one);
#   distcc    through distcc to a distccd on 127.0.0.1 (TCP, no local
#             fallback) with the klp-gcc wrapper as the compiler: the
#             server compiles kbuild's preprocessed output and must give
#             the reference objects byte for byte.
# Prints one line per step; exits 1 on a build failure.  The counts are
# checked by tests/lit/farm/kernel-farm.test.
set -euo pipefail
out=${1:?usage: kernel-farm.sh OUT PLUGIN [DIR]}
plugin_src=${2:?usage: kernel-farm.sh OUT PLUGIN [DIR]}
dir=${3:-mm}
top=$(cd "$(dirname "$0")/../.." && pwd)
root=${KLP_KERNEL_ROOT:-$top/build/kernel}
jobs=${KLP_JOBS:-$(nproc)}

cached=$(KLP_KERNEL_STEP=config "$top/tests/kernel/build-kernel.sh" x86_64 plugin "$root" | tail -n 1)
src=$root/src-6.12
rm -rf "$out"
mkdir -p "$out/obj" "$out/plugin"
cp "$plugin_src" "$out/plugin/klp.so"
cp "$cached/.config" "$out/obj/.config"
make -s -C "$src" O="$out/obj" ARCH=x86_64 olddefconfig prepare > "$out/prepare.log" 2>&1 ||
	{ tail -n 20 "$out/prepare.log" >&2; exit 1; }

kcflags=-fplugin=$out/plugin/klp.so
objects() { (cd "$out/obj" && find "$dir" -name '*.o' ! -name 'built-in*' | sort); }
clean() { [ ! -d "$out/obj/$dir" ] || find "$out/obj/$dir" \( -name "*.o" -o -name "*.a" \) -delete; }
# build NAME CC: the directory's objects with compiler command CC
build() {
	clean
	make -C "$src" O="$out/obj" ARCH=x86_64 -j"$jobs" CC="$2" KCFLAGS="$kcflags" \
		"$dir/" > "$out/$1.log" 2>&1 || { tail -n 30 "$out/$1.log" >&2; exit 1; }
}
save() { mkdir -p "$out/$1"; (cd "$out/obj" && objects | cpio -pdm --quiet "$out/$1"); }
same() {
	local n=0 differ=0
	for o in $(objects); do
		n=$((n + 1))
		cmp -s "$out/obj/$o" "$out/$1/$o" || { differ=$((differ + 1)); echo "differs: $o" >&2; }
	done
	echo "$n objects, $((n - differ)) identical to $1"
}
stat() { ccache --print-stats | awk -v k="$1" '$1 == k { print $2 }'; }

build local gcc
notes=0
for o in $(objects); do
	# (not a pipe into grep -q: its early exit would fail dump with SIGPIPE)
	"${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}" dump "$out/obj/$o" > "$out/dump.txt" 2>/dev/null &&
		grep -q '^unit ' "$out/dump.txt" && notes=$((notes + 1))
done
echo "local: $(objects | wc -l) objects, $notes with notes"
save local

export CCACHE_DIR=$out/ccache CCACHE_NOHASHDIR=1 CCACHE_MAXSIZE=1G
ccache -C -z > /dev/null
build ccache-1 "ccache gcc"
echo "ccache first: $(stat cache_miss) misses, $(stat direct_cache_hit) hits"
ccache -z > /dev/null
build ccache-2 "ccache gcc"
echo "ccache second: $(stat cache_miss) misses, $(stat direct_cache_hit) hits; $(same local)"

printf '\0' >> "$out/plugin/klp.so"
ccache -z > /dev/null
build ccache-3 "ccache gcc"
misses=$(stat cache_miss)
echo "ccache changed plugin: $misses misses, $(stat direct_cache_hit) hits;" \
	"$([ "$misses" -ge "$notes" ] && echo "every" || echo "NOT every") object with notes missed"
cp "$plugin_src" "$out/plugin/klp.so"

# distcc: distccd refuses any command line with -fplugin= in it, so the
# compiler is the klp-gcc wrapper (gcc-plugin/klp-gcc.in, as the packages
# install it, here naming this test's plugin copy), on both sides.  The
# packages also put klp-gcc into distcc's masquerade directory, which
# distccd requires of a compiler; this test writes nothing outside OUT and
# a temporary directory, so its distccd runs with --enable-tcp-insecure, which skips that check.
# distccd drops to nobody: the wrapper, the plugin and its log live in a
# directory of /tmp that nobody can reach, whatever OUT's parents allow.
dd=$(mktemp -d /tmp/klp-distcc.XXXXXX)
chmod 755 "$dd"
mkdir -m 777 "$dd/log"
mkdir -m 1777 "$dd/tmp"	# distccd's TMPDIR (a test runner's may be private)
cp "$out/plugin/klp.so" "$dd/klp.so"
chmod 644 "$dd/klp.so"
sed -e "s|@NAME@|klp-gcc|g" -e "s|@CC@|$(command -v gcc)|g" -e "s|@PLUGIN@|$dd/klp.so|g" \
	"$top/gcc-plugin/klp-gcc.in" > "$dd/klp-gcc"
chmod 755 "$dd/klp-gcc"
# a free port: a few tries, each until distccd says it listens
daemon=
trap '[ -z "$daemon" ] || kill $daemon 2>/dev/null || true; rm -rf "$dd"' EXIT
for try in 1 2 3 4 5; do
	port=$((20000 + RANDOM % 20000))
	rm -f "$dd/log/distccd.log"	# distccd creates it as nobody
	PATH=$dd:$PATH TMPDIR=$dd/tmp distccd --daemon --no-detach --user nobody --allow 127.0.0.1 \
		--listen 127.0.0.1 --port "$port" --jobs "$jobs" --enable-tcp-insecure \
		--log-level info --log-file "$dd/log/distccd.log" &
	daemon=$!
	for i in $(seq 100); do
		grep -q 'listening on' "$dd/log/distccd.log" 2>/dev/null && break
		kill -0 $daemon 2>/dev/null || break
		sleep 0.1
	done
	grep -q 'listening on' "$dd/log/distccd.log" && break
	kill $daemon 2>/dev/null || true
	wait $daemon 2>/dev/null || true
	daemon=
done
[ -n "$daemon" ] || { cat "$dd/log/distccd.log" >&2; echo "kernel-farm.sh: distccd did not start" >&2; exit 1; }
kcflags=
mkdir -p "$out/distcc"
PATH=$dd:$PATH DISTCC_HOSTS="127.0.0.1:$port/$jobs" DISTCC_FALLBACK=0 \
	DISTCC_DIR=$out/distcc build distcc "distcc klp-gcc"
cp "$dd/log/distccd.log" "$out/distcc/"
remote=$(grep -c 'COMPILE_OK' "$out/distcc/distccd.log" || true)
echo "distcc: $remote compiled by distccd; $(same local)"
