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

#include "cleanup.h"
#include "profile/capabilities.h"
#include "profile/output.h"
#include "util/log.h"
#include "util/safe_file.h"

int output_allowed_init(struct output_allowed *a, hook_error_t *err)
{
	struct strv *lists[] = { &a->write, &a->read };

	if (a->write.n == 0) {
		if (mkdir(OUTPUT_DEFAULT_DIR, 0755) < 0 && errno != EEXIST)
			return hook_make_error(err, errno, "cannot create `%s`",
					       OUTPUT_DEFAULT_DIR);
		strv_add(&a->write, OUTPUT_DEFAULT_DIR);
	}
	for (size_t l = 0; l < 2; l++) {
		struct strv *dirs = lists[l];
		const char *opt = l == 0 ? "--allow-dir" : "--allow-read";

		for (size_t i = 0; i < dirs->n; i++) {
			char *real = realpath(dirs->v[i], NULL);
			struct stat st;

			if (!real)
				return hook_make_error(err, errno, "%s `%s`", opt, dirs->v[i]);
			if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
				free(real);
				return hook_make_error(err, ENOTDIR, "%s `%s`", opt, dirs->v[i]);
			}
			free(dirs->v[i]);
			dirs->v[i] = real;
			if (strcmp(real, "/") == 0)
				log_warn("%s / lets every container annotation %s any file on this "
					 "host as root; use it only where every user who can set an "
					 "annotation is root already",
					 opt, l == 0 ? "create, replace and read" : "read");
		}
	}
	return 0;
}

void output_allowed_free(struct output_allowed *a)
{
	strv_free(&a->write);
	strv_free(&a->read);
}

/* The allowed directory that `path` lies beneath, or NULL: by the text
 * alone (paths have no `.` or `..`; openat2 then keeps the walk there). */
static const char *allow_dir_for(const char *path, const struct strv *dirs)
{
	for (size_t i = 0; i < dirs->n; i++) {
		const char *dir = dirs->v[i];
		size_t n = strlen(dir);

		if (strcmp(dir, "/") == 0)
			return dir;
		if (strncmp(path, dir, n) == 0 && path[n] == '/')
			return dir;
	}
	return NULL;
}

static int refuse_outside(const char *path, const struct output_allowed *a, bool for_read,
			  hook_error_t *err)
{
	cleanup_free char *list = NULL;
	size_t n = a->write.n + (for_read ? a->read.n : 0);

	for (size_t i = 0; i < n; i++) {
		const char *d = i < a->write.n ? a->write.v[i] : a->read.v[i - a->write.n];
		char *next;

		xasprintf(&next, "%s%s%s%s", list ? list : "", list ? ", " : "", d,
			  i < a->write.n ? "" : " (read only)");
		free(list);
		list = next;
	}
	return hook_make_error(err, 0,
			       "`%s` is outside the directories the hook may %s (%s); see %s", path,
			       for_read ? "read" : "write", list ? list : "none",
			       for_read ? "--allow-dir and --allow-read" : "--allow-dir");
}

int output_target_open(const char *path, const struct output_allowed *allowed, bool for_read,
		       struct output_target *t, hook_error_t *err)
{
	cleanup_free char *dir = NULL;
	cleanup_close int basefd = -1;
	const char *slash, *rel;
	int ret, fd;

	t->dirfd = t->lockfd = -1;
	ret = safe_path_check(path, "profile path", err);
	if (ret < 0)
		return ret;
	slash = strrchr(path, '/');
	dir = slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path));

	if (allowed) {
		const char *allow = allow_dir_for(path, &allowed->write);
		struct strv own = { .v = (char *[]){ (char *)OUTPUT_CALIBRATION_DIR }, .n = 1 };

		if (allow_dir_for(path, &own))
			return hook_make_error(err, 0,
					       "`%s` is in seccomp-recorder's own directory `%s`, "
					       "which no annotation may name",
					       path, OUTPUT_CALIBRATION_DIR);

		if (!allow && for_read)
			allow = allow_dir_for(path, &allowed->read);
		if (!allow)
			return refuse_outside(path, allowed, for_read, err);
		basefd = open(allow, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (basefd < 0)
			return hook_make_error(err, errno, "cannot open allowed directory `%s`",
					       allow);
		rel = dir + strlen(allow);
		while (*rel == '/')
			rel++;
		if (*rel == '\0')
			rel = ".";
		fd = safe_open_dir(basefd, rel, true);
	} else {
		fd = safe_open_dir(AT_FDCWD, dir, false);
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
	output_target_unlock(t);
	if (t->dirfd >= 0)
		close(t->dirfd);
	free(t->base);
	free(t->path);
	t->dirfd = -1;
	t->base = t->path = NULL;
}

int output_target_read(const struct output_target *t, char **buf, size_t *len, hook_error_t *err)
{
	return safe_file_read_at(t->dirfd, t->base, t->path, PROFILE_MAX_SIZE, buf, len, err);
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
	int ret;

	if (len > PROFILE_MAX_SIZE)
		return hook_make_error(err, 0,
				       "the new `%s` would be %zu bytes, more than the %d that "
				       "seccomp-recorder reads back; the file stays as it was",
				       t->path, len, PROFILE_MAX_SIZE);
	ret = check_existing(t, err);
	if (ret < 0)
		return ret;
	return safe_file_replace(t->dirfd, t->base, data, len, 0644, SAFE_REPLACE_DURABLE,
				 t->path, err);
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

int output_read_profile(const char *path, const struct output_allowed *allowed,
			struct profile *out, hook_error_t *err)
{
	struct output_target t = { .dirfd = -1, .lockfd = -1 };
	int ret;

	ret = output_target_open(path, allowed, true, &t, err);
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
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s`", path);
	return safe_file_read_fd(fd, path, PROFILE_MAX_SIZE, buf, len, err);
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

int output_target_lock(struct output_target *t, int timeout_ms, hook_error_t *err)
{
	int fd = safe_dir_lock_fd(t->dirfd, t->path, err);
	int ret;

	if (fd < 0)
		return -1;
	ret = safe_lock_timed(fd, LOCK_EX, timeout_ms);
	if (ret < 0) {
		ret = hook_make_error(err, errno, "cannot lock the directory of `%s`", t->path);
		close(fd);
		return ret;
	}
	if (ret == 0) {
		close(fd);
		return hook_make_error(err, 0,
				       "another writer of the directory of `%s` has held its lock "
				       "for %d ms; not written",
				       t->path, timeout_ms);
	}
	t->lockfd = fd;
	return 0;
}

void output_target_unlock(struct output_target *t)
{
	if (t->lockfd >= 0)
		close(t->lockfd);
	t->lockfd = -1;
}

int output_target_update(struct output_target *t, int timeout_ms, output_make_fn make, void *ctx,
			 hook_error_t *err)
{
	cleanup_free char *text = NULL;
	size_t len = 0;
	int ret;

	ret = output_target_lock(t, timeout_ms, err);
	if (ret < 0)
		return ret;
	ret = make(ctx, &text, &len, err);
	if (ret == 0)
		ret = output_target_write(t, text, len, err);
	output_target_unlock(t);
	return ret;
}
