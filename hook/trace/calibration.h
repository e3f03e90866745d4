/* SPDX-License-Identifier: Apache-2.0 */
/* What `seccomp-recorder calibrate` measured a runtime binary doing after it
 * installs a container's seccomp filter, stored per runtime and version in
 * a root-only directory that no annotation may name. Every recording adds
 * every stored set to its runtime rule (hook/trace/workload.c).
 *
 *   {"seccompRecorderCalibration": 1, "runtime": "/usr/sbin/runc",
 *    "version": "runc version 1.1.5+ds1", "measured": "2026-12-07T04:00:00Z",
 *    "starts": 40, "syscalls": ["close", "execve", ...]}
 *
 * The first key is one no profile or capability file has, so no file the
 * hook writes for an annotation can pass for one. */
#ifndef CALIBRATION_H
#define CALIBRATION_H

#include <stddef.h>

#include "profile/output.h"
#include "util/error.h"
#include "util/strv.h"

#define CALIBRATION_DIR OUTPUT_CALIBRATION_DIR
/* Bounds on what is read back: a file, the files, the names in one. */
#define CALIBRATION_MAX_SIZE  (64 * 1024)
#define CALIBRATION_MAX_FILES 64
#define CALIBRATION_MAX_NAMES 512

struct calibration {
	char *runtime;	/* the binary's path */
	char *version;	/* the first line of its --version */
	char *measured; /* UTC, ISO 8601 */
	unsigned long starts;
	struct strv syscalls; /* sorted */
};

/* Parses a stored calibration; `what` names it in messages. */
int calibration_parse(const char *text, size_t len, const char *what, struct calibration *out,
		      hook_error_t *err);

/* Stores `c` as CALIBRATION_DIR/NAME.json, NAME made of its version line;
 * *path is set to the file written. */
int calibration_store(const struct calibration *c, char **path, hook_error_t *err);

/* Calls `fn` for every stored calibration that parses, in file name order;
 * one that does not is reported with a warning and skipped. Returns how
 * many were passed to `fn`. */
typedef void (*calibration_fn)(void *ctx, const char *file, const struct calibration *c);
int calibration_for_each(calibration_fn fn, void *ctx);

/* Adds the syscalls of every stored calibration to `names`. */
void calibration_add_stored(struct strv *names);

void calibration_free(struct calibration *c);

#endif /* CALIBRATION_H */
