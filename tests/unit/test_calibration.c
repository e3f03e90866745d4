// SPDX-License-Identifier: Apache-2.0
/* Stored calibrations (hook/trace/calibration.c): only files that say they
 * are one, with syscall names only, within bounds. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "trace/calibration.h"

static int parse(const char *text, char **msg)
{
	struct calibration c;
	hook_error_t err = NULL;
	int ret = calibration_parse(text, strlen(text), "c.json", &c, &err);

	*msg = NULL;
	if (ret < 0) {
		*msg = hook_error_string(err);
		hook_error_release(&err);
	} else {
		calibration_free(&c);
	}
	return ret;
}

static void refuses(const char *text, const char *needle, const char *why)
{
	char *msg;
	int ret = parse(text, &msg);

	refused_with(ret, msg, needle, why);
}

#define GOOD_HEAD                                                                              \
	"{\"seccompRecorderCalibration\": 1, \"runtime\": \"/usr/sbin/runc\", \"version\": " \
	"\"runc version 1.2.9\", \"measured\": \"2026-12-07T04:00:00Z\", \"starts\": 40, "

int main(void)
{
	const char *good = GOOD_HEAD "\"syscalls\": [\"statx\", \"close\", \"statx\"]}";
	struct calibration c;
	hook_error_t err = NULL;
	char *big;
	size_t n;

	ok(calibration_parse(good, strlen(good), "c.json", &c, &err) == 0, "a calibration parses");
	ok(c.syscalls.n == 2 && strcmp(c.syscalls.v[0], "close") == 0 && c.starts == 40 &&
		   strcmp(c.version, "runc version 1.2.9") == 0,
	   "its names sorted and unique, its fields kept");
	calibration_free(&c);

	refuses("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": []}", "not a calibration",
		"a profile (the hook's own output cannot pass for one)");
	refuses("{\"used\": [\"CAP_CHOWN\"]}", "not a calibration", "a capability file");
	refuses("{\"seccompRecorderCalibration\": 2}", "not a calibration", "another format version");
	refuses(GOOD_HEAD "\"syscalls\": [\"statx\", \"not_a_syscall\"]}", "not a syscall name",
		"a name that is no syscall");
	refuses(GOOD_HEAD "\"syscalls\": [1]}", "not a syscall name", "a number among the names");
	refuses(GOOD_HEAD "\"syscalls\": \"statx\"}", "must be an array", "names not in an array");
	refuses("{\"seccompRecorderCalibration\": 1, \"starts\": 1, \"syscalls\": []}",
		"`runtime` must be a string", "a missing runtime");
	refuses("[1]", "not a calibration", "an array");

	/* More names than a calibration may hold. */
	big = malloc(64 * 1024);
	n = (size_t)sprintf(big, GOOD_HEAD "\"syscalls\": [");
	for (int i = 0; i <= CALIBRATION_MAX_NAMES; i++)
		n += (size_t)sprintf(big + n, "%s\"read\"", i ? ", " : "");
	sprintf(big + n, "]}");
	refuses(big, "more than", "more names than the bound");
	free(big);

	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
