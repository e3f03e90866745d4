// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "oci/annotation.h"
#include "tap.h"

static void accepts(const char *value, const char *of, const char *in)
{
	struct annotation a = { 0 };
	hook_error_t err = NULL;
	int ret = annotation_parse(value, &a, &err);

	ok(ret == 0, "accepts `%s`", value);
	if (ret == 0) {
		is_str(a.output, of, "  of: of `%s`", value);
		is_str(a.input, in, "  if: of `%s`", value);
	} else {
		printf("#   error: %s\n", err->msg);
		hook_error_release(&err);
	}
	annotation_free(&a);
}

static void refuses(const char *value, const char *needle)
{
	struct annotation a = { 0 };
	hook_error_t err = NULL;
	int ret = annotation_parse(value, &a, &err);

	ok(ret < 0 && err && strstr(err->msg, needle) && !strchr(err->msg, '\n'),
	   "refuses `%s` with one line mentioning `%s`", value, needle);
	if (err)
		printf("#   message: %s\n", err->msg);
	ok(a.output == NULL && a.input == NULL && a.errno_name == NULL, "  leaves nothing behind");
	hook_error_release(&err);
	annotation_free(&a);
}

/* The learn-mode keys. */
static void learn_keys(void)
{
	struct annotation a = { 0 };
	hook_error_t err = NULL;

	ok(annotation_parse("of:/p.json;if:/p.json;flush:30;errno:EPERM", &a, &err) == 0,
	   "accepts flush: and errno:");
	ok(a.flush_s == 30 && a.errno_ret == 1 && !a.default_action, "  flush 30 s, errno 1 (EPERM)");
	is_str(a.errno_name, "EPERM", "  keeps the errno name");
	annotation_free(&a);
	ok(annotation_parse("of:/p.json;mode:log", &a, &err) == 0 &&
		   a.default_action && strcmp(a.default_action, "SCMP_ACT_LOG") == 0 &&
		   a.errno_ret == -1 && a.flush_s == 0,
	   "mode:log; no errno, no flush by default");
	annotation_free(&a);
	ok(annotation_parse("of:/p.json;mode:kill", &a, &err) == 0 && a.default_action &&
		   strcmp(a.default_action, "SCMP_ACT_KILL_PROCESS") == 0,
	   "mode:kill: defaultAction SCMP_ACT_KILL_PROCESS");
	annotation_free(&a);
	ok(annotation_parse("of:/p.json;mode:errno;errno:ENOSYS", &a, &err) == 0 && !a.default_action &&
		   a.errno_ret == 38,
	   "mode:errno with errno:ENOSYS");
	annotation_free(&a);
	ok(annotation_errno_value("EACCES") == 13 && annotation_errno_value("EBOGUS") == -1 &&
		   annotation_errno_value("") == -1,
	   "errno names resolve through the C library");

	refuses("of:/p.json;flush:0", "from 1 to 86400");
	refuses("of:/p.json;mode:kill;errno:EPERM", "no effect with `mode:kill`");
	refuses("of:/p.json;mode:trap", "must be `errno`, `log` or `kill`");
	refuses("of:/p.json;flush:86401", "from 1 to 86400");
	refuses("of:/p.json;flush:-5", "from 1 to 86400");
	refuses("of:/p.json;flush:5s", "from 1 to 86400");
	refuses("of:/p.json;flush: 5", "from 1 to 86400");
	refuses("of:/p.json;flush:99999999999999999999", "from 1 to 86400");
	refuses("of:/p.json;flush:5;flush:6", "key `flush` given twice");
	refuses("of:/p.json;mode:enforce", "`mode` must be `errno`, `log` or `kill`");
	refuses("of:/p.json;errno:eperm", "must name an errno");
	refuses("of:/p.json;errno:1", "must name an errno");
	refuses("of:/p.json;mode:log;errno:EPERM", "no effect with `mode:log`");
	refuses("of:/p.json;bogus:1", "known keys: of, if, flush, mode, errno");
}

int main(void)
{
	learn_keys();
	accepts("of:/tmp/out.json", "/tmp/out.json", NULL);
	accepts("of:/tmp/out.json;if:/tmp/in.json", "/tmp/out.json", "/tmp/in.json");
	accepts("if:/tmp/in.json;of:/tmp/out.json", "/tmp/out.json", "/tmp/in.json");
	accepts("of:/p.json;if:/p.json", "/p.json", "/p.json");
	accepts("of:/a:b/c.json", "/a:b/c.json", NULL);
	/* Empty components would defeat the lexical directory checks. */
	refuses("of://tmp//x.json", "empty component");
	refuses("of:/var/lib/seccomp-recorder//runtimes/x.json", "empty component");

	refuses("", "empty");
	refuses("if:/tmp/in.json", "missing required key `of`");
	refuses("of:", "empty value");
	refuses("of:/a.json;", "empty entry");
	refuses(";of:/a.json", "empty entry");
	refuses("of:/a.json;;if:/b.json", "empty entry");
	refuses("of", "not of the form KEY:VALUE");
	refuses("of:relative.json", "not absolute");
	refuses("of:./x.json", "not absolute");
	refuses("of:/tmp/../etc/x.json", "`..`");
	refuses("of:/tmp/./x.json", "`.`");
	refuses("of:/tmp/x/", "names a directory");
	refuses("of:/a.json;of:/b.json", "given twice");
	refuses("of:/a.json;if:/b.json;if:/c.json", "given twice");
	refuses("of:/a.json;xf:/b.json", "unknown key `xf`");
	refuses("of:/a.json;args:ioctl", "no argument rule for `ioctl`");
	refuses("of:/a.json;args:socket,socket", "`socket` is listed twice");
	refuses("of:/a.json;args:socket,", "no argument rule for ``");
	refuses("of:/a.json;args:socket;args:clone", "given twice");
	{
		struct annotation a = { 0 };
		hook_error_t err = NULL;

		ok(annotation_parse("of:/a.json;args:clone,socket", &a, &err) == 0, "accepts args:");
		ok(a.args == ((1U << 3) | (1U << 0)), "  clone and socket: bits 3 and 0");
		annotation_free(&a);
	}
	refuses("of:/a.json;caps:/a.json", "`caps` must name a file of its own");
	refuses("of:/a.json;if:/b.json;caps:/b.json", "`caps` must name a file of its own");
	refuses("of:/a.json;caps:c.json", "not absolute");
	refuses("of:/a.json;caps:/c.json;caps:/d.json", "given twice");
	{
		struct annotation a = { 0 };
		hook_error_t err = NULL;

		ok(annotation_parse("of:/a.json;caps:/c.json", &a, &err) == 0, "accepts caps:");
		is_str(a.caps, "/c.json", "  keeps its path");
		annotation_free(&a);
	}
	refuses("OF:/a.json", "unknown key `OF`");
	refuses(" of:/a.json", "unknown key ` of`");
	refuses(":/a.json", "unknown key ``");
	refuses("of:/a\tb.json", "control character");
	{
		char *longp = malloc(5000);

		memset(longp, 'a', 4999);
		longp[0] = 'o';
		longp[1] = 'f';
		longp[2] = ':';
		longp[3] = '/';
		longp[4999] = '\0';
		refuses(longp, "longer than");
		free(longp);
	}
	return tap_done();
}
