// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oci/annotation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);
	struct annotation a = { 0 };
	hook_error_t err = NULL;

	if (annotation_parse(text, &a, &err) == 0) {
		/* what was accepted is well-formed */
		if (!a.output || a.output[0] != '/')
			abort();
		if (a.input && a.input[0] != '/')
			abort();
		if ((a.caps && a.caps[0] != '/') || (a.args & ~0xfU))
			abort();
		annotation_free(&a);
	} else {
		if (!err || !err->msg || strchr(err->msg, '\n'))
			abort();
		hook_error_release(&err);
	}
	free(text);
	return 0;
}
