# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh - what every end-to-end scenario does, sourced by run-*.sh:
# find (or build) the cached kernel, build out-of-tree modules against it
# with the compiler plugin the kernel was built with, pack an initramfs,
# boot it in qemu and collect the marked lines the guest's init prints.
#
# Callers set: top (checkout), work (scratch directory), and before
# e2e_kernel: e2e_arch (x86_64 | ppc64le | s390x), e2e_cc (gcc | clang).

e2e_fail()
{
	echo "e2e: $*" >&2
	exit 1
}

# The binutils prefix of the guest's architecture ("" on x86_64).
e2e_cross()
{
	case $e2e_arch in
	ppc64le) echo powerpc64le-linux-gnu- ;;
	s390x)   echo s390x-linux-gnu- ;;
	esac
}

# e2e_options NAME "$@": the scripts' [--cc gcc|clang] [--arch x86_64|ppc64le|s390x]
# [--variant VARIANT] [WORK]; sets e2e_cc, e2e_arch, e2e_variant (the
# kernel's, default plugin) and work (default build/e2e/NAME-ARCH-CC).
e2e_options()
{
	local name=$1
	shift
	e2e_arch=x86_64
	e2e_cc=gcc
	e2e_variant=plugin
	while [ $# -gt 0 ]; do
		case $1 in
		--cc) e2e_cc=${2:?--cc needs gcc or clang}; shift 2 ;;
		--arch) e2e_arch=${2:?--arch needs x86_64, ppc64le or s390x}; shift 2 ;;
		--variant) e2e_variant=${2:?--variant needs a build-kernel.sh VARIANT}; shift 2 ;;
		*) break ;;
		esac
	done
	work=${1:-$top/build/e2e/$name-$e2e_arch-$e2e_cc}
}

# e2e_kernel [VARIANT]: the kernel of build-kernel.sh VARIANT (default
# e2e_variant, else plugin).  Sets out (the kernel's O= directory) and src
# (its source tree).
e2e_kernel()
{
	out=$(KLP_CC=$e2e_cc "$top/tests/kernel/build-kernel.sh" "$e2e_arch" "${1:-${e2e_variant:-plugin}}" \
		"${KLP_KERNEL_ROOT:-}" | tail -n 1)
	src=$(dirname "$out")/src-${KLP_KERNEL_VERSION:-6.12}
	case $e2e_arch in
	x86_64)  e2e_make_args=(ARCH=x86_64) ;;
	ppc64le) e2e_make_args=(ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-) ;;
	s390x)   e2e_make_args=(ARCH=s390 CROSS_COMPILE=s390x-linux-gnu-) ;;
	esac
	[ "$e2e_cc" = clang ] && e2e_make_args+=(LLVM=-19)
	# The plugin options exactly as kbuild recorded them for a built-in
	# object: a module built with them carries notes from the same plugin.
	e2e_plugin_flags=$(grep -o -- '-f\(pass-\)\?plugin=[^ ]*' "$out/init/.main.o.cmd" |
			   sort -u | tr '\n' ' ')
	[ -n "$e2e_plugin_flags" ] || e2e_fail "$out/init/.main.o.cmd: no -fplugin option: not a plugin build"
}

# e2e_module DIR [plain]: build the out-of-tree module in DIR, with the
# kernel's plugin unless "plain".  A livepatch refers to symbols vmlinux
# does not export: modpost may only warn.
e2e_module()
{
	local dir=$1 kcflags=$e2e_plugin_flags
	[ "${2:-}" = plain ] && kcflags=
	make -s -C "$src" O="$out" M="$dir" "${e2e_make_args[@]}" KLP_INCLUDE="$top/include" \
		KCFLAGS="$kcflags" KBUILD_MODPOST_WARN=1 modules > "$dir/build.log" 2>&1 || {
		cat "$dir/build.log" >&2
		e2e_fail "module build in $dir failed"
	}
}

# e2e_strip_file_symbols IN OUT: OUT is the module IN without its FILE
# symbols, as a module linked from objects that lack them; prints how many
# there were.  Without them a symbol-list lookup cannot tell the files
# apart.
e2e_strip_file_symbols()
{
	local objcopy=$(e2e_cross)objcopy files
	mapfile -t files < <(readelf -sW "$1" | awk '$4 == "FILE" { print $8 }')
	$objcopy "${files[@]/#/--strip-symbol=}" "$1" "$2"
	echo "${#files[@]}"
}

# e2e_install_strip KO: strip the converted livepatch KO in place as kbuild's
# `make modules_install INSTALL_MOD_STRIP=1` does (strip --strip-debug),
# which removes its FILE and debug symbols; the guest then loads the
# stripped module.  Prints its FILE symbols before and after.
e2e_install_strip()
{
	local strip=$(e2e_cross)strip before
	before=$(readelf -sW "$1" | awk '$4 == "FILE"' | grep -c . || true)
	$strip --strip-debug "$1"
	echo "installed stripped: $before FILE symbols before, $(readelf -sW "$1" | awk '$4 == "FILE"' | grep -c . || true) after"
}

