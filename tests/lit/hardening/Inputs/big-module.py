#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""big-module.py N - assembly for a livepatch object with N relocations
against three include/klp.h references (assembles in about a second, and
convert then takes long enough to be interrupted while writing)."""
import sys

n = int(sys.argv[1])
out = ['\t.data']
for i in range(n):
    out.append('\t.quad "__klp_ref:vmlinux:drivers/%s/state.c:state"' % 'abc'[i % 3])
print('\n'.join(out))
