// SPDX-License-Identifier: MIT
/*
 * init.c - static /init for the svmcheck conformance initramfs.
 *
 * Mounts proc (/proc), sysfs (/sys), devtmpfs (/dev) and tmpfs (/tmp),
 * reattaches stdin/stdout/stderr to /dev/console, lowers the console log level
 * to 5 (KERN_WARNING and more severe still reach the console; pr_info noise
 * such as test_hmm's "added new 256 MB chunk" does not), then runs the payload
 * whose argv is listed in /etc/svm-payload (one argument per line) with cwd
 * /tmp, waits for it and reboots (RB_AUTOBOOT), which makes qemu -no-reboot exit.
 *
 * Marker lines on the console:
 *   @@SVM-INIT start uptime=<s>
 *   @@SVM-INIT payload-start uptime=<s> argv0=<path>
 *   @@SVM-INIT payload-end status=exit:N|signal:N uptime=<s> elapsed=<s>
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 32

static void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void msg(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "@@SVM-INIT ");
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0) {
		/* nothing useful to do */
	}
}

static double uptime(void)
{
	char buf[64] = "";
	int fd = open("/proc/uptime", O_RDONLY);
	double up = -1;

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			up = strtod(buf, NULL);
		close(fd);
	}
	return up;
}

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void do_mount(const char *src, const char *dst, const char *type)
{
	mkdir(dst, 0755);
	if (mount(src, dst, type, 0, NULL) < 0 && errno != EBUSY)
		msg("mount %s on %s failed: %s", type, dst, strerror(errno));
}

static void finish(void)
{
	sync();
	reboot(RB_AUTOBOOT);
	/* if reboot failed, exiting makes the kernel panic (panic=-1 reboots) */
	_exit(1);
}

int main(void)
{
	static char line[MAX_ARGS][256];
	char *argv[MAX_ARGS + 1];
	int argc = 0, fd, st;
	FILE *f;
	pid_t pid, w;
	double t0;

	do_mount("proc", "/proc", "proc");
	do_mount("sysfs", "/sys", "sysfs");
	do_mount("devtmpfs", "/dev", "devtmpfs");
	do_mount("tmpfs", "/tmp", "tmpfs");

	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	msg("start uptime=%.2f", uptime());

	fd = open("/proc/sys/kernel/printk", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "5", 1) < 0)
			msg("cannot set console loglevel: %s", strerror(errno));
		close(fd);
	}

	f = fopen("/etc/svm-payload", "r");
	if (!f) {
		msg("payload-end status=error:no-/etc/svm-payload uptime=%.2f", uptime());
		finish();
	}
	while (argc < MAX_ARGS && fgets(line[argc], sizeof(line[argc]), f)) {
		line[argc][strcspn(line[argc], "\r\n")] = '\0';
		if (line[argc][0] == '\0')
			continue;
		argv[argc] = line[argc];
		argc++;
	}
	fclose(f);
	argv[argc] = NULL;
	if (argc == 0) {
		msg("payload-end status=error:empty-payload uptime=%.2f", uptime());
		finish();
	}

	setenv("PATH", "/:/bin", 1);
	setenv("HOME", "/tmp", 1);
	if (chdir("/tmp") < 0)
		msg("chdir /tmp failed: %s", strerror(errno));

	msg("payload-start uptime=%.2f argv0=%s", uptime(), argv[0]);
	t0 = mono();
	pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		msg("exec %s failed: %s", argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		msg("payload-end status=error:fork uptime=%.2f", uptime());
		finish();
	}
	/* reap everything; stop when the payload itself has exited */
	for (;;) {
		w = wait(&st);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			break;
	}
	if (WIFEXITED(st))
		msg("payload-end status=exit:%d uptime=%.2f elapsed=%.2f",
		    WEXITSTATUS(st), uptime(), mono() - t0);
	else if (WIFSIGNALED(st))
		msg("payload-end status=signal:%d uptime=%.2f elapsed=%.2f",
		    WTERMSIG(st), uptime(), mono() - t0);
	else
		msg("payload-end status=unknown uptime=%.2f elapsed=%.2f",
		    uptime(), mono() - t0);
	finish();
	return 0;
}
