// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "profile/capabilities.h"
#include "profile/caps_job.h"
#include "profile/recording_job.h"
#include "util/log.h"

/* What the runtime grants the container's process, from the bundle. A
 * config we cannot read only costs the "granted" part: warned, not fatal. */
static void read_granted(struct caps_job *job, const char *bundle)
{
	cleanup_free char *path = NULL, *text = NULL;
	hook_error_t err = NULL;
	size_t len;
	int ret;

	if (!bundle) {
		log_warn("the OCI state names no bundle; `%s` will not list granted "
			 "capabilities",
			 job->out.path);
		return;
	}
	xasprintf(&path, "%s/config.json", bundle);
	ret = output_read_file(path, &text, &len, &err);
	if (ret == 0)
		ret = caps_from_config(text, len, path, &job->granted, &err);
	if (ret < 0) {
		hook_error_wrap(&err, "`%s` will not list granted capabilities", job->out.path);
		log_error_release(LOG_WARNING, &err);
		return;
	}
	job->granted_known = ret == 1;
}

int caps_job_prepare(struct caps_job *job, const char *output, const char *bundle,
		     bool accumulate, const struct output_allowed *allowed, hook_error_t *err)
{
	int ret;

	memset(job, 0, sizeof(*job));
	job->out.kind = OUTPUT_CAPS;
	job->out.dirfd = job->out.lockfd = -1;
	job->accumulate = accumulate;
	ret = output_target_open(output, allowed, false, &job->out, err);
	if (ret == 0)
		ret = output_target_check(&job->out, err);
	if (ret < 0)
		return hook_error_wrap(err, "capability file");
	read_granted(job, bundle);
	return 0;
}

struct caps_make_ctx {
	const struct caps_job *job;
	struct caps_record rec;
};

/* The file's own content, when accumulating; a damaged or vanished file
 * gives way to this recording, as an input profile does. */
static void merge_existing(const struct caps_job *job, struct caps_record *rec)
{
	cleanup_free char *text = NULL;
	hook_error_t err = NULL;
	struct caps_record old;
	size_t len;

	if (!job->accumulate)
		return;
	if (output_target_read(&job->out, &text, &len, &err) < 0 ||
	    (text && caps_parse(text, len, job->out.path, &old, &err) < 0)) {
		log_error_release(LOG_WARNING, &err);
		return;
	}
	if (text)
		caps_merge(rec, &old);
}

/* Under the directory's lock. */
static int make_caps(void *ctx, char **text, size_t *len, hook_error_t *err)
{
	struct caps_make_ctx *c = ctx;

	merge_existing(c->job, &c->rec);
	return caps_format(&c->rec, text, len, err);
}

int caps_job_finish(struct caps_job *job, const char *container_id, uint64_t used, bool final,
		    hook_error_t *err)
{
	struct caps_record rec = {
		.used = used,
		.granted = job->granted,
		.granted_known = job->granted_known,
	};
	struct caps_make_ctx c = { job, rec };
	cleanup_free char *suggestion = NULL, *unused = NULL;
	int ret;

	ret = output_target_update(&job->out, recording_lock_timeout_ms(), make_caps, &c, err);
	if (ret < 0 || !final)
		return ret;
	/* What this container used, whatever the file accumulated. */
	suggestion = caps_suggestion(used);
	if (job->granted_known && (job->granted & ~used)) {
		unused = caps_list(job->granted & ~used);
		log_info("container `%s`: capabilities: run it with %s (granted but unused: %s)",
			 container_id, suggestion, unused);
	} else {
		log_info("container `%s`: capabilities: run it with %s", container_id, suggestion);
	}
	return 0;
}

void caps_job_free(struct caps_job *job)
{
	output_target_close(&job->out);
}
