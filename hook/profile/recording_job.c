// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "cleanup.h"
#include "profile/recording_job.h"
#include "util/log.h"
#include "util/safe_file.h"

/* The input as it is now; a missing file is empty when it is also the
 * output (the first of many accumulating runs). */
static int read_input(const struct recording_job *job, struct profile *p, hook_error_t *err)
{
	int ret;

	if (!job->input_is_output)
		return output_read_profile(job->input_path, job->allowed, p, err);
	ret = output_target_read_profile(&job->out, p, err);
	return ret < 0 ? ret : 0;
}

/* Opens the input once: to tell whether it is the output, and to read it.
 * Keeps a normalised copy for when it cannot be read again later. */
static int prepare_input(struct recording_job *job, hook_error_t *err)
{
	struct output_target in = { .dirfd = -1, .lockfd = -1 };
	struct profile p = { 0 };
	size_t len;
	int ret;

	ret = output_target_open(job->input_path, job->allowed, true, &in, err);
	if (ret < 0)
		return ret;
	job->input_is_output = output_target_same(&in, &job->out);
	ret = output_target_read_profile(&in, &p, err);
	if (ret == 0 && !job->input_is_output)
		ret = hook_make_error(err, ENOENT, "cannot read profile `%s`", job->input_path);
	if (ret == 1) /* else: no file yet, nothing to fall back to */
		ret = profile_serialize(&p, &job->input_text, &len, err);
	output_target_close(&in);
	profile_free(&p);
	return ret;
}

int recording_prepare(struct recording_job *job, const char *output, const char *input,
		      const struct output_allowed *allowed, hook_error_t *err)
{
	int ret;

	memset(job, 0, sizeof(*job));
	job->default_errno = -1;
	job->out.dirfd = job->out.lockfd = -1;
	job->allowed = allowed;
	ret = output_target_open(output, allowed, false, &job->out, err);
	if (ret < 0)
		return hook_error_wrap(err, "output profile");
	ret = output_target_check(&job->out, err);
	if (ret < 0)
		return hook_error_wrap(err, "output profile");
	if (!input)
		return 0;
	job->input_path = xstrdup(input);
	ret = prepare_input(job, err);
	if (ret < 0)
		return hook_error_wrap(err, "input profile");
	return 0;
}

static void apply_overrides(const struct recording_job *job, struct profile *p)
{
	if (job->default_action) {
		free(p->default_action);
		p->default_action = xstrdup(job->default_action);
		/* Engines take defaultErrnoRet only with an ERRNO default. */
		if (strcmp(job->default_action, "SCMP_ACT_ERRNO") != 0)
			p->present &= ~(unsigned)(PF_DEFAULT_ERRNO | PF_DEFAULT_ERRNO_NAME);
	}
	if (job->default_errno >= 0) {
		p->present |= PF_DEFAULT_ERRNO;
		p->nulls &= ~(unsigned)PF_DEFAULT_ERRNO;
		p->default_errno_ret = (uint64_t)job->default_errno;
		if (job->default_errno_name && (p->present & PF_DEFAULT_ERRNO_NAME)) {
			free(p->default_errno_name);
			p->default_errno_name = xstrdup(job->default_errno_name);
			p->nulls &= ~(unsigned)PF_DEFAULT_ERRNO_NAME;
		}
	}
}

int recording_reopen_output(struct recording_job *job, hook_error_t *err)
{
	struct output_target t = { .dirfd = -1, .lockfd = -1 };
	int ret = output_target_open(job->out.path, job->allowed, false, &t, err);

	if (ret < 0)
		return ret;
	output_target_close(&job->out);
	job->out = t;
	return 0;
}

int recording_lock_timeout_ms(void)
{
	const char *env = getenv("SECCOMP_RECORDER_LOCK_TIMEOUT_MS");
	char *end;
	long v;

	if (!env || !*env)
		return RECORDING_LOCK_TIMEOUT_MS;
	v = strtol(env, &end, 10);
	if (*end || v < 1 || v > 3600 * 1000) {
		log_warn("SECCOMP_RECORDER_LOCK_TIMEOUT_MS `%s` is not 1 to 3600000; using %d", env,
			 RECORDING_LOCK_TIMEOUT_MS);
		return RECORDING_LOCK_TIMEOUT_MS;
	}
	return (int)v;
}

