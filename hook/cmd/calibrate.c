// SPDX-License-Identifier: Apache-2.0
/* Each runtime runs small containers (the host's own `true`, its /usr bound
 * read-only) with an allow-all seccomp filter, so that it installs one,
 * traced by our own hook with --runtime-syscalls observed: the profile's
 * runtime rule is then exactly what the filtered thread did after the
 * filter, up to the workload's exec. Both noNewPrivileges settings (they
 * move where the filter goes in), `run` and `create`+`start`, repeated. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "cmd/calibrate.h"
#include "oci/annotation.h"
#include "profile/profile.h"
#include "profile/profile_recording.h"
#include "profile/syscall_names.h"
#include "recorder.h"
#include "trace/calibration.h"
#include "trace/workload.h"
#include "util/json.h"
#include "util/log.h"
#include "util/safe_file.h"

#define STEP_TIMEOUT_S 60

struct runtime {
	char *path;    /* resolved */
	char *version; /* first line of `--version` */
};

struct session {
	char *work;    /* private scratch directory, removed at the end */
	char *self;    /* this binary, the hook */
	char *workload; /* the host's `true` */
	unsigned seq;  /* container ids */
};

/* Runs argv in a private mount namespace without the cgroup v2 mount of a
 * hybrid-cgroup host (crun refuses those), stdout and stderr to `log`
 * (truncated first), for at most STEP_TIMEOUT_S. Returns its exit status,
 * 128+N if signal N ended it, or -1 if it could not be run or timed out. */
