# SPDX-License-Identifier: GPL-2.0-or-later
"""elfread.py - a small, independent ELF64 reader for the test tools.

The tests compare klp-fixup's view of a file with ground truth computed
here, from the section headers, symbol table and relocations alone, so
none of this code is shared with klp-fixup.
"""
import struct
import zlib

SHT_SYMTAB, SHT_RELA, SHT_NOBITS = 2, 4, 8
SHF_ALLOC, SHF_COMPRESSED = 0x2, 0x800
STT_NOTYPE, STT_OBJECT, STT_FUNC, STT_SECTION, STT_FILE = 0, 1, 2, 3, 4
STB_LOCAL, STB_GLOBAL, STB_WEAK = 0, 1, 2
ET_REL = 1


class Section:
    def __init__(self, index, name, shtype, flags, addr, offset, size, link, info, entsize):
        self.index, self.name, self.type, self.flags = index, name, shtype, flags
        self.addr, self.offset, self.size = addr, offset, size
        self.link, self.info, self.entsize = link, info, entsize


class Symbol:
    def __init__(self, index, name, value, size, bind, stype, shndx, file, other=0):
        self.index, self.name, self.value, self.size = index, name, value, size
        self.bind, self.type, self.shndx, self.file = bind, stype, shndx, file
        self.other = other

    def local_entry(self):
        """ppc64 ELFv2: bytes from the global to the local entry point."""
        v = (self.other >> 5) & 7
        return 0 if v < 2 else ((1 << v) >> 2) << 2


class Elf:
    def __init__(self, path):
        with open(path, 'rb') as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b'\x7fELF' or d[4] != 2:
            raise ValueError(f'{path}: not a 64-bit ELF file')
        self.e = '<' if d[5] == 1 else '>'
        (self.type, self.machine) = struct.unpack_from(self.e + 'HH', d, 16)
        shoff, = struct.unpack_from(self.e + 'Q', d, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(self.e + 'HHH', d, 0x3a)
        raw = []
        for i in range(shnum):
            raw.append(struct.unpack_from(self.e + 'IIQQQQIIQQ', d, shoff + i * shentsize))
        strtab = raw[shstrndx]
        self.sections = []
        for i, (name, shtype, flags, addr, off, size, link, info, _align, entsize) in enumerate(raw):
            self.sections.append(Section(i, self._str(strtab[4], name), shtype, flags, addr,
                                         off, size, link, info, entsize))
        self.symbols = self._symbols()

    def _str(self, off, idx):
        end = self.data.index(b'\0', off + idx)
        return self.data[off + idx:end].decode('utf-8', 'replace')

    def section(self, name):
        for s in self.sections:
            if s.name == name:
                return s
        return None

    def contents(self, sec):
        if sec.type == SHT_NOBITS:
            return b'\0' * sec.size
        raw = self.data[sec.offset:sec.offset + sec.size]
        if sec.flags & SHF_COMPRESSED:
            _ch_type, _res, size, _align = struct.unpack_from(self.e + 'IIQQ', raw, 0)
            raw = zlib.decompress(raw[24:])
        return raw

    def _symbols(self):
        out = []
        symtab = next((s for s in self.sections if s.type == SHT_SYMTAB), None)
        if not symtab:
            return out
        strtab = self.sections[symtab.link]
        current_file = None
        for i in range(symtab.size // 24):
            name, info, other, shndx, value, size = struct.unpack_from(
                self.e + 'IBBHQQ', self.data, symtab.offset + i * 24)
            sym = Symbol(i, self._str(strtab.offset, name), value, size, info >> 4,
                         info & 0xf, shndx, current_file, other)
            if sym.type == STT_FILE:
                current_file = sym.name
                sym.file = sym.name
            elif sym.bind != STB_LOCAL:
                sym.file = None
            out.append(sym)
        # A relocatable object is one unit (or an ld -r of units whose
        # globals cannot be told apart): credit globals to its first FILE.
        first = next((s.name for s in out if s.type == STT_FILE), None)
        if self.type == ET_REL:
            for sym in out:
                if sym.file is None and sym.type != STT_FILE:
                    sym.file = first
        return out

    def relocations(self, target_name):
        """(offset, type, symbol, addend) of the RELA sections that apply to
        sections named target_name (there may be several: one
        __patchable_function_entries per function, say); offsets are
        relative to their own section, whose index is symbol-independent:
        use relocations_by_section() where that matters."""
        return [r for _sec, rels in self.relocations_by_section(target_name) for r in rels]

    def relocations_by_section(self, target_name):
        out = []
        for target in self.sections:
            if target.name != target_name:
                continue
            for s in self.sections:
                if s.type == SHT_RELA and s.info == target.index:
                    rels = []
                    for i in range(s.size // 24):
                        off, info, addend = struct.unpack_from(self.e + 'QQq', self.data,
                                                               s.offset + i * 24)
                        rels.append((off, info & 0xffffffff, self.symbols[info >> 32], addend))
                    out.append((target, rels))
        return out

    def u64s(self, raw):
        return [struct.unpack_from(self.e + 'Q', raw, i)[0] for i in range(0, len(raw) - 7, 8)]
