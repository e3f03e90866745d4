/* SPDX-License-Identifier: Apache-2.0 */
/* The end of a capability recording (annotation key `caps:`): what the
 * workload exercised, against what its bundle granted, written as a
 * capability file (capabilities.h) with a one-line suggestion logged. */
#ifndef CAPS_JOB_H
#define CAPS_JOB_H

#include <stdbool.h>
#include <stdint.h>

#include "profile/output.h"
#include "profile/profile.h"
#include "util/error.h"

struct caps_job {
	struct output_target out;
	uint64_t granted;   /* from the bundle's config.json ... */
	bool granted_known; /* ... if it said */
	bool accumulate;    /* union with the file's content (`if:` = `of:`) */
};

/* Checks the output before the container starts (the same rules as a
 * profile's: no symlinks, the allowed directories, an existing file must be a capability
 * file) and reads what the bundle grants; `bundle` may be NULL. */
int caps_job_prepare(struct caps_job *job, const char *output, const char *bundle,
		     bool accumulate, const struct output_allowed *allowed, hook_error_t *err);
/* Writes the file under the directory's lock; the last time (`final`), also
 * logs the suggestion. */
int caps_job_finish(struct caps_job *job, const char *container_id, uint64_t used, bool final,
		    hook_error_t *err);
void caps_job_free(struct caps_job *job);

#endif /* CAPS_JOB_H */
