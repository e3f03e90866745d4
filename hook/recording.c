// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "log.h"
#include "recording.h"

/* The input as it is now; a missing file is empty when it is also the
 * output (the first of many accumulating runs). */
static int read_input(const struct recording_job *job, struct profile *p, hook_error_t *err)
{
	int ret;

	if (!job->input_is_output)
		return output_read_profile(job->input_path, job->allow_dirs, p, err);
	ret = output_target_read_profile(&job->out, p, err);
	return ret < 0 ? ret : 0;
}

/* Opens the input once: to tell whether it is the output, and to read it.
 * Keeps a normalised copy for when it cannot be read again later. */
static int prepare_input(struct recording_job *job, hook_error_t *err)
{
	struct output_target in = { .dirfd = -1 };
	struct profile p = { 0 };
	size_t len;
	int ret;

	ret = output_target_open(job->input_path, job->allow_dirs, &in, err);
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
		      const struct profile_strv *allow_dirs, hook_error_t *err)
{
	int ret;

	memset(job, 0, sizeof(*job));
	job->default_errno = -1;
	job->out.dirfd = -1;
	job->allow_dirs = allow_dirs;
	ret = output_target_open(output, allow_dirs, &job->out, err);
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
	struct output_target t = { .dirfd = -1 };
	int ret = output_target_open(job->out.path, job->allow_dirs, &t, err);

	if (ret < 0)
		return ret;
	output_target_close(&job->out);
	job->out = t;
	return 0;
}

int recording_finish(struct recording_job *job, const struct profile_recording *rec,
		     hook_error_t *err)
{
	struct profile p = { 0 };
	cleanup_free char *text = NULL;
	size_t len;
	int ret, locked;

	locked = ret = output_target_lock(&job->out, RECORDING_LOCK_TIMEOUT_MS, err);
	if (ret < 0)
		return ret;
	if (job->input_path) {
		hook_error_t tmp_err = NULL;

		ret = read_input(job, &p, &tmp_err);
		if (ret < 0) {
			log_error_release(LOG_WARNING, &tmp_err);
			log_warn("using input profile `%s` as it was when tracing began",
				 job->input_path);
			/* We wrote this text ourselves from a valid profile. */
			if (job->input_text &&
			    profile_parse(job->input_text, strlen(job->input_text), job->input_path,
					  &p, &tmp_err) < 0)
				log_error_release(LOG_ERR, &tmp_err);
		}
	}
	profile_add_recording(&p, rec);
	apply_overrides(job, &p);
	ret = profile_serialize(&p, &text, &len, err);
	if (ret == 0)
		ret = output_target_write(&job->out, text, len, err);
	if (locked)
		output_target_unlock(&job->out);
	profile_free(&p);
	return ret;
}

void recording_job_free(struct recording_job *job)
{
	output_target_close(&job->out);
	free(job->input_path);
	free(job->input_text);
	job->input_path = job->input_text = NULL;
}
