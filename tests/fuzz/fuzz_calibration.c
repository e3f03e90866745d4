// SPDX-License-Identifier: Apache-2.0
/* Stored calibrations (hook/trace/calibration.c): every input is read or
 * refused with one line, and nothing leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace/calibration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct calibration c;
	hook_error_t err = NULL;

	memcpy(text, data, size);
	text[size] = '\0';
	if (calibration_parse(text, size, "fuzz.json", &c, &err) == 0)
		calibration_free(&c);
	else if (!err || !err->msg || strchr(err->msg, '\n'))
		abort(); /* a refusal is one line */
	hook_error_release(&err);
	free(text);
	return 0;
}
