/* SPDX-License-Identifier: Apache-2.0 */
/* The end of a recording: merge what was seen with the input profile and
 * write the result. Used by the hook's tracer and by `record`. */
#ifndef RECORDING_H
#define RECORDING_H

#include "error.h"
#include "output.h"
#include "profile.h"

struct recording_job {
	struct output_target out;
	char *input_path;     /* `if:`, or NULL */
	struct profile input; /* as read when tracing began */
	const struct profile_strv *allow_dirs;
};

/* Validates output and input before tracing starts, so bad paths refuse the
 * container instead of failing after it ran. */
int recording_prepare(struct recording_job *job, const char *output, const char *input,
		      const struct profile_strv *allow_dirs, hook_error_t *err);

/* Writes the profile. The input is read again, so changes made to it
 * meanwhile are kept; if it has become unreadable, the copy read by
 * recording_prepare() is used. */
int recording_finish(struct recording_job *job, const struct profile_recording *rec,
		     hook_error_t *err);

void recording_job_free(struct recording_job *job);

#endif /* RECORDING_H */
