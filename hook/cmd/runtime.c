// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "cmd/hook.h"
#include "cmd/runtime.h"
#include "cmd/runtime_args.h"
#include "oci/annotation.h"
#include "oci/annotation_select.h"
#include "oci/docker_labels.h"
#include "oci/oci_config.h"
#include "util/json.h"
#include "util/log.h"
#include "util/safe_file.h"
#include "util/strv.h"

#define RUNTIME_EXIT_USAGE 2
#define RUNTIME_EXIT_FAILURE 1

/* Where a runtime named without a path is looked for, in this order. */
static const char *const runtime_dirs[] = { "/usr/bin", "/usr/sbin", "/usr/local/bin" };

static const char runtime_usage[] =
	"Usage: seccomp-recorder runtime [--runtime PATH] [--allow-dir DIR]... "
	"[--allow-read DIR]... [--] RUNTIME-ARGS...\n"
	"An OCI runtime for engines that read no hooks.d (Docker, containerd): on `create` and "
	"`run` of a container whose config.json carries the annotation " ANNOTATION_KEY
	" (or, under Docker 20.10, the label), adds seccomp-recorder's prestart and poststop "
	"hooks to the config; then runs the real runtime with RUNTIME-ARGS unchanged.\n"
	"\n"
	"  --runtime PATH    the runtime to run (default: runc, from /usr/bin, /usr/sbin or "
	"/usr/local/bin)\n"
	"  --allow-dir DIR   passed to the hook: where annotations may name files (repeatable; "
	"default " OUTPUT_DEFAULT_DIR ")\n"
	"  --allow-read DIR  passed to the hook: where `if:` baselines may also be read\n"
	"\n"
	"Links named seccomp-recorder-runc and seccomp-recorder-crun are this command with "
	"that runtime.\n";

struct runtime_cli {
	const char *runtime;
	struct hook_options hook;
};

/* An error line for the engine: on stderr, and in the runtime's --log file
 * in its format (one JSON object per line, or logrus's text), where
 * containerd and Docker look when a runtime fails. */
static void report(const struct runtime_args *ra, hook_error_t *err)
{
	cleanup_json_writer struct json_writer *w = NULL;
	cleanup_free char *msg = hook_error_string(*err), *line = NULL, *quoted = NULL;
	cleanup_close int fd = -1;
	char when[64];
	struct tm tm;
	time_t now = time(NULL);
	size_t len;

	log_set_foreground(true);
	log_error_release(LOG_ERR, err);
	if (!ra || !ra->log)
		return;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	w = json_writer_new_compact();
	if (ra->log_json) {
		json_w_object_open(w);
		json_w_kv_string(w, "level", "error");
		json_w_kv_string(w, "msg", msg);
		json_w_kv_string(w, "time", when);
		json_w_object_close(w);
		if (json_writer_finish(w, &line, &len, err) < 0)
			return hook_error_release(err);
	} else {
		json_w_string(w, msg);
		if (json_writer_finish(w, &quoted, &len, err) < 0)
			return hook_error_release(err);
		quoted[len - 1] = '\0';
		xasprintf(&line, "time=\"%s\" level=error msg=%s\n", when, quoted);
	}
	fd = open(ra->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0 || write(fd, line, strlen(line)) < 0)
		log_warn("cannot write to the runtime log `%s`: %m", ra->log);
}

static int find_runtime(const char *name, char **out, hook_error_t *err)
{
	size_t i;

	if (strchr(name, '/')) {
		if (access(name, X_OK) < 0)
			return hook_make_error(err, errno, "runtime `%s`", name);
		*out = xstrdup(name);
		return 0;
	}
	for (i = 0; i < sizeof(runtime_dirs) / sizeof(runtime_dirs[0]); i++) {
		xasprintf(out, "%s/%s", runtime_dirs[i], name);
		if (access(*out, X_OK) == 0)
			return 0;
		free(*out);
		*out = NULL;
	}
	return hook_make_error(err, 0, "runtime `%s` is in none of /usr/bin, /usr/sbin, "
				       "/usr/local/bin", name);
}

/* Our hook as the runtime-spec describes one, with the wrapper's allowed
 * directories (canonical by now). */
static void hook_entry(const struct hook_options *opts, char *self, struct strv *args,
		       struct oci_config_hook *h)
{
	size_t i;

