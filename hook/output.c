// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "annotation.h"
#include "capabilities.h"
#include "cleanup.h"
#include "log.h"
#include "output.h"

static int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

/* What openat2(RESOLVE_NO_SYMLINKS) does, for where openat2() is missing
 * (kernels before 5.6, valgrind): one component at a time with O_NOFOLLOW.
 * Paths reaching here have no `.` or `..` components, so the walk cannot
 * leave `base`. Sets errno (ELOOP for a symlink) and returns -1 on failure. */
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

static int open_dir_nofollow(int base, const char *path, bool beneath)
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

int output_allow_dirs_init(struct profile_strv *dirs, hook_error_t *err)
{
	for (size_t i = 0; i < dirs->n; i++) {
		char *real = realpath(dirs->v[i], NULL);
		struct stat st;

		if (!real)
			return hook_make_error(err, errno, "--allow-dir `%s`", dirs->v[i]);
		if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
			free(real);
			return hook_make_error(err, ENOTDIR, "--allow-dir `%s`", dirs->v[i]);
		}
		free(dirs->v[i]);
		dirs->v[i] = real;
	}
	return 0;
}

/* The allow dir that `path` lies beneath, or NULL. */
static const char *allow_dir_for(const char *path, const struct profile_strv *allow_dirs)
{
	for (size_t i = 0; i < allow_dirs->n; i++) {
		const char *dir = allow_dirs->v[i];
		size_t n = strlen(dir);

		if (strcmp(dir, "/") == 0)
			return dir;
		if (strncmp(path, dir, n) == 0 && path[n] == '/')
			return dir;
	}
	return NULL;
}

int output_target_open(const char *path, const struct profile_strv *allow_dirs,
		       struct output_target *t, hook_error_t *err)
{
	cleanup_free char *dir = NULL;
	cleanup_close int basefd = -1;
	const char *slash, *rel;
	int ret, fd;

	ret = annotation_check_path(path, "profile path", err);
	if (ret < 0)
		return ret;
	slash = strrchr(path, '/');
	dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));

	if (allow_dirs && allow_dirs->n > 0) {
		const char *allow = allow_dir_for(path, allow_dirs);

		if (!allow)
			return hook_make_error(
				err, 0, "`%s` is outside the directories allowed by --allow-dir",
				path);
		basefd = open(allow, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (basefd < 0)
			return hook_make_error(err, errno, "cannot open allowed directory `%s`",
					       allow);
		rel = dir + strlen(allow);
		while (*rel == '/')
			rel++;
		if (*rel == '\0')
			rel = ".";
		fd = open_dir_nofollow(basefd, rel, true);
	} else {
		fd = open_dir_nofollow(AT_FDCWD, dir, false);
	}
	if (fd < 0) {
		if (errno == ELOOP)
			return hook_make_error(
				err, 0, "directory `%s` of `%s` goes through a symlink", dir, path);
		if (errno == EXDEV)
			return hook_make_error(err, 0, "`%s` escapes the allowed directory", path);
		return hook_make_error(err, errno, "cannot open directory `%s` of `%s`", dir, path);
	}
	t->dirfd = fd;
	t->base = xstrdup(slash + 1);
	t->path = xstrdup(path);
	return 0;
}

void output_target_close(struct output_target *t)
{
	if (t->dirfd >= 0)
		close(t->dirfd);
	free(t->base);
	free(t->path);
	t->dirfd = -1;
	t->base = t->path = NULL;
}

