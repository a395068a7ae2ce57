#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-module.sh [--cc gcc|clang] [WORK] - end to end on x86_64 with an
# out-of-tree module as the livepatch target (scenario-module/): the target
# is linked from three C files, two of which hold a static `level` and a
# static `describe()`; its FILE symbols are stripped, as in modules linked
# from objects that lack them, so only the notes tell the files apart.  The
# livepatch replaces the target's target_show() with one that calls both
# describe()s and reads both levels through include/klp.h; klp-fixup
# converts and verifies it against the target module; qemu loads both.
# Prints lines for the lit test: the target's FILE symbols, what klp-fixup
# chose, what the guest saw, and whether each reference reached its own
# file's symbol (host symbol table of the unstripped module) at the
# position the guest's /proc/kallsyms gives it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_options module "$@"
target=klp_e2e_target
lp=klp_e2e_module

e2e_kernel
rm -rf "$work"
mkdir -p "$work/target" "$work/lp" "$work/filler" "$work/root"
cp "$here"/scenario-module/target/* "$work/target/"
cp "$here"/scenario-module/lp/* "$work/lp/"
cp "$here"/scenario-module/filler/* "$work/filler/"
e2e_module "$work/target"
e2e_module "$work/lp"
e2e_module "$work/filler" plain
cp "$work/filler/klp_e2e_filler.ko" "$work/root/"

tko=$work/root/$target.ko
stripped=$(e2e_strip_file_symbols "$work/target/$target.ko" "$tko")
echo "target FILE symbols: $stripped before, $(readelf -sW "$tko" | awk '$4 == "FILE"' | grep -c . || true) after stripping"

echo "relocations before: $("$top/tests/tools/klp-relocs" "$work/lp/$lp.ko" | tr '\n' ' ')"
"$KLP_FIXUP" convert --target "$tko" "$work/lp/$lp.ko" -o "$work/root/$lp.ko"
echo "convert: ok"
echo "relocations after: $("$top/tests/tools/klp-relocs" "$work/root/$lp.ko" | tr '\n' ' ')"
"$KLP_FIXUP" verify --target "$tko" "$work/root/$lp.ko" | tail -n 1 | sed 's/^/verify: /'
e2e_install_strip "$work/root/$lp.ko"
"$KLP_FIXUP" verify --target "$tko" "$work/root/$lp.ko" 2>/dev/null | tail -n 1 |
	sed 's/^/stripped: verify: /'
for ref in stats.c:describe stats.c:level limits.c:describe limits.c:level; do
	echo "sympos ${ref%%:*} ${ref#*:}: $("$KLP_FIXUP" sympos --target "$tko" "${ref%%:*}" "${ref#*:}")"
done

if [ "$e2e_arch" = ppc64le ]; then
	e2e_ppc_root "$work/root"
	printf 'target %s\npatch %s\nshow /proc/%s\nkallsyms describe level\n' \
		$target $lp $target > "$work/root/e2e.conf"
else
	e2e_busybox_root "$work/root" "$here/scenario-module/init"
fi
e2e_boot "$work/root"
e2e_guest_report

# Ground truth: the unstripped module's symbol table says which file each
# describe/level comes from and their order; the guest printed the addresses
# the kernel resolved and lists the module's symbols in kallsyms order.
python3 - "$work/target/$target.ko" "$work/console.log" "$top/tests/tools" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[3])
import elfread
elf = elfread.Elf(sys.argv[1])
log = open(sys.argv[2], errors='replace').read().replace('\r', '')
order = {}
for s in elf.symbols:
    if s.name in ('describe', 'level') and s.bind == elfread.STB_LOCAL:
        order.setdefault(s.name, []).append(s.file)
m = re.search(r'stats_describe=([0-9a-f]+) stats_level=([0-9a-f]+) '
              r'limits_describe=([0-9a-f]+) limits_level=([0-9a-f]+)', log)
got = dict(zip(('stats.c:describe', 'stats.c:level', 'limits.c:describe', 'limits.c:level'),
               [int(a, 16) for a in m.groups()])) if m else {}
guest = {}
for name, addr in re.findall(r'E2E: kallsyms (describe|level) ([0-9a-f]+)', log):
    guest.setdefault(name, []).append(int(addr, 16))
for ref in ('stats.c:describe', 'stats.c:level', 'limits.c:describe', 'limits.c:level'):
    path, name = ref.split(':')
    want = order.get(name, []).index(path) + 1 if path in order.get(name, []) else 0
    addr = got.get(ref)
    pos = guest.get(name, []).index(addr) + 1 if addr in guest.get(name, []) else 0
    print(f'check: {ref} is number {pos} of {len(guest.get(name, []))} in the guest kallsyms, '
          f'number {want} of {len(order.get(name, []))} in the module symtab')
# After the target was loaded again: each reference at the new address of
# the symbol at the same place among the reloaded ones (a relocation the
# kernel did not apply again would still hold the old copy's address).
m2 = re.search(r'after reload: .*stats_describe=([0-9a-f]+) stats_level=([0-9a-f]+) '
               r'limits_describe=([0-9a-f]+) limits_level=([0-9a-f]+)', log)
again = {}
for name, addr in re.findall(r'E2E: reloaded kallsyms (describe|level) ([0-9a-f]+)', log):
    again.setdefault(name, []).append(int(addr, 16))
if 'E2E: target reloaded' not in log:
    pass    # ppc-init.c does not load the target again
elif m2:
    ok = all(int(a, 16) in again.get(ref.split(':')[1], []) and
             again[ref.split(':')[1]].index(int(a, 16)) == guest[ref.split(':')[1]].index(got[ref])
             and int(a, 16) != got[ref]
             for ref, a in zip(('stats.c:describe', 'stats.c:level', 'limits.c:describe',
                                'limits.c:level'), m2.groups()))
    print(f'check: target loaded again: every reference at its symbol\'s new address: '
          f'{"yes" if ok else "no"}')
else:
    print('check: target loaded again: no patched output')
PY
