# SPDX-License-Identifier: GPL-2.0-or-later
# guest-lib.sh - sourced by the scenarios' /init (busybox sh) as /lib.sh.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

# wait_transition PATCH: the transition is over when it reads 0, or when a
# disabled patch has left sysfs altogether.
wait_transition() {
	t=/sys/kernel/livepatch/$1/transition
	for i in $(seq 100); do
		[ ! -e $t ] || [ "$(cat $t)" = 0 ] && break
		sleep 0.1
	done
	if [ -e $t ]; then echo "E2E: transition=$(cat $t)"; else echo "E2E: transition=done, patch removed"; fi
}
