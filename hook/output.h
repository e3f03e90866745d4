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

struct output_target {
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

/* Reads and parses the profile at `path` (for `if:` and merge inputs). */
int output_read_profile(const char *path, const struct profile_strv *allow_dirs,
			struct profile *out, hook_error_t *err);

#endif /* OUTPUT_H */
