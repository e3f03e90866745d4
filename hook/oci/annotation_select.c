// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "oci/annotation.h"
#include "oci/annotation_select.h"

/* Set by CRI-O and by containerd's CRI plugin on every container they make. */
static const char *const sandbox_type_keys[] = {
	"io.kubernetes.cri-o.ContainerType",
	"io.kubernetes.cri.container-type",
};

/* The string value of member `key`, or NULL; *stored_key, if asked for,
 * is the document's own copy of the key, which outlives `key`. */
static int string_member_key(const json_value *annotations, const char *key, const char *what,
			     const char **out, const char **stored_key, hook_error_t *err)
{
	size_t i, n = json_object_len(annotations);

	*out = NULL;
	for (i = 0; i < n; i++) {
		const json_value *v = json_object_value(annotations, i);

		if (strcmp(json_object_key(annotations, i), key) != 0)
			continue;
		if (json_type_of(v) != JSON_STRING)
			return hook_make_error(err, 0,
					       "%s: annotation `%s` must be a string, not %s", what,
					       key, json_type_name(json_type_of(v)));
		*out = json_string(v);
		if (stored_key)
			*stored_key = json_object_key(annotations, i);
		break;
	}
	return 0;
}

static int string_member(const json_value *annotations, const char *key, const char *what,
			 const char **out, hook_error_t *err)
{
	return string_member_key(annotations, key, what, out, NULL, err);
}

static int is_sandbox(const json_value *annotations, const char *what, bool *out,
		      hook_error_t *err)
{
	const char *type;
	size_t i;

	*out = false;
	for (i = 0; i < sizeof(sandbox_type_keys) / sizeof(sandbox_type_keys[0]); i++) {
		if (string_member(annotations, sandbox_type_keys[i], what, &type, err) < 0)
			return -1;
		if (type && strcmp(type, "sandbox") == 0)
			*out = true;
	}
	return 0;
}

/* A DNS-1123 label: what Kubernetes allows as a container name. */
static bool container_name_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > ANNOTATION_CONTAINER_NAME_MAX || s[0] == '-' || s[n - 1] == '-')
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* The container's Kubernetes name into `buf`, or "" if none is known.
 * containerd gives it plainly; CRI-O in the label kubelet sets (copied to
 * the annotations), and in its own ContainerName as k8s_NAME_POD_NS_UID_N. */
static int container_name(const json_value *annotations, const char *what,
			  char buf[ANNOTATION_CONTAINER_NAME_MAX + 1], hook_error_t *err)
{
	static const char *const keys[] = {
		"io.kubernetes.cri.container-name",
		"io.kubernetes.container.name",
		"io.kubernetes.cri-o.ContainerName",
	};
	size_t i, n;

	buf[0] = '\0';
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v;

		if (string_member(annotations, keys[i], what, &v, err) < 0)
			return -1;
		if (!v)
			continue;
		if (i == 2 && strncmp(v, "k8s_", 4) == 0)
			v += 4;
		n = i == 2 ? strcspn(v, "_") : strlen(v);
		if (container_name_valid(v, n)) {
			memcpy(buf, v, n);
			buf[n] = '\0';
			return 0;
		}
	}
	return 0;
}

int annotation_select(const json_value *annotations, const char *what, const char **key,
		      const char **value, hook_error_t *err)
{
	char name[ANNOTATION_CONTAINER_NAME_MAX + 1];
	char own_key[sizeof(ANNOTATION_KEY_PREFIX) + ANNOTATION_CONTAINER_NAME_MAX];
	bool sandbox;

	*key = *value = NULL;
	if (!annotations || json_type_of(annotations) == JSON_NULL)
		return 0;
	if (json_type_of(annotations) != JSON_OBJECT)
		return hook_make_error(err, 0, "%s: `annotations` must be an object, not %s", what,
				       json_type_name(json_type_of(annotations)));
	if (is_sandbox(annotations, what, &sandbox, err) < 0)
		return -1;
	if (sandbox)
		return 0;
	if (container_name(annotations, what, name, err) < 0)
		return -1;
	if (name[0]) {
		snprintf(own_key, sizeof(own_key), "%s%s", ANNOTATION_KEY_PREFIX, name);
		if (string_member_key(annotations, own_key, what, value, key, err) < 0)
			return -1;
		if (*value)
			return 0;
	}
	return string_member_key(annotations, ANNOTATION_KEY, what, value, key, err);
}
