#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-kernel.sh ARCH VARIANT [BUILD_ROOT]
#
# Build Debian's linux-source-6.12 with a tiny livepatch-capable config:
#   ARCH     x86_64 | ppc64le | s390x
#   VARIANT  plugin (with -fplugin=klp.so) | plain (without) |
#            plugin-static (ppc64le: -fplugin-arg-klp-ppc-calls=static) |
#            kpatch (plugin, plus what kpatch-build needs of the running
#            kernel: DWARF, CONFIG_BUG, and on x86_64 no IBT) |
#            integration (clang-19, ppc64le, s390x: plugin, plus what kpatch's
#            integration patches touch, as x86_64 gcc's plugin variant has
#            it; `scripts/test.sh --full`)
# KLP_CC=clang builds x86_64 with clang-19 (make LLVM=-19) and the pass
# plugin klp-clang.so instead of gcc and klp.so; O= is ARCH-clang-VARIANT.
# kpatch-build runs on VARIANT kpatch (DWARF, CONFIG_BUG, no IBT); the
# clang and ppc64le kernels have all of that but the DWARF in every
# variant, x86_64 gcc keeps IBT in the others.
# The source tree (with the linker-script line of
# integration/kernel/keep-debug-klp.patch) and each O= build directory are
# cached under BUILD_ROOT (default: build/kernel); a second run only
# rebuilds what changed.  Prints the O= directory on the last line.
#
# Environment: KLP_PLUGIN_DIR (default build/cmake/gcc-plugin),
# KLP_CLANG_PASS (default build/cmake/clang-pass/llvm-19/klp-clang.so),
# KLP_JOBS (default: number of CPUs), KLP_KERNEL_VERSION (default 6.12),
# KLP_KERNEL_STEP=config (stop once the source tree and .config exist),
# KLP_FIXUP (default build/cmake/fixup/klp-fixup: compresses the notes).
# KLP_KERNEL_CONFIG=defconfig|debian builds a distribution-sized kernel
# instead of the tiny one (bench/scale-build.sh): x86_64_defconfig or
# pseries_le_defconfig, or Debian's own amd64 config (linux-config-6.12),
# with what livepatching needs on top, and without debug information; O=
# gets the suffix -CONFIG, and make builds the boot image only (no modules).
# KLP_KERNEL_TIMES=FILE appends the make step's wall and CPU seconds to FILE.
set -euo pipefail

arch=${1:?usage: build-kernel.sh ARCH VARIANT [BUILD_ROOT]}
variant=${2:?usage: build-kernel.sh ARCH VARIANT [BUILD_ROOT]}
top=$(cd "$(dirname "$0")/../.." && pwd)
root=${3:-$top/build/kernel}
version=${KLP_KERNEL_VERSION:-6.12}
plugin_dir=${KLP_PLUGIN_DIR:-$top/build/cmake/gcc-plugin}
fixup=${KLP_FIXUP:-$top/build/cmake/fixup/klp-fixup}
jobs=${KLP_JOBS:-$(nproc)}
cc=${KLP_CC:-gcc}
config=${KLP_KERNEL_CONFIG:-tiny}
src=$root/src-$version
out=$root/$arch-$cc-$variant
case $config in
tiny) ;;
defconfig|debian) out+=-$config ;;
*) echo "build-kernel.sh: unknown KLP_KERNEL_CONFIG '$config' (tiny, defconfig, debian)" >&2; exit 2 ;;
esac
[ "$config" = debian ] && [ "$arch" != x86_64 ] &&
	{ echo "build-kernel.sh: KLP_KERNEL_CONFIG=debian is Debian's amd64 config: x86_64 only" >&2; exit 2; }

case $arch in
x86_64)  make_args=(ARCH=x86_64) ;;
ppc64le) make_args=(ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-) ;;
s390x)   make_args=(ARCH=s390 CROSS_COMPILE=s390x-linux-gnu-) ;;
*) echo "build-kernel.sh: unknown ARCH '$arch' (x86_64, ppc64le, s390x)" >&2; exit 2 ;;
esac
case $cc in
gcc) ;;
clang)
	# 6.12 cannot livepatch a ppc64le kernel built with clang (no
	# -mprofile-kernel): only x86_64 is built with clang.
	[ "$arch" = x86_64 ] || { echo "build-kernel.sh: KLP_CC=clang builds x86_64 only" >&2; exit 2; }
	[ "$variant" = plugin-static ] && { echo "build-kernel.sh: plugin-static is a ppc64le gcc variant" >&2; exit 2; }
	make_args+=(LLVM=-19)
	plugin_dir=$(dirname "${KLP_CLANG_PASS:-$top/build/cmake/clang-pass/llvm-19/klp-clang.so}") ;;
