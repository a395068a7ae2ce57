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
	# clang/LLVM (lit, FileCheck, the pass plugin)
	llvm-19 llvm-19-dev llvm-19-tools clang-19 lld-19 llvm-14-dev clang-14
	# kernel builds and the qemu demo
	linux-source-6.12 linux-source-6.1 flex bison bc libssl-dev cpio xz-utils patch
	qemu-system-x86 qemu-system-ppc busybox-static
	# the clang pass plugin's ppc64le user-space test, GCC's torture tests
	qemu-user gcc-12-source
)

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
