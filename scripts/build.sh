#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# build.sh - configure and build klp-toolchain into build/cmake (or $KLP_BUILD_DIR).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KLP_BUILD_DIR:-$top/build/cmake}
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${KLP_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
