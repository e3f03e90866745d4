// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/log.h"

/* Process-wide logging configuration: set once by main() or by the tracer
 * when it detaches, read by every log call. */
static struct {
	bool foreground;
	bool verbose;
	bool syslog;
} log_cfg = { .foreground = true };

void log_init(bool foreground, bool verbose)
{
	log_cfg.foreground = foreground;
	log_cfg.verbose = verbose;
	log_cfg.syslog = access("/dev/log", F_OK) == 0;
	if (log_cfg.syslog)
		openlog("seccomp-recorder", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void log_set_foreground(bool foreground)
{
	log_cfg.foreground = foreground;
}

bool log_verbose(void)
{
	return log_cfg.verbose;
}

void log_msg(int priority, const char *fmt, ...)
{
	va_list ap;

	if (priority == LOG_DEBUG && !log_cfg.verbose)
		return;
	if (log_cfg.syslog) {
		va_start(ap, fmt);
		vsyslog(priority, fmt, ap);
		va_end(ap);
	}
	if (log_cfg.foreground) {
		va_start(ap, fmt);
		fputs("seccomp-recorder: ", stderr);
		if (priority <= LOG_ERR)
			fputs("error: ", stderr);
		else if (priority == LOG_WARNING)
			fputs("warning: ", stderr);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		va_end(ap);
	}
}

void log_error_release(int priority, hook_error_t *err)
{
	char *s = hook_error_string(*err);

	log_msg(priority, "%s", s);
	free(s);
	hook_error_release(err);
}
