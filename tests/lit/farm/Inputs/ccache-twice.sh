#!/bin/bash
# ccache-twice.sh PLUGIN COMPILER ARGS... - compile through an empty ccache
# ($CCACHE_DIR), again, then again after changing PLUGIN by one byte;
# prints the hits and misses of the second and third compiles.
set -euo pipefail
plugin=$1
shift
stat() { ccache --print-stats | awk -v k="$1" '$1 == k { print $2 }'; }
ccache -C -z > /dev/null
ccache "$@"
ccache -z > /dev/null
ccache "$@"
echo "same plugin: $(stat direct_cache_hit) hits, $(stat cache_miss) misses"
printf '\0' >> "$plugin"
ccache -z > /dev/null
ccache "$@"
echo "changed plugin: $(stat direct_cache_hit) hits, $(stat cache_miss) misses"
