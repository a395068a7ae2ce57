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
	qemu-system-x86 qemu-system-ppc qemu-system-misc busybox-static
	# the clang pass plugin's ppc64le user-space test, GCC's torture tests
	qemu-user gcc-12-source
)

# The ppc64le and s390x guests' shell (kpatch's -LOADED.test scripts, the
# e2e scenarios): busybox-static of Debian's ppc64el and s390x ports,
# unpacked into build/deps/DEBARCH, not installed.  Not fatal: without it
# the tests that need it are skipped (lit features busybox-ppc64le,
# busybox-s390x) and this says why.
guest_busybox()
{
	local debarch=$1 dir tmp
	dir=$(cd "$(dirname "$0")/.." && pwd)/build/deps/$debarch
	[ -x "$dir/bin/busybox" ] && return 0
	[ "$(id -u)" -eq 0 ] || { echo "deps.sh: $dir/bin/busybox missing; run as root" >&2; return 0; }
	if ! dpkg --print-foreign-architectures | grep -qx "$debarch"; then
		dpkg --add-architecture "$debarch"
		apt-get update -q || true
	fi
	tmp=$(mktemp -d)
	if (cd "$tmp" && apt-get download -q "busybox-static:$debarch") &&
	   dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/x" && mkdir -p "$dir/bin" &&
	   cp "$tmp/x/bin/busybox" "$dir/bin/busybox"; then
		echo "deps.sh: $debarch busybox in $dir/bin"
	else
		echo "deps.sh: cannot fetch busybox-static:$debarch: the tests that boot a $debarch guest with it will be skipped" >&2
	fi
	rm -rf "$tmp"
}
guest_busyboxes()
{
	guest_busybox ppc64el
	guest_busybox s390x
}
trap guest_busyboxes EXIT

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
