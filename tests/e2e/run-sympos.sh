#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-sympos.sh - end to end on x86_64: the kernel built with klp.so
# (tests/kernel/build-kernel.sh, cached), a source-written livepatch
# (scenario-sympos/) linked from three objects, two of which refer to
# same-named statics of different files through include/klp.h (one of
# them through eight relocations that share a symbol), built against that
# kernel, converted and verified by klp-fixup, then loaded in qemu.  Prints lines for the lit test to check:
# what klp-fixup chose, what the guest saw (before, patched, restored, its
# /proc/kallsyms), and whether the kernel resolved each reference to the
# address the host's symbol table gives that file's c_start.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${KLP_FIXUP:?set KLP_FIXUP to the klp-fixup binary}"
work=${1:-$top/build/e2e/sympos}
lp=klp_e2e_sympos

out=$("$top/tests/kernel/build-kernel.sh" x86_64 plugin "${KLP_KERNEL_ROOT:-}" | tail -n 1)
src=$(dirname "$out")/src-${KLP_KERNEL_VERSION:-6.12}
rm -rf "$work"
mkdir -p "$work/mod" "$work/root/bin" "$work/root/proc" "$work/root/sys"
cp "$here"/scenario-sympos/*.c "$here/scenario-sympos/Kbuild" "$work/mod/"

# The module refers to symbols vmlinux does not export: modpost may only warn.
make -s -C "$src" O="$out" M="$work/mod" KLP_INCLUDE="$top/include" \
	KBUILD_MODPOST_WARN=1 modules > "$work/module-build.log" 2>&1 || {
	cat "$work/module-build.log" >&2
	exit 1
}
echo "relocations before: $("$top/tests/tools/klp-relocs" "$work/mod/$lp.ko" | tr '\n' ' ')"
"$KLP_FIXUP" convert --target "$out/vmlinux" "$work/mod/$lp.ko" -o "$work/root/$lp.ko"
echo "convert: ok"
echo "relocations after: $("$top/tests/tools/klp-relocs" "$work/root/$lp.ko" | tr '\n' ' ')"
"$KLP_FIXUP" verify --target "$out/vmlinux" "$work/root/$lp.ko" | tail -n 1 | sed 's/^/verify: /'
for path in fs/proc/consoles.c arch/x86/kernel/cpu/proc.c; do
	echo "sympos $path c_start: $("$KLP_FIXUP" sympos --target "$out/vmlinux" "$path" c_start)"
done

cp /bin/busybox "$work/root/bin/busybox"
install -m 755 "$here/scenario-sympos/init" "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip -1 > "$work/initrd.gz")
timeout 300 qemu-system-x86_64 -m 512 -nographic -no-reboot \
	-kernel "$out/arch/x86/boot/bzImage" -initrd "$work/initrd.gz" \
	-append "console=ttyS0 panic=-1 oops=panic" > "$work/console.log" 2>&1 || true
tr -d '\r' < "$work/console.log" | grep '^E2E: ' || true

# Ground truth on the host: each file's c_start from vmlinux's own symbol
# table (the FILE symbol that precedes it), compared with what the patched
# function printed in the guest and with the guest's kallsyms order.
python3 - "$out/vmlinux" "$work/console.log" "$top/tests/tools" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[3])
import elfread
elf = elfread.Elf(sys.argv[1])
log = open(sys.argv[2], errors='replace').read().replace('\r', '')
truth = {s.file: s.value for s in elf.symbols if s.name == 'c_start' and s.type == elfread.STT_FUNC}
m = re.search(r'consoles_c_start=([0-9a-f]+) cpuinfo_c_start=([0-9a-f]+)', log)
guest_order = [int(a, 16) for a in re.findall(r'E2E: kallsyms c_start ([0-9a-f]+)', log)]
for name, key, idx in (('consoles.c', 'consoles.c', 1), ('cpu/proc.c', 'proc.c', 2)):
    got = int(m.group(idx), 16) if m else None
    want = truth.get(key)
    print(f'check: {name} c_start resolved to its own address: {"yes" if got == want and got else "no"}')
    pos = guest_order.index(got) + 1 if got in guest_order else 0
    print(f'check: {name} c_start is number {pos} of {len(guest_order)} in the guest kallsyms')
bad = [l for l in log.splitlines() if re.search(r'Oops|BUG:|WARNING:|Call Trace|livepatch: .*(failed|error)|Kernel panic', l)]
print(f'check: guest log problems: {len(bad)}')
for l in bad[:10]:
    print('  ' + l)
PY
