/* SPDX-License-Identifier: Apache-2.0 */
/* The end of a recording: merge what was seen with the input profile and
 * write the result. Used by the hook's tracer and by `record`. */
#ifndef RECORDING_JOB_H
#define RECORDING_JOB_H

#include <stdbool.h>

#include "profile/output.h"
#include "profile/profile.h"
#include "profile/profile_recording.h"
#include "util/error.h"
#include "util/safe_file.h"

struct recording_job {
	struct output_target out;
	char *input_path;     /* `if:`, or NULL */
	bool input_is_output; /* accumulating: `if:` and `of:` are one file */
	char *input_text;     /* the input as read when tracing began (normalised) */
	const struct output_allowed *allowed; /* NULL: the caller's own privileges */
	/* Overrides of what profile_add_recording() sets: */
	const char *default_action; /* e.g. SCMP_ACT_LOG (learn mode), or NULL */
	/* The runtime rule holds only what the runtime was seen to do after
	 * installing the container's filter (hook --runtime-syscalls observed,
	 * which calibrate uses), not the built-in and calibrated sets. */
	bool runtime_observed_only;
	int default_errno;	    /* defaultErrnoRet, or -1 */
	const char *default_errno_name;
};

/* How long a writer waits for others writing into the same directory:
 * RECORDING_LOCK_TIMEOUT_MS, or SECCOMP_RECORDER_LOCK_TIMEOUT_MS from the
 * environment (1 to 3600000; the tests shorten it). */
#define RECORDING_LOCK_TIMEOUT_MS (60 * 1000)
int recording_lock_timeout_ms(void);

/* Validates output and input before tracing starts, so bad paths refuse the
 * container instead of failing after it ran. */
int recording_prepare(struct recording_job *job, const char *output, const char *input,
		      const struct output_allowed *allowed, hook_error_t *err);

/* Writes the profile. The input is read again, under the output directory's
 * lock, so what other writers added meanwhile is kept (when input and output
 * are one file, concurrent recordings end with the union of all of them); if
 * it has become unreadable, the copy read by recording_prepare() is used.
 * May be called again (learn-mode checkpoints).
 * When input and output are one file, a missing file is an empty input. */
int recording_finish(struct recording_job *job, const struct profile_recording *rec,
		     hook_error_t *err);

/* Where a final write that failed leaves what was recorded (the input as it
 * was at the start, with the recording added): nothing is dropped. */
#define RECORDING_RESCUE_DIR SAFE_FILE_RUN_DIR "/unwritten"

/* After the last recording_finish() failed with *err: keeps the profile in
 * RECORDING_RESCUE_DIR/ID.json and says so in *err. Returns -1. */
int recording_rescue(const struct recording_job *job, const struct profile_recording *rec,
		     const char *id, hook_error_t *err);

/* Opens the output's directory again (it may have been removed and made
 * anew since): for retries after a failed write. */
int recording_reopen_output(struct recording_job *job, hook_error_t *err);

void recording_job_free(struct recording_job *job);

#endif /* RECORDING_JOB_H */
