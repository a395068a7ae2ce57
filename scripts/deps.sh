#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# deps.sh - install the Debian bookworm packages klp-toolchain needs.
# Run as root.  Does nothing when everything is already installed.
set -euo pipefail

packages=(
	# build
	cmake make g++ gcc gcc-12-plugin-dev libelf-dev libzstd-dev pkg-config
	python3
	# packages and man pages (scripts/package.sh), build farms (tests/lit/farm)
	help2man dpkg-dev ccache distcc
	# kpatch-build (tests/kpatch)
	gawk
	# ppc64le cross compiler, its plugin headers and binutils
	gcc-powerpc64le-linux-gnu gcc-12-plugin-dev-powerpc64le-linux-gnu
	binutils-powerpc64le-linux-gnu
	# s390x cross compiler, its plugin headers and binutils
	gcc-s390x-linux-gnu gcc-12-plugin-dev-s390x-linux-gnu binutils-s390x-linux-gnu
	# clang/LLVM (lit, FileCheck, the pass plugin)
	llvm-19 llvm-19-dev llvm-19-tools clang-19 lld-19 llvm-14-dev clang-14
	# kernel builds and the qemu demo
	linux-source-6.12 linux-source-6.1 flex bison bc libssl-dev cpio xz-utils patch kmod
	qemu-system-x86 qemu-system-ppc busybox-static
	# the clang pass plugin's ppc64le user-space test, GCC's torture tests
	qemu-user gcc-12-source
)

# The ppc64le guests' shell (kpatch's -LOADED.test scripts): busybox-static
# of Debian's ppc64el port, unpacked into build/deps/ppc64el, not
# installed.  Not fatal: without it the tests that need it are skipped
# (lit feature busybox-ppc64le) and this says why.
ppc_busybox()
{
	local dir tmp
	dir=$(cd "$(dirname "$0")/.." && pwd)/build/deps/ppc64el
	[ -x "$dir/bin/busybox" ] && return 0
	[ "$(id -u)" -eq 0 ] || { echo "deps.sh: $dir/bin/busybox missing; run as root" >&2; return 0; }
	if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
		dpkg --add-architecture ppc64el
		apt-get update -q || true
	fi
	tmp=$(mktemp -d)
	if (cd "$tmp" && apt-get download -q busybox-static:ppc64el) &&
	   dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/x" && mkdir -p "$dir/bin" &&
	   cp "$tmp/x/bin/busybox" "$dir/bin/busybox"; then
		echo "deps.sh: ppc64el busybox in $dir/bin"
	else
		echo "deps.sh: cannot fetch busybox-static:ppc64el: the ppc64le kpatch tests will be skipped" >&2
	fi
	rm -rf "$tmp"
}
trap ppc_busybox EXIT

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages: ${missing[*]}; run as root" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q "${missing[@]}"
