// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * init.c - /init of the ppc64le scenario, linked static for the guest
 * (there is no ppc64le busybox to lean on).  Tries the control module
 * (compiled without the plugin: must be refused), loads the livepatch,
 * shows /proc/version before, patched and restored, and powers off.
 * Every line meant for the test starts with "E2E: ".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LP "klp_e2e_ppc"
#define LP_SYSFS "/sys/kernel/livepatch/" LP

static void show(const char *label, const char *path)
{
	char buf[512];
	ssize_t n = -1;
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	if (n < 0) {
		printf("E2E: %s: cannot read %s: %s\n", label, path, strerror(errno));
		return;
	}
	buf[n] = 0;
	/* one line per output line, each marked */
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("E2E: %s: %s\n", label, line);
}

static int load(const char *path)
{
	int fd = open(path, O_RDONLY);
	int ret = fd < 0 ? -1 : (int)syscall(SYS_finit_module, fd, "", 0);

	if (fd >= 0)
		close(fd);
	return ret;
}

static void put(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		printf("E2E: cannot write %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* Over when transition reads 0, or when a disabled patch left sysfs. */
static void wait_transition(void)
{
	char buf[8] = "";

	for (int i = 0; i < 100; i++) {
		int fd = open(LP_SYSFS "/transition", O_RDONLY);

		if (fd < 0) {
			printf("E2E: transition=done, patch removed\n");
			return;
		}
		buf[read(fd, buf, 1) == 1 ? 1 : 0] = 0;
		close(fd);
		if (buf[0] == '0')
			break;
		usleep(100000);
	}
	printf("E2E: transition=%s\n", buf);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	show("before", "/proc/version");
	if (load("/" LP "_control.ko") == 0)
		printf("E2E: control: loaded\n");
	else
		printf("E2E: control: refused: %s\n", strerror(errno));
	if (load("/" LP ".ko") == 0)
		printf("E2E: loaded\n");
	else
		printf("E2E: insmod failed: %s\n", strerror(errno));
	wait_transition();
	show("enabled", LP_SYSFS "/enabled");
	show("after", "/proc/version");
	put(LP_SYSFS "/enabled", "0");
	wait_transition();
	if (syscall(SYS_delete_module, LP, O_NONBLOCK) == 0)
		printf("E2E: unloaded\n");
	else
		printf("E2E: rmmod failed: %s\n", strerror(errno));
	show("restored", "/proc/version");
	printf("E2E: done\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
