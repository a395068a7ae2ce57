#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# package.sh [OUTDIR] - build the Debian packages (cpack, packaging.cmake)
# from the cmake build into OUTDIR (default build/packages): klp-fixup,
# one klp-plugin-gcc-* per target compiler, one klp-pass-llvm-* per LLVM.
# Install them with `apt install ./OUTDIR/*.deb` (or dpkg -i).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KLP_BUILD_DIR:-$top/build/cmake}
out=$(realpath -m "${1:-$top/build/packages}")
"$top/scripts/build.sh" >/dev/null
rm -rf "$out"
mkdir -p "$out"
(cd "$build" && cpack -G DEB -B "$out" >/dev/null)
rm -rf "$out/_CPack_Packages"
ls "$out"/*.deb
