// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdbool.h>
#include <string.h>

#include "cleanup.h"
#include "oci/annotation.h"
#include "oci/oci_config.h"

static const char *const hook_stages[] = { "prestart", "poststop" };
#define N_STAGES (sizeof(hook_stages) / sizeof(hook_stages[0]))

static bool hook_equal(const json_value *h, const struct oci_config_hook *hook)
{
	const json_value *path = json_object_get(h, "path");
	const json_value *args = json_object_get(h, "args");
	size_t i;

	if (!path || json_type_of(path) != JSON_STRING || strcmp(json_string(path), hook->path))
		return false;
	if (!args || json_type_of(args) != JSON_ARRAY || json_array_len(args) != hook->n_args)
		return false;
	for (i = 0; i < hook->n_args; i++) {
		const json_value *a = json_array_at(args, i);

		if (json_type_of(a) != JSON_STRING || strcmp(json_string(a), hook->args[i]))
			return false;
	}
	return true;
}

/* The runtime would refuse these shapes too; say so before it does. */
static int check_shapes(const json_value *root, const char *what, hook_error_t *err)
{
	const json_value *hooks = json_object_get(root, "hooks"), *ann;
	size_t i, j;

	if (json_type_of(root) != JSON_OBJECT)
		return hook_make_error(err, 0, "%s: expected a JSON object, got %s", what,
				       json_type_name(json_type_of(root)));
	ann = json_object_get(root, "annotations");
	if (ann && json_type_of(ann) != JSON_OBJECT && json_type_of(ann) != JSON_NULL)
		return hook_make_error(err, 0, "%s: `annotations` must be an object, not %s", what,
				       json_type_name(json_type_of(ann)));
	if (!hooks || json_type_of(hooks) == JSON_NULL)
		return 0;
	if (json_type_of(hooks) != JSON_OBJECT)
		return hook_make_error(err, 0, "%s: `hooks` must be an object, not %s", what,
				       json_type_name(json_type_of(hooks)));
	for (i = 0; i < N_STAGES; i++) {
		const json_value *list = json_object_get(hooks, hook_stages[i]);

		if (!list || json_type_of(list) == JSON_NULL)
			continue;
		if (json_type_of(list) != JSON_ARRAY)
			return hook_make_error(err, 0, "%s: `hooks.%s` must be an array, not %s",
					       what, hook_stages[i],
					       json_type_name(json_type_of(list)));
		for (j = 0; j < json_array_len(list); j++)
			if (json_type_of(json_array_at(list, j)) != JSON_OBJECT)
				return hook_make_error(err, 0,
						       "%s: `hooks.%s[%zu]` must be an object", what,
						       hook_stages[i], j);
	}
	return 0;
}

static void write_hook(struct json_writer *w, const struct oci_config_hook *hook)
{
	json_w_object_open(w);
	json_w_kv_string(w, "path", hook->path);
	json_w_kv_strings(w, "args", hook->args, hook->n_args);
	json_w_object_close(w);
}

/* Stage list `list` (NULL or null when absent) with `hook` at its end. */
static void write_stage(struct json_writer *w, const json_value *list,
			const struct oci_config_hook *hook)
{
	size_t i, n = list && json_type_of(list) == JSON_ARRAY ? json_array_len(list) : 0;
	bool present = false;

	json_w_array_open(w);
	for (i = 0; i < n; i++) {
		json_w_value(w, json_array_at(list, i));
		present = present || hook_equal(json_array_at(list, i), hook);
	}
	if (!present)
		write_hook(w, hook);
	json_w_array_close(w);
}

static int stage_index(const char *key)
{
	size_t i;

	for (i = 0; i < N_STAGES; i++)
		if (strcmp(key, hook_stages[i]) == 0)
			return (int)i;
	return -1;
}

static void write_hooks(struct json_writer *w, const json_value *hooks,
			const struct oci_config_hook *hook)
{
	size_t i, n = hooks && json_type_of(hooks) == JSON_OBJECT ? json_object_len(hooks) : 0;
	bool done[N_STAGES] = { false };

	json_w_object_open(w);
	for (i = 0; i < n; i++) {
		const char *key = json_object_key(hooks, i);
		int s = stage_index(key);

		json_w_string(w, key);
		if (s < 0) {
			json_w_value(w, json_object_value(hooks, i));
			continue;
		}
		write_stage(w, json_object_value(hooks, i), hook);
		done[s] = true;
	}
	for (i = 0; i < N_STAGES; i++) {
		if (done[i])
			continue;
		json_w_string(w, hook_stages[i]);
		write_stage(w, NULL, hook);
	}
	json_w_object_close(w);
}

static void write_annotations(struct json_writer *w, const json_value *ann, const char *value)
{
	size_t i, n = ann && json_type_of(ann) == JSON_OBJECT ? json_object_len(ann) : 0;

	json_w_object_open(w);
	for (i = 0; i < n; i++) {
		if (strcmp(json_object_key(ann, i), ANNOTATION_KEY) == 0)
			continue;
		json_w_string(w, json_object_key(ann, i));
		json_w_value(w, json_object_value(ann, i));
	}
	json_w_kv_string(w, ANNOTATION_KEY, value);
	json_w_object_close(w);
}

int oci_config_add_hooks(const json_value *root, const struct oci_config_hook *hook,
			 const char *annotation, const char *what, char **out, size_t *len,
			 hook_error_t *err)
{
	cleanup_json_writer struct json_writer *w = NULL;
	bool wrote_hooks = false, wrote_ann = false;
	size_t i, n;

	if (check_shapes(root, what, err) < 0)
		return -1;
	w = json_writer_new();
	json_w_object_open(w);
	for (i = 0, n = json_object_len(root); i < n; i++) {
		const char *key = json_object_key(root, i);
		const json_value *v = json_object_value(root, i);

		json_w_string(w, key);
		if (strcmp(key, "hooks") == 0) {
			write_hooks(w, v, hook);
			wrote_hooks = true;
		} else if (annotation && strcmp(key, "annotations") == 0) {
			write_annotations(w, v, annotation);
			wrote_ann = true;
		} else {
			json_w_value(w, v);
		}
	}
	if (!wrote_hooks) {
		json_w_string(w, "hooks");
		write_hooks(w, NULL, hook);
	}
	if (annotation && !wrote_ann) {
		json_w_string(w, "annotations");
		write_annotations(w, NULL, annotation);
	}
	json_w_object_close(w);
	if (json_writer_finish(w, out, len, err) < 0)
		return hook_error_wrap(err, "%s", what);
	return 0;
}