static int read_bounded(int fd, const char *path, char **buf, size_t *len, hook_error_t *err)
{
	struct stat st;
	cleanup_free char *data = NULL;
	size_t used = 0, cap;

	if (fstat(fd, &st) < 0)
		return hook_make_error(err, errno, "cannot stat `%s`", path);
	if (!S_ISREG(st.st_mode))
		return hook_make_error(err, 0, "`%s` is not a regular file", path);
	if (st.st_size > PROFILE_MAX_SIZE)
		return hook_make_error(err, 0, "`%s` is larger than %d bytes", path,
				       PROFILE_MAX_SIZE);
	cap = (size_t)st.st_size + 1;
	data = xmalloc(cap + 1);
	for (;;) {
		ssize_t n = read(fd, data + used, cap - used);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hook_make_error(err, errno, "cannot read `%s`", path);
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used == cap) {
			/* The file grew while we read it; stay within the bound. */
			if (cap > PROFILE_MAX_SIZE)
				return hook_make_error(err, 0, "`%s` is larger than %d bytes", path,
						       PROFILE_MAX_SIZE);
			cap = cap * 2 > PROFILE_MAX_SIZE + 1 ? PROFILE_MAX_SIZE + 1 : cap * 2;
			data = xrealloc(data, cap + 1);
		}
	}
	data[used] = '\0';
	*buf = steal_pointer(&data);
	*len = used;
	return 0;
}

int output_target_read(const struct output_target *t, char **buf, size_t *len, hook_error_t *err)
{
	cleanup_close int fd = -1;
	struct stat st;

	*buf = NULL;
	*len = 0;
	if (fstatat(t->dirfd, t->base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return hook_make_error(err, errno, "cannot stat `%s`", t->path);
	}
	if (S_ISLNK(st.st_mode))
		return hook_make_error(err, 0, "`%s` is a symlink; refusing to follow it", t->path);
	if (!S_ISREG(st.st_mode))
		return hook_make_error(err, 0, "`%s` exists and is not a regular file", t->path);
	fd = openat(t->dirfd, t->base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			return hook_make_error(err, 0, "`%s` is a symlink; refusing to follow it",
					       t->path);
		return hook_make_error(err, errno, "cannot open `%s`", t->path);
	}
	return read_bounded(fd, t->path, buf, len, err);
}

/* An existing target must itself be a file of the kind we write there. */
static int check_existing(const struct output_target *t, hook_error_t *err)
{
	cleanup_free char *buf = NULL;
	struct caps_record caps;
	struct profile p = { 0 };
	size_t len;
	int ret;

	ret = output_target_read(t, &buf, &len, err);
	if (ret < 0)
		return ret;
	if (!buf)
		return 0;
	if (t->kind == OUTPUT_CAPS) {
		if (caps_parse(buf, len, t->path, &caps, err) < 0)
			return hook_error_wrap(err,
					       "`%s` exists and is not a capability file; refusing "
					       "to overwrite it",
					       t->path);
		return 0;
	}
	ret = profile_parse(buf, len, t->path, &p, err);
	if (ret < 0)
		return hook_error_wrap(err,
				       "`%s` exists and is not a seccomp profile; refusing to "
				       "overwrite it",
				       t->path);
	profile_free(&p);
	return 0;
}

int output_target_check(const struct output_target *t, hook_error_t *err)
{
	int ret, fd;

	ret = check_existing(t, err);
	if (ret < 0)
		return ret;
	/* An unnamed temporary file proves we can create files there
	 * (read-only mounts, full inode tables) without leaving one behind. */
	fd = openat(t->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)
		return 0; /* no O_TMPFILE on this filesystem: the write will tell */
	return hook_make_error(err, errno, "cannot create files in the directory of `%s`", t->path);
}

int output_target_write(const struct output_target *t, const char *data, size_t len,
			hook_error_t *err)
{
	char tmp[NAME_MAX + 1];
	cleanup_close int fd = -1;
	unsigned int rnd;
	size_t done = 0;
	int ret;

	ret = check_existing(t, err);
	if (ret < 0)
		return ret;

	for (int attempt = 0; fd < 0; attempt++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			rnd = (unsigned int)getpid() ^ (unsigned int)attempt;
		/* `.name.XXXXXXXX.tmp`, cut to fit NAME_MAX. */
		snprintf(tmp, sizeof(tmp), ".%.*s.%08x.tmp", NAME_MAX - 14, t->base, rnd);
		fd = openat(t->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0644);
		if (fd < 0 && (errno != EEXIST || attempt > 16))
			return hook_make_error(
				err, errno, "cannot create a temporary file beside `%s`", t->path);
	}
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = hook_make_error(err, errno, "cannot write `%s`", t->path);
			goto fail;
		}
		done += (size_t)n;
	}
	if (fsync(fd) < 0) {
		ret = hook_make_error(err, errno, "cannot sync `%s`", t->path);
		goto fail;
	}
	if (close(steal_fd(&fd)) < 0) {
		ret = hook_make_error(err, errno, "cannot write `%s`", t->path);
		goto fail;
	}
	if (renameat(t->dirfd, tmp, t->dirfd, t->base) < 0) {
		ret = hook_make_error(err, errno, "cannot rename the new profile to `%s`", t->path);
		goto fail;
	}
	/* The rename is durable once the directory is. */
	if (fsync(t->dirfd) < 0 && errno != EINVAL)
		return hook_make_error(err, errno, "cannot sync the directory of `%s`", t->path);
	return 0;
