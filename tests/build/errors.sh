#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# errors.sh [WORK] - what `klp-fixup build` refuses, against the cached x86_64
# gcc test kernel, and that a refused build writes nothing.  Each case
# prints "CASE: rc=N out=absent|present" and the first error line:
#   asm        a patch to an assembly file
#   makefile   a patch to a Makefile
#   comment    a patch that changes a comment only
#   data       a patch that changes a writable static's initial value
#   stale      a source tree whose cmdline.c differs from what vmlinux was
#              built from (a hard-linked copy with one file rewritten)
#   reject     a patch that does not apply
#   device     -o naming a device node, and a patch that is one
#   devnull    a patch whose second file header names /dev/null twice
#              (the first file's entry was freed with it: fuzz-builder)
# and one that builds: a changed inline function of a header (fs/proc/fd.h),
# which every unit that read the header is compiled for.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
work=${1:-$top/build/build-errors}
out=$(KLP_CC=gcc "$top/tests/kernel/build-kernel.sh" x86_64 plugin "${KLP_KERNEL_ROOT:-}" | tail -n 1)
src=$(readlink -f "$out/source")
rm -rf "$work"
mkdir -p "$work"

# a unified diff of FILE (in the tree) after the sed script $2
mkpatch() {
	local file=$1 script=$2 name=$3
	mkdir -p "$work/gen/a/$(dirname "$file")" "$work/gen/b/$(dirname "$file")"
	cp "$src/$file" "$work/gen/a/$file"
	sed "$script" "$src/$file" > "$work/gen/b/$file"
	(cd "$work/gen" && diff -u "a/$file" "b/$file" > "$work/$name.patch" || true)
	rm -rf "$work/gen"
}

run() {
	local name=$1 rc=0
	shift
	"$KLP_FIXUP" build --kdir "$out" -o "$work/$name.ko" "$@" > "$work/$name.out" 2> "$work/$name.err" ||
		rc=$?
	echo "$name: rc=$rc out=$([ -e "$work/$name.ko" ] && echo present || echo absent)"
	grep -m1 'error:' "$work/$name.err" | sed "s|$out/||g; s|$src/||g; s|$work/||g" || true
}

mkpatch arch/x86/lib/memcpy_64.S '$a\\/* a comment */' asm
run asm "$work/asm.patch"
mkpatch fs/proc/Makefile 's/^proc-y\t*+= cmdline.o/&\n/' makefile
run makefile "$work/makefile.patch"
mkpatch fs/proc/cmdline.c 's|^#include "internal.h"|&\n/* a comment */|' comment
run comment "$work/comment.patch"
mkpatch mm/oom_kill.c 's/^static int sysctl_oom_dump_tasks = 1;/static int sysctl_oom_dump_tasks = 0;/' data
run data "$work/data.patch"
mkpatch fs/proc/cmdline.c 's/seq_putc(m, .\\n.);/seq_puts(m, "\\n");/' reject
mkpatch fs/proc/cmdline.c 's/saved_command_line_len + 1;/saved_command_line_len + 2;/' stalefile
cp -al "$src" "$work/stale-src"
rm "$work/stale-src/fs/proc/cmdline.c"
cp "$src/fs/proc/cmdline.c" "$work/stale-src/fs/proc/cmdline.c"
(cd "$work/stale-src" && patch -s -p1 < "$work/stalefile.patch")
mkpatch fs/proc/cmdline.c 's/seq_putc(m, .\\n.);/seq_puts(m, "\\n");/' stale
run stale --srctree "$work/stale-src" "$work/stale.patch"
rm -rf "$work/stale-src"
sed -i 's/saved_command_line/no_such_line/' "$work/reject.patch"
run reject "$work/reject.patch"
rc=0
"$KLP_FIXUP" build --kdir "$out" -o /dev/null "$work/comment.patch" 2> "$work/device.err" || rc=$?
echo "device: rc=$rc /dev/null is $([ -c /dev/null ] && echo still a device || echo replaced)"
grep -m1 'error:' "$work/device.err" || true
rc=0
"$KLP_FIXUP" build --kdir "$out" -o "$work/device.ko" /dev/zero 2> "$work/device.err" || rc=$?
echo "device: rc=$rc out=$([ -e "$work/device.ko" ] && echo present || echo absent)"
grep -m1 'error:' "$work/device.err" || true
mkpatch fs/proc/cmdline.c 's/seq_putc(m, .\\n.);/seq_puts(m, "\\n");/' devnull
printf '%s\n' '--- /dev/null' '+++ /dev/null' >> "$work/devnull.patch"
run devnull "$work/devnull.patch"
mkpatch fs/proc/fd.h 's/return PROC_I(inode)->fd;/return READ_ONCE(PROC_I(inode)->fd);/' header
run header "$work/header.patch"
sed -n 's|'"$src"'/||; /^units:\|^unit \|^  patched\|^  changed/p' "$work/header.out"