	strv_add(args, "seccomp-recorder");
	strv_add(args, "hook");
	for (i = 0; i < opts->allowed.write.n; i++) {
		strv_add(args, "--allow-dir");
		strv_add(args, opts->allowed.write.v[i]);
	}
	for (i = 0; i < opts->allowed.read.n; i++) {
		strv_add(args, "--allow-read");
		strv_add(args, opts->allowed.read.v[i]);
	}
	h->path = self;
	h->args = args->v;
	h->n_args = args->n;
}

/* A bundle's config file, parsed, with what writing it back needs. */
struct bundle_config {
	char *path; /* as the runtime will open it, for messages */
	int dirfd;
	char *base;
	mode_t mode;
	json_value *root; /* NULL when there is no such file */
};

static void bundle_config_free(struct bundle_config *c)
{
	free(c->path);
	free(c->base);
	if (c->dirfd >= 0)
		close(c->dirfd);
	json_free(c->root);
}

static int bundle_config_load(const struct runtime_args *ra, struct bundle_config *c,
			      hook_error_t *err)
{
	const char *name = ra->config ? ra->config : "config.json";
	cleanup_free char *dir = NULL, *text = NULL;
	cleanup_close int fd = -1;
	struct stat st;
	size_t len;

	if (name[0] == '/')
		c->path = xstrdup(name);
	else
		xasprintf(&c->path, "%s/%s", ra->bundle ? ra->bundle : ".", name);
	/* POSIX basename() and dirname() may write into their argument. */
	dir = xstrdup(c->path);
	c->base = xstrdup(basename(dir));
	free(dir);
	dir = xstrdup(c->path);
	c->dirfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->dirfd < 0)
		return errno == ENOENT ? 0 : hook_make_error(err, errno, "cannot open the bundle "
							      "of `%s`", c->path);
	fd = safe_file_open_read(c->dirfd, c->base, c->path, err);
	if (fd == -ENOENT)
		return 0; /* the runtime will say so */
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return hook_make_error(err, errno, "cannot stat `%s`", c->path);
	c->mode = st.st_mode & 07777;
	if (safe_file_read_fd(fd, c->path, OCI_CONFIG_MAX, &text, &len, err) < 0)
		return -1;
	return json_parse(text, c->path, &c->root, err);
}

/* The trace annotation the container asks for, from config.json or, for a
 * Docker 20.10 container, from its labels (then *from_label). */
static int trace_request(const struct bundle_config *c, const struct runtime_args *ra,
			 char **key, char **value, bool *from_label, hook_error_t *err)
{
	const char *k, *v;

	*from_label = false;
	if (json_type_of(c->root) != JSON_OBJECT)
		return hook_make_error(err, 0, "`%s`: expected a JSON object", c->path);
	if (annotation_select(json_object_get(c->root, "annotations"), c->path, &k, &v, err) < 0)
		return -1;
	if (v) {
		*key = xstrdup(k);
		*value = xstrdup(v);
		return 0;
	}
	if (!ra->id || !ra->bundle)
		return 0;
	if (docker_label_select(c->root, ra->bundle, ra->id, key, value, err) < 0)
		return -1;
	*from_label = *value != NULL;
	return 0;
}

static int add_hooks(const struct bundle_config *c, const struct runtime_args *ra,
		     const char *key, const char *value, bool from_label,
		     struct hook_options *opts, hook_error_t *err)
{
	struct annotation ann = { 0 };
	struct strv args = { 0 };
	struct oci_config_hook h;
	cleanup_free char *self = NULL, *text = NULL;
	size_t len;
	int ret;

	ret = annotation_parse(value, &ann, err);
	if (ret < 0) {
		hook_error_wrap(err, "in %s `%s`", from_label ? "label" : "annotation", key);
		goto out;
	}
	ret = output_allowed_init(&opts->allowed, err);
	if (ret == 0)
		ret = hook_annotation_check(&ann, ra->bundle ? ra->bundle : ".", opts, err);
	if (ret < 0)
		goto out;
	self = realpath("/proc/self/exe", NULL);
	if (!self) {
		ret = hook_make_error(err, errno, "cannot find our own binary");
		goto out;
	}
	hook_entry(opts, self, &args, &h);
	ret = oci_config_add_hooks(c->root, &h, from_label ? value : NULL, c->path, &text, &len,
				   err);
	if (ret == 0)
		ret = safe_file_replace(c->dirfd, c->base, text, len, c->mode, 0, c->path, err);
	if (ret == 0)
		log_info("container `%s`: tracing requested by %s `%s`; hooks added to `%s`",
			 ra->id ? ra->id : "?", from_label ? "label" : "annotation", key, c->path);
out:
	strv_free(&args);
	annotation_free(&ann);
	return ret;
}

