// SPDX-License-Identifier: Apache-2.0
/* `export`: its argp parser lives here rather than in main.c, which only
 * dispatches to it, so that the conversion's options stay beside their
 * only user. */
#define _GNU_SOURCE
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cmd/export.h"
#include "profile/output.h"
#include "profile/profile_spo.h"
#include "util/log.h"

/* Usage errors too: argp_failure rather than argp_error, whose second line
 * ("Try ... --help") would break the one-line rule. */
#define EXPORT_EXIT_FAILURE 2

static const char export_doc[] =
	"Print PROFILE as a Security Profiles Operator SeccompProfile object (YAML) named "
	"NAME.\n"
	"\v"
	"Everything the profile says that the CRD can carry is kept; what it cannot carry is "
	"refused (exit 2, one line naming the field) unless dropping it changes nothing an "
	"engine does (comments, which become YAML comments; defaultErrnoRet 1 = EPERM, the "
	"engines' own default). Conditional rules (includes/excludes) and archMap are "
	"resolved only for a target you state: --caps (the containers' bounding "
	"capabilities), --arch (the nodes' GOARCH) and --kernel (the nodes' kernel), each "
	"needed only if some rule depends on it; the rule is then kept unconditionally or "
	"left out, exactly as containers/common and moby would do for that container. "
	"Example (web.json recorded with the annotation key errno:EPERM):\n"
	"  seccomp-recorder export --spo web web.json | kubectl apply -f -";

enum { OPT_SPO = 5000, OPT_API, OPT_CAPS, OPT_ARCH, OPT_KERNEL, OPT_DEFAULT_EPERM };

static const struct argp_option export_options[] = {
	{ "spo", OPT_SPO, "NAME", 0,
	  "The object's metadata.name (required; a DNS-1123 subdomain, at most 253 characters)",
	  0 },
	{ "api", OPT_API, "VERSION", 0,
	  "v1 (default) or v1beta1: security-profiles-operator.x-k8s.io/VERSION", 0 },
	{ "caps", OPT_CAPS, "LIST", 0,
	  "The target containers' bounding capabilities (CAP_CHOWN,... or `none`), to resolve "
	  "includes/excludes on capabilities",
	  0 },
	{ "arch", OPT_ARCH, "GOARCH", 0,
	  "The nodes' architecture as Go names it (amd64, arm64, ...), to resolve archMap and "
	  "includes/excludes on architectures",
	  0 },
	{ "kernel", OPT_KERNEL, "MAJOR.MINOR", 0,
	  "The nodes' kernel version, to resolve includes/excludes on minKernel", 0 },
	{ "default-eperm", OPT_DEFAULT_EPERM, NULL, 0,
	  "Accept that syscalls outside the profile fail with EPERM instead of its "
	  "defaultErrnoRet (the CRD has no such field)",
	  0 },
	{},
};

struct export_cli {
	struct spo_options spo;
	const char *path;
};

static void parse_or_fail(struct argp_state *state, int ret, hook_error_t *err)
{
	cleanup_free char *msg = NULL;

	if (ret >= 0)
		return;
	msg = hook_error_string(*err);
	hook_error_release(err);
	argp_failure(state, EXPORT_EXIT_FAILURE, 0, "%s", msg);
}

static error_t export_parse_arg(int key, char *arg, struct argp_state *state)
{
	struct export_cli *cli = state->input;
	struct spo_target *t = &cli->spo.target;
	hook_error_t err = NULL;

	switch (key) {
	case OPT_SPO:
		parse_or_fail(state, spo_check_name(arg, &err), &err);
		cli->spo.name = arg;
		break;
	case OPT_API:
		parse_or_fail(state, spo_check_api(arg, &err), &err);
		cli->spo.api = arg;
		break;
	case OPT_CAPS:
		strv_free(&t->caps);
		t->caps_set = true;
		parse_or_fail(state, spo_parse_caps(arg, &t->caps, &err), &err);
		break;
	case OPT_ARCH:
		if (!spo_scmp_arch(arg))
			argp_failure(state, EXPORT_EXIT_FAILURE, 0,
				     "--arch `%s` is not a Go architecture name", arg);
		t->arch = arg;
		break;
	case OPT_KERNEL:
		t->kernel_set = true;
		parse_or_fail(state,
			      spo_parse_kernel(arg, &t->kernel_major, &t->kernel_minor, &err),
			      &err);
		break;
	case OPT_DEFAULT_EPERM:
		t->default_eperm = true;
		break;
	case ARGP_KEY_ARG:
		if (cli->path)
			argp_failure(state, EXPORT_EXIT_FAILURE, 0, "unexpected argument `%s`", arg);
		cli->path = arg;
		break;
	case ARGP_KEY_END:
		if (!cli->spo.name)
			argp_failure(state, EXPORT_EXIT_FAILURE, 0, "--spo NAME is required");
		if (!cli->path)
			argp_failure(state, EXPORT_EXIT_FAILURE, 0, "expected one PROFILE");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp export_argp = {
	export_options, export_parse_arg, "--spo NAME PROFILE", export_doc, NULL, NULL, NULL
};

/* Reads, converts, and writes all of it or nothing. */
static int export_run(const struct export_cli *cli)
{
	struct profile p = { 0 };
	cleanup_free char *yaml = NULL;
	hook_error_t err = NULL;
	size_t len = 0;
	int ret;

	ret = output_read_profile_file(cli->path, &p, &err);
	if (ret == 0) {
		ret = profile_spo_yaml(&p, &cli->spo, &yaml, &len, &err);
		if (ret < 0)
			hook_error_wrap(&err, "`%s` cannot be exported", cli->path);
	}
	profile_free(&p);
	if (ret < 0) {
		log_error_release(LOG_ERR, &err);
		return EXPORT_EXIT_FAILURE;
	}
	if (fwrite(yaml, 1, len, stdout) != len || fflush(stdout) != 0) {
		log_error("cannot write to standard output: %s", strerror(errno));
		return EXPORT_EXIT_FAILURE;
	}
	return 0;
}

int export_main(int argc, char **argv)
{
	struct export_cli cli = { .spo.api = "v1" };
	int ret;

	argp_parse(&export_argp, argc, argv, 0, NULL, &cli);
	log_init(true, false);
	ret = export_run(&cli);
	strv_free(&cli.spo.target.caps);
	return ret;
}
