#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# setup.sh DIR - a fake kernel build for the kbuild-cmd tests: the source
# tree DIR/src (kernel/hello.c, include/hello.h) and the O= directory
# DIR/obj with kbuild's saved commands (the *.o.cmd files here, @SRCTREE@
# and @OBJDIR@ filled in) and the `source` link kbuild makes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
rm -rf "$dir"
mkdir -p "$dir/src/kernel" "$dir/src/include" "$dir/obj/kernel" "$dir/obj/arch/x86/lib"
cp "$here/hello.c" "$dir/src/kernel/hello.c"
cp "$here/hello.h" "$dir/src/include/hello.h"
ln -s "$dir/src" "$dir/obj/source"
cmd() {
	sed -e "s|@SRCTREE@|$dir/src|g" -e "s|@OBJDIR@|$dir/obj|g" "$here/$1" > "$dir/obj/$2"
}
cmd hello.o.cmd kernel/.hello.o.cmd
cmd plugins.o.cmd kernel/.plugins.o.cmd
cmd old.o.cmd kernel/.old.o.cmd
cmd linked.o.cmd kernel/.linked.o.cmd
cmd memcpy_64.o.cmd arch/x86/lib/.memcpy_64.o.cmd