/* create/run: our hooks into the bundle of a container that asks for them. */
static int bundle_prepare(const struct runtime_args *ra, struct hook_options *opts,
			  hook_error_t *err)
{
	struct bundle_config c = { .dirfd = -1 };
	cleanup_free char *key = NULL, *value = NULL;
	bool from_label = false;
	int ret;

	ret = bundle_config_load(ra, &c, err);
	if (ret == 0 && c.root)
		ret = trace_request(&c, ra, &key, &value, &from_label, err);
	if (ret == 0 && value) {
		/* Not on stderr: engines give the runtime the container's own. */
		log_init(false, false);
		ret = add_hooks(&c, ra, key, value, from_label, opts, err);
	}
	bundle_config_free(&c);
	return ret;
}

/* Runs `runtime` with args[0..n) as they came. Returns only on failure. */
static int exec_runtime(const char *runtime, int n, char **args, const struct runtime_args *ra)
{
	cleanup_free char **argv = xmalloc(((size_t)n + 2) * sizeof(*argv));
	hook_error_t err = NULL;

	argv[0] = (char *)runtime;
	memcpy(argv + 1, args, (size_t)n * sizeof(*argv));
	argv[n + 1] = NULL;
	execv(runtime, argv);
	hook_make_error(&err, errno, "cannot run `%s`", runtime);
	report(ra, &err);
	return RUNTIME_EXIT_FAILURE;
}

static int runtime_run(const char *runtime_name, struct hook_options *opts, int n, char **args)
{
	cleanup_free char *runtime = NULL;
	struct runtime_args ra;
	hook_error_t err = NULL;
	int ret;

	runtime_args_parse(n, args, &ra);
	ret = find_runtime(runtime_name, &runtime, &err);
	if (ret == 0 && runtime_args_creates(&ra))
		ret = bundle_prepare(&ra, opts, &err);
	output_allowed_free(&opts->allowed);
	if (ret < 0) {
		hook_error_wrap(&err, "seccomp-recorder runtime");
		report(&ra, &err);
		return RUNTIME_EXIT_FAILURE;
	}
	return exec_runtime(runtime, n, args, &ra);
}

static bool option_is(const char *arg, size_t n, const char *name)
{
	return strlen(name) == n && strncmp(arg, name, n) == 0;
}

/* Our options come first; the first argument that is none of them, or
 * `--`, starts the runtime's. Not argp: it would reorder the runtime's. */
static int parse_options(int argc, char **argv, struct runtime_cli *cli, int *first)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		struct strv *dirs = NULL;
		const char *value;
		size_t n;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(runtime_usage, stdout);
			exit(0);
		}
		n = strcspn(a, "=");
		if (!option_is(a, n, "--runtime") && !option_is(a, n, "--allow-dir") &&
		    !option_is(a, n, "--allow-read"))
			break;
		if (a[n] == '=') {
			value = a + n + 1;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			fprintf(stderr, "seccomp-recorder runtime: error: %s needs a value\n", a);
			return -1;
		}
		if (option_is(a, n, "--runtime")) {
			cli->runtime = value;
			continue;
		}
		dirs = option_is(a, n, "--allow-dir") ? &cli->hook.allowed.write
						     : &cli->hook.allowed.read;
		if (value[0] != '/') {
			fprintf(stderr, "seccomp-recorder runtime: error: %.*s `%s` is not an "
					"absolute path\n", (int)n, a, value);
			return -1;
		}
		strv_add(dirs, value);
	}
	*first = i;
	return 0;
}

int runtime_main(int argc, char **argv)
{
	struct runtime_cli cli = { .runtime = "runc" };
	int first;

	if (parse_options(argc, argv, &cli, &first) < 0) {
		output_allowed_free(&cli.hook.allowed);
		return RUNTIME_EXIT_USAGE;
	}
	return runtime_run(cli.runtime, &cli.hook, argc - first, argv + first);
}

int runtime_link_main(const char *runtime, int argc, char **argv)
{
	struct hook_options opts = { 0 };

	return runtime_run(runtime, &opts, argc - 1, argv + 1);
}