struct finish_ctx {
	const struct recording_job *job;
	const struct profile_recording *rec;
	bool reread;   /* the input as it is now, else as it was at the start */
	bool no_input; /* the recording alone */
};

static void read_input_or_start(const struct recording_job *job, bool reread, struct profile *p)
{
	hook_error_t tmp_err = NULL;

	if (!job->input_path)
		return;
	if (reread) {
		if (read_input(job, p, &tmp_err) == 0)
			return;
		log_error_release(LOG_WARNING, &tmp_err);
		log_warn("using input profile `%s` as it was when tracing began", job->input_path);
	}
	/* We wrote this text ourselves from a valid profile. */
	if (job->input_text && profile_parse(job->input_text, strlen(job->input_text),
					     job->input_path, p, &tmp_err) < 0)
		log_error_release(LOG_ERR, &tmp_err);
}

/* Under the output directory's lock (or for a rescue copy): the input, with
 * what was recorded added. */
static int make_profile(void *ctx, char **text, size_t *len, hook_error_t *err)
{
	const struct finish_ctx *c = ctx;
	const struct recording_job *job = c->job;
	struct strv widened = { 0 };
	struct profile p = { 0 };
	int ret;

	if (!c->no_input)
		read_input_or_start(job, c->reread, &p);
	profile_add_recording(&p, c->rec);
	profile_bound_arg_rules(&p, PROFILE_MAX_ARG_VALUES, &widened);
	for (size_t i = 0; i < widened.n; i++)
		log_warn("`%s`: more than %d values of `%s`'s first argument; it is allowed "
			 "outright",
			 job->out.path, PROFILE_MAX_ARG_VALUES, widened.v[i]);
	apply_overrides(job, &p);
	ret = profile_serialize(&p, text, len, err);
	strv_free(&widened);
	profile_free(&p);
	return ret;
}

int recording_finish(struct recording_job *job, const struct profile_recording *rec,
		     hook_error_t *err)
{
	struct finish_ctx c = { job, rec, true, false };

	return output_target_update(&job->out, recording_lock_timeout_ms(), make_profile, &c, err);
}

/* Writes the profile that could not be written to RECORDING_RESCUE_DIR:
 * with the input as it was at the start, or, if that would be too large to
 * read back, the recording alone. */
static int rescue(const struct recording_job *job, const struct profile_recording *rec,
		  const char *id, char **where, hook_error_t *err)
{
	struct finish_ctx c = { job, rec, false, false };
	cleanup_close int rundirfd = -1, dirfd = -1;
	cleanup_free char *text = NULL, *name = NULL;
	size_t len;

	xasprintf(&name, "%s.json", id);
	xasprintf(where, "%s/%s", RECORDING_RESCUE_DIR, name);
	if (make_profile(&c, &text, &len, err) < 0)
		return -1;
	if (len > PROFILE_MAX_SIZE) {
		c.no_input = true;
		free(steal_pointer(&text));
		if (make_profile(&c, &text, &len, err) < 0)
			return -1;
	}
	rundirfd = safe_private_dir(SAFE_FILE_RUN_DIR, 0700, 0022, err);
	if (rundirfd < 0)
		return -1;
	dirfd = safe_private_dir(RECORDING_RESCUE_DIR, 0700, 0077, err);
	if (dirfd < 0)
		return -1;
	return safe_file_replace(dirfd, name, text, len, 0600, SAFE_REPLACE_DURABLE, *where, err);
}

int recording_rescue(const struct recording_job *job, const struct profile_recording *rec,
		     const char *id, hook_error_t *err)
{
	cleanup_free char *where = NULL;
	hook_error_t rescue_err = NULL;

	if (rescue(job, rec, id, &where, &rescue_err) == 0) {
		cleanup_free char *msg = hook_error_string(*err);

		hook_error_release(err);
		return hook_make_error(err, 0,
				       "%s; what was recorded is kept in `%s` (merge it with "
				       "`seccomp-recorder merge -o %s %s %s`)",
				       msg, where, job->out.path, job->out.path, where);
	}
	log_error_release(LOG_ERR, &rescue_err);
	return -1;
}

void recording_job_free(struct recording_job *job)
{
	output_target_close(&job->out);
	free(job->input_path);
	free(job->input_text);
	job->input_path = job->input_text = NULL;
}
