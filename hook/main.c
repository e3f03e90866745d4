// SPDX-License-Identifier: Apache-2.0
/* Command line: one argp parser per command, dispatched on argv[1]. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "hook.h"
#include "log.h"
#include "output.h"

#ifndef SECCOMP_RECORDER_VERSION
#define SECCOMP_RECORDER_VERSION "0.0.0"
#endif

const char *argp_program_version = "seccomp-recorder " SECCOMP_RECORDER_VERSION;
const char *argp_program_bug_address = "the seccomp-recorder issue tracker";

enum {
	OPT_ALLOW_DIR = 1000,
	OPT_POSTSTOP_TIMEOUT,
};

static const char top_doc[] =
	"Record the system calls of a container into a seccomp profile.\n"
	"\n"
	"Commands:\n"
	"  hook [--allow-dir DIR]...   OCI hook mode: reads the OCI state on stdin\n"
	"  -s                          same as `hook` (drop-in for oci-seccomp-bpf-hook)\n"
	"\n"
	"The hook acts on containers annotated\n"
	"  io.containers.trace-syscall=of:/abs/out.json[;if:/abs/in.json]\n"
	"Run `seccomp-recorder COMMAND --help` for a command's options.";

static const char hook_doc[] =
	"OCI hook mode (prestart and poststop). Reads the container state on stdin.\n"
	"\v"
	"At prestart it attaches a BPF tracer for the container named in the state and "
	"returns once tracing is armed; the detached tracer writes the profile named by the "
	"annotation io.containers.trace-syscall when the container's last process is gone. At "
	"poststop it waits for that tracer to finish and reports its result.\n\n"
	"Annotation: io.containers.trace-syscall=of:/abs/out.json[;if:/abs/in.json]\n"
	"hooks.d entry: /usr/share/containers/oci/hooks.d/seccomp-recorder.json";

static const struct argp_option hook_options[] = {
	{ "allow-dir", OPT_ALLOW_DIR, "DIR", 0,
	  "Only read and write profiles beneath DIR (repeatable)", 0 },
	{ "poststop-timeout", OPT_POSTSTOP_TIMEOUT, "MS", 0,
	  "How long poststop waits for the tracer (default 10000)", 0 },
	{ "verbose", 'v', NULL, 0, "Log debug messages, libbpf's included", 0 },
	{},
};

struct cli {
	struct hook_options hook;
	bool verbose;
};

/* Strict decimal, as crun's parse_id_or_fail(): no sign, no junk, in range. */
static int parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v = 0;

	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static error_t hook_parse_arg(int key, char *arg, struct argp_state *state)
{
	struct cli *cli = state->input;
	long v = 0;

	switch (key) {
	case OPT_ALLOW_DIR:
		if (arg[0] != '/')
			argp_error(state, "--allow-dir `%s` is not an absolute path", arg);
		profile_strv_add(&cli->hook.allow_dirs, arg);
		break;
	case OPT_POSTSTOP_TIMEOUT:
		if (parse_int(arg, 0, 3600 * 1000, &v) < 0)
			argp_error(state, "--poststop-timeout `%s` is not a number of milliseconds",
				   arg);
		cli->hook.poststop_timeout_ms = (int)v;
		break;
	case 'v':
		cli->verbose = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument `%s`", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp hook_argp = { hook_options, hook_parse_arg, NULL, hook_doc,
				       NULL,	     NULL,	     NULL };

static int run_hook(int argc, char **argv)
{
	struct cli cli = { .hook.poststop_timeout_ms = HOOK_POSTSTOP_TIMEOUT_MS };
	hook_error_t err = NULL;
	int ret;

	/* Descriptors inherited from the runtime (pipes among them) must not
	 * live on in the detached tracer. */
	syscall(SYS_close_range, 3U, ~0U, 0);
	argp_parse(&hook_argp, argc, argv, 0, NULL, &cli);
	log_init(true, cli.verbose);

	ret = output_allow_dirs_init(&cli.hook.allow_dirs, &err);
	if (ret == 0)
		ret = hook_run(&cli.hook, &err);
	profile_strv_free(&cli.hook.allow_dirs);
	if (ret < 0) {
		log_error_release(LOG_ERR, &err);
		return 1;
	}
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: seccomp-recorder COMMAND [OPTION...]\n%s\n", top_doc);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd) {
		usage(stderr);
		return 2;
	}
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("%s\n", argp_program_version);
		return 0;
	}
	if (strcmp(cmd, "hook") == 0 || strcmp(cmd, "-s") == 0) {
		/* argp names the program after argv[0] in its messages. */
		argv[1] = (char *)"seccomp-recorder hook";
		return run_hook(argc - 1, argv + 1);
	}

	fprintf(stderr,
		"seccomp-recorder: error: unknown command `%s`; see `seccomp-recorder --help`\n",
		cmd);
	return 2;
}
