/* SPDX-License-Identifier: Apache-2.0 */
/* The detached tracer's life while the container runs: periodic checkpoints
 * of the profile (flush:), alerts for syscalls the baseline (if:) does not
 * allow, and the status line behind `seccomp-recorder status`. */
#ifndef FOLLOW_H
#define FOLLOW_H

#include <signal.h>
#include <stdbool.h>
#include <time.h>

#include "profile/caps_job.h"
#include "profile/profile.h"
#include "profile/profile_compare.h"
#include "profile/recording_job.h"
#include "trace/tracer.h"
#include "util/error.h"

struct follow {
	const char *id; /* container id, for messages and state */
	struct tracer *t;
	struct recording_job *job;
	int rundirfd;
	unsigned flush_s;	 /* 0: no checkpoints */
	struct profile baseline; /* the input as it was at the start */
	bool has_baseline;
	struct compare_host host;
	size_t seen;	/* (architecture, syscall) pairs seen so far */
	size_t written; /* ... as of the last checkpoint */
	time_t since, last_checkpoint, last_attempt;
	bool reopen; /* a write failed: open the directory again before the next one */
	struct caps_job *caps;	/* caps:, or NULL */
	uint64_t caps_written;	/* capabilities as of the last write of the file */
	bool caps_written_once;
};

/* Sets up from the job (baseline from its input); never fails. */
void follow_init(struct follow *l, const char *id, struct tracer *t, struct recording_job *job,
		struct caps_job *caps, int rundirfd, unsigned flush_s);

/* Follows the container like tracer_wait() until all are gone or *stop is
 * set, with checkpoints, alerts and status on the way. */
enum tracer_wait_end follow_run(struct follow *l, volatile sig_atomic_t *stop);

/* Writes the profile now from what was seen so far (a checkpoint, or the
 * final write); a failed write is retried once through the directory opened
 * anew, and the next call starts by opening it again if that failed. */
int follow_write(struct follow *l, bool final, size_t *n_names, hook_error_t *err);

/* Writes the capability file (caps:) if there is one: at checkpoints when
 * something new was used, and at the end (`final`), with the suggestion
 * logged. On a kernel that cannot record capabilities it says so at the end
 * and writes nothing. */
int follow_write_caps(struct follow *l, bool final, hook_error_t *err);

void follow_free(struct follow *l);

#endif /* FOLLOW_H */