static int run_logged(char *const argv[], const char *log)
{
	int status = 0;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0 || nul < 0 || dup2(nul, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(127);
		if (unshare(CLONE_NEWNS) == 0 &&
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
			umount2("/sys/fs/cgroup/unified", MNT_DETACH);
		execv(argv[0], argv);
		_exit(127);
	}
	for (int waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited += 10) {
		if (waited >= STEP_TIMEOUT_S * 1000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(10000);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The first line of `log`, for messages and versions; never NULL. */
static char *first_line(const char *log)
{
	cleanup_free char *text = NULL;
	hook_error_t err = NULL;
	size_t len = 0;

	if (safe_file_read_at(AT_FDCWD, log, log, 64 * 1024, &text, &len, &err) < 0 || !text) {
		hook_error_release(&err);
		return xstrdup("(no output)");
	}
	text[strcspn(text, "\n")] = '\0';
	return xstrdup(*text ? text : "(no output)");
}

static int runtime_open(const char *given, const struct session *s, struct runtime *rt,
			hook_error_t *err)
{
	cleanup_free char *log = NULL;
	char *argv[3];

	memset(rt, 0, sizeof(*rt));
	rt->path = realpath(given, NULL);
	if (!rt->path || access(rt->path, X_OK) < 0)
		return hook_make_error(err, errno, "runtime `%s`", given);
	xasprintf(&log, "%s/version.log", s->work);
	argv[0] = rt->path;
	argv[1] = (char *)"--version";
	argv[2] = NULL;
	if (run_logged(argv, log) != 0)
		return hook_make_error(err, 0, "runtime `%s`: `--version` failed", rt->path);
	rt->version = first_line(log);
	if (strncmp(rt->version, "runc ", 5) != 0 && strncmp(rt->version, "crun ", 5) != 0)
		return hook_make_error(err, 0, "runtime `%s` is neither runc nor crun (`%s`)",
				       rt->path, rt->version);
	return 0;
}

static void runtime_free(struct runtime *rt)
{
	free(rt->path);
	free(rt->version);
}

/* /bin, /lib... as on the host: a symlink (merged /usr) made again, a
 * directory bound read-only (listed in `binds`). */
static int rootfs_make(const char *root, struct strv *binds, hook_error_t *err)
{
	static const char *const top[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };
	static const char *const dirs[] = { "proc", "dev", "usr" };
	cleanup_free char *path = NULL;

	if (mkdir(root, 0755) < 0)
		return hook_make_error(err, errno, "cannot create `%s`", root);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		free(steal_pointer(&path));
		xasprintf(&path, "%s/%s", root, dirs[i]);
		if (mkdir(path, 0755) < 0)
			return hook_make_error(err, errno, "cannot create `%s`", path);
	}
	strv_add(binds, "/usr");
	for (size_t i = 0; i < sizeof(top) / sizeof(top[0]); i++) {
		char host[32], target[PATH_MAX];
		struct stat st;
		ssize_t n;

		snprintf(host, sizeof(host), "/%s", top[i]);
		if (lstat(host, &st) < 0)
			continue;
		free(steal_pointer(&path));
		xasprintf(&path, "%s/%s", root, top[i]);
		if (S_ISLNK(st.st_mode)) {
			n = readlink(host, target, sizeof(target) - 1);
			if (n < 0)
				continue;
			target[n] = '\0';
			if (symlink(target, path) < 0)
				return hook_make_error(err, errno, "cannot create `%s`", path);
		} else if (S_ISDIR(st.st_mode)) {
			if (mkdir(path, 0755) < 0)
				return hook_make_error(err, errno, "cannot create `%s`", path);
			strv_add(binds, host);
		}
	}
	return 0;
}

static void w_hook(struct json_writer *jw, const struct session *s)
{
	const char *args[] = { "seccomp-recorder", "hook", "--allow-dir", s->work,
			       "--runtime-syscalls", "observed" };

	json_w_object_open(jw);
	json_w_kv_string(jw, "path", s->self);
	json_w_kv_strings(jw, "args", (char *const *)args, sizeof(args) / sizeof(args[0]));
	json_w_object_close(jw);
}

static void w_mount(struct json_writer *jw, const char *dest, const char *type, const char *src,
		    const char *const *options, size_t n)
{
	json_w_object_open(jw);
	json_w_kv_string(jw, "destination", dest);
	json_w_kv_string(jw, "type", type);
	json_w_kv_string(jw, "source", src);
	json_w_kv_strings(jw, "options", (char *const *)options, n);
	json_w_object_close(jw);
}

static void w_process(struct json_writer *jw, const struct session *s, bool nnp)
{
	const char *caps[] = { "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" };
	const char *sets[] = { "bounding", "effective", "permitted" };
	const char *env[] = { "PATH=/usr/bin:/bin" };

	json_w_string(jw, "process");
	json_w_object_open(jw);
	json_w_string(jw, "terminal");
	json_w_bool(jw, false);
	json_w_string(jw, "user");
	json_w_object_open(jw);
	json_w_kv_uint64(jw, "uid", 0);
	json_w_kv_uint64(jw, "gid", 0);
	json_w_object_close(jw);
	json_w_kv_strings(jw, "args", (char *const *)&s->workload, 1);
	json_w_kv_strings(jw, "env", (char *const *)env, 1);
	json_w_kv_string(jw, "cwd", "/");
	json_w_string(jw, "noNewPrivileges");
	json_w_bool(jw, nnp);
	json_w_string(jw, "capabilities");
	json_w_object_open(jw);
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		json_w_kv_strings(jw, sets[i], (char *const *)caps, sizeof(caps) / sizeof(caps[0]));
	json_w_object_close(jw);
	json_w_object_close(jw);
}

/* An allow-all filter with one rule: enough for the runtime to install it. */
static void w_linux(struct json_writer *jw)
{
	const char *ns[] = { "pid", "ipc", "uts", "mount", "network" };
	const char *arch = syscall_slot_arch(RECORDER_ARCH_NATIVE);
	const char *deny[] = { "kexec_load" };

	json_w_string(jw, "linux");
	json_w_object_open(jw);
	json_w_string(jw, "namespaces");
	json_w_array_open(jw);
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		json_w_object_open(jw);
		json_w_kv_string(jw, "type", ns[i]);
		json_w_object_close(jw);
	}
	json_w_array_close(jw);
	json_w_string(jw, "seccomp");
	json_w_object_open(jw);
	json_w_kv_string(jw, "defaultAction", "SCMP_ACT_ALLOW");
	json_w_kv_strings(jw, "architectures", (char *const *)&arch, 1);
	json_w_string(jw, "syscalls");
	json_w_array_open(jw);
	json_w_object_open(jw);
	json_w_kv_strings(jw, "names", (char *const *)deny, 1);
	json_w_kv_string(jw, "action", "SCMP_ACT_ERRNO");
	json_w_object_close(jw);
	json_w_array_close(jw);
	json_w_object_close(jw);
	json_w_object_close(jw);
}

static int bundle_write(const struct session *s, const char *bundle, const struct strv *binds,
			bool nnp, hook_error_t *err)
{
	static const char *const ro[] = { "rbind", "ro" };
	static const char *const dev[] = { "nosuid", "strictatime", "mode=755", "size=65536k" };
	cleanup_json_writer struct json_writer *jw = json_writer_new();
	cleanup_free char *text = NULL, *ann = NULL, *rootfs = NULL;
	cleanup_close int dirfd = -1;
	size_t len;

	xasprintf(&ann, "of:%s/out.json", s->work);
	xasprintf(&rootfs, "%s/rootfs", s->work);
	json_w_object_open(jw);
	json_w_kv_string(jw, "ociVersion", "1.0.2");
	w_process(jw, s, nnp);
	json_w_string(jw, "root");
	json_w_object_open(jw);
	json_w_kv_string(jw, "path", rootfs);
	json_w_string(jw, "readonly");
	json_w_bool(jw, true);
	json_w_object_close(jw);
	json_w_kv_string(jw, "hostname", "calibrate");
	json_w_string(jw, "mounts");
	json_w_array_open(jw);
	w_mount(jw, "/proc", "proc", "proc", NULL, 0);
	w_mount(jw, "/dev", "tmpfs", "tmpfs", dev, sizeof(dev) / sizeof(dev[0]));
	for (size_t i = 0; i < binds->n; i++)
		w_mount(jw, binds->v[i], "bind", binds->v[i], ro, 2);
	json_w_array_close(jw);
	json_w_string(jw, "hooks");
	json_w_object_open(jw);
	json_w_string(jw, "prestart");
	json_w_array_open(jw);
	w_hook(jw, s);
	json_w_array_close(jw);
	json_w_string(jw, "poststop");
	json_w_array_open(jw);
	w_hook(jw, s);
	json_w_array_close(jw);
	json_w_object_close(jw);
	json_w_string(jw, "annotations");
	json_w_object_open(jw);
	json_w_kv_string(jw, "io.containers.trace-syscall", ann);
	json_w_object_close(jw);
	w_linux(jw);
	json_w_object_close(jw);
	if (json_writer_finish(jw, &text, &len, err) < 0)
		return -1;
	dirfd = open(bundle, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0)
		return hook_make_error(err, errno, "cannot open `%s`", bundle);
	return safe_file_replace(dirfd, "config.json", text, len, 0600, 0, "config.json", err);
}

/* Waits for a started container to have stopped (`state`), so that
 * `delete` runs the poststop hook after the tracer wrote the profile. */
static int wait_stopped(const struct runtime *rt, const char *id, const char *log)
{
	char *argv[] = { rt->path, (char *)"state", (char *)id, NULL };

	for (int i = 0; i < STEP_TIMEOUT_S * 20; i++) {
		cleanup_json json_value *state = NULL;
		cleanup_free char *text = NULL;
		hook_error_t err = NULL;
		const json_value *status;
		size_t len = 0;

		if (run_logged(argv, log) != 0)
			return -1;
		if (safe_file_read_at(AT_FDCWD, log, log, 64 * 1024, &text, &len, &err) < 0 || !text ||
		    json_parse(text, log, &state, &err) < 0) {
			hook_error_release(&err);
			return -1;
		}
		status = json_object_get(state, "status");
		if (status && json_type_of(status) == JSON_STRING &&
		    strcmp(json_string(status), "stopped") == 0)
			return 0;
		usleep(50000);
	}
	return -1;
}

/* One start of `bundle` under `rt`: `run`, or `create`, `start`, `delete`. */
static int start_once(const struct runtime *rt, struct session *s, const char *bundle,
		      bool create_start, hook_error_t *err)
{
	cleanup_free char *id = NULL, *log = NULL;
	char *run[] = { rt->path, (char *)"run", (char *)"--bundle", (char *)bundle, NULL, NULL };
	char *create[] = { rt->path, (char *)"create", (char *)"--bundle", (char *)bundle, NULL,
			   NULL };
	char *start[] = { rt->path, (char *)"start", NULL, NULL };
	char *del[] = { rt->path, (char *)"delete", NULL, NULL };
	const char *step = "run";
	int ret;

	xasprintf(&id, "sr-calibrate-%d-%u", (int)getpid(), s->seq++);
	xasprintf(&log, "%s/runtime.log", s->work);
	run[4] = create[4] = start[2] = del[2] = id;
	if (!create_start) {
		ret = run_logged(run, log);
	} else {
		step = "create";
		ret = run_logged(create, log);
		if (ret == 0) {
			step = "start";
			ret = run_logged(start, log);
		}
		if (ret == 0) {
			step = "state";
			ret = wait_stopped(rt, id, log);
		}
		if (ret == 0) {
			step = "delete";
			ret = run_logged(del, log);
		} else {
			char *force[] = { rt->path, (char *)"delete", (char *)"-f", id, NULL };
			cleanup_free char *flog = NULL;

			xasprintf(&flog, "%s/delete.log", s->work);
			run_logged(force, flog);
		}
	}
	if (ret != 0) {
		cleanup_free char *why = first_line(log);

		return hook_make_error(err, 0, "`%s %s` failed (%d): %s", rt->path, step, ret, why);
	}
	return 0;
}

/* The runtime rule of the profile the hook just wrote, into `into`. */
static int collect_start(const struct session *s, struct strv *into, hook_error_t *err)
{
	cleanup_free char *path = NULL, *text = NULL;
	struct profile p = { 0 };
	bool found = false;
	size_t len = 0;
	int ret;

	xasprintf(&path, "%s/out.json", s->work);
	ret = safe_file_read_at(AT_FDCWD, path, path, PROFILE_MAX_SIZE, &text, &len, err);
	if (ret < 0)
		return ret;
	if (!text)
		return hook_make_error(err, 0, "the hook wrote no profile");
	ret = profile_parse(text, len, path, &p, err);
	for (size_t i = 0; ret == 0 && i < p.n_rules; i++) {
		const struct profile_rule *r = &p.rules[i];

		if (!r->comment || strcmp(r->comment, PROFILE_RUNTIME_COMMENT) != 0)
			continue;
		found = true;
		for (size_t j = 0; j < r->names.n; j++)
			strv_add(into, r->names.v[j]);
	}
	profile_free(&p);
	unlink(path);
	if (ret == 0 && !found)
		return hook_make_error(err, 0, "the runtime was not seen installing the seccomp "
					       "filter");
	return ret;
}

static void print_names(const char *label, const struct strv *names)
{
	printf("  %s (%zu):", label, names->n);
	for (size_t i = 0; i < names->n; i++)
		printf(" %s", names->v[i]);
	printf("%s\n", names->n ? "" : " none");
}

static void beyond_builtin(const struct strv *names, struct strv *beyond)
{
	for (size_t i = 0; i < names->n; i++)
		if (!workload_runtime_builtin(names->v[i]))
			strv_add(beyond, names->v[i]);
}

static int calibrate_one(const char *given, struct session *s, const struct strv *binds,
			 unsigned repeat, hook_error_t *err)
{
	struct calibration c = { 0 };
	struct strv beyond = { 0 };
	cleanup_free char *bundle = NULL, *stored = NULL;
	struct runtime rt;
	char when[32];
	time_t now = time(NULL);
	int ret;

	ret = runtime_open(given, s, &rt, err);
	xasprintf(&bundle, "%s/bundle", s->work);
	for (int nnp = 0; ret == 0 && nnp < 2; nnp++) {
		ret = bundle_write(s, bundle, binds, nnp == 1, err);
		for (int mode = 0; ret == 0 && mode < 2; mode++)
			for (unsigned i = 0; ret == 0 && i < repeat; i++) {
				ret = start_once(&rt, s, bundle, mode == 1, err);
				if (ret == 0)
					ret = collect_start(s, &c.syscalls, err);
				if (ret < 0)
					hook_error_wrap(err, "%s, noNewPrivileges %s, %s", rt.version,
							nnp ? "true" : "false",
							mode ? "create+start" : "run");
				c.starts++;
			}
	}
	if (ret == 0) {
		strv_sort_unique(&c.syscalls);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
		c.runtime = xstrdup(rt.path);
		c.version = xstrdup(rt.version);
		c.measured = xstrdup(when);
		ret = calibration_store(&c, &stored, err);
	}
	if (ret == 0) {
		beyond_builtin(&c.syscalls, &beyond);
		printf("%s (%s): %lu starts; stored in %s\n", rt.version, rt.path, c.starts, stored);
		print_names("after the filter", &c.syscalls);
		print_names("beyond the built-in set", &beyond);
	}
	strv_free(&beyond);
	calibration_free(&c);
	runtime_free(&rt);
	return ret;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/* The runc and crun of this host, as engines find them. */
static void default_runtimes(struct strv *out)
{
	static const char *const names[] = { "runc", "crun" };
	static const char *const dirs[] = { "/usr/bin", "/usr/sbin", "/usr/local/bin",
					    "/usr/local/sbin" };

	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
		for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
			cleanup_free char *path = NULL;

			xasprintf(&path, "%s/%s", dirs[d], names[n]);
			if (access(path, X_OK) == 0) {
				strv_add(out, path);
				break;
			}
		}
}

static int session_open(struct session *s, struct strv *binds, hook_error_t *err)
{
	cleanup_close int rundirfd = -1;
	cleanup_free char *rootfs = NULL;
	char tmpl[] = SAFE_FILE_RUN_DIR "/calibrate.XXXXXX";

	memset(s, 0, sizeof(*s));
	rundirfd = safe_private_dir(SAFE_FILE_RUN_DIR, 0700, 0077, err);
	if (rundirfd < 0)
		return -1;
	if (!mkdtemp(tmpl))
		return hook_make_error(err, errno, "cannot create a directory in `%s`",
				       SAFE_FILE_RUN_DIR);
	s->work = xstrdup(tmpl);
	s->self = realpath("/proc/self/exe", NULL);
	if (!s->self)
		return hook_make_error(err, errno, "cannot find this program (/proc/self/exe)");
	s->workload = xstrdup(access("/bin/true", X_OK) == 0 ? "/bin/true" : "/usr/bin/true");
	xasprintf(&rootfs, "%s/rootfs", s->work);
	if (rootfs_make(rootfs, binds, err) < 0)
		return -1;
	free(steal_pointer(&rootfs));
	xasprintf(&rootfs, "%s/bundle", s->work);
	if (mkdir(rootfs, 0700) < 0)
		return hook_make_error(err, errno, "cannot create `%s`", rootfs);
	return 0;
}

static void session_close(struct session *s)
{
	if (s->work)
		nftw(s->work, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(s->work);
	free(s->self);
	free(s->workload);
}

int calibrate_run(const struct calibrate_options *opts)
{
	struct strv runtimes = { 0 }, binds = { 0 };
	struct session s;
	hook_error_t err = NULL;
	int failed = 0;

	if (geteuid() != 0) {
		log_error("calibrate needs root: it runs containers and loads BPF programs");
		return 1;
	}
	for (size_t i = 0; i < opts->n_runtimes; i++)
		strv_add(&runtimes, opts->runtimes[i]);
	if (runtimes.n == 0)
		default_runtimes(&runtimes);
	if (runtimes.n == 0) {
		log_error("no runc or crun in /usr/bin, /usr/sbin, /usr/local/bin or "
			  "/usr/local/sbin; name one with --runtime PATH");
		return 1;
	}
	if (session_open(&s, &binds, &err) < 0) {
		log_error_release(LOG_ERR, &err);
		session_close(&s);
		strv_free(&runtimes);
		strv_free(&binds);
		return 1;
	}
	for (size_t i = 0; i < runtimes.n; i++)
		if (calibrate_one(runtimes.v[i], &s, &binds, opts->repeat, &err) < 0) {
			log_error_release(LOG_ERR, &err);
			failed++;
		}
	session_close(&s);
	strv_free(&runtimes);
	strv_free(&binds);
	return failed ? 1 : 0;
}

static void show_one(void *ctx, const char *file, const struct calibration *c)
{
	struct strv beyond = { 0 };

	(void)ctx;
	beyond_builtin(&c->syscalls, &beyond);
	printf("%s (%s): measured %s over %lu starts; %s\n", c->version, c->runtime, c->measured,
	       c->starts, file);
	print_names("after the filter", &c->syscalls);
	print_names("beyond the built-in set", &beyond);
	strv_free(&beyond);
}

int calibrate_show(void)
{
	if (calibration_for_each(show_one, NULL) == 0)
		printf("nothing calibrated yet in %s; run `seccomp-recorder calibrate`\n",
		       CALIBRATION_DIR);
	return 0;
}
