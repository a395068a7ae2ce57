// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ppc-init.c - /init of the ppc64le scenarios, linked static for the guest
 * (there is no ppc64le busybox to lean on).  /e2e.conf says what to do:
 *
 *	target NAME		a module to load first, the patch's target, /NAME.ko
 *	patch NAME		the livepatch, /NAME.ko (required)
 *	show PATH		a file whose text shows the change (up to four
 *				lines; a file named twice is read twice)
 *	control NAME		a module that must be refused, /NAME.ko
 *	kallsyms NAME...	print the kallsyms entries of these names, of
 *				vmlinux or of the target module
 *
 * Loads the target, shows each PATH, tries the control, loads the patch, waits for the
 * transition, shows PATH patched and the kallsyms entries, disables and
 * unloads the patch, shows PATH restored and powers off.  Every line meant
 * for the test starts with "E2E: ".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

static char target[64], patch[64], show_paths[4][128], control[64], names[256];
static int nshow;
static char sysfs[128];

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

static void show_all(const char *label)
{
	for (int i = 0; i < nshow; i++)
		show(label, show_paths[i]);
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

	for (int i = 0; i < 300; i++) {
		char path[160];
		int fd;

		snprintf(path, sizeof(path), "%s/transition", sysfs);
		fd = open(path, O_RDONLY);

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

/* e2e.conf: one "key value" per line. */
static void read_conf(void)
{
	char line[300];
	FILE *f = fopen("/e2e.conf", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *value = strchr(line, ' ');

		if (!value)
			continue;
		*value++ = 0;
		value[strcspn(value, "\n")] = 0;
		if (!strcmp(line, "target"))
			snprintf(target, sizeof(target), "%s", value);
		else if (!strcmp(line, "patch"))
			snprintf(patch, sizeof(patch), "%s", value);
		else if (!strcmp(line, "show") && nshow < 4)
			snprintf(show_paths[nshow++], sizeof(show_paths[0]), "%s", value);
		else if (!strcmp(line, "control"))
			snprintf(control, sizeof(control), "%s", value);
		else if (!strcmp(line, "kallsyms"))
			snprintf(names, sizeof(names), " %s ", value);
	}
	if (f)
		fclose(f);
	snprintf(sysfs, sizeof(sysfs), "/sys/kernel/livepatch/%s", patch);
}

/*
 * The entries of the names asked for, of vmlinux (no "[module]") or of
 * the target module, in kallsyms order; and how many .L ones vmlinux has.
 */
static void kallsyms(void)
{
	char line[512], addr[32], type[8], name[256], mod[64], want[80];
	unsigned long local_labels = 0;
	FILE *f = fopen("/proc/kallsyms", "r");

	snprintf(want, sizeof(want), "[%s]", target);
	while (f && fgets(line, sizeof(line), f)) {
		char key[260];
		int n = sscanf(line, "%31s %7s %255s %63s", addr, type, name, mod);

		if (n == 4 && (!target[0] || strcmp(mod, want)))
			continue;
		if (n < 3)
			continue;
		if (n == 3 && !strncmp(name, ".L", 2))
			local_labels++;
		snprintf(key, sizeof(key), " %s ", name);
		if (strstr(names, key))
			printf("E2E: kallsyms %s %s\n", name, addr);
	}
	if (f)
		fclose(f);
	printf("E2E: kallsyms .L symbols: %lu\n", local_labels);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The patched functions as the kernel resolved them, NAME,SYMPOS: the
 * entries of the patch's sysfs directory for its object (the target
 * module, or vmlinux), sorted.
 */
static void functions(void)
{
	char dir[200], *found[64];
	size_t n = 0;
	struct dirent *e;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", sysfs, target[0] ? target : "vmlinux");
	d = opendir(dir);
	while (d && (e = readdir(d)) && n < 64)
		if (strchr(e->d_name, ','))
			found[n++] = strdup(e->d_name);
	if (d)
		closedir(d);
	qsort(found, n, sizeof(found[0]), by_name);
	printf("E2E: functions:");
	for (size_t i = 0; i < n; i++)
		printf(" %s", found[i]);
	printf("\n");
}

/*
 * After disabling: the patch leaves sysfs once it is freed, which is
 * also when its module can be removed; transition reads 0 before that.
 */
static void wait_removed(void)
{
	for (int i = 0; i < 300; i++) {
		if (access(sysfs, F_OK) != 0) {
			printf("E2E: transition=done, patch removed\n");
			return;
		}
		usleep(100000);
	}
	printf("E2E: transition=timeout, patch still in sysfs\n");
}

int main(void)
{
	char path[160];

	setvbuf(stdout, NULL, _IOLBF, 0);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	read_conf();
	if (target[0]) {
		snprintf(path, sizeof(path), "/%s.ko", target);
		if (load(path) == 0)
			printf("E2E: target loaded\n");
		else
			printf("E2E: target insmod failed: %s\n", strerror(errno));
	}
	show_all("before");
	if (control[0]) {
		snprintf(path, sizeof(path), "/%s.ko", control);
		if (load(path) == 0)
			printf("E2E: control: loaded\n");
		else
			printf("E2E: control: refused: %s\n", strerror(errno));
	}
	snprintf(path, sizeof(path), "/%s.ko", patch);
	if (load(path) == 0)
		printf("E2E: loaded\n");
	else
		printf("E2E: insmod failed: %s\n", strerror(errno));
	wait_transition();
	snprintf(path, sizeof(path), "%s/enabled", sysfs);
	show("enabled", path);
	functions();
	show_all("after");
	if (names[0])
		kallsyms();
	put(path, "0");
	wait_removed();
	if (syscall(SYS_delete_module, patch, O_NONBLOCK) == 0)
		printf("E2E: unloaded\n");
	else
		printf("E2E: rmmod failed: %s\n", strerror(errno));
	show_all("restored");
	printf("E2E: done\n");
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