*) echo "build-kernel.sh: unknown KLP_CC '$cc' (gcc, clang)" >&2; exit 2 ;;
esac
case $variant in
integration)
	# (x86_64 gcc's tests build these files in its plugin variant)
	[ "$arch" = x86_64 ] && [ "$cc" = gcc ] &&
		{ echo "build-kernel.sh: x86_64 gcc's plugin variant is its integration kernel" >&2; exit 2; } ;;
esac
case $variant in
plugin|plugin-static|kpatch|integration)
	if [ "$cc" = clang ]; then
		plugin=$plugin_dir/klp-clang.so
	else
		plugin=$plugin_dir/$arch/klp.so
	fi
	[ -f "$plugin" ] || { echo "build-kernel.sh: $plugin missing: build with cmake first" >&2; exit 2; }
	# A private copy named by its hash: rebuilding the plugin cannot
	# disturb a running kernel build, and a changed plugin changes the
	# command line, so kbuild recompiles what it compiled.
	# (a directory named by the hash: the file must stay klp.so, the
	# name -fplugin-arg-klp-* options are matched against)
	frozen=$out/klp-$(sha256sum "$plugin" | cut -c1-16)/$(basename "$plugin")
	if [ ! -f "$frozen" ]; then
		mkdir -p "$(dirname "$frozen")"
		cp "$plugin" "$frozen.tmp"
		mv "$frozen.tmp" "$frozen"
	fi
	kcflags=-fplugin=$frozen
	# clang: -fplugin makes its -mllvm options known, -fpass-plugin runs it
	[ "$cc" = clang ] && kcflags+=" -fpass-plugin=$frozen"
	[ "$variant" = plugin-static ] && kcflags+=" -fplugin-arg-klp-ppc-calls=static"
	make_args+=("KCFLAGS=$kcflags") ;;
plain) ;;
*) echo "build-kernel.sh: unknown VARIANT '$variant' (plugin, plugin-static, kpatch, integration, plain)" >&2; exit 2 ;;
esac

# One patched source tree, shared by every O= build.  Tests run side by
# side: the first caller extracts it under a lock, the others wait for it.
mkdir -p "$root"
exec 8> "$root/.src-$version-lock"
flock 8
if [ ! -f "$src/.klp-ready" ]; then
	tarball=/usr/src/linux-source-$version.tar.xz
	[ -f "$tarball" ] || { echo "build-kernel.sh: $tarball missing: apt-get install linux-source-$version" >&2; exit 2; }
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	patch -s -d "$src.tmp" -p1 < "$top/integration/kernel/keep-debug-klp.patch"
	touch "$src.tmp/.klp-ready"
	mv "$src.tmp" "$src"
fi
# s390x only: a 1 GiB module area in the test kernels, so that qemu 7.2
# runs the livepatches' relative-long references to the kernel image
# right (tests/kernel/s390-qemu-module-area.patch says why; docs/e2e.md).
# Applied once, also to a tree cached before it existed.
if [ ! -f "$src/.klp-s390-module-area" ]; then
	patch -s -d "$src" -p1 < "$top/tests/kernel/s390-qemu-module-area.patch"
	touch "$src/.klp-s390-module-area"
fi
exec 8>&-

mkdir -p "$out"
# One build per O= directory at a time: a second caller waits.
exec 9> "$out/.klp-lock"
flock 9
opts=(-e 64BIT -e MODULES -e MODULE_UNLOAD -e PRINTK -e TTY -e SERIAL_8250
      -e SERIAL_8250_CONSOLE -e BLK_DEV_INITRD -e RD_GZIP -e DEVTMPFS -e PROC_FS
      -e SYSFS -e BINFMT_ELF -e BINFMT_SCRIPT -e KALLSYMS -e KALLSYMS_ALL -e FTRACE
      -e FUNCTION_TRACER -e DYNAMIC_FTRACE -e LIVEPATCH -e SMP -e MULTIUSER -e SHMEM
      -e TMPFS -e EARLY_PRINTK -e SAMPLES -e MAGIC_SYSRQ -m SAMPLE_LIVEPATCH)
