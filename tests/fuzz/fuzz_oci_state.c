// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oci/oci_state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oci_state st = { 0 };
	hook_error_t err = NULL;
	char *text;

	if (size > HOOK_STATE_MAX)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (oci_state_parse(text, size, &st, &err) == 0) {
		if (!st.id || !st.status || (!oci_state_is_stopped(&st) && st.pid <= 0))
			abort();
		oci_state_free(&st);
	} else {
		if (!err || strchr(err->msg, '\n'))
			abort();
		hook_error_release(&err);
	}
	free(text);
	return 0;
}
