// SPDX-License-Identifier: Apache-2.0
/* Command line: one argp parser per command, dispatched on argv[1] through
 * the table `commands`. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cleanup.h"
#include "cmd/calibrate.h"
#include "cmd/export.h"
#include "cmd/hook.h"
#include "cmd/profile_cmds.h"
#include "cmd/record.h"
#include "cmd/runtime.h"
#include "cmd/status.h"
#include "oci/annotation.h"
#include "profile/arg_rules.h"
#include "profile/output.h"
#include "util/log.h"

#ifndef SECCOMP_RECORDER_VERSION
#define SECCOMP_RECORDER_VERSION "0.0.0"
#endif

/* A usage error exits with EXIT_USAGE, except for `record`, whose exit
 * status is CMD's and so keeps RECORD_EXIT_FAILURE for all of its own. */
#define EXIT_USAGE 2

const char *argp_program_version = "seccomp-recorder " SECCOMP_RECORDER_VERSION;
const char *argp_program_bug_address = "the seccomp-recorder issue tracker";

enum {
	OPT_ALLOW_DIR = 1000,
	OPT_ALLOW_READ,
	OPT_POSTSTOP_TIMEOUT,
	OPT_RUNTIME_SYSCALLS,
};

static const char top_doc[] =
	"Record the system calls of a container into a seccomp profile.\n"
	"\n"
	"Commands:\n"
	"  hook [--allow-dir DIR]... [--allow-read DIR]...\n"
	"                              OCI hook mode: reads the OCI state on stdin\n"
	"  -s                          same as `hook` (drop-in for oci-seccomp-bpf-hook)\n"
	"  runtime [--runtime PATH] [--allow-dir DIR]... [--] RUNTIME-ARGS...\n"
	"                              an OCI runtime wrapping runc/crun that adds the hooks\n"
	"                              to traced containers (Docker, containerd)\n"
	"  record -o OUT [-i IN] [--args LIST] [--mode MODE] -- CMD [ARG]...\n"
	"                              trace a command and all its descendants\n"
	"  merge -o OUT IN...          union of profiles\n"
	"  diff [--json] OLD NEW       what changed; exit 1 if NEW allows more\n"
	"  check --subset-of BASE PROFILE\n"
	"                              exit 0 iff PROFILE allows nothing BASE forbids\n"
	"                              (or, for capability files, uses nothing more)\n"
	"  export --spo NAME [--api v1|v1beta1] PROFILE\n"
	"                              the profile as a Security Profiles Operator object\n"
	"  status [--header]           the tracers running now, one line each\n"
	"  calibrate [--runtime PATH]... [--show]\n"
	"                              measure what this host's runtimes do after the filter\n"
	"\n"
	"The hook acts on containers annotated\n"
	"  io.containers.trace-syscall=of:/abs/out.json[;if:/abs/in.json][;flush:SECONDS]\n"
	"                              [;mode:log|kill][;errno:NAME][;caps:/abs/caps.json]\n"
	"                              [;args:LIST]\n"
	"Run `seccomp-recorder COMMAND --help` for a command's options.";

static const char hook_doc[] =
	"OCI hook mode (prestart and poststop). Reads the container state on stdin.\n"
	"\v"
	"At prestart it attaches a BPF tracer for the container named in the state and "
	"returns once tracing is armed; the detached tracer writes the profile named by the "
	"annotation io.containers.trace-syscall when the container's last process is gone. At "
	"poststop it waits for that tracer to finish and reports its result.\n\n"
	"Annotation: io.containers.trace-syscall=of:/abs/out.json[;if:/abs/in.json]"
	"[;flush:SECONDS][;mode:log|kill][;errno:NAME][;caps:/abs/caps.json][;args:LIST]\n"
	"  of:     the profile to write\n"
	"  if:     a baseline: its rules are kept; new syscalls it does not allow are "
	"reported to syslog\n"
	"  flush:  write the profile every SECONDS while the container runs, if "
	"something new was seen\n"
	"  mode:   `log` writes defaultAction SCMP_ACT_LOG (complain mode), `kill` "
	"SCMP_ACT_KILL_PROCESS (a violation kills the process)\n"
	"  errno:  defaultErrnoRet by name, e.g. EPERM (default ENOSYS)\n"
	"  caps:   also write the capabilities the workload used (and the granted but "
	"unused ones) to this file, and log a --cap-drop/--cap-add suggestion\n"
	"  args:   for these syscalls (" ARG_RULES_KNOWN "), allow only the first-argument "
	"values seen\n"
	"The paths of of:, if: and caps: must lie beneath an --allow-dir directory (default "
	OUTPUT_DEFAULT_DIR "); if: may also lie beneath an --allow-read one. Nothing outside is "
	"created, written or read, and the container does not start.\n"
	"hooks.d entry: /usr/share/containers/oci/hooks.d/seccomp-recorder.json";

