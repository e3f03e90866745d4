// SPDX-License-Identifier: Apache-2.0
/* config.json as the runtime wrapper reads and edits it: whatever the input,
 * a refusal is one line, and an accepted document comes back as JSON that
 * carries our hook in both stages and selects the same annotation. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oci/annotation_select.h"
#include "oci/oci_config.h"

static char *const args[] = { "seccomp-recorder", "hook" };
static const struct oci_config_hook hook = { "/sr", args, 2 };

static const char *selected(const json_value *root)
{
	const char *key, *value = NULL;
	hook_error_t err = NULL;

	if (annotation_select(json_object_get(root, "annotations"), "fuzz", &key, &value, &err) < 0)
		hook_error_release(&err);
	return value;
}

static void check_edit(const json_value *in)
{
	json_value *out = NULL;
	hook_error_t err = NULL;
	char *text = NULL;
	const char *a, *b;
	size_t len;

	if (oci_config_add_hooks(in, &hook, NULL, "fuzz", &text, &len, &err) < 0) {
		if (!err || strchr(err->msg, '\n'))
			abort();
		hook_error_release(&err);
		return;
	}
	if (json_parse(text, "edited", &out, &err) < 0)
		abort();
	if (!json_object_get(json_object_get(out, "hooks"), "prestart") ||
	    !json_object_get(json_object_get(out, "hooks"), "poststop"))
		abort();
	a = selected(in);
	b = selected(out);
	if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
		abort();
	json_free(out);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_value *root = NULL;
	hook_error_t err = NULL;
	char *text;

	if (size > OCI_CONFIG_MAX)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (json_parse(text, "fuzz", &root, &err) == 0) {
		check_edit(root);
		json_free(root);
	} else {
		hook_error_release(&err);
	}
	free(text);
	return 0;
}