fail:
	unlinkat(t->dirfd, tmp, 0);
	return ret;
}

int output_target_read_profile(const struct output_target *t, struct profile *out,
			       hook_error_t *err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	int ret;

	ret = output_target_read(t, &buf, &len, err);
	if (ret < 0 || !buf)
		return ret;
	ret = profile_parse(buf, len, t->path, out, err);
	return ret < 0 ? ret : 1;
}

int output_read_profile(const char *path, const struct profile_strv *allow_dirs,
			struct profile *out, hook_error_t *err)
{
	struct output_target t = { .dirfd = -1 };
	int ret;

	ret = output_target_open(path, allow_dirs, &t, err);
	if (ret == 0)
		ret = output_target_read_profile(&t, out, err);
	if (ret == 0)
		ret = hook_make_error(err, ENOENT, "cannot read profile `%s`", path);
	output_target_close(&t);
	return ret < 0 ? ret : 0;
}

int output_read_file(const char *path, char **buf, size_t *len, hook_error_t *err)
{
	cleanup_close int fd = -1;

	/* O_NONBLOCK: a FIFO named by mistake must not hang us. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s`", path);
	return read_bounded(fd, path, buf, len, err);
}

int output_read_profile_file(const char *path, struct profile *out, hook_error_t *err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	int ret;

	ret = output_read_file(path, &buf, &len, err);
	if (ret < 0)
		return ret;
	return profile_parse(buf, len, path, out, err);
}

int output_absolute_path(const char *path, char **out, hook_error_t *err)
{
	cleanup_free char *cwd = NULL;

	if (*path == '\0')
		return hook_make_error(err, 0, "empty path");
	if (path[0] == '/') {
		*out = xstrdup(path);
		return 0;
	}
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return hook_make_error(err, errno, "cannot tell the working directory for `%s`",
				       path);
	/* `./p.json` is common on command lines; drop the leading `./`. */
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	xasprintf(out, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/", path);
	return 0;
}

bool output_target_same(const struct output_target *a, const struct output_target *b)
{
	struct stat sa, sb;

	if (strcmp(a->base, b->base) != 0)
		return false;
	if (fstat(a->dirfd, &sa) < 0 || fstat(b->dirfd, &sb) < 0)
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

#define LOCK_POLL_MS 20

int output_target_lock(const struct output_target *t, int timeout_ms, hook_error_t *err)
{
	for (int waited = 0;; waited += LOCK_POLL_MS) {
		if (flock(t->dirfd, LOCK_EX | LOCK_NB) == 0)
			return 1;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return hook_make_error(err, errno, "cannot lock the directory of `%s`",
					       t->path);
		if (waited >= timeout_ms) {
			log_warn("the directory of `%s` stayed locked for %d ms; writing without "
				 "the lock (a concurrent writer's update may be lost)",
				 t->path, timeout_ms);
			return 0;
		}
		usleep(LOCK_POLL_MS * 1000);
	}
}

void output_target_unlock(const struct output_target *t)
{
	flock(t->dirfd, LOCK_UN);
}
