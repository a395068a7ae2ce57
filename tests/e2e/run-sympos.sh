#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-sympos.sh [--cc gcc|clang] [WORK] - end to end on x86_64: the kernel
# built with the compiler plugin (tests/kernel/build-kernel.sh, cached; gcc
# with klp.so or clang-19 with klp-clang.so), a source-written livepatch
# (scenario-sympos/) linked from three objects, two of which refer to and
# call same-named statics of different files (c_start, c_stop) through
# include/klp.h (c_start of one through relocations that share a symbol),
# built against that
# kernel, converted and verified by klp-fixup, then loaded in qemu.  Prints
# lines for the lit test to check: what klp-fixup chose, what the guest saw
# (before, patched, restored, its /proc/kallsyms), and whether the kernel
# resolved each reference to the address the host's symbol table gives
# that file's c_start.  With clang also what makes that kernel hard for
# symbol-list tools: `.Ltmp` locals in the symbol table but not in kallsyms,
# `__pfx_` symbols, and the patched function's site after its padding.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
e2e_options sympos "$@"
# the other file with a c_start/c_stop pair: /proc/cpuinfo's
case $e2e_arch in
x86_64)  cpuinfo_c=arch/x86/kernel/cpu/proc.c ;;
ppc64le) cpuinfo_c=arch/powerpc/kernel/setup-common.c ;;
s390x)   cpuinfo_c=arch/s390/kernel/processor.c ;;
esac
lp=klp_e2e_sympos

