/* SPDX-License-Identifier: Apache-2.0 */
/* Per-container state under /run/seccomp-recorder: `ID.lock`, held by the
 * tracer for its whole life (poststop waits on it; a crashed tracer releases
 * it with its last fd), `ID.status`, what the tracer is doing (for `status`),
 * and `ID.result`, the tracer's last word. */
#ifndef RUNDIR_H
#define RUNDIR_H

#include <stdbool.h>

#include "util/error.h"
#include "util/safe_file.h"

#define RUNDIR_PATH SAFE_FILE_RUN_DIR

/* Opens (creating, mode 0700) the state directory; refuses a symlink or a
 * directory not owned by root or writable by others. */
int rundir_open(hook_error_t *err);

/* Creates and exclusively locks ID.lock, and removes a stale ID.result;
 * fails if another tracer holds the lock. */
int rundir_lock_tracer(int dirfd, const char *id, hook_error_t *err);

/* Removes ID.lock if it is still the file `lockfd` refers to. */
void rundir_unlock_tracer(int dirfd, const char *id, int lockfd);

/* Waits up to timeout_ms for the tracer of `id` to finish (or there was
 * none): RUNDIR_TRACER_DONE, RUNDIR_TRACER_RUNNING on timeout, -1 on error. */
enum { RUNDIR_TRACER_DONE = 0, RUNDIR_TRACER_RUNNING = 1 };
int rundir_wait_tracer(int dirfd, const char *id, int timeout_ms, hook_error_t *err);

/* The tracer's outcome: ok or not, and a one-line message. */
int rundir_write_result(int dirfd, const char *id, bool ok, const char *msg, hook_error_t *err);
/* One line about a running tracer, replaced atomically; removed at its end. */
int rundir_write_status(int dirfd, const char *id, const char *line, hook_error_t *err);
void rundir_remove_status(int dirfd, const char *id);

/* 1 if a live tracer holds ID.lock, else 0. */
int rundir_tracer_active(int dirfd, const char *id);

/* *msg is NULL when there is no result file. Removes the file. */
int rundir_take_result(int dirfd, const char *id, bool *ok, char **msg, hook_error_t *err);

/* Removes what tracers killed outright left behind (ID.lock, ID.status),
 * and results no poststop took for a day. Returns how many files. */
int rundir_reap(int dirfd);

#endif /* RUNDIR_H */
