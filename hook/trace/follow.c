// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "trace/follow.h"
#include "trace/rundir.h"
#include "trace/workload.h"
#include "util/log.h"

/* How often alerts and the status are brought up to date. */
#define LEARN_TICK_MS 1000

void follow_init(struct follow *l, const char *id, struct tracer *t, struct recording_job *job,
		struct caps_job *caps, int rundirfd, unsigned flush_s)
{
	hook_error_t err = NULL;

	memset(l, 0, sizeof(*l));
	l->id = id;
	l->t = t;
	l->job = job;
	l->caps = caps;
	l->rundirfd = rundirfd;
	l->flush_s = flush_s;
	l->since = l->last_attempt = time(NULL);
	compare_host_detect(&l->host);
	if (job->input_text) {
		if (profile_parse(job->input_text, strlen(job->input_text), job->input_path,
				  &l->baseline, &err) == 0)
			l->has_baseline = true;
		else
			log_error_release(LOG_ERR, &err);
	}
}

void follow_free(struct follow *l)
{
	profile_free(&l->baseline);
	rundir_remove_status(l->rundirfd, l->id);
}

static void alert(void *ctx, const char *arch, const char *name)
{
	struct follow *l = ctx;
	enum profile_verdict v;

	if (!l->has_baseline)
		return;
	v = profile_judge(&l->baseline, arch, name, &l->host);
	if (v == PROFILE_ALLOWS)
		return;
	log_warn("container `%s`: syscall `%s` (%s) %s by the baseline `%s`", l->id, name, arch,
		 v == PROFILE_DENIES ? "is not allowed" : "is allowed only under conditions",
		 l->job->input_path);
}

static void iso_time(char *buf, size_t size, time_t t)
{
	struct tm tm;

	if (t == 0 || !gmtime_r(&t, &tm) || strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "-");
}

static void write_status(struct follow *l)
{
	char since[32], last[32];
	cleanup_free char *line = NULL;
	hook_error_t err = NULL;

	iso_time(since, sizeof(since), l->since);
	iso_time(last, sizeof(last), l->last_checkpoint);
	xasprintf(&line, "%s\t%d\t%zu\t%s\t%s\t%s\n", l->id, (int)getpid(), l->seen, since, last,
		  l->job->out.path);
	if (rundir_write_status(l->rundirfd, l->id, line, &err) < 0)
		log_error_release(LOG_WARNING, &err);
}

int follow_write(struct follow *l, bool final, size_t *n_names, hook_error_t *err)
{
	struct profile_recording rec = { 0 };
	int ret = tracer_collect(l->t, &rec, err);

	if (ret == 0) {
		workload_add_implicit_syscalls(&rec);
		if (l->job->runtime_observed_only)
			rec.runtime_first = true;
		else
			workload_add_runtime_syscalls(&rec);
	}
	/* A failed write is tried once more through a freshly opened
	 * directory: it may have been removed and made anew. */
	for (int attempt = 0; ret == 0; attempt++) {
		if (l->reopen) {
			ret = recording_reopen_output(l->job, err);
			if (ret < 0)
				break;
			l->reopen = false;
		}
		ret = recording_finish(l->job, &rec, err);
		if (ret == 0 || attempt > 0)
			break;
		hook_error_release(err);
		l->reopen = true;
		ret = 0;
	}
	if (ret < 0 && final && rec.names.n > 0)
		recording_rescue(l->job, &rec, l->id, err);
	if (ret == 0) {
		l->last_checkpoint = time(NULL);
		if (n_names)
			*n_names = rec.names.n;
	}
	profile_recording_free(&rec);
	return ret;
}

/* What the capability file lists as used. Where only the checks made are
 * seen (the kprobe before Linux 6.14), a check for a capability the
 * container does not have failed: the granted ones among them were used. */
static uint64_t caps_used(const struct follow *l)
{
	uint64_t used = tracer_collect_caps(l->t);

	if (tracer_caps_checked_only(l->t) && l->caps->granted_known)
		used &= l->caps->granted;
	return used;
}

int follow_write_caps(struct follow *l, bool final, hook_error_t *err)
{
	uint64_t used;

	if (!l->caps)
		return 0;
	if (!tracer_records_caps(l->t)) {
		if (final)
			log_warn("container `%s`: capability checks are not recorded on this "
				 "host (see the first tracer's log); `%s` not written",
				 l->id, l->caps->out.path);
		return 0;
	}
	used = caps_used(l);
	if (!final && l->caps_written_once && used == l->caps_written)
		return 0;
	if (caps_job_finish(l->caps, l->id, used, final, err) < 0)
		return hook_error_wrap(err, "capability file `%s`", l->caps->out.path);
	l->caps_written = used;
	l->caps_written_once = true;
	return 0;
}

/* Something the capability file does not have yet. */
static bool caps_new(const struct follow *l)
{
	return l->caps && tracer_records_caps(l->t) &&
	       (!l->caps_written_once || caps_used(l) != l->caps_written);
}

static void checkpoint(struct follow *l, size_t seen)
{
	hook_error_t err = NULL;

	l->last_attempt = time(NULL);
	if (follow_write(l, false, NULL, &err) < 0 || follow_write_caps(l, false, &err) < 0) {
		hook_error_wrap(&err,
				"container `%s`: checkpoint failed (the previous one stays; "
				"retrying in %u s)",
				l->id, l->flush_s);
		log_error_release(LOG_ERR, &err);
		return;
	}
	l->written = seen;
	log_debug("container `%s`: checkpoint of %zu syscalls written", l->id, seen);
}

static void tick(struct follow *l)
{
	size_t seen = tracer_for_each_new(l->t, alert, l);
	time_t checkpoint_before = l->last_checkpoint;

	if (l->flush_s && (seen != l->written || caps_new(l)) && tracer_started(l->t) &&
	    time(NULL) - l->last_attempt >= (time_t)l->flush_s)
		checkpoint(l, seen);
	if (seen != l->seen || l->last_checkpoint != checkpoint_before) {
		l->seen = seen;
		write_status(l);
	}
}

enum tracer_wait_end follow_run(struct follow *l, volatile sig_atomic_t *stop)
{
	write_status(l);
	for (;;) {
		enum tracer_wait_end end = tracer_wait(l->t, stop, LEARN_TICK_MS);

		if (end != TRACER_TIMED_OUT)
			return end;
		tick(l);
	}
}
