/* SPDX-License-Identifier: Apache-2.0 */
/* Profile and capability files named by users: resolved without following
 * symlinks, kept inside the allowed directories in hook mode, read with a
 * size bound, replaced atomically (safe_file.h), written under a lock per
 * directory that only root can take. */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "profile/profile.h"
#include "util/error.h"

/* What a target holds: an existing file of another kind is never replaced. */
enum output_kind {
	OUTPUT_PROFILE, /* a seccomp profile */
	OUTPUT_CAPS,	/* a capability file (capabilities.h) */
};

struct output_target {
	enum output_kind kind; /* OUTPUT_PROFILE unless set after opening */
	int dirfd;  /* the directory, opened once; later writes go through it */
	int lockfd; /* the directory's writer lock while held, else -1 */
	char *base; /* the file name inside it */
	char *path; /* the path as given, for messages */
};

/* Where the hook (whose paths come from annotations) may go: files are
 * written only beneath `write` (--allow-dir) and read beneath `write` or
 * `read` (--allow-read). Commands that a user runs directly pass NULL
 * instead: their own privileges are the limit. */
struct output_allowed {
	struct strv write;
	struct strv read;
};

/* The allowed directory when no --allow-dir is given. */
#define OUTPUT_DEFAULT_DIR "/var/lib/seccomp-recorder"
/* What `calibrate` measured (hook/trace/calibration.c): never a file an
 * annotation names, whatever --allow-dir says, since every recording
 * allows what is stored there. */
#define OUTPUT_CALIBRATION_DIR OUTPUT_DEFAULT_DIR "/runtimes"

/* Canonicalises the directories (trusted admin input) in place; with no
 * --allow-dir, the default, created (root, 0755) if missing. Warns, at
 * every use, about an allowance of `/`, which confines nothing. */
int output_allowed_init(struct output_allowed *a, hook_error_t *err);
void output_allowed_free(struct output_allowed *a);

/* Opens the directory of `path` (absolute, checked) with no symlink in any
 * component and, if `allowed` is not NULL, beneath one of its directories
 * (of `write`, or with `for_read` of either list). A path outside is
 * refused by its text alone: the message says nothing about the file. */
int output_target_open(const char *path, const struct output_allowed *allowed, bool for_read,
		       struct output_target *t, hook_error_t *err);
void output_target_close(struct output_target *t);

/* Reads the target if it exists (regular file, not a symlink, bounded);
 * *buf is NULL when there is no file. */
int output_target_read(const struct output_target *t, char **buf, size_t *len, hook_error_t *err);

/* Refuses a target that exists and is not a seccomp profile, and a
 * directory the profile could not be created in. */
int output_target_check(const struct output_target *t, hook_error_t *err);

/* Atomic, durable replace (safe_file_replace()). The target is re-checked
 * just before; content larger than PROFILE_MAX_SIZE, which could not be
 * read back, is refused and the file stays as it was. */
int output_target_write(const struct output_target *t, const char *data, size_t len,
			hook_error_t *err);

/* Reads and parses the target: 1 with *out filled, 0 if there is no file. */
int output_target_read_profile(const struct output_target *t, struct profile *out,
			       hook_error_t *err);

/* Reads and parses the profile at `path` (for `if:` inputs): no symlinks,
 * beneath a directory of `allowed` (for reading) if not NULL. */
int output_read_profile(const char *path, const struct output_allowed *allowed,
			struct profile *out, hook_error_t *err);

/* Reads a file named by the user running us or by the runtime (a bundle's
 * config.json): symlinks are fine, the size bound (PROFILE_MAX_SIZE) stays. */
int output_read_file(const char *path, char **buf, size_t *len, hook_error_t *err);
/* Reads and parses a profile named on the command line by the user running
 * us: relative paths and symlinks are fine, the size bound stays. */
int output_read_profile_file(const char *path, struct profile *out, hook_error_t *err);

/* The absolute form of a command-line path, relative to the working
 * directory; the result must still pass safe_path_check(). */
int output_absolute_path(const char *path, char **out, hook_error_t *err);

/* True if `a` and `b` name the same directory entry. */
bool output_target_same(const struct output_target *a, const struct output_target *b);

/* Serialises writers of the target's directory (safe_dir_lock_fd(): as
 * root a lock file keyed by the directory that nobody else can open, so no
 * user can hold writers up; the kernel drops it when a writer dies). Gives
 * up after `timeout_ms` with an error: nothing is written without it. */
int output_target_lock(struct output_target *t, int timeout_ms, hook_error_t *err);
void output_target_unlock(struct output_target *t);

/* Makes the new content of a target under its lock (reading whatever it
 * merges, the target itself included, there), then writes it. */
typedef int (*output_make_fn)(void *ctx, char **text, size_t *len, hook_error_t *err);
int output_target_update(struct output_target *t, int timeout_ms, output_make_fn make, void *ctx,
			 hook_error_t *err);

#endif /* OUTPUT_H */