static const struct argp_option hook_options[] = {
	{ "allow-dir", OPT_ALLOW_DIR, "DIR", 0,
	  "Read and write the files annotations name only beneath DIR (repeatable; "
	  "default " OUTPUT_DEFAULT_DIR ")",
	  0 },
	{ "allow-read", OPT_ALLOW_READ, "DIR", 0,
	  "Also read `if:` baselines beneath DIR (repeatable; default none)", 0 },
	{ "poststop-timeout", OPT_POSTSTOP_TIMEOUT, "MS", 0,
	  "How long poststop waits for the tracer (default 10000)", 0 },
	{ "runtime-syscalls", OPT_RUNTIME_SYSCALLS, "WHICH", 0,
	  "The runtime's rule: `all` (default: the built-in, calibrated and observed sets) or "
	  "`observed` (only what the runtime was seen to do after installing the container's "
	  "filter; what calibrate uses)",
	  0 },
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

/* The rest of the parser of a command that takes options only. */
static error_t no_operands(int key, char *arg, struct argp_state *state)
{
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	argp_error(state, "unexpected argument `%s`", arg);
	return 0;
}

static error_t hook_parse_arg(int key, char *arg, struct argp_state *state)
{
	struct cli *cli = state->input;
	long v = 0;

	switch (key) {
	case OPT_ALLOW_DIR:
	case OPT_ALLOW_READ: {
		bool write = key == OPT_ALLOW_DIR;

		if (arg[0] != '/')
			argp_error(state, "%s `%s` is not an absolute path",
				   write ? "--allow-dir" : "--allow-read", arg);
		strv_add(write ? &cli->hook.allowed.write : &cli->hook.allowed.read, arg);
		break;
	}
	case OPT_POSTSTOP_TIMEOUT:
		if (parse_int(arg, 0, 3600 * 1000, &v) < 0)
			argp_error(state, "--poststop-timeout `%s` is not a number of milliseconds",
				   arg);
		cli->hook.poststop_timeout_ms = (int)v;
		break;
	case OPT_RUNTIME_SYSCALLS:
		if (strcmp(arg, "all") != 0 && strcmp(arg, "observed") != 0)
			argp_error(state, "--runtime-syscalls must be `all` or `observed`, not `%s`",
				   arg);
		cli->hook.runtime_observed_only = strcmp(arg, "observed") == 0;
		break;
	case 'v':
		cli->verbose = true;
		break;
	default:
		return no_operands(key, arg, state);
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

	ret = output_allowed_init(&cli.hook.allowed, &err);
	if (ret == 0)
		ret = hook_run(&cli.hook, &err);
	output_allowed_free(&cli.hook.allowed);
	if (ret < 0) {
		log_error_release(LOG_ERR, &err);
		return 1;
	}
	return 0;
}

/* ---- record ---- */

static const char record_doc[] =
	"Trace CMD and every process it starts (also ones that daemonize or enter new "
	"namespaces) and write the syscalls they made as a seccomp profile.\n"
	"\v"
	"Recording ends when the last of those processes has exited (with --no-wait, when "
	"CMD has). The exit status is CMD's (128+N if signal N killed it); 125 if "
	"seccomp-recorder itself failed, 126/127 if CMD could not be run. SIGINT, SIGTERM, "
	"SIGHUP and SIGQUIT are passed on to CMD; once CMD has exited, they stop the wait "
	"for its leftovers. The profile is written however CMD ended.\n\n"
	"When IN and OUT are the same file, concurrent recordings (and hooks) into it end "
	"with the union of everything each of them saw; the file may be missing at first. "
	"Needs root (CAP_BPF and CAP_PERFMON).";

static const struct argp_option record_options[] = {
	{ "output", 'o', "OUT", 0, "Write the profile to OUT (required)", 0 },
	{ "input", 'i', "IN", 0, "Start from profile IN (may be OUT itself)", 0 },
	{ "no-wait", 'n', NULL, 0, "Stop when CMD exits, not when its last descendant does", 0 },
	{ "args", 'a', "LIST", 0,
	  "For these syscalls (" ARG_RULES_KNOWN "), allow only the first-argument values seen",
	  0 },
	{ "mode", 'm', "MODE", 0,
	  "defaultAction: errno (SCMP_ACT_ERRNO, the default), log (SCMP_ACT_LOG) or kill "
	  "(SCMP_ACT_KILL_PROCESS)",
	  0 },
	{ "verbose", 'v', NULL, 0, "Log debug messages, libbpf's included", 0 },
	{},
};

struct record_cli {
	struct record_options opts;
	char *output, *input;
	bool verbose;
};

static char *absolute_or_die(const char *path, struct argp_state *state)
{
	hook_error_t err = NULL;
	char *abs = NULL;

	if (output_absolute_path(path, &abs, &err) < 0) {
		cleanup_free char *msg = hook_error_string(err);

		hook_error_release(&err);
		argp_failure(state, RECORD_EXIT_FAILURE, 0, "%s", msg);
	}
	return abs;
}

static error_t record_parse_arg(int key, char *arg, struct argp_state *state)
{
	struct record_cli *cli = state->input;

	switch (key) {
	case 'o':
		free(cli->output);
		cli->output = absolute_or_die(arg, state);
		break;
	case 'i':
		free(cli->input);
		cli->input = absolute_or_die(arg, state);
		break;
	case 'n':
		cli->opts.no_wait = true;
		break;
	case 'a': {
		hook_error_t err = NULL;

		if (annotation_parse_args(arg, "--args", &cli->opts.args, &err) < 0) {
			cleanup_free char *msg = hook_error_string(err);

			hook_error_release(&err);
			argp_failure(state, RECORD_EXIT_FAILURE, 0, "%s", msg);
		}
		break;
	}
	case 'm': {
		hook_error_t err = NULL;

		if (annotation_parse_mode(arg, "--mode", &cli->opts.default_action, &err) < 0) {
			cleanup_free char *msg = hook_error_string(err);

			hook_error_release(&err);
			argp_failure(state, RECORD_EXIT_FAILURE, 0, "%s", msg);
		}
		break;
	}
	case 'v':
		cli->verbose = true;
		break;
	case ARGP_KEY_ARGS:
		cli->opts.argv = state->argv + state->next;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no command to record; usage: record -o OUT -- CMD [ARG]...");
		break;
	case ARGP_KEY_END:
		if (!cli->output)
			argp_error(state, "-o OUT is required");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp record_argp = {
	record_options, record_parse_arg, "-- CMD [ARG]...", record_doc, NULL, NULL, NULL
};

static int run_record(int argc, char **argv)
{
	struct record_cli cli = { 0 };
	int ret;

	argp_parse(&record_argp, argc, argv, ARGP_IN_ORDER, NULL, &cli);
	log_init(true, cli.verbose);
	cli.opts.output = cli.output;
	cli.opts.input = cli.input;
	ret = record_run(&cli.opts);
	free(cli.output);
	free(cli.input);
	return ret;
}

/* ---- merge, diff, check ---- */

static const char merge_doc[] =
	"Write the union of the input profiles to OUT: it allows whatever any input "
	"allows.\n"
	"\v"
	"Rules that differ only in their names become one rule; a syscall some input allows "
	"unconditionally is taken out of rules that would deny it; the most permissive "
	"defaultAction wins; architectures and flags are united. The same inputs in any "
	"order give the same bytes. OUT may be one of the inputs.";

static const struct argp_option merge_options[] = {
	{ "output", 'o', "OUT", 0, "Write the merged profile to OUT (required)", 0 },
	{},
};

struct merge_cli {
	const char *output;
	char **inputs;
	size_t n;
};

static error_t merge_parse_arg(int key, char *arg, struct argp_state *state)
{
	struct merge_cli *cli = state->input;

	switch (key) {
	case 'o':
		cli->output = arg;
		break;
	case ARGP_KEY_ARGS:
		cli->inputs = state->argv + state->next;
		cli->n = (size_t)(state->argc - state->next);
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no input profiles");
		break;
	case ARGP_KEY_END:
		if (!cli->output)
			argp_error(state, "-o OUT is required");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp merge_argp = {
	merge_options, merge_parse_arg, "IN...", merge_doc, NULL, NULL, NULL
};

static const char diff_doc[] =
	"Show what NEW allows that OLD does not (+) and the reverse (-).\n"
	"\v"
	"Exit status: 1 if NEW allows something OLD does not, 0 if not, 2 on error. Rules "
	"are judged for this machine; see seccomp-recorder(1) for how conditional rules "
	"count.";

static const char check_doc[] =
	"Exit 0 if PROFILE allows nothing that BASE forbids; else print each syscall, "
	"architecture or default action at fault and exit 1 (2 on error).\n"
	"\v"
	"Conservative: a profile that allows more than BASE is never reported as a subset. "
	"A conditional rule (arguments, capabilities) of PROFILE passes only if BASE allows "
	"the syscall outright or under exactly the same conditions.";

enum { OPT_JSON = 2000, OPT_SUBSET_OF };

static const struct argp_option diff_options[] = {
	{ "json", OPT_JSON, NULL, 0, "Print the difference as JSON", 0 },
	{},
};

static const struct argp_option check_options[] = {
	{ "subset-of", OPT_SUBSET_OF, "BASE", 0, "The profile PROFILE must stay within", 0 },
	{},
};

struct compare_cli {
	const char *base;
	const char *paths[2];
	int n;
	bool json, is_check;
};

static error_t compare_parse_arg(int key, char *arg, struct argp_state *state)
{
	struct compare_cli *cli = state->input;
	int want = cli->is_check ? 1 : 2;

	switch (key) {
	case OPT_JSON:
		cli->json = true;
		break;
	case OPT_SUBSET_OF:
		cli->base = arg;
		break;
	case ARGP_KEY_ARG:
		if (cli->n == want)
			argp_error(state, "unexpected argument `%s`", arg);
		cli->paths[cli->n++] = arg;
		break;
	case ARGP_KEY_END:
		if (cli->is_check && !cli->base)
			argp_error(state, "--subset-of BASE is required");
		if (cli->n != want)
			argp_error(state, cli->is_check ? "expected one PROFILE"
							: "expected OLD and NEW profiles");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp diff_argp = {
	diff_options, compare_parse_arg, "OLD NEW", diff_doc, NULL, NULL, NULL
};
static const struct argp check_argp = {
	check_options, compare_parse_arg, "PROFILE", check_doc, NULL, NULL, NULL
};

static int run_merge(int argc, char **argv)
{
	struct merge_cli cli = { 0 };

	argp_parse(&merge_argp, argc, argv, 0, NULL, &cli);
	log_init(true, false);
	return merge_run(cli.output, cli.inputs, cli.n);
}

static int run_compare(int argc, char **argv, bool is_check)
{
	struct compare_cli cli = { .is_check = is_check };

	argp_parse(is_check ? &check_argp : &diff_argp, argc, argv, 0, NULL, &cli);
	log_init(true, false);
	if (is_check)
		return check_run(cli.base, cli.paths[0]);
	return diff_run(cli.paths[0], cli.paths[1], cli.json);
}

/* ---- status ---- */

static const char status_doc[] =
	"List the tracers running now, one line each.\n"
	"\v"
	"Columns, tab-separated: CONTAINER, TRACER-PID, SYSCALLS (seen so far), "
	"TRACING-SINCE, LAST-CHECKPOINT (UTC, `-` if none yet) and OUTPUT.";

enum { OPT_HEADER = 3000 };

static const struct argp_option status_options[] = {
	{ "header", OPT_HEADER, NULL, 0, "Print a first line naming the columns", 0 },
	{},
};

static error_t status_parse_arg(int key, char *arg, struct argp_state *state)
{
	bool *header = state->input;

	switch (key) {
	case OPT_HEADER:
		*header = true;
		break;
	default:
		return no_operands(key, arg, state);
	}
	return 0;
}

static const struct argp status_argp = { status_options, status_parse_arg, NULL, status_doc,
					 NULL,		 NULL,		   NULL };

static int run_status(int argc, char **argv)
{
	bool header = false;

	argp_parse(&status_argp, argc, argv, 0, NULL, &header);
	log_init(true, false);
	return status_run(header);
}

/* ---- calibrate ---- */

static const char calibrate_doc[] =
	"Measure what this host's runtimes do after installing a container's seccomp filter, "
	"and store it for the hook.\n"
	"\v"
	"Each runtime (default: the runc and crun in /usr/bin, /usr/sbin, /usr/local/bin, "
	"/usr/local/sbin) runs small containers (the host's `true`, /usr bound read-only) "
	"with an allow-all filter, with noNewPrivileges true and false, by `run` and by "
	"`create`+`start`, traced by this program's own hook: what the filtered thread does "
	"after the filter, up to the workload's exec, is stored in " OUTPUT_CALIBRATION_DIR
	" per runtime version, and every later recording allows it in its runtime rule. "
	"Needs root.";

enum { OPT_RUNTIME = 4000, OPT_REPEAT, OPT_SHOW };

static const struct argp_option calibrate_options[] = {
	{ "runtime", OPT_RUNTIME, "PATH", 0, "A runtime binary to measure (repeatable)", 0 },
	{ "repeat", OPT_REPEAT, "N", 0,
	  "Starts per setting and path (default 10; Go's runtime varies between starts)", 0 },
	{ "show", OPT_SHOW, NULL, 0, "Print what is stored and measure nothing", 0 },
	{},
};

struct calibrate_cli {
	struct calibrate_options opts;
	struct strv runtimes;
	bool show;
};

static error_t calibrate_parse_arg(int key, char *arg, struct argp_state *state)
{
	struct calibrate_cli *cli = state->input;
	long v = 0;

	switch (key) {
	case OPT_RUNTIME:
		strv_add(&cli->runtimes, arg);
		break;
	case OPT_REPEAT:
		if (parse_int(arg, 1, 1000, &v) < 0)
			argp_error(state, "--repeat `%s` is not a number from 1 to 1000", arg);
		cli->opts.repeat = (unsigned)v;
		break;
	case OPT_SHOW:
		cli->show = true;
		break;
	default:
		return no_operands(key, arg, state);
	}
	return 0;
}

static const struct argp calibrate_argp = { calibrate_options, calibrate_parse_arg, NULL,
					    calibrate_doc,	   NULL,		NULL,
					    NULL };

static int run_calibrate(int argc, char **argv)
{
	struct calibrate_cli cli = { .opts.repeat = CALIBRATE_REPEAT };
	int ret;

	argp_parse(&calibrate_argp, argc, argv, 0, NULL, &cli);
	log_init(true, false);
	if (cli.show && cli.runtimes.n > 0) {
		log_error("--show measures nothing: give it no --runtime");
		strv_free(&cli.runtimes);
		return EXIT_USAGE;
	}
	cli.opts.runtimes = cli.runtimes.v;
	cli.opts.n_runtimes = cli.runtimes.n;
	ret = cli.show ? calibrate_show() : calibrate_run(&cli.opts);
	strv_free(&cli.runtimes);
	return ret;
}

static int run_diff(int argc, char **argv)
{
	return run_compare(argc, argv, false);
}

static int run_check(int argc, char **argv)
{
	return run_compare(argc, argv, true);
}

/* ---- dispatch ---- */

static const struct command {
	const char *name;
	const char *alias; /* the same command under another name, or NULL */
	int (*run)(int argc, char **argv);
	int usage_exit;
} commands[] = {
	{ "hook", "-s", run_hook, EXIT_USAGE },
	{ "runtime", NULL, runtime_main, EXIT_USAGE },
	{ "record", NULL, run_record, RECORD_EXIT_FAILURE },
	{ "merge", NULL, run_merge, EXIT_USAGE },
	{ "diff", NULL, run_diff, EXIT_USAGE },
	{ "check", NULL, run_check, EXIT_USAGE },
	{ "export", NULL, export_main, EXIT_USAGE },
	{ "status", NULL, run_status, EXIT_USAGE },
	{ "calibrate", NULL, run_calibrate, EXIT_USAGE },
};

static const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0 ||
		    (commands[i].alias && strcmp(name, commands[i].alias) == 0))
			return &commands[i];
	return NULL;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: seccomp-recorder COMMAND [OPTION...]\n%s\n", top_doc);
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const char *self = argc > 0 ? strrchr(argv[0], '/') : NULL;
	const struct command *cmd;
	char prog[64];

	/* seccomp-recorder-runc, seccomp-recorder-crun: engines call the link. */
	self = self ? self + 1 : argc > 0 ? argv[0] : "";
	if (strncmp(self, RUNTIME_LINK_PREFIX, strlen(RUNTIME_LINK_PREFIX)) == 0)
		return runtime_link_main(self + strlen(RUNTIME_LINK_PREFIX), argc, argv);
	if (!name) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		printf("%s\n", argp_program_version);
		return 0;
	}
	cmd = command_find(name);
	if (!cmd) {
		fprintf(stderr,
			"seccomp-recorder: error: unknown command `%s`; see `seccomp-recorder --help`\n",
			name);
		return EXIT_USAGE;
	}
	/* argp names the program after argv[0] in its messages and --help. */
	snprintf(prog, sizeof(prog), "seccomp-recorder %s", cmd->name);
	argv[1] = prog;
	argp_err_exit_status = cmd->usage_exit;
	return cmd->run(argc - 1, argv + 1);
}