# e2e_busybox_root ROOT INIT: an initramfs tree: busybox-static of the
# guest's architecture (ppc64le, s390x: Debian's ppc64el and s390x ones,
# which scripts/deps.sh unpacks into build/deps), the scenario's INIT as
# /init and guest-lib.sh (what every init needs) as /lib.sh.
e2e_busybox_root()
{
	local root=$1 busybox=/bin/busybox
	[ "$e2e_arch" = ppc64le ] && busybox=$top/build/deps/ppc64el/bin/busybox
	[ "$e2e_arch" = s390x ] && busybox=$top/build/deps/s390x/bin/busybox
	[ -x "$busybox" ] || e2e_fail "$busybox is missing: run scripts/deps.sh as root"
	mkdir -p "$root/bin"
	cp "$busybox" "$root/bin/busybox"
	install -m 755 "$2" "$root/init"
	cp "$top/tests/e2e/guest-lib.sh" "$root/lib.sh"
}

# e2e_integration_patches: kpatch's own integration patches
# (test/integration/linux-6.17.0 of the kpatch tarball in ../shared/peers,
# or KLP_PEERS) unpacked under $work/kpatch; sets dir, their directory.
e2e_integration_patches()
{
	local peers=${KLP_PEERS:-$top/../shared/peers} tarball
	tarball=$(ls "$peers"/kpatch-[0-9a-f]*.tar.gz | grep -v unit-test | head -n 1)
	mkdir -p "$work/kpatch"
	tar -xzf "$tarball" -C "$work/kpatch" --strip-components=1 --wildcards \
		'*/test/integration/linux-6.17.0/*'
	dir=$work/kpatch/test/integration/linux-6.17.0
}

# e2e_patch_module NAME: the livepatch module's name for integration patch
# NAME (livepatch_ and the name, with _ for what a module name cannot hold).
e2e_patch_module()
{
	printf 'livepatch_%s' "$1" | tr -c 'a-zA-Z0-9\n' _
}

# e2e_modules_install ROOT: the kernel's modules, stripped, under ROOT, with
# depmod's modules.dep for busybox's modprobe (module-LOADED.test: modprobe
# xfs).
e2e_modules_install()
{
	make -s -C "$src" O="$out" "${e2e_make_args[@]}" modules_install INSTALL_MOD_PATH="$1" \
		INSTALL_MOD_STRIP=1 > "$work/modules_install.log" 2>&1 ||
		{ cat "$work/modules_install.log" >&2; e2e_fail "modules_install failed"; }
}

# e2e_ppc_root ROOT: a ppc64le initramfs tree: ppc-init.c linked static as
# /init; the caller writes ROOT/e2e.conf (what ppc-init.c reads).
e2e_ppc_root()
{
	mkdir -p "$1"
	powerpc64le-linux-gnu-gcc -static -O2 -Wall -o "$1/init" "$top/tests/e2e/ppc-init.c"
}

# e2e_boot ROOT [ARGS]: pack ROOT (which holds /init) as the initramfs, boot
# the kernel with it (ARGS: more kernel parameters) and leave the console in
# $work/console.log.  qemu's exit status says nothing about the guest: the
# callers read the log.
e2e_boot()
{
	local root=$1 args=${2:+ $2}
	mkdir -p "$root/proc" "$root/sys" "$root/dev"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1 > "$work/initrd.gz")
	case $e2e_arch in
	x86_64)
		timeout 300 qemu-system-x86_64 -m 512 -nographic -no-reboot \
			-kernel "$out/arch/x86/boot/bzImage" -initrd "$work/initrd.gz" \
			-append "console=ttyS0 panic=-1 oops=panic$args" > "$work/console.log" 2>&1 || true ;;
	ppc64le)
		timeout 300 qemu-system-ppc64 -M pseries -cpu POWER9 -m 512 -nographic \
			-no-reboot -kernel "$out/vmlinux" -initrd "$work/initrd.gz" \
			-append "console=hvc0 panic=-1 oops=panic$args" > "$work/console.log" 2>&1 || true ;;
	s390x)
		timeout 300 qemu-system-s390x -M s390-ccw-virtio -m 512 -nographic -no-reboot \
			-kernel "$out/arch/s390/boot/bzImage" -initrd "$work/initrd.gz" \
			-append "panic=-1 oops=panic$args" > "$work/console.log" 2>&1 || true ;;
	esac
}

# The guest's marked lines, then every line that shows a problem: oops,
# warning, livepatch error.  "check: guest log problems: N" is what the
# tests assert on.
e2e_guest_report()
{
	local log=$work/console.log
	tr -d '\r' < "$log" | grep '^E2E: ' || true
	local bad
	bad=$(tr -d '\r' < "$log" | grep -E 'Oops|BUG:|WARNING:|Call Trace|livepatch: .*(failed|error)|Kernel panic' || true)
	echo "check: guest log problems: $(printf '%s' "$bad" | grep -c . || true)"
	[ -z "$bad" ] || printf '  %s\n' "$bad" | head -n 10
}
