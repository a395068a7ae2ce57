#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# scale-build.sh [TARGET...] - the plugins on kernels as distributions build
# them, outside the default test run (hours of both cores).  TARGET:
#   x86_64        x86_64_defconfig, gcc 12 and klp.so
#   x86_64:clang  x86_64_defconfig, clang-19 and klp-clang.so (make LLVM=-19)
#   ppc64le       pseries_le_defconfig, gcc 12 and klp.so
#   debian        Debian's own amd64 config (linux-config-6.12), gcc and
#                 klp.so, vmlinux only, with the plugin only
# (default: x86_64 x86_64:clang ppc64le).  Each config gets LIVEPATCH,
# FTRACE, KALLSYMS_ALL and, on x86_64, ORC (tests/kernel/build-kernel.sh,
# KLP_KERNEL_CONFIG).  For each kernel:
#   - it is built from scratch with the plugin and without it, one after
#     the other: CPU time (user+sys of make and its children) and wall time,
#     and the compiler warnings the plugin adds (there must be none);
#   - klp-check sites, addrs and coverage of vmlinux, as
#     tests/kernel/check-kernel.sh does for the tiny kernels: every C local
#     covered, 0 site or address mismatches;
#   - .debug_klp, raw and as stored (zstd), against .symtab+.strtab;
#   - the kernel boots in qemu, prints every /proc/kallsyms line whose name
#     is there more than once, and `klp-fixup sympos --batch` must give
#     each local of the notes with such a name the position at which the
#     booted kernel lists it (bench/scale-check.py).
# A kernel whose two builds are recorded in build/scale/times.txt is not
# built again (rm -rf build/scale/ARCH-CC-VARIANT-CONFIG to measure anew);
# the checks always run.  Results: build/scale/results/*.json, and
# docs/scale.md (bench/scale-report.py) from every result there.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
root=$top/build/scale
times=$root/times.txt
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(x86_64 x86_64:clang ppc64le)
mkdir -p "$root/results"
touch "$times"

"$top/scripts/build.sh" >/dev/null
export KLP_FIXUP=$top/build/cmake/fixup/klp-fixup
# (e2e_busybox_root and e2e_boot: the e2e tests' initramfs and qemu)
. "$top/tests/e2e/lib.sh"
# Reuse the tests' unpacked tree (the same linux-source-6.12 with the
# linker-script line that keeps the notes).
if [ ! -e "$root/src-6.12" ] && [ -f "$top/build/kernel/src-6.12/.klp-ready" ]; then
	ln -s "$top/build/kernel/src-6.12" "$root/src-6.12"
fi

# build ARCH CC VARIANT CONFIG: from scratch unless times.txt has this
# build and its image is there.  Prints the O= directory.
build() {
	local arch=$1 cc=$2 variant=$3 config=$4 out image
	out=$root/$arch-$cc-$variant-$config
	image=$out/vmlinux
	[ "$arch" = x86_64 ] && image=$out/arch/x86/boot/bzImage
	if ! grep -q "^$arch $cc $variant $config " "$times" || [ ! -f "$image" ]; then
		sed -i "/^$arch $cc $variant $config /d" "$times"
		rm -rf "$out"
		echo "scale: building $arch $cc $variant $config ($(date +%H:%M))" >&2
		KLP_CC=$cc KLP_KERNEL_CONFIG=$config KLP_KERNEL_TIMES=$times \
			"$top/tests/kernel/build-kernel.sh" "$arch" "$variant" "$root" >/dev/null
	fi
	echo "$out"
}

# boot ARCH OUT LOG: boot the kernel (tests/e2e/lib.sh) with an initramfs
# whose init prints the functions ftrace can patch
# (available_filter_functions) and the duplicated names of /proc/kallsyms
# between markers, then reboots (qemu -no-reboot then exits: a tiny kernel
# cannot power off).
boot() {
	local e2e_arch=$1 out=$2 log=$3 work
	work=$(mktemp -d "$root/boot.XXXXXX")
	# (a guest that cannot be made or booted fails the script: no
	# half-made root is left behind)
	trap 'rm -rf "$work"' EXIT
	# Two passes over kallsyms: count each name, then print the lines of
	# the names seen more than once, in kallsyms order (vmlinux only: a
	# module's lines have a fourth field).
	cat > "$work/init.sh" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t tracefs nodev /sys/kernel/tracing
echo "SCALE: kallsyms lines $(wc -l < /proc/kallsyms)"
sed 's/^/SCALE: F /' /sys/kernel/tracing/available_filter_functions
awk 'NR == FNR { if (NF == 3) n[$3]++; next }
     NF == 3 && n[$3] > 1 { print "SCALE: K " $1 " " $2 " " $3 }' /proc/kallsyms /proc/kallsyms
echo "SCALE: done"
reboot -f
EOF
	e2e_busybox_root "$work/root" "$work/init.sh"
	e2e_boot "$work/root" "nokaslr quiet"
	mv "$work/console.log" "$log"
	rm -rf "$work"
	trap - EXIT
}

# Each kernel boots in the end, after an hour of builds: the guest's busybox
# must be there before they start (scripts/deps.sh fetches the ports').
for target in "${targets[@]}"; do
	if [ "${target%%:*}" = ppc64le ] && [ ! -x "$top/build/deps/ppc64el/bin/busybox" ]; then
		echo "scale-build.sh: $top/build/deps/ppc64el/bin/busybox is missing, and the ppc64le kernel boots with it: run scripts/deps.sh as root" >&2
		exit 2
	fi
done

status=0
for target in "${targets[@]}"; do
	arch=${target%%:*} cc=gcc config=defconfig
	[ "$target" != "$arch" ] && cc=${target#*:}
	if [ "$target" = debian ]; then
		arch=x86_64 config=debian
	fi
	case $arch-$cc in
	x86_64-gcc|x86_64-clang|ppc64le-gcc) ;;
	*) echo "scale-build.sh: unknown TARGET '$target' (x86_64, x86_64:clang, ppc64le, debian)" >&2; exit 2 ;;
	esac
	key=$arch-$cc-$config
	out=$(build "$arch" "$cc" plugin "$config")
	plain=
	[ "$config" = debian ] || plain=$(build "$arch" "$cc" plain "$config")
	echo "scale: checking $key ($(date +%H:%M))" >&2
	boot "$arch" "$out" "$root/$key-boot.log"
	python3 "$top/bench/scale-check.py" --arch "$arch" --cc "$cc" --config "$config" \
		--times "$times" --out "$out" ${plain:+--plain "$plain"} \
		--boot-log "$root/$key-boot.log" --result "$root/results/$key.json" || status=1
done
python3 "$top/bench/scale-report.py" "$root/results" "$top/docs/scale.md"
exit $status
