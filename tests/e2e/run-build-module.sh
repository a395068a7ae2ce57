#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-build-module.sh [--cc gcc|clang] [--arch x86_64|ppc64le|s390x] [WORK] - end
# to end for `klp-fixup build` on a module: a patch to a unit of the test
# kernel's livepatch-shadow-mod.ko (samples/livepatch, built as a module
# with the plugin) makes a livepatch whose klp_object is that module; the
# unpatched compile is checked against the module's notes, the module's
# statics are reached through .klp.sym symbols of the module.  Booted, the
# livepatch is loaded before the module (the kernel patches the module as
# it comes), the patched function runs and prints the address of the
# module's static dummy_alloc, which must be the guest kallsyms' one; then
# disabled and unloaded, the module's own code runs again.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_options build-module "$@"
lp=klp_build_mod

e2e_kernel
rm -rf "$work"
mkdir -p "$work/root"
"$KLP_FIXUP" build --kdir "$out" --name $lp -o "$work/root/$lp.ko" \
	"$here"/scenario-build-module/shadow-mod.patch | sed "s|$src/||; s|^wrote .*|wrote $lp.ko|"
"$KLP_FIXUP" verify --target "$out/vmlinux" \
	--target "$out/samples/livepatch/livepatch-shadow-mod.ko" "$work/root/$lp.ko" |
	tail -n 1 | sed 's/^verify: //; s/^[^:]*: /verify: /'
readelf -sW "$work/root/$lp.ko" | grep -o '\.klp\.sym\.[^ ]*' | sort | sed 's/^/symbol: /'
cp "$out/samples/livepatch/livepatch-shadow-mod.ko" "$work/root/"
e2e_busybox_root "$work/root" "$here/scenario-build-module/init"
e2e_boot "$work/root"
e2e_guest_report
