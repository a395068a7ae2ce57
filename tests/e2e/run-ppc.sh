#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-ppc.sh [WORK] - end to end on ppc64le (scenario-ppc/): a livepatch
# whose changed function calls a function that was static in the original
# unit.  The unit is compiled whole, as a kpatch-style build does, then
# the call is pointed at the running kernel's function (in the assembly,
# as create-diff-object does it in the object).  Built twice against the
# ppc64le kernel built with klp.so: with the plugin, as the kernel was,
# and without it (the control).  Both are converted by klp-fixup; verify
# and the guest must accept the first and refuse the control ("Expected
# nop after call").  Prints lines for the lit test.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_arch=ppc64le
e2e_cc=gcc
work=${1:-$top/build/e2e/ppc}
lp=klp_e2e_ppc
callee=cmdline_proc_show
ref=__klp_ref:vmlinux:fs/proc/cmdline.c:$callee

e2e_kernel
rm -rf "$work"
mkdir -p "$work/root"
for variant in plugin plain; do
	mod=$lp
	[ $variant = plain ] && mod=${lp}_control
	dir=$work/$variant
	mkdir -p "$dir"
	cp "$here"/scenario-ppc/*.c "$dir/"
	# First the patched unit as the compiler emits it...
	printf 'obj-m := %s.o\n%s-y := main.o patched.o\n' "$mod" "$mod" > "$dir/Kbuild"
	flags=$e2e_plugin_flags
	[ $variant = plain ] && flags=
	make -s -C "$src" O="$out" M="$dir" "${e2e_make_args[@]}" KCFLAGS="$flags" \
		patched.s > "$dir/build.log" 2>&1 || { cat "$dir/build.log" >&2; e2e_fail "$dir/patched.s failed"; }
	# ...then every call to the stand-in goes to the kernel's function.
	# Comment lines go: the .S rule preprocesses them (kbuild's
	# -fverbose-asm also ends instructions with a comment).
	sed -e '/^[[:space:]]*#/d' \
		-e "s|^\([[:space:]]*bl\)[[:space:]]\+$callee\([[:space:]].*\)\?\$|\1 \"$ref\"|" \
		"$dir/patched.s" > "$dir/patched_ext.S"
	calls=$(grep -c "bl \"$ref\"" "$dir/patched_ext.S" || true)
	[ "$calls" -ge 1 ] || e2e_fail "$dir/patched.s: no 'bl $callee' to redirect"
	printf 'obj-m := %s.o\n%s-y := main.o patched_ext.o\n' "$mod" "$mod" > "$dir/Kbuild"
	e2e_module "$dir" "$variant"
	echo "$variant: calls redirected: $calls; $("$top/tests/tools/ppc-nop-check" "$dir/$mod.ko" | tail -n 1)" || true
	"$KLP_FIXUP" convert --target "$out/vmlinux" "$dir/$mod.ko" -o "$work/root/$mod.ko"
	echo "$variant: convert: ok"
	{ "$KLP_FIXUP" verify --target "$out/vmlinux" "$work/root/$mod.ko" 2>&1 || true; } |
		sed "s|^|$variant: verify: |; s|$work/||g"
done

e2e_ppc_root "$work/root"
printf 'patch %s\nshow /proc/version\ncontrol %s_control\n' $lp $lp > "$work/root/e2e.conf"
e2e_boot "$work/root"
e2e_guest_report
echo "check: guest said \"Expected nop after call\": $(tr -d '\r' < "$work/console.log" | grep -c 'Expected nop after call' || true) times"
