#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""doc-section.py DOC MARK FILE - put FILE's text into DOC between the
markers <!-- MARK:begin --> and <!-- MARK:end -->, replacing what a
benchmark wrote there before, or as a new section at DOC's end."""
import sys

doc, mark, path = sys.argv[1:4]
begin, end = f'<!-- {mark}:begin -->', f'<!-- {mark}:end -->'
section = begin + '\n' + open(path).read() + end
text = open(doc).read()
if begin in text:
    text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
else:
    text = text.rstrip('\n') + '\n\n' + section + '\n'
open(doc, 'w').write(text)
