/* SPDX-License-Identifier: Apache-2.0 */
/* The one file layer: every file seccomp-recorder reads or writes as root in
 * a directory somebody else may control goes through these primitives.
 * - Directories are opened without following symlinks (openat2, or an
 *   O_NOFOLLOW walk where openat2 is missing), optionally beneath a base.
 * - Files are opened as O_PATH first and checked (regular, not a symlink)
 *   before they are opened for reading: a FIFO or device node swapped in is
 *   never opened.
 * - Files are replaced atomically: an unnamed O_TMPFILE, written, fsync'd,
 *   linked under a temporary name and renamed over the target; where the
 *   filesystem has no O_TMPFILE, a named temporary that its writer holds
 *   locked. Temporaries whose writer died are removed by the next writer.
 * - Locks with a timeout, and lock files only root can take.
 * Nothing here knows about profiles. */
#ifndef SAFE_FILE_H
#define SAFE_FILE_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* seccomp-recorder's run-time state (tmpfs, root's alone), and where
 * root's per-directory write locks live in it. */
#define SAFE_FILE_RUN_DIR "/run/seccomp-recorder"
#define SAFE_FILE_LOCK_DIR SAFE_FILE_RUN_DIR "/locks"

/* A path as the hook accepts it: absolute, no `.`/`..` components, no
 * trailing slash, printable, shorter than PATH_MAX. `what` names the value
 * in the message. */
int safe_path_check(const char *path, const char *what, hook_error_t *err);

/* Opens directory `path` (relative to `base`, or absolute) for reading,
 * following no symlink in any component; with `beneath`, never leaving
 * `base`. Returns the fd, or -1 with errno set (ELOOP for a symlink, EXDEV
 * for an escape). */
int safe_open_dir(int base, const char *path, bool beneath);

/* Makes (mode `mode`) or opens directory `path`, which must not be a
 * symlink, must be owned by root, and must give nobody else the bits in
 * `forbidden` (e.g. 0022: not writable by others). */
int safe_private_dir(const char *path, mode_t mode, mode_t forbidden, hook_error_t *err);

/* Opens `name` in `dirfd` for reading: O_PATH and O_NOFOLLOW first, then,
 * only if it is a regular file, reopened through /proc/self/fd. Returns the
 * fd; 0 is never returned; -ENOENT when there is no such file; other
 * failures are reported in *err, naming `what`, and return -1. */
int safe_file_open_read(int dirfd, const char *name, const char *what, hook_error_t *err);

/* Reads an open regular file of at most `max` bytes (NUL-terminated). */
int safe_file_read_fd(int fd, const char *what, size_t max, char **buf, size_t *len,
		      hook_error_t *err);

/* Both of the above: *buf is NULL when there is no file. */
int safe_file_read_at(int dirfd, const char *name, const char *what, size_t max, char **buf,
		      size_t *len, hook_error_t *err);

enum safe_replace_flags {
	SAFE_REPLACE_DURABLE = 1, /* fsync the file and the directory */
};

/* Replaces `name` in `dirfd` with `data` atomically (readers see the old or
 * the new content, never a part). `what` names the file in messages. */
int safe_file_replace(int dirfd, const char *name, const void *data, size_t len, mode_t mode,
		      unsigned flags, const char *what, hook_error_t *err);

/* A stream over the entries of directory `dirfd`, which stays open and
 * ours; closedir() the stream. NULL if it cannot be read. */
DIR *safe_dir_walk(int dirfd);

/* Removes the temporaries of `name` left in `dirfd` by writers that died
 * (killed between creating and renaming them). Returns how many. */
int safe_file_reap_temps(int dirfd, const char *name);

/* Takes flock `op` (LOCK_EX or LOCK_SH) on `fd`, polling for at most
 * `timeout_ms`. Returns 1 if locked, 0 on timeout, -1 with errno set. */
int safe_lock_timed(int fd, int op, int timeout_ms);

/* The lock file that serialises writers of directory `dirfd`: as root, a
 * file in SAFE_FILE_LOCK_DIR named after the directory's device and inode,
 * which nobody else can open; otherwise (a user running merge or record
 * with their own privileges) a new descriptor of the directory itself.
 * Returns an fd to flock. */
int safe_dir_lock_fd(int dirfd, const char *what, hook_error_t *err);

#endif /* SAFE_FILE_H */
