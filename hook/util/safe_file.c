// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "cleanup.h"
#include "util/safe_file.h"

static int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

int safe_path_check(const char *path, const char *what, hook_error_t *err)
{
	size_t len = strlen(path);
	const char *p;

	if (len == 0)
		return hook_make_error(err, 0, "%s: empty path", what);
	if (path[0] != '/')
		return hook_make_error(err, 0, "%s: path `%s` is not absolute", what, path);
	if (len >= PATH_MAX)
		return hook_make_error(err, 0, "%s: path is longer than %d bytes", what,
				       PATH_MAX - 1);
	if (path[len - 1] == '/')
		return hook_make_error(err, 0, "%s: path `%s` names a directory, not a file", what,
				       path);
	for (p = path; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return hook_make_error(err, 0, "%s: path contains a control character",
					       what);
	/* Refuse `.`, `..` and empty components so that a lexical check
	 * against a directory means what it says. */
	if (strstr(path, "//"))
		return hook_make_error(err, 0, "%s: path `%s` contains an empty component (`//`)",
				       what, path);
	for (p = path; *p;) {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return hook_make_error(err, 0,
					       "%s: path `%s` contains a `.` or `..` component",
					       what, path);
		p += n;
	}
	return 0;
}

/* What openat2(RESOLVE_NO_SYMLINKS) does, for where openat2() is missing
 * (kernels before 5.6, valgrind): one component at a time with O_NOFOLLOW.
 * Paths reaching here have no `.` or `..` components, so the walk cannot
 * leave `base`. */
static int open_dir_walk(int base, const char *rel)
{
	cleanup_free char *copy = xstrdup(rel);
	char *comp, *save = NULL;
	int fd, next;

	fd = openat(base, *copy == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	for (comp = strtok_r(copy, "/", &save); fd >= 0 && comp;
	     comp = strtok_r(NULL, "/", &save)) {
		struct stat st;

		next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0 && errno == ENOTDIR &&
		    fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
			errno = ELOOP;
		cleanup_closep(&fd);
		fd = next;
	}
	if (fd < 0)
		return -1;
	next = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_closep(&fd);
	return next;
}

int safe_open_dir(int base, const char *path, bool beneath)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS |
			   (beneath ? RESOLVE_BENEATH : 0),
	};
	int fd = sys_openat2(base, path, &how);

	if (fd < 0 && errno == ENOSYS)
		fd = open_dir_walk(base, path);
	return fd;
}

int safe_private_dir(const char *path, mode_t mode, mode_t forbidden, hook_error_t *err)
{
	struct stat st;
	int fd;

	if (mkdir(path, mode) < 0 && errno != EEXIST)
		return hook_make_error(err, errno, "cannot create `%s`", path);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s`", path);
	if (fstat(fd, &st) < 0 || st.st_uid != 0 || (st.st_mode & forbidden)) {
		close(fd);
		return hook_make_error(err, 0,
				       "`%s` must be a directory owned by root and not %s by "
				       "others",
				       path, (forbidden & 0044) ? "readable or writable" : "writable");
	}
	return fd;
}

int safe_file_open_read(int dirfd, const char *name, const char *what, hook_error_t *err)
{
	cleanup_close int pathfd = -1;
	char proc[64];
	struct stat st;
	int fd;

	pathfd = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (pathfd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return hook_make_error(err, errno, "cannot open `%s`", what);
	}
	if (fstat(pathfd, &st) < 0)
		return hook_make_error(err, errno, "cannot stat `%s`", what);
	if (S_ISLNK(st.st_mode))
		return hook_make_error(err, 0, "`%s` is a symlink; refusing to follow it", what);
	if (!S_ISREG(st.st_mode))
		return hook_make_error(err, 0, "`%s` exists and is not a regular file", what);
	/* The same inode, now for reading: whatever has been renamed onto the
	 * name since, it is not opened. */
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pathfd);
	fd = open(proc, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s` (through %s)", what, proc);
	return fd;
}

