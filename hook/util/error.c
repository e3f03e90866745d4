// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"

void oom(void)
{
	static const char msg[] = "seccomp-recorder: out of memory\n";

	if (write(2, msg, sizeof(msg) - 1) < 0) {
		/* nothing left to report with */
	}
	abort();
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xzalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p)
		oom();
	return p;
}

void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		oom();
	return p;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		oom();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		oom();
	return p;
}

int xasprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(out, fmt, ap);
	va_end(ap);
	if (ret < 0)
		oom();
	return ret;
}

/* Messages quote user input (annotations, ids, paths); control characters
 * in it would break the one-line promise and forge syslog lines. */
static char *escape_controls(char *msg)
{
	size_t len = 0, controls = 0;
	char *out, *o;

	for (const char *p = msg; *p; p++, len++)
		controls += (unsigned char)*p < 0x20 || *p == 0x7f;
	if (controls == 0)
		return msg;
	out = o = xmalloc(len + 3 * controls + 1);
	for (const char *p = msg; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c < 0x20 || c == 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	*o = '\0';
	free(msg);
	return out;
}

int hook_make_error(hook_error_t *err, int status, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		oom();
	va_end(ap);

	*err = xzalloc(sizeof(**err));
	(*err)->status = status;
	(*err)->msg = escape_controls(msg);
	return -status - 1;
}

int hook_error_wrap(hook_error_t *err, const char *fmt, ...)
{
	va_list ap;
	char *outer, *msg;

	va_start(ap, fmt);
	if (vasprintf(&outer, fmt, ap) < 0)
		oom();
	va_end(ap);

	xasprintf(&msg, "%s: %s", outer, (*err)->msg);
	msg = escape_controls(msg);
	free(outer);
	free((*err)->msg);
	(*err)->msg = msg;
	return -(*err)->status - 1;
}

char *hook_error_string(const hook_error_t err)
{
	char *s;

	if (err->status)
		xasprintf(&s, "%s: %s", err->msg, strerror(err->status));
	else
		s = xstrdup(err->msg);
	return s;
}

void hook_error_release(hook_error_t *err)
{
	if (!*err)
		return;
	free((*err)->msg);
	free(*err);
	*err = NULL;
}
