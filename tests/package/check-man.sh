#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# check-man.sh ROOT - the installed man pages say what their sources say:
# klp-fixup.1 has every command `klp-fixup --help` lists and every option
# of `--help-all`, klp-plugins.7
# every option of include/klp-options.def in both spellings.  Prints what
# it checked; exit 1 on the first page that lacks something.
set -euo pipefail
root=${1:?usage: check-man.sh ROOT}
top=$(cd "$(dirname "$0")/../.." && pwd)

man1=$(zcat "$root/usr/share/man/man1/klp-fixup.1.gz")
# roff writes '-' as '\-'
unroff() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g'; }
man1=$(printf '%s\n' "$man1" | unroff)
commands=$("$root/usr/bin/klp-fixup" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
n=0
for c in $commands; do
	printf '%s\n' "$man1" | grep -q "^$c " ||
		{ echo "check-man.sh: klp-fixup.1 lacks the command $c" >&2; exit 1; }
	n=$((n + 1))
done
options=$("$root/usr/bin/klp-fixup" --help-all | grep -o -- '--[a-z][a-z-]*' | sort -u)
m=0
for o in $options; do
	printf '%s\n' "$man1" | grep -qF -- "$o" ||
		{ echo "check-man.sh: klp-fixup.1 lacks the option $o" >&2; exit 1; }
	m=$((m + 1))
done
echo "klp-fixup.1: $n commands of --help, $m options of --help-all"

man7=$(zcat "$root/usr/share/man/man7/klp-plugins.7.gz" | unroff)
options=$(sed -n 's/^KLP_OPTION([a-z_]*, "\([a-z-]*\)".*/\1/p' "$top/include/klp-options.def")
n=0
for o in $options; do
	for spelling in "-fplugin-arg-klp-$o=" "-mllvm -klp-$o="; do
		printf '%s\n' "$man7" | grep -qF -- "$spelling" ||
			{ echo "check-man.sh: klp-plugins.7 lacks $spelling" >&2; exit 1; }
	done
	n=$((n + 1))
done
echo "klp-plugins.7: $n options of klp-options.def, both spellings"
