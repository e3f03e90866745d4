// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cmd/profile_cmds.h"
#include "profile/capabilities.h"
#include "profile/output.h"
#include "profile/profile_compare.h"
#include "profile/profile_merge.h"
#include "profile/recording_job.h"
#include "util/json.h"
#include "util/log.h"

static int load(const char *path, struct profile *p)
{
	hook_error_t err = NULL;

	if (output_read_profile_file(path, p, &err) < 0) {
		log_error_release(LOG_ERR, &err);
		return -1;
	}
	return 0;
}

/* Opens OUT: no symlinks, must be a profile if it exists. */
static int merge_open_output(const char *output, struct output_target *t, hook_error_t *err)
{
	cleanup_free char *abs = NULL;
	int ret;

	ret = output_absolute_path(output, &abs, err);
	if (ret == 0)
		ret = output_target_open(abs, NULL, false, t, err);
	if (ret == 0)
		ret = output_target_check(t, err);
	if (ret < 0)
		hook_error_wrap(err, "output profile");
	return ret;
}

struct merge_ctx {
	char *const *inputs;
	size_t n;
};

/* Under OUT's directory lock, so that an input which is also written by
 * concurrent recorders (OUT itself, typically) is read under it. */
static int merge_make(void *ctx, char **text, size_t *len, hook_error_t *err)
{
	const struct merge_ctx *c = ctx;
	struct profile *in = xzalloc(c->n * sizeof(*in));
	struct strv widened = { 0 };
	struct compare_host host;
	struct profile merged = { 0 };
	int ret = 0;

	for (size_t i = 0; i < c->n && ret == 0; i++)
		ret = output_read_profile_file(c->inputs[i], &in[i], err);
	compare_host_detect(&host);
	if (ret == 0)
		ret = profile_merge(in, c->n, host.native_arch, &merged, err);
	if (ret == 0) {
		profile_bound_arg_rules(&merged, PROFILE_MAX_ARG_VALUES, &widened);
		for (size_t i = 0; i < widened.n; i++)
			log_warn("more than %d values of `%s`'s first argument; it is allowed "
				 "outright",
				 PROFILE_MAX_ARG_VALUES, widened.v[i]);
		ret = profile_serialize(&merged, text, len, err);
	}
	strv_free(&widened);
	profile_free(&merged);
	for (size_t i = 0; i < c->n; i++)
		profile_free(&in[i]);
	free(in);
	return ret;
}

int merge_run(const char *output, char *const *inputs, size_t n)
{
	struct output_target t = { .dirfd = -1, .lockfd = -1 };
	struct merge_ctx c = { inputs, n };
	hook_error_t err = NULL;
	int ret;

	ret = merge_open_output(output, &t, &err);
	if (ret == 0 && output_target_update(&t, recording_lock_timeout_ms(), merge_make, &c, &err) < 0)
		ret = -1;
	if (err)
		log_error_release(LOG_ERR, &err);
	output_target_close(&t);
	return ret < 0 ? 1 : 0;
}

static void print_human(char sign, const struct profile_excess *e)
{
	for (size_t i = 0; i < e->syscalls.n; i++)
		printf("%c %s\n", sign, e->syscalls.v[i]);
	for (size_t i = 0; i < e->conditional.n; i++)
		printf("%c %s (under conditions)\n", sign, e->conditional.v[i]);
	for (size_t i = 0; i < e->arches.n; i++)
		printf("%c architecture %s\n", sign, e->arches.v[i]);
	if (e->default_action)
		printf("%c defaultAction %s (lets syscalls run that no rule names)\n", sign,
		       e->default_action);
}

static void write_excess(struct json_writer *jw, const char *key, const struct profile_excess *e)
{
	json_w_string(jw, key);
	json_w_object_open(jw);
	json_w_kv_strings(jw, "syscalls", e->syscalls.v, e->syscalls.n);
	json_w_kv_strings(jw, "conditional", e->conditional.v, e->conditional.n);
	json_w_kv_strings(jw, "architectures", e->arches.v, e->arches.n);
	json_w_string(jw, "defaultAction");
	if (e->default_action)
		json_w_string(jw, e->default_action);
	else
		json_w_null(jw);
	json_w_object_close(jw);
}