case $arch in
# x86_64: as distributions build it, with 32-bit code in the build (the
# vDSO's 32-bit half is compiled with -m32, and with the plugins).
x86_64) opts+=(-e CPU_MITIGATIONS -e MITIGATION_RETPOLINE -e MITIGATION_RETHUNK
	       -e MITIGATION_CALL_DEPTH_TRACKING -d UNWINDER_GUESS -e UNWINDER_ORC
	       -e IA32_EMULATION -e COMPAT_VDSO) ;;
ppc64le) opts+=(-e PPC64 -e PPC_BOOK3S_64 -e CPU_LITTLE_ENDIAN -e PPC_PSERIES
		-e PPC_OF_BOOT_TRAMPOLINE -e HVC_CONSOLE -e ALTIVEC -e VSX -e PPC_FPU) ;;
# s390x: qemu's console is the SCLP line console; z196 is 6.12's oldest
# machine, which qemu's TCG runs.  As distributions build it: expolines,
# and 31-bit compat (the compat vDSO is compiled with -m31 and the plugin).
# The bug table.  (No DWARF: kpatch-build is not run on s390x.)
s390x)   opts+=(-e MARCH_Z196 -e SCLP_TTY -e SCLP_CONSOLE -e SCLP_VT220_TTY
		-e SCLP_VT220_CONSOLE -e CPU_MITIGATIONS -e EXPOLINE -e COMPAT -e BUG) ;;
esac
# x86_64 gcc also builds what kpatch's integration patches touch
# (tests/e2e/run-kpatch-build.sh), and so do the other kernels' integration
# variants: networking with IPv6 and netfilter, AIO, the joystick and PC
# speaker input drivers (pseries has a PC speaker platform, s390x none) and
# XFS as modules, USB's core, and what their tests use: dynamic debug, jump
# labels, memory cgroups.  x86 only: KVM's x86 code, paravirt
# (asm/paravirt.h is what declares slow_down_io() to xfs_stats.c).
if [ "$arch" = x86_64 ] && { [ "$cc" = gcc ] || [ "$variant" = integration ]; }; then
	opts+=(-e NET -e INET -e IPV6 -e NETFILTER -e AIO -e INPUT -m INPUT_JOYDEV
	       -e INPUT_MISC -e PCSPKR_PLATFORM -m INPUT_PCSPKR -e BLOCK -m XFS_FS
	       -e USB_SUPPORT -e USB -e VIRTUALIZATION -e KVM -e KVM_INTEL -e DEBUG_FS
	       -e DYNAMIC_DEBUG -e JUMP_LABEL -e CGROUPS -e MEMCG -e HYPERVISOR_GUEST -e PARAVIRT)
elif [ "$variant" = integration ]; then
	opts+=(-e NET -e INET -e IPV6 -e NETFILTER -e AIO -e INPUT -m INPUT_JOYDEV
	       -e INPUT_MISC -e PCSPKR_PLATFORM -m INPUT_PCSPKR -e BLOCK -m XFS_FS
	       -e USB_SUPPORT -e USB -e DEBUG_FS -e DYNAMIC_DEBUG -e JUMP_LABEL -e CGROUPS
	       -e MEMCG)
	# s390x: USB needs HAS_IOMEM, which only PCI gives there; no PC
	# speaker platform (HAVE_PCSPKR_PLATFORM), so pcspkr.c stays unbuilt
	[ "$arch" = s390x ] && opts+=(-e PCI)
fi
# kpatch-build refuses IBT kernels, and reads the sizes of bug_entry and
# the other special structs from the running vmlinux's DWARF.  The clang
# and ppc64le kernels are kpatch-build's kind in every variant (no IBT,
# CONFIG_BUG); the DWARF, which nothing but kpatch-build reads, only in
# VARIANT kpatch (`--full`'s kpatch-build tests).
if [ "$variant" = kpatch ] || [ "$arch" = ppc64le ] || [ "$cc" = clang ]; then
	opts+=(-e BUG)
	[ "$arch" = x86_64 ] && opts+=(-d X86_KERNEL_IBT)
fi
if [ "$variant" = kpatch ]; then
	opts+=(-e DEBUG_KERNEL -e DEBUG_INFO -d DEBUG_INFO_NONE
	       -e DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_REDUCED
	       -d DEBUG_INFO_SPLIT -d DEBUG_INFO_BTF)
