// SPDX-License-Identifier: Apache-2.0
/* Capability files and bundle configs: every input is either refused with
 * one line or read into a record that survives formatting and reading back
 * unchanged. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile/capabilities.h"

static void refused(hook_error_t *err)
{
	if (!*err || !(*err)->msg || strchr((*err)->msg, '\n'))
		abort();
	hook_error_release(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct caps_record rec, back;
	hook_error_t err = NULL;
	uint64_t granted;
	char *out = NULL;
	size_t len;

	memcpy(text, data, size);
	text[size] = '\0';
	if (caps_parse(text, size, "fuzz", &rec, &err) == 0) {
		if (caps_format(&rec, &out, &len, &err) < 0 ||
		    caps_parse(out, len, "again", &back, &err) < 0 || back.used != rec.used ||
		    back.granted_known != rec.granted_known ||
		    (rec.granted_known && back.granted != rec.granted))
			abort();
		free(out);
	} else {
		refused(&err);
	}
	if (caps_from_config(text, size, "config", &granted, &err) < 0)
		refused(&err);
	free(text);
	return 0;
}
