#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""chdr-patch.py - damage a compressed .debug_klp in one precise way.

  chdr-patch.py IN OUT WHERE FMT VALUE

WHERE is an offset into the section's stored bytes (its compression header
first, then the compressed data; negative: from the end), or sh_size for
the size in its section header.  FMT is the field's struct format (B, I,
Q), written in the file's byte order.  VALUE is the new value, or +N / -N
to change the old one.  The section is found with tests/tools/elfread.py.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', '..', '..', 'tools'))
import elfread  # noqa: E402


def main():
    src, dst, where, fmt, value = sys.argv[1:]
    elf = elfread.Elf(src)
    sec = elf.section('.debug_klp')
    if not sec or not sec.flags & elfread.SHF_COMPRESSED:
        sys.exit(f'{src}: no compressed .debug_klp')
    data = bytearray(elf.data)
    if where == 'sh_size':
        shoff, = struct.unpack_from(elf.e + 'Q', data, 0x28)
        off = shoff + sec.index * 64 + 32
    else:
        off = sec.offset + (int(where) % sec.size)
    old, = struct.unpack_from(elf.e + fmt, data, off)
    new = old + int(value, 0) if value[0] in '+-' else int(value, 0)
    struct.pack_into(elf.e + fmt, data, off, new)
    with open(dst, 'wb') as f:
        f.write(data)


if __name__ == '__main__':
    main()
