#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# install-root.sh DEBDIR ROOT - install every package of DEBDIR with dpkg
# into the empty scratch root ROOT (its own dpkg database; the packages'
# dependencies, the compilers, are the host's, so they are not looked
# for in ROOT).  No container, nothing installed on the host.
set -euo pipefail
debdir=${1:?usage: install-root.sh DEBDIR ROOT}
root=${2:?usage: install-root.sh DEBDIR ROOT}
rm -rf "$root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
dpkg --root="$root" --force-depends --force-not-root --log=/dev/null \
	-i "$debdir"/*.deb > "$root.log" 2>&1 || { cat "$root.log" >&2; exit 1; }
dpkg --root="$root" -l | awk '$1 == "ii" { print $2, $3 }'
