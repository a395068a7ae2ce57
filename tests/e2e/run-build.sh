#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-build.sh [--cc gcc|clang] [--arch x86_64|ppc64le] [WORK] - end to end for `klp-fixup build`:
# the livepatch is made from source patches (scenario-build/*.patch) against
# the cached test kernel's build directory, compiling only the two units the
# patches touch; then booted in qemu, loaded, read from user space,
# disabled and unloaded.  Prints what the builder said and the checks:
#   - the compiles (2 per unit, 3 on ppc64le, no kernel build) and the
#     patched functions;
#   - the new static function and data work (the count rises per read);
#   - c_start, whose name /proc/cpuinfo's file has too, resolved to
#     consoles.c's: the address the patched code printed equals the one
#     `klp-fixup sympos` gives, and it is number 2 of 2 in the guest's
#     kallsyms;
#   - the old behaviour is back after unloading, and the guest log is clean.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_options build "$@"
lp=klp_build_e2e

e2e_kernel
rm -rf "$work"
mkdir -p "$work/root"
"$KLP_FIXUP" build --kdir "$out" --name $lp -o "$work/root/$lp.ko" "$here"/scenario-build/*.patch |
	sed "s|$src/||; s|^wrote .*|wrote $lp.ko|"
"$KLP_FIXUP" verify --target "$out/vmlinux" "$work/root/$lp.ko" | tail -n 1 | sed 's/^/verify: /'

if [ "$e2e_arch" = ppc64le ]; then
	# ppc-init.c: /proc/cmdline read twice (the counter), then /proc/consoles
	e2e_ppc_root "$work/root"
	printf 'patch %s\nshow /proc/cmdline\nshow /proc/cmdline\nshow /proc/consoles\nkallsyms c_start\n' \
		$lp > "$work/root/e2e.conf"
else
	e2e_busybox_root "$work/root" "$here/scenario-build/init"
fi
e2e_boot "$work/root"
log=$(tr -d '\r' < "$work/console.log")
# consoles.c's c_start where the guest runs it: its address in vmlinux
# (sympos), shifted as the guest shifts the image (s390x runs it at a
# virtual base of its own; the others where it is linked).
want=$("$KLP_FIXUP" sympos --verbose --target "$out/vmlinux" fs/proc/consoles.c c_start |
	sed -n 's/.* at 0x\([0-9a-f]*\),.*/\1/p')
host_text=$(nm "$out/vmlinux" | awk '$3 == "_text" { t = $1 } END { print t }')
guest_text=$(printf '%s\n' "$log" | sed -n 's/^E2E: kallsyms _text //p' | head -n 1)
[ -n "$want" ] && want=$(printf '%016x' $((0x$want + 0x${guest_text:-$host_text} - 0x$host_text)))
e2e_guest_report | sed "s|$want|<consoles.c c_start>|g"
got=$(printf '%s\n' "$log" | sed -n 's/.*klp-build c_start=\([0-9a-f]*\).*/\1/p' | head -n 1)
order=$(printf '%s\n' "$log" | sed -n 's/^E2E: kallsyms c_start //p')
pos=$(printf '%s\n' "$order" | grep -n "^$want\$" | cut -d: -f1 || true)
echo "check: printed c_start is consoles.c's: $([ -n "$got" ] && [ "$got" = "$want" ] && echo yes || echo no)"
echo "check: consoles.c c_start is number ${pos:-0} of $(printf '%s\n' "$order" | grep -c .) in the guest kallsyms"
