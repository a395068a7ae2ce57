# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh - what the kpatch-build scenarios share, on top of what every
# end-to-end scenario does (tests/e2e/lib.sh, sourced here); callers set
# top.

. "$top/tests/e2e/lib.sh"

# kpatch_env (after e2e_options): sets kpatch_env, the env(1) assignments kpatch-build runs
# with for this compiler and architecture: it calls clang and ld.lld by
# those names (LLVM=-19 names the other tools), and builds for ppc64le
# with TARGET_ARCH and a cross toolchain (integration/kpatch/0003).
kpatch_env()
{
	mkdir -p "$work/bin"
	kpatch_env=(PATH="$work/bin:$PATH")
	if [ "$e2e_cc" = clang ]; then
		ln -sf "$(command -v clang-19)" "$work/bin/clang"
		ln -sf "$(command -v ld.lld-19)" "$work/bin/ld.lld"
		kpatch_env+=(LLVM=-19)
	fi
	if [ "$e2e_arch" = ppc64le ]; then
		kpatch_env+=(TARGET_ARCH=ppc64le CROSS_COMPILE=powerpc64le-linux-gnu-)
	fi
}
