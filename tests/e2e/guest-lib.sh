# SPDX-License-Identifier: GPL-2.0-or-later
# guest-lib.sh - sourced by the scenarios' /init (busybox sh) as /lib.sh.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

# wait_transition PATCH (up to 30 s: a loaded host slows the guest): the
# transition is over when it reads 0, or when a
# disabled patch has left sysfs altogether.
wait_transition() {
	t=/sys/kernel/livepatch/$1/transition
	for i in $(seq 300); do
		[ ! -e $t ] || [ "$(cat $t)" = 0 ] && break
		sleep 0.1
	done
	if [ -e $t ]; then echo "E2E: transition=$(cat $t)"; else echo "E2E: transition=done, patch removed"; fi
}

# wait_removed PATCH: after disabling, the patch leaves sysfs once it is
# freed, which is also when its module can be removed (transition reads 0
# before that).
wait_removed() {
	d=/sys/kernel/livepatch/$1
	for i in $(seq 300); do
		[ -e $d ] || break
		sleep 0.1
	done
	if [ -e $d ]; then echo "E2E: transition=timeout, patch still in sysfs"; else echo "E2E: transition=done, patch removed"; fi
}
