#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# notes-size.sh [OBJDIR...] - what the notes cost in vmlinux, as stored:
# for each test kernel (default: build/kernel/*-plugin, built by
# tests/kernel/build-kernel.sh, which stores .debug_klp zstd-compressed),
# the section's stored bytes (klp-fixup compress, zstd level 19) and
# uncompressed bytes against .symtab+.strtab, and what zstd at objcopy's
# default level and zlib would take (llvm-objcopy on a copy).
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
	"$fixup" compress "$work/raw" -o "$work/stored" > /dev/null
	llvm-objcopy-19 --compress-sections=.debug_klp=zstd "$work/raw" "$work/zstd"
	llvm-objcopy-19 --compress-sections=.debug_klp=zlib "$work/raw" "$work/zlib"
	records=$("$fixup" dump --json "$vmlinux" | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(len(d["units"]), sum(len(u["symbols"]) for u in d["units"]),
      sum(1 for u in d["units"] for s in u["symbols"] if s.get("checksum")))')
	python3 - "$top" "$work/stored" "$work/raw" "$work/zlib" "$work/zstd" "$(basename "$dir")" $records >> "$work/rows" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(sys.argv[1], 'tests', 'tools'))
import elfread
def sizes(path):
    e = elfread.Elf(path)
    return {s.name: s.size for s in e.sections}
stored, raw, zlib, zstd5 = (sizes(sys.argv[i]) for i in range(2, 6))
name, units, records, sums = sys.argv[6], *sys.argv[7:10]
symstr = stored['.symtab'] + stored['.strtab']
k = '.debug_klp'
print(f'| {name} | {units} | {records} | {sums} | {raw[k]} | {100.0 * raw[k] / symstr:.1f}% | '
      f'{stored[k]} | **{100.0 * stored[k] / symstr:.1f}%** | {zstd5[k]} | '
      f'{100.0 * zstd5[k] / symstr:.1f}% | {zlib[k]} | {100.0 * zlib[k] / symstr:.1f}% | '
      f'{symstr} |')
PY
done

python3 - "$doc" "$work/rows" <<'PY'
import re, sys
doc, rows = sys.argv[1], open(sys.argv[2]).read().rstrip('\n').split('\n')
BEGIN, END = '<!-- notes-size:begin -->', '<!-- notes-size:end -->'
lines = [BEGIN, '',
         '`bench/notes-size.sh`: `.debug_klp` in the test kernels\' vmlinux (note format 2, '
         'checksums included), stored as `tests/kernel/build-kernel.sh` stores it '
         '(`klp-fixup compress`: zstd level 19), against `.symtab`+`.strtab`; for comparison '
         'zstd at objcopy\'s default level (`llvm-objcopy --compress-sections=.debug_klp=zstd`, '
         'level 5; `CONFIG_DEBUG_INFO_COMPRESSED_ZSTD` compresses at the linker\'s level) '
         'and zlib.',
         '',
         '| kernel | units | records | checksums | raw bytes | raw / symtab+strtab | '
         'stored (zstd 19) | stored / symtab+strtab | zstd 5 | zstd 5 / symtab+strtab | '
         'zlib | zlib / symtab+strtab | .symtab+.strtab |',
         '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |'] + rows + ['', END]
text = open(doc).read()
block = '\n'.join(lines)
if BEGIN in text:
    text = re.sub(re.escape(BEGIN) + '.*?' + re.escape(END), lambda m: block, text, flags=re.S)
else:
    text = text.rstrip('\n') + '\n\n## Note size\n\n' + block + '\n'
open(doc, 'w').write(text)
print(block)
PY
