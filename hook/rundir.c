// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "rundir.h"

#define RESULT_MAX 4096

int rundir_open(hook_error_t *err)
{
	struct stat st;
	int fd;

	if (mkdir(RUNDIR_PATH, 0700) < 0 && errno != EEXIST)
		return hook_make_error(err, errno, "cannot create `%s`", RUNDIR_PATH);
	fd = open(RUNDIR_PATH, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s`", RUNDIR_PATH);
	if (fstat(fd, &st) < 0 || st.st_uid != 0 || (st.st_mode & 0022)) {
		close(fd);
		return hook_make_error(err, 0,
				       "`%s` must be a directory owned by root and not "
				       "writable by others",
				       RUNDIR_PATH);
	}
	return fd;
}

static void name_of(char *buf, size_t size, const char *id, const char *suffix)
{
	snprintf(buf, size, "%s.%s", id, suffix);
}

int rundir_lock_tracer(int dirfd, const char *id, hook_error_t *err)
{
	char name[256];
	int fd;

	name_of(name, sizeof(name), id, "lock");
	fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot create `%s/%s`", RUNDIR_PATH, name);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;

		close(fd);
		if (e == EWOULDBLOCK)
			return hook_make_error(err, 0, "container `%s` is already being traced",
					       id);
		return hook_make_error(err, e, "cannot lock `%s/%s`", RUNDIR_PATH, name);
	}
	/* The id is ours now: a result left by an earlier container with the
	 * same id must not be reported as this one's. */
	name_of(name, sizeof(name), id, "result");
	unlinkat(dirfd, name, 0);
	return fd;
}

void rundir_unlock_tracer(int dirfd, const char *id, int lockfd)
{
	struct stat a, b;
	char name[256];

	name_of(name, sizeof(name), id, "lock");
	/* A newer tracer for a reused id may have replaced the file. */
	if (fstat(lockfd, &a) == 0 && fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 &&
	    a.st_ino == b.st_ino && a.st_dev == b.st_dev)
		unlinkat(dirfd, name, 0);
}

int rundir_wait_tracer(int dirfd, const char *id, int timeout_ms, hook_error_t *err)
{
	struct timespec start, now;
	cleanup_close int fd = -1;
	char name[256];

	name_of(name, sizeof(name), id, "lock");
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return hook_make_error(err, errno, "cannot open `%s/%s`", RUNDIR_PATH, name);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long elapsed;

		if (flock(fd, LOCK_SH | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return hook_make_error(err, errno, "cannot lock `%s/%s`", RUNDIR_PATH,
					       name);
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - start.tv_sec) * 1000 +
			  (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed >= timeout_ms)
			return 1;
		usleep(5000);
	}
}

/* Replaces ID.SUFFIX with `text` atomically (readers see old or new). */
static int write_state(int dirfd, const char *id, const char *suffix, const char *text,
		       hook_error_t *err)
{
	char name[256], tmp[272];
	cleanup_close int fd = -1;
	size_t len = strlen(text);

	name_of(name, sizeof(name), id, suffix);
	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot create `%s/%s`", RUNDIR_PATH, tmp);
	if (write(fd, text, len) != (ssize_t)len || renameat(dirfd, tmp, dirfd, name) < 0) {
		int e = errno;

		unlinkat(dirfd, tmp, 0);
		return hook_make_error(err, e, "cannot write `%s/%s`", RUNDIR_PATH, name);
	}
	return 0;
}

int rundir_write_result(int dirfd, const char *id, bool ok, const char *msg, hook_error_t *err)
{
	cleanup_free char *text = NULL;

	xasprintf(&text, "%s\n%s\n", ok ? "ok" : "error", msg);
	return write_state(dirfd, id, "result", text, err);
}

int rundir_write_status(int dirfd, const char *id, const char *line, hook_error_t *err)
{
	return write_state(dirfd, id, "status", line, err);
}

void rundir_remove_status(int dirfd, const char *id)
{
	char name[256];

	name_of(name, sizeof(name), id, "status");
	unlinkat(dirfd, name, 0);
}

int rundir_tracer_active(int dirfd, const char *id)
{
	cleanup_close int fd = -1;
	char name[256];

	name_of(name, sizeof(name), id, "lock");
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	/* The tracer holds it exclusively for its whole life. */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0)
		return 0;
	return errno == EWOULDBLOCK;
}

int rundir_take_result(int dirfd, const char *id, bool *ok, char **msg, hook_error_t *err)
{
	char name[256], buf[RESULT_MAX + 1];
	cleanup_close int fd = -1;
	ssize_t n;
	char *nl;

	*msg = NULL;
	name_of(name, sizeof(name), id, "result");
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return hook_make_error(err, errno, "cannot open `%s/%s`", RUNDIR_PATH, name);
	}
	n = read(fd, buf, RESULT_MAX);
	if (n < 0)
		return hook_make_error(err, errno, "cannot read `%s/%s`", RUNDIR_PATH, name);
	buf[n] = '\0';
	unlinkat(dirfd, name, 0);
	nl = strchr(buf, '\n');
	if (!nl)
		return hook_make_error(err, 0, "`%s/%s` is malformed", RUNDIR_PATH, name);
	*nl = '\0';
	*ok = strcmp(buf, "ok") == 0;
	nl[1 + strcspn(nl + 1, "\n")] = '\0';
	*msg = xstrdup(nl + 1);
	return 0;
}
