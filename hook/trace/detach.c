// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "trace/detach.h"
#include "util/log.h"

/* Moves us to the root of every cgroup hierarchy mounted here, so that the
 * engine cleaning up its cgroups (e.g. conmon's) does not take the tracer
 * down with it. Best effort: a hierarchy we cannot join is left alone. */
static void leave_cgroups(void)
{
	cleanup_file FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		char mnt[4096], *sep, fstype[64];
		char path[4200];
		int fd;

		/* id parent maj:min root mountpoint opts... - fstype source superopts */
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		sep = strstr(line, " - ");
		if (!sep || sscanf(sep + 3, "%63s", fstype) != 1)
			continue;
		if (strcmp(fstype, "cgroup") != 0 && strcmp(fstype, "cgroup2") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/cgroup.procs", mnt);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (write(fd, "0", 1) < 0)
			log_debug("cannot move the tracer to `%s`: %s", path, strerror(errno));
		close(fd);
	}
	free(line);
}

static void stdio_to_devnull(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		_exit(127);
	for (int i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			_exit(127);
	if (fd > 2)
		close(fd);
}

int detach_tracer(hook_error_t *err)
{
	int pipefd[2];
	char ready = 0;
	pid_t pid;
	ssize_t n;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return hook_make_error(err, errno, "cannot create a pipe");
	/* One fork: the tracer is orphaned as soon as the hook exits and goes
	 * to the runtime (a child subreaper) or init either way; a second
	 * fork, against a controlling terminal we never open, would cost the
	 * hook another copy of its address space. */
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return hook_make_error(err, errno, "cannot fork the tracer");
	}
	if (pid == 0) {
		close(pipefd[0]);
		log_set_foreground(false);
		if (setsid() < 0)
			_exit(127);
		stdio_to_devnull();
		ready = 1;
		if (write(pipefd[1], &ready, 1) != 1)
			_exit(127);
		close(pipefd[1]);
		/* After the hand-shake: moving between v1 cgroups waits for RCU
		 * (about 10 ms here), and the hook need not wait for it. */
		leave_cgroups();
		return 0;
	}

	close(pipefd[1]);
	do
		n = read(pipefd[0], &ready, 1);
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n != 1)
		return hook_make_error(err, 0, "the tracer process failed to start");
	return 1;
}
