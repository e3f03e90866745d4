/* SPDX-License-Identifier: Apache-2.0 */
/* Profile files named by users: resolved without following symlinks, kept
 * inside --allow-dir directories, read with a size bound, written through a
 * temporary file that is fsync'd and renamed over the target. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "profile.h"

/* What a target holds: an existing file of another kind is never replaced. */
enum output_kind {
	OUTPUT_PROFILE, /* a seccomp profile */
	OUTPUT_CAPS,	/* a capability file (capabilities.h) */
};

struct output_target {
	enum output_kind kind; /* OUTPUT_PROFILE unless set after opening */
	int dirfd;  /* the directory, opened once; later writes go through it */
	char *base; /* the file name inside it */
	char *path; /* the path as given, for messages */
};

/* Canonicalises --allow-dir values (trusted admin input) in place. */
int output_allow_dirs_init(struct profile_strv *dirs, hook_error_t *err);

/* Opens the directory of `path` (absolute, checked) with no symlink in any
 * component and, if `allow_dirs` is non-empty, beneath one of them. */
int output_target_open(const char *path, const struct profile_strv *allow_dirs,
		       struct output_target *t, hook_error_t *err);
void output_target_close(struct output_target *t);

/* Reads the target if it exists (regular file, not a symlink, bounded);
 * *buf is NULL when there is no file. */
int output_target_read(const struct output_target *t, char **buf, size_t *len, hook_error_t *err);

/* Refuses a target that exists and is not a seccomp profile, and a
 * directory the profile could not be created in. */
int output_target_check(const struct output_target *t, hook_error_t *err);

/* Atomic replace: temporary file in the same directory, fsync, rename,
 * fsync of the directory. The target is re-checked just before. */
int output_target_write(const struct output_target *t, const char *data, size_t len,
			hook_error_t *err);

/* Reads and parses the target: 1 with *out filled, 0 if there is no file. */
int output_target_read_profile(const struct output_target *t, struct profile *out,
			       hook_error_t *err);

/* Reads and parses the profile at `path` (for `if:` inputs): no symlinks,
 * beneath `allow_dirs` if any. */
int output_read_profile(const char *path, const struct profile_strv *allow_dirs,
			struct profile *out, hook_error_t *err);

/* Reads a file named by the user running us or by the runtime (a bundle's
 * config.json): symlinks are fine, the size bound (PROFILE_MAX_SIZE) stays. */
int output_read_file(const char *path, char **buf, size_t *len, hook_error_t *err);
/* Reads and parses a profile named on the command line by the user running
 * us: relative paths and symlinks are fine, the size bound stays. */
int output_read_profile_file(const char *path, struct profile *out, hook_error_t *err);

/* The absolute form of a command-line path, relative to the working
 * directory; the result must still pass annotation_check_path(). */
int output_absolute_path(const char *path, char **out, hook_error_t *err);

/* True if `a` and `b` name the same directory entry. */
bool output_target_same(const struct output_target *a, const struct output_target *b);

/* Serialises writers of the target's directory (an flock on the directory
 * itself: it survives the rename of the profile, needs no lock file, and the
 * kernel drops it when a writer dies). Gives up after `timeout_ms`, with a
 * warning, rather than let another process hold us forever: returns 1 if
 * locked, 0 if the wait timed out. */
int output_target_lock(const struct output_target *t, int timeout_ms, hook_error_t *err);
void output_target_unlock(const struct output_target *t);

#endif /* OUTPUT_H */
