#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# test.sh - install what is missing, build, and run every test: the lit
# suite in tests/lit, which includes whole-kernel builds (cached under
# build/kernel; KLP_KERNEL_TESTS=0 skips them).  Ends with lit's summary
# and one "lit: N passed, N failed, N skipped" line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${KLP_BUILD_DIR:-$top/build/cmake}
export KLP_BUILD_DIR=$build

"$top/scripts/deps.sh"
"$top/scripts/build.sh"

lit=$(ls /usr/lib/llvm-19/build/utils/lit/lit.py /usr/lib/llvm-14/build/utils/lit/lit.py 2>/dev/null | head -n 1)
[ -n "$lit" ] || { echo "test.sh: lit.py not found (llvm-19-tools)" >&2; exit 1; }
results=$build/lit-results.json
status=0
python3 "$lit" -v -o "$results" "$top/tests/lit" "$@" || status=$?
python3 - "$results" <<'PY'
import json, sys
tests = json.load(open(sys.argv[1]))['tests']
count = lambda *codes: sum(t['code'] in codes for t in tests)
print(f"lit: {count('PASS', 'XFAIL')} passed, "
      f"{count('FAIL', 'XPASS', 'UNRESOLVED', 'TIMEOUT')} failed, "
      f"{count('UNSUPPORTED', 'SKIPPED')} skipped")
PY
exit $status