static int print_json(const char *old_path, const char *new_path,
		      const struct profile_excess *added, const struct profile_excess *removed)
{
	cleanup_json_writer struct json_writer *jw = json_writer_new();
	cleanup_free char *text = NULL;
	hook_error_t err = NULL;
	size_t len;

	if (!jw)
		abort();
	json_w_object_open(jw);
	json_w_kv_string(jw, "old", old_path);
	json_w_kv_string(jw, "new", new_path);
	json_w_string(jw, "allowsMore");
	json_w_bool(jw, !profile_excess_empty(added));
	write_excess(jw, "added", added);
	write_excess(jw, "removed", removed);
	json_w_object_close(jw);
	if (json_writer_finish(jw, &text, &len, &err) < 0) {
		log_error_release(LOG_ERR, &err);
		return -1;
	}
	fwrite(text, 1, len, stdout);
	return 0;
}

/* Output that could not be written is an error, not a silent success. */
static int flush_stdout(int ret)
{
	if (fflush(stdout) == 0)
		return ret;
	fprintf(stderr, "seccomp-recorder: error: cannot write to standard output: %s\n",
		strerror(errno));
	return 2;
}

int diff_run(const char *old_path, const char *new_path, bool json)
{
	struct profile old = { 0 }, new = { 0 };
	struct profile_excess added, removed;
	struct compare_host host;
	int ret = 2;

	if (load(old_path, &old) < 0 || load(new_path, &new) < 0)
		goto out;
	compare_host_detect(&host);
	profile_excess(&new, &old, &host, &added);
	profile_excess(&old, &new, &host, &removed);
	if (json) {
		if (print_json(old_path, new_path, &added, &removed) < 0)
			goto free_excess;
	} else {
		print_human('+', &added);
		print_human('-', &removed);
	}
	ret = profile_excess_empty(&added) ? 0 : 1;
free_excess:
	profile_excess_free(&added);
	profile_excess_free(&removed);
out:
	profile_free(&old);
	profile_free(&new);
	return flush_stdout(ret);
}

/* Reads `path` once: a capability file (1, into *caps) or a seccomp profile
 * (0, into *p); -1 once the error is said. */
static int load_either(const char *path, struct caps_record *caps, struct profile *p)
{
	cleanup_free char *text = NULL;
	hook_error_t err = NULL;
	size_t len;
	int kind;

	if (output_read_file(path, &text, &len, &err) < 0)
		goto fail;
	kind = caps_parse_if_caps(text, len, path, caps, &err);
	if (kind < 0 || (kind == 0 && profile_parse(text, len, path, p, &err) < 0))
		goto fail;
	return kind;
fail:
	log_error_release(LOG_ERR, &err);
	return -1;
}

static int check_caps(const char *base_path, const struct caps_record *base,
		      const char *caps_path, const struct caps_record *caps)
{
	uint64_t excess = caps_excess(base, caps);

	for (unsigned cap = 0; cap < CAPS_MAX; cap++)
		if (excess & (1ULL << cap))
			printf("%s: uses %s, which %s does not\n", caps_path, caps_name(cap),
			       base_path);
	return excess ? 1 : 0;
}

int check_run(const char *base_path, const char *profile_path)
{
	struct profile base = { 0 }, p = { 0 };
	struct caps_record base_caps, caps;
	struct profile_excess e;
	struct compare_host host;
	int ret = 2, kb, kp;

	kb = load_either(base_path, &base_caps, &base);
	kp = kb < 0 ? -1 : load_either(profile_path, &caps, &p);
	if (kb < 0 || kp < 0)
		goto out;
	if (kb != kp) {
		log_error("cannot compare a capability file with a seccomp profile (`%s`, `%s`)",
			  kb ? base_path : profile_path, kb ? profile_path : base_path);
		goto out;
	}
	if (kb) {
		ret = check_caps(base_path, &base_caps, profile_path, &caps);
		goto out;
	}
	compare_host_detect(&host);
	profile_excess(&p, &base, &host, &e);
	for (size_t i = 0; i < e.syscalls.n; i++)
		printf("%s: allows `%s`, which %s forbids\n", profile_path, e.syscalls.v[i],
		       base_path);
	for (size_t i = 0; i < e.conditional.n; i++)
		printf("%s: allows `%s` under conditions %s does not allow it under\n",
		       profile_path, e.conditional.v[i], base_path);
	for (size_t i = 0; i < e.arches.n; i++)
		printf("%s: enables architecture %s, which %s does not\n", profile_path,
		       e.arches.v[i], base_path);
	if (e.default_action)
		printf("%s: defaultAction %s lets syscalls run that %s forbids\n", profile_path,
		       e.default_action, base_path);
	ret = profile_excess_empty(&e) ? 0 : 1;
	profile_excess_free(&e);
out:
	profile_free(&base);
	profile_free(&p);
	return flush_stdout(ret);
}