int safe_file_read_fd(int fd, const char *what, size_t max, char **buf, size_t *len,
		      hook_error_t *err)
{
	struct stat st;
	cleanup_free char *data = NULL;
	size_t used = 0, cap;

	if (fstat(fd, &st) < 0)
		return hook_make_error(err, errno, "cannot stat `%s`", what);
	if (!S_ISREG(st.st_mode))
		return hook_make_error(err, 0, "`%s` is not a regular file", what);
	if ((uintmax_t)st.st_size > max)
		return hook_make_error(err, 0, "`%s` is larger than %zu bytes", what, max);
	cap = (size_t)st.st_size + 1;
	data = xmalloc(cap + 1);
	for (;;) {
		ssize_t n = read(fd, data + used, cap - used);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hook_make_error(err, errno, "cannot read `%s`", what);
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used == cap) {
			/* The file grew while we read it; stay within the bound. */
			if (cap > max)
				return hook_make_error(err, 0, "`%s` is larger than %zu bytes", what,
						       max);
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			data = xrealloc(data, cap + 1);
		}
	}
	data[used] = '\0';
	*buf = steal_pointer(&data);
	*len = used;
	return 0;
}

int safe_file_read_at(int dirfd, const char *name, const char *what, size_t max, char **buf,
		      size_t *len, hook_error_t *err)
{
	cleanup_close int fd = -1;

	*buf = NULL;
	*len = 0;
	fd = safe_file_open_read(dirfd, name, what, err);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return -1;
	return safe_file_read_fd(fd, what, max, buf, len, err);
}

/* `.NAME.XXXXXXXX.tmp`, NAME cut to fit NAME_MAX. */
#define TMP_NAME_SIZE (NAME_MAX + 1)
#define TMP_NAME_EXTRA 14

static void tmp_name(char *buf, const char *name, unsigned int rnd)
{
	snprintf(buf, TMP_NAME_SIZE, ".%.*s.%08x.tmp", NAME_MAX - TMP_NAME_EXTRA, name, rnd);
}

static unsigned int random_u32(int attempt)
{
	unsigned int rnd;

	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (unsigned int)getpid() * 2654435761u ^ (unsigned int)attempt ^
		      (unsigned int)time(NULL);
	return rnd;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fills `fd` (new, ours) with the content and the final mode. */
static int fill(int fd, const void *data, size_t len, mode_t mode, unsigned flags,
		const char *what, hook_error_t *err)
{
	if (fchmod(fd, mode) < 0)
		return hook_make_error(err, errno, "cannot set the mode of `%s`", what);
	if (write_all(fd, data, len) < 0)
		return hook_make_error(err, errno, "cannot write `%s`", what);
	if ((flags & SAFE_REPLACE_DURABLE) && fsync(fd) < 0)
		return hook_make_error(err, errno, "cannot sync `%s`", what);
	return 0;
}

/* Gives the unnamed file `fd` the temporary name `tmp`. */
static int link_tmpfile(int fd, int dirfd, const char *tmp)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, dirfd, tmp, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	/* No /proc: root may link a descriptor directly. */
	return linkat(fd, "", dirfd, tmp, AT_EMPTY_PATH);
}

/* An unnamed file, written, then linked in as `tmp`: a writer killed before
 * the link leaves nothing; one killed after it leaves a temporary that it
 * held locked, which the next writer removes. NO_TMPFILE if the filesystem
 * has no O_TMPFILE. */
enum { NO_TMPFILE = 1 };
static int replace_via_tmpfile(int dirfd, char *tmp, const char *name, const void *data,
			       size_t len, mode_t mode, unsigned flags, const char *what,
			       hook_error_t *err)
{
	cleanup_close int fd = -1;

	fd = openat(dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
			return NO_TMPFILE;
		return hook_make_error(err, errno, "cannot create a temporary file for `%s`",
				       what);
	}
	if (flock(fd, LOCK_EX) < 0)
		return hook_make_error(err, errno, "cannot lock the temporary file for `%s`",
				       what);
	if (fill(fd, data, len, mode, flags, what, err) < 0)
		return -1;
	for (int attempt = 0;; attempt++) {
		tmp_name(tmp, name, random_u32(attempt));
		if (link_tmpfile(fd, dirfd, tmp) == 0)
			break;
		if (errno != EEXIST || attempt > 16)
			return hook_make_error(err, errno,
					       "cannot link the temporary file for `%s`", what);
	}
	return 0;
}

/* Without O_TMPFILE: a named temporary, held locked from the moment it is
 * known to be ours (still linked after the lock) until it is renamed. */
