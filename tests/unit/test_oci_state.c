// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci/oci_state.h"
#include "tap.h"

static int parse(const char *text, struct oci_state *st, char **msg)
{
	hook_error_t err = NULL;
	int ret = oci_state_parse(text, strlen(text), st, &err);

	*msg = NULL;
	if (ret < 0) {
		*msg = strdup(err->msg);
		hook_error_release(&err);
	}
	return ret;
}

static void refuses(const char *text, const char *needle, const char *why)
{
	struct oci_state st = { 0 };
	char *msg;
	int ret = parse(text, &st, &msg);

	refused_with(ret, msg, needle, why);
	oci_state_free(&st);
}

int main(void)
{
	struct oci_state st = { 0 };
	char *msg;

	/* runc's prestart state */
	ok(parse("{\"ociVersion\":\"1.0.2-dev\",\"id\":\"ct1\",\"status\":\"creating\",\"pid\":"
		 "5316,"
		 "\"bundle\":\"/b\",\"annotations\":{\"io.containers.trace-syscall\":\"of:/"
		 "o.json\"}}",
		 &st, &msg) == 0,
	   "parses runc's state");
	is_str(st.id, "ct1", "  id");
	is_str(st.status, "creating", "  status");
	ok(st.pid == 5316, "  pid");
	is_str(st.bundle, "/b", "  bundle");
	is_str(st.trace_annotation, "of:/o.json", "  annotation");
	oci_state_free(&st);

	/* crun's shape: status created, extra `root` field, annotations with others */
	ok(parse("{\"ociVersion\":\"1.0.0\",\"id\":\"c-2\",\"pid\":77,\"root\":\"/r\","
		 "\"bundle\":\"/b\",\"status\":\"created\",\"annotations\":{\"a\":\"b\","
		 "\"io.containers.trace-syscall\":\"of:/x.json;if:/y.json\"}}",
		 &st, &msg) == 0,
	   "parses crun's state");
	ok(st.pid == 77 && strcmp(st.status, "created") == 0, "  pid and status");
	is_str(st.trace_annotation, "of:/x.json;if:/y.json", "  annotation");
	oci_state_free(&st);

	ok(parse("{\"ociVersion\":\"1.0.0\",\"id\":\"c\",\"status\":\"created\",\"pid\":1}", &st,
		 &msg) == 0 &&
		   st.trace_annotation == NULL,
	   "no annotations is fine");
	oci_state_free(&st);
	ok(parse("{\"ociVersion\":\"1.0.0\",\"id\":\"c\",\"status\":\"stopped\"}", &st, &msg) ==
			   0 &&
		   st.pid == 0 && oci_state_is_stopped(&st),
	   "stopped state without pid is fine");
	oci_state_free(&st);
	ok(parse("{\"ociVersion\":\"1.0.0\",\"id\":\"c\",\"status\":\"stopped\",\"pid\":0}", &st,
		 &msg) == 0,
	   "stopped state with pid 0 is fine");
	oci_state_free(&st);

	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\"}", "missing `pid`",
		"missing pid");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":0}",
		"invalid `pid`", "zero pid");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":-4}",
		"not a valid process id", "negative pid");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":1.5}",
		"not a valid process id", "fractional pid");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":99999999999}",
		"not a valid process id", "pid out of range");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":\"12\"}",
		"must be a number", "pid as string");
	refuses("{\"ociVersion\":\"1\",\"status\":\"creating\",\"pid\":3}", "`id`", "missing id");
	refuses("{\"ociVersion\":\"1\",\"id\":\"../x\",\"status\":\"creating\",\"pid\":3}",
		"container id contains `/`", "id with a slash");
	refuses("{\"ociVersion\":\"1\",\"id\":\"..\",\"status\":\"creating\",\"pid\":3}",
		"invalid container id", "id ..");
	refuses("{\"ociVersion\":\"1\",\"id\":\"\",\"status\":\"creating\",\"pid\":3}",
		"1 to 200 characters", "empty id");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"pid\":3}", "`status`", "missing status");
	refuses("{\"id\":\"c\",\"status\":\"creating\",\"pid\":3}", "`ociVersion`",
		"missing ociVersion");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":3,"
		"\"annotations\":[]}",
		"`annotations` must be an object", "annotations as array");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":3,"
		"\"annotations\":{\"io.containers.trace-syscall\":5}}",
		"must be a string", "annotation as number");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\",\"status\":\"creating\",\"pid\":3,"
		"\"annotations\":{\"io.containers.trace-syscall\":\"of:/a\","
		"\"io.containers.trace-syscall\":\"of:/b\"}}",
		"duplicate key", "duplicate annotation");
	refuses("{\"ociVersion\":\"1\",\"id\":\"c\\u0000d\",\"status\":\"creating\",\"pid\":3}",
		"NUL", "escaped NUL");
	refuses("garbage", "invalid JSON", "garbage");
	refuses("", "invalid JSON", "empty input");
	refuses("[1,2]", "expected a JSON object", "an array");
	refuses("{\"ociVersion\":\"1\",", "invalid JSON", "truncated JSON");
	{
		char deep[1000];

		memset(deep, '[', sizeof(deep) - 1);
		deep[sizeof(deep) - 1] = '\0';
		refuses(deep, "nested deeper", "deep nesting");
	}

	/* NUL byte inside the input */
	{
		hook_error_t err = NULL;
		const char text[] = "{\"id\":\"a\"}\0garbage";

		ok(oci_state_parse(text, sizeof(text) - 1, &st, &err) < 0 &&
			   strstr(err->msg, "NUL"),
		   "refuses input with an embedded NUL byte");
		hook_error_release(&err);
	}

	/* the size cap, through a real pipe */
	{
		hook_error_t err = NULL;
		char *buf = NULL;
		size_t len = 0;
		int fds[2];
		char *big;
		pid_t pid;

		ok(pipe(fds) == 0, "pipe");
		pid = fork();
		if (pid == 0) {
			size_t n = HOOK_STATE_MAX + 100;

			close(fds[0]);
			big = malloc(n);
			memset(big, ' ', n);
			if (write(fds[1], big, n) < 0)
				_exit(1);
			_exit(0);
		}
		close(fds[1]);
		ok(oci_state_read(fds[0], &buf, &len, &err) < 0 && strstr(err->msg, "larger than"),
		   "refuses a state larger than HOOK_STATE_MAX");
		hook_error_release(&err);
		free(buf);
		close(fds[0]);
		waitpid(pid, NULL, 0);

		ok(pipe(fds) == 0, "pipe");
		if (write(fds[1], "{\"a\":1}", 7) != 7)
			return 1;
		close(fds[1]);
		ok(oci_state_read(fds[0], &buf, &len, &err) == 0 && len == 7 && buf[7] == '\0',
		   "reads a small state and NUL-terminates it");
		free(buf);
		close(fds[0]);
	}
	return tap_done();
}
