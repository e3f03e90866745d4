// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "oci/annotation.h"
#include "oci/annotation_select.h"
#include "oci/oci_state.h"
#include "util/json.h"

int oci_state_read(int fd, char **buf, size_t *len, hook_error_t *err)
{
	cleanup_free char *data = xmalloc(HOOK_STATE_MAX + 1);
	size_t used = 0;

	for (;;) {
		ssize_t n = read(fd, data + used, HOOK_STATE_MAX + 1 - used);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return hook_make_error(err, errno, "cannot read the OCI state from stdin");
		}
		if (n == 0)
			break;
		used += (size_t)n;
		if (used > HOOK_STATE_MAX)
			return hook_make_error(err, 0, "OCI state on stdin is larger than %d bytes",
					       HOOK_STATE_MAX);
	}
	data[used] = '\0';
	*buf = steal_pointer(&data);
	*len = used;
	return 0;
}

static int state_string(const json_value *root, const char *key, bool required, char **out,
			hook_error_t *err)
{
	json_value *v = json_object_get(root, key);

	if (!v) {
		if (required)
			return hook_make_error(err, 0, "OCI state: missing required field `%s`",
					       key);
		*out = NULL;
		return 0;
	}
	if (json_type_of(v) != JSON_STRING)
		return hook_make_error(err, 0, "OCI state: field `%s` must be a string, not %s",
				       key, json_type_name(json_type_of(v)));
	*out = xstrdup(json_string(v));
	return 0;
}

static int state_check_id(const char *id, hook_error_t *err)
{
	size_t len = strlen(id);

	if (len == 0 || len > OCI_ID_MAX)
		return hook_make_error(err, 0, "OCI state: `id` must be 1 to %d characters long",
				       OCI_ID_MAX);
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return hook_make_error(err, 0, "OCI state: invalid container id `%s`", id);
	for (const char *p = id; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.' || *p == '+'))
			return hook_make_error(err, 0,
					       "OCI state: container id contains `%c`; allowed are "
					       "letters, digits and `_.+-`",
					       *p);
	}
	return 0;
}

static int state_pid(const json_value *root, pid_t *out, hook_error_t *err)
{
	json_value *v = json_object_get(root, "pid");
	const char *text;
	uint64_t n;

	*out = 0;
	if (!v)
		return 0;
	if (json_type_of(v) != JSON_NUMBER)
		return hook_make_error(err, 0, "OCI state: field `pid` must be a number, not %s",
				       json_type_name(json_type_of(v)));
	text = json_number_text(v);
	if (json_get_uint64(v, &n) < 0 || n > INT32_MAX)
		return hook_make_error(err, 0, "OCI state: `pid` %s is not a valid process id",
				       text);
	*out = (pid_t)n;
	return 0;
}

static int state_annotation(const json_value *root, struct oci_state *s, hook_error_t *err)
{
	const char *key, *value;

	if (annotation_select(json_object_get(root, "annotations"), "OCI state", &key, &value,
			      err) < 0)
		return -1;
	if (value) {
		s->trace_key = xstrdup(key);
		s->trace_annotation = xstrdup(value);
	}
	return 0;
}

int oci_state_parse(const char *text, size_t len, struct oci_state *st, hook_error_t *err)
{
	cleanup_json json_value *root = NULL;
	struct oci_state s = { 0 };
	int ret;

	if (strlen(text) != len)
		return hook_make_error(err, 0, "OCI state: input contains a NUL byte");
	ret = json_parse(text, "OCI state", &root, err);
	if (ret < 0)
		return ret;
	if (json_type_of(root) != JSON_OBJECT)
		return hook_make_error(err, 0, "OCI state: expected a JSON object, got %s",
				       json_type_name(json_type_of(root)));

	if ((ret = state_string(root, "ociVersion", true, &s.oci_version, err)) < 0 ||
	    (ret = state_string(root, "id", true, &s.id, err)) < 0 ||
	    (ret = state_check_id(s.id, err)) < 0 ||
	    (ret = state_string(root, "status", true, &s.status, err)) < 0 ||
	    (ret = state_string(root, "bundle", false, &s.bundle, err)) < 0 ||
	    (ret = state_pid(root, &s.pid, err)) < 0 ||
	    (ret = state_annotation(root, &s, err)) < 0)
		goto fail;

	/* Every state but `stopped` has a live process to trace. */
	if (!oci_state_is_stopped(&s) && s.pid <= 0) {
		ret = hook_make_error(
			err, 0, "OCI state: %s `pid` for container `%s` in status `%s`",
			json_object_get(root, "pid") ? "invalid" : "missing", s.id, s.status);
		goto fail;
	}
	*st = s;
	return 0;
fail:
	oci_state_free(&s);
	return ret;
}

bool oci_state_is_stopped(const struct oci_state *st)
{
	return st->status && strcmp(st->status, "stopped") == 0;
}

void oci_state_free(struct oci_state *st)
{
	free(st->oci_version);
	free(st->id);
	free(st->status);
	free(st->bundle);
	free(st->trace_annotation);
	free(st->trace_key);
	memset(st, 0, sizeof(*st));
}