static int replace_via_named(int dirfd, char *tmp, const char *name, const void *data,
			     size_t len, mode_t mode, unsigned flags, const char *what,
			     hook_error_t *err)
{
	cleanup_close int fd = -1;
	struct stat st;

	for (int attempt = 0;; attempt++) {
		tmp_name(tmp, name, random_u32(attempt));
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		if (fd >= 0 && flock(fd, LOCK_EX) == 0 && fstat(fd, &st) == 0 && st.st_nlink > 0)
			break;
		if (fd >= 0) { /* a reaper took it between create and lock */
			cleanup_closep(&fd);
			continue;
		}
		if (errno != EEXIST || attempt > 16)
			return hook_make_error(err, errno,
					       "cannot create a temporary file beside `%s`", what);
	}
	if (fill(fd, data, len, mode, flags, what, err) < 0) {
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

int safe_file_replace(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		      unsigned flags, const char *what, hook_error_t *err)
{
	char tmp[TMP_NAME_SIZE];
	int ret;

	safe_file_reap_temps(dirfd, name);
	ret = replace_via_tmpfile(dirfd, tmp, name, data, len, mode, flags, what, err);
	if (ret == NO_TMPFILE)
		ret = replace_via_named(dirfd, tmp, name, data, len, mode, flags, what, err);
	if (ret < 0)
		return ret;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		ret = hook_make_error(err, errno, "cannot rename the new file to `%s`", what);
		unlinkat(dirfd, tmp, 0);
		return ret;
	}
	/* The rename is durable once the directory is. */
	if ((flags & SAFE_REPLACE_DURABLE) && fsync(dirfd) < 0 && errno != EINVAL)
		return hook_make_error(err, errno, "cannot sync the directory of `%s`", what);
	return 0;
}

static bool is_tmp_of(const char *entry, const char *name)
{
	size_t n = strnlen(name, NAME_MAX - TMP_NAME_EXTRA);
	size_t hex;

	if (entry[0] != '.' || strncmp(entry + 1, name, n) != 0 || entry[1 + n] != '.')
		return false;
	entry += 2 + n;
	hex = strspn(entry, "0123456789abcdef");
	return hex == 8 && strcmp(entry + 8, ".tmp") == 0;
}

DIR *safe_dir_walk(int dirfd)
{
	int walkfd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (walkfd < 0)
		return NULL;
	dir = fdopendir(walkfd);
	if (!dir)
		close(walkfd);
	return dir;
}

int safe_file_reap_temps(int dirfd, const char *name)
{
	struct dirent *de;
	int reaped = 0;
	DIR *dir;

	dir = safe_dir_walk(dirfd);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		hook_error_t ignored = NULL;
		cleanup_close int fd = -1;

		if (!is_tmp_of(de->d_name, name))
			continue;
		fd = safe_file_open_read(dirfd, de->d_name, de->d_name, &ignored);
		hook_error_release(&ignored);
		/* Its writer holds it locked for as long as it lives. */
		if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0)
			reaped++;
	}
	closedir(dir);
	return reaped;
}

#define LOCK_POLL_US 1000

int safe_lock_timed(int fd, int op, int timeout_ms)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long elapsed;

		if (flock(fd, op | LOCK_NB) == 0)
			return 1;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		clock_gettime(CLOCK_MONOTONIC, &now);
		elapsed = (now.tv_sec - start.tv_sec) * 1000 +
			  (now.tv_nsec - start.tv_nsec) / 1000000;
		if (elapsed >= timeout_ms)
			return 0;
		usleep(LOCK_POLL_US);
	}
}

int safe_dir_lock_fd(int dirfd, const char *what, hook_error_t *err)
{
	cleanup_close int rundir = -1, locks = -1;
	char name[64];
	struct stat st;
	int fd;

	if (geteuid() != 0) {
		fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0)
			return hook_make_error(err, errno, "cannot open the directory of `%s`", what);
		return fd;
	}
	if (fstat(dirfd, &st) < 0)
		return hook_make_error(err, errno, "cannot stat the directory of `%s`", what);
	rundir = safe_private_dir(SAFE_FILE_RUN_DIR, 0700, 0022, err);
	if (rundir < 0)
		return -1;
	locks = safe_private_dir(SAFE_FILE_LOCK_DIR, 0700, 0077, err);
	if (locks < 0)
		return -1;
	snprintf(name, sizeof(name), "%" PRIxMAX "-%" PRIxMAX ".lock", (uintmax_t)st.st_dev,
		 (uintmax_t)st.st_ino);
	fd = openat(locks, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s/%s`", SAFE_FILE_LOCK_DIR,
				       name);
	return fd;
}