e2e_kernel
rm -rf "$work"
mkdir -p "$work/mod" "$work/root"
cp "$here"/scenario-sympos/*.c "$here/scenario-sympos/Kbuild" "$work/mod/"
e2e_module "$work/mod"

echo "relocations before: $("$top/tests/tools/klp-relocs" "$work/mod/$lp.ko" | tr '\n' ' ')"
"$KLP_FIXUP" convert --target "$out/vmlinux" "$work/mod/$lp.ko" -o "$work/root/$lp.ko"
echo "convert: ok"
echo "relocations after: $("$top/tests/tools/klp-relocs" "$work/root/$lp.ko" | tr '\n' ' ')"
"$KLP_FIXUP" verify --target "$out/vmlinux" "$work/root/$lp.ko" | tail -n 1 | sed 's/^/verify: /'
e2e_install_strip "$work/root/$lp.ko"
"$KLP_FIXUP" verify --target "$out/vmlinux" "$work/root/$lp.ko" 2>/dev/null | tail -n 1 |
	sed 's/^/stripped: verify: /'
for path in fs/proc/consoles.c $cpuinfo_c; do
	for sym in c_start c_stop; do
		echo "sympos $path $sym: $("$KLP_FIXUP" sympos --target "$out/vmlinux" "$path" $sym)"
	done
done

if [ "$e2e_arch" = ppc64le ]; then
	e2e_ppc_root "$work/root"
	printf 'patch %s\nshow /proc/cmdline\nkallsyms c_start c_stop\n' $lp > "$work/root/e2e.conf"
else
	e2e_busybox_root "$work/root" "$here/scenario-sympos/init"
fi
e2e_boot "$work/root"
e2e_guest_report

# Ground truth on the host: each file's c_start from vmlinux's own symbol
# table (the FILE symbol that precedes it), compared with what the patched
# function printed in the guest and with the guest's kallsyms order.
"$KLP_FIXUP" dump --json "$out/vmlinux" > "$work/notes.json"
python3 - "$out/vmlinux" "$work/console.log" "$top/tests/tools" "$work/notes.json" "$cpuinfo_c" <<'PY'
import json, os, re, sys
sys.path.insert(0, sys.argv[3])
import elfread
elf = elfread.Elf(sys.argv[1])
log = open(sys.argv[2], errors='replace').read().replace('\r', '')
# Where the guest maps the image: s390x runs it at a virtual base of its
# own (0x3ffe0000000 in 6.12), not at the link address; the others at the
# link address (no KASLR in the test configs).
text = re.search(r'E2E: kallsyms _text ([0-9a-f]+)', log)
host_text = next((s.value for s in elf.symbols if s.name == '_text'), 0)
shift = int(text.group(1), 16) - host_text if text else 0
truth = {s.file: s.value + shift for s in elf.symbols
         if s.name == 'c_start' and s.type == elfread.STT_FUNC}
m = re.search(r'consoles_c_start=([0-9a-f]+) cpuinfo_c_start=([0-9a-f]+)', log)
guest_order = [int(a, 16) for a in re.findall(r'E2E: kallsyms c_start ([0-9a-f]+)', log)]
cpuinfo = os.path.basename(sys.argv[5])
cpuinfo_tag = os.path.join(os.path.basename(os.path.dirname(sys.argv[5])), cpuinfo)
for name, key, idx in (('consoles.c', 'consoles.c', 1), (cpuinfo_tag, cpuinfo, 2)):
    got = int(m.group(idx), 16) if m else None
    want = truth.get(key)
    print(f'check: {name} c_start resolved to its own address: {"yes" if got == want and got else "no"}')
    pos = guest_order.index(got) + 1 if got in guest_order else 0
    print(f'check: {name} c_start is number {pos} of {len(guest_order)} in the guest kallsyms')
# c_stop: called, not printed; where the host's symbol table puts each
# file's c_stop among the guest's c_stop entries.
stops = {s.file: s.value + shift for s in elf.symbols
         if s.name == 'c_stop' and s.type == elfread.STT_FUNC}
guest_stops = [int(a, 16) for a in re.findall(r'E2E: kallsyms c_stop ([0-9a-f]+)', log)]
for name, key in (('consoles.c', 'consoles.c'), (cpuinfo_tag, cpuinfo)):
    addr = stops.get(key)
    pos = guest_stops.index(addr) + 1 if addr in guest_stops else 0
    print(f'check: {name} c_stop is number {pos} of {len(guest_stops)} in the guest kallsyms')

# The patched function: its note's site must be a recorded ftrace call
# site (__mcount_loc), and its __pfx_ symbol must start the padding the
# note records.
func = 'cmdline_proc_show'
rec = [s for u in json.load(open(sys.argv[4]))['units'] for s in u['symbols'] if s['name'] == func]
sym = {s.name: s for s in elf.symbols if s.type == elfread.STT_FUNC and s.name in (func, '__pfx_' + func)}
# klp-check reads the table the way the kernel does (__start/__stop_mcount_loc)
from importlib.machinery import SourceFileLoader
klp_check = SourceFileLoader('klp_check', sys.argv[3] + '/klp-check').load_module()
sites = {a for _s, a in klp_check.table_entries(elf, '__mcount_loc')}
if len(rec) == 1 and func in sym:
    r, addr = rec[0], sym[func].value
    site = addr + r['site']['offset']
    print(f'check: {func} site +{r["site"]["offset"]} after {r["prefix"]} bytes of padding, '
          f'in __mcount_loc: {"yes" if site in sites else "no"}')
    if r['prefix']:
        pfx = sym.get('__pfx_' + func)
        print(f'check: __pfx_{func} starts the padding: '
              f'{"yes" if pfx and pfx.value == addr - r["prefix"] else "no"}')
else:
    print(f'check: {func}: {len(rec)} notes, symbol {"found" if func in sym else "missing"}')
ltmp = sum(1 for s in elf.symbols if s.name.startswith('.L'))
guest_ltmp = re.search(r'E2E: kallsyms .L symbols: (\d+)', log)
print(f'check: .L symbols: {ltmp} in the vmlinux symtab, '
      f'{guest_ltmp.group(1) if guest_ltmp else "?"} in the guest kallsyms of vmlinux')
PY
