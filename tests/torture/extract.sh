#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# extract.sh DIR - GCC's C torture tests (gcc/testsuite/gcc.c-torture) from
# Debian's gcc-12-source, into DIR/gcc-12.2.0/gcc/testsuite/gcc.c-torture,
# for tests/torture/compile.py.  Installs gcc-12-source when missing.
set -euo pipefail
dir=${1:?usage: extract.sh DIR}
tarball=$(ls /usr/src/gcc-12/gcc-12*.tar.xz 2>/dev/null | head -n 1 || true)
if [ -z "$tarball" ]; then
	apt-get install -y -q gcc-12-source >/dev/null
	tarball=$(ls /usr/src/gcc-12/gcc-12*.tar.xz | head -n 1)
fi
mkdir -p "$dir"
tar -xJf "$tarball" -C "$dir" --wildcards '*/gcc/testsuite/gcc.c-torture/*'
ls -d "$dir"/gcc-*/gcc/testsuite/gcc.c-torture
