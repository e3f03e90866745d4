// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "trace/rundir.h"
#include "util/safe_file.h"

#define RESULT_MAX 4096

int rundir_open(hook_error_t *err)
{
	return safe_private_dir(RUNDIR_PATH, 0700, 0022, err);
}

static void name_of(char *buf, size_t size, const char *id, const char *suffix)
{
	snprintf(buf, size, "%s.%s", id, suffix);
}

/* How long a tracer waits for an ID.lock that a reaper may hold for a
 * moment (rundir_reap()) before it calls the id taken. */
#define LOCK_TRACER_WAIT_MS 100

int rundir_lock_tracer(int dirfd, const char *id, hook_error_t *err)
{
	char name[256];

	name_of(name, sizeof(name), id, "lock");
	for (int attempt = 0;; attempt++) {
		cleanup_close int fd = -1;
		struct stat a, b;
		int ret;

		fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0)
			return hook_make_error(err, errno, "cannot create `%s/%s`", RUNDIR_PATH,
					       name);
		ret = safe_lock_timed(fd, LOCK_EX, LOCK_TRACER_WAIT_MS);
		if (ret < 0)
			return hook_make_error(err, errno, "cannot lock `%s/%s`", RUNDIR_PATH, name);
		if (ret == 0)
			return hook_make_error(err, 0, "container `%s` is already being traced",
					       id);
		/* A reaper may have removed the file between our open and lock. */
		if (fstat(fd, &a) < 0 || fstatat(dirfd, name, &b, AT_SYMLINK_NOFOLLOW) < 0 ||
		    a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
			if (attempt < 8)
				continue;
			return hook_make_error(err, 0, "`%s/%s` keeps being replaced", RUNDIR_PATH,
					       name);
		}
		/* The id is ours now: a result left by an earlier container with
		 * the same id must not be reported as this one's. */
		name_of(name, sizeof(name), id, "result");
		unlinkat(dirfd, name, 0);
		return steal_fd(&fd);
	}
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
			return RUNDIR_TRACER_DONE;
		return hook_make_error(err, errno, "cannot open `%s/%s`", RUNDIR_PATH, name);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long elapsed;

		if (flock(fd, LOCK_SH | LOCK_NB) == 0)
			return RUNDIR_TRACER_DONE;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return hook_make_error(err, errno, "cannot lock `%s/%s`", RUNDIR_PATH,
					       name);
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - start.tv_sec) * 1000 +
			  (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed >= timeout_ms)
			return RUNDIR_TRACER_RUNNING;
		usleep(5000);
	}
}

/* Replaces ID.SUFFIX with `text` atomically (readers see old or new). */
static int write_state(int dirfd, const char *id, const char *suffix, const char *text,
		       hook_error_t *err)
{
	cleanup_free char *what = NULL;
	char name[256];

	name_of(name, sizeof(name), id, suffix);
	xasprintf(&what, "%s/%s", RUNDIR_PATH, name);
	return safe_file_replace(dirfd, name, text, strlen(text), 0600, 0, what, err);
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

/* A result nobody took (its poststop never ran) goes after this long. */
#define RESULT_KEEP_S (24 * 3600)

/* `name` is ID.SUFFIX for one of ours: the id's length, else 0. */
static size_t id_of(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	if (n <= m + 1 || name[n - m - 1] != '.' || strcmp(name + n - m, suffix) != 0)
		return 0;
	return n - m - 1;
}

/* Removes ID.lock and ID.status if the tracer of `id` is gone: nobody
 * holds the lock file (or there is none). The lock file is removed while we
 * hold it: a tracer that opened it meanwhile sees that it is no longer
 * linked (rundir_lock_tracer()) and makes a new one. */
static int reap_tracer(int dirfd, const char *id)
{
	cleanup_close int fd = -1;
	char name[256];
	int reaped = 0;

	name_of(name, sizeof(name), id, "lock");
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT)
		return 0;
	if (fd >= 0) {
		if (flock(fd, LOCK_EX | LOCK_NB) < 0)
			return 0; /* alive */
		reaped += unlinkat(dirfd, name, 0) == 0;
	}
	name_of(name, sizeof(name), id, "status");
	reaped += unlinkat(dirfd, name, 0) == 0;
	return reaped;
}

int rundir_reap(int dirfd)
{
	struct dirent *de;
	int reaped = 0;
	DIR *dir;

	dir = safe_dir_walk(dirfd);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		char id[NAME_MAX - 8]; /* room for `.status` */
		struct stat st;
		size_t n;

		if (de->d_name[0] == '.')
			continue;
		if ((n = id_of(de->d_name, "lock")) || (n = id_of(de->d_name, "status"))) {
			snprintf(id, sizeof(id), "%.*s", (int)n, de->d_name);
			reaped += reap_tracer(dirfd, id);
		} else if (id_of(de->d_name, "result") &&
			   fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
			   time(NULL) - st.st_mtime > RESULT_KEEP_S) {
			reaped += unlinkat(dirfd, de->d_name, 0) == 0;
		}
	}
	closedir(dir);
	return reaped;
}
