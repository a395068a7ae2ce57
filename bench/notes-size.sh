#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# notes-size.sh [OBJDIR...] - what the notes cost in vmlinux, as stored:
# for each test kernel (default: build/kernel/*-plugin, built by
# tests/kernel/build-kernel.sh, which stores .debug_klp zstd-compressed),
# the section's stored (zstd) and uncompressed bytes against
# .symtab+.strtab, and what zlib would take (llvm-objcopy on a copy).
# Results replace the "Note size" section of docs/performance.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
fixup=${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}
doc=${KLP_PERF_DOC:-$top/docs/performance.md}
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("$top"/build/kernel/*-plugin)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for dir in "${dirs[@]}"; do
	vmlinux=$dir/vmlinux
	[ -f "$vmlinux" ] || continue
	llvm-objcopy-19 --compress-sections=.debug_klp=none "$vmlinux" "$work/raw"
	llvm-objcopy-19 --compress-sections=.debug_klp=zstd "$work/raw" "$work/zstd"
	llvm-objcopy-19 --compress-sections=.debug_klp=zlib "$work/raw" "$work/zlib"
	records=$("$fixup" dump --json "$vmlinux" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["units"]), sum(len(u["symbols"]) for u in d["units"]),
      sum(1 for u in d["units"] for s in u["symbols"] if s.get("checksum")))')
	python3 - "$top" "$work/zstd" "$work/raw" "$work/zlib" "$(basename "$dir")" $records >> "$work/rows" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(sys.argv[1], 'tests', 'tools'))
import elfread
def sizes(path):
    e = elfread.Elf(path)
    return {s.name: s.size for s in e.sections}
stored, raw, zlib = sizes(sys.argv[2]), sizes(sys.argv[3]), sizes(sys.argv[4])
name, units, records, sums = sys.argv[5], *sys.argv[6:9]
symstr = stored['.symtab'] + stored['.strtab']
k = '.debug_klp'
print(f'| {name} | {units} | {records} | {sums} | {raw[k]} | {100.0 * raw[k] / symstr:.1f}% | '
      f'{stored[k]} | **{100.0 * stored[k] / symstr:.1f}%** | {zlib[k]} | '
      f'{100.0 * zlib[k] / symstr:.1f}% | {symstr} |')
PY
done

python3 - "$doc" "$work/rows" <<'PY'
import re, sys
doc, rows = sys.argv[1], open(sys.argv[2]).read().rstrip('\n').split('\n')
BEGIN, END = '<!-- notes-size:begin -->', '<!-- notes-size:end -->'
lines = [BEGIN, '',
         '`bench/notes-size.sh`: `.debug_klp` in the test kernels\' vmlinux (note format 2, '
         'checksums included), stored zstd-compressed as `tests/kernel/build-kernel.sh` stores '
         'it (`llvm-objcopy --compress-sections=.debug_klp=zstd`, what '
         '`CONFIG_DEBUG_INFO_COMPRESSED_ZSTD` does to every debug section), against '
         '`.symtab`+`.strtab`; zlib for comparison.',
         '',
         '| kernel | units | records | checksums | raw bytes | raw / symtab+strtab | '
         'stored (zstd) | stored / symtab+strtab | zlib | zlib / symtab+strtab | '
         '.symtab+.strtab |',
         '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'] + rows + ['', END]
text = open(doc).read()
block = '\n'.join(lines)
if BEGIN in text:
    text = re.sub(re.escape(BEGIN) + '.*?' + re.escape(END), lambda m: block, text, flags=re.S)
else:
    text = text.rstrip('\n') + '\n\n## Note size\n\n' + block + '\n'
open(doc, 'w').write(text)
print(block)
PY