fi
# A distribution-sized kernel: its own base config, and only what
# livepatching needs on top.  No debug information: the notes do not need
# it, and it would double the build.  Debian's config signs modules with
# keys of Debian's own: not here.
base=tinyconfig
targets=(all)
if [ "$config" != tiny ]; then
	opts=(-e LIVEPATCH -e FTRACE -e FUNCTION_TRACER -e DYNAMIC_FTRACE -e KALLSYMS
	      -e KALLSYMS_ALL -e DEBUG_INFO_NONE -d DEBUG_INFO -d DEBUG_INFO_BTF
	      -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -d DEBUG_INFO_DWARF4 -d DEBUG_INFO_DWARF5)
	case $arch in
	x86_64)  opts+=(-d UNWINDER_FRAME_POINTER -d UNWINDER_GUESS -e UNWINDER_ORC)
		 base=defconfig targets=(bzImage) ;;
	ppc64le) base=pseries_le_defconfig targets=(vmlinux) ;;
	esac
	if [ "$config" = debian ]; then
		base=debian
		opts+=(-d MODULE_SIG -d MODULE_SIG_ALL --set-str SYSTEM_TRUSTED_KEYS ""
		       --set-str SYSTEM_REVOCATION_KEYS "" --set-str MODULE_SIG_KEY "")
	fi
fi
# A cached build made with other options is configured again (and kbuild
# then rebuilds what the change touches).
key="${opts[*]}"
[ "$config" = tiny ] || key="$base $key"
if [ ! -f "$out/.config" ] || [ "$(cat "$out/.klp-options" 2>/dev/null)" != "$key" ]; then
	if [ "$base" = debian ]; then
		deb=/usr/src/linux-config-$version/config.amd64_none_amd64.xz
		[ -f "$deb" ] || { echo "build-kernel.sh: $deb missing: apt-get install linux-config-$version" >&2; exit 2; }
		xz -dc "$deb" > "$out/.config"
	else
		make -s -C "$src" O="$out" "${make_args[@]}" "$base" >/dev/null
	fi
	"$src/scripts/config" --file "$out/.config" "${opts[@]}"
	make -s -C "$src" O="$out" "${make_args[@]}" olddefconfig >/dev/null
	# tinyconfig -> 64BIT flips the arch defaults: settle them twice
	"$src/scripts/config" --file "$out/.config" "${opts[@]}"
	make -s -C "$src" O="$out" "${make_args[@]}" olddefconfig >/dev/null
	grep -qx 'CONFIG_LIVEPATCH=y' "$out/.config" ||
		{ echo "build-kernel.sh: $out/.config: CONFIG_LIVEPATCH is not set (a dependency is missing)" >&2; exit 1; }
	echo "$key" > "$out/.klp-options"
fi

# KLP_KERNEL_STEP=config: the caller only needs the source and .config.
if [ "${KLP_KERNEL_STEP:-all}" = config ]; then
	echo "$out"
	exit 0
fi

# The log keeps every compiler and linker message for the checks.
# (KLP_KERNEL_TIMES: the make step alone, its children's CPU time included)
timed=()
[ -n "${KLP_KERNEL_TIMES:-}" ] && timed=(/usr/bin/time -a -o "$KLP_KERNEL_TIMES"
	-f "$arch $cc $variant $config wall %e cpu %U+%S")
"${timed[@]}" make -C "$src" O="$out" "${make_args[@]}" -j"$jobs" "${targets[@]}" > "$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "build-kernel.sh: $arch $variant build failed; full log: $out/build.log" >&2
	exit 1
}
# The notes are stored zstd-compressed, as docs/kernel-integration.md advises
# (klp-fixup compress: this one section, at zstd level 19, after the link;
# CONFIG_DEBUG_INFO_COMPRESSED_* compresses every debug section at the
# linker's level): the figure docs/performance.md gives.
if [ "$variant" != plain ] && ! readelf -SW "$out/vmlinux" | grep -q ' \.debug_klp .* C '; then
	"$fixup" compress "$out/vmlinux" -o "$out/vmlinux.klp-tmp" > /dev/null
	touch -r "$out/vmlinux" "$out/vmlinux.klp-tmp"
	mv "$out/vmlinux.klp-tmp" "$out/vmlinux"
fi
echo "$out"
