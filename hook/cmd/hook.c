// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "cmd/hook.h"
#include "oci/annotation.h"
#include "oci/oci_state.h"
#include "profile/caps_job.h"
#include "profile/recording_job.h"
#include "trace/detach.h"
#include "trace/follow.h"
#include "trace/rundir.h"
#include "trace/tracer.h"
#include "util/log.h"

static volatile sig_atomic_t tracer_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	tracer_stop = 1;
}

static const int stop_signals[] = { SIGTERM, SIGINT, SIGHUP };

/* Held from before the fork until the tracer's handlers are in place, so a
 * stop request in between is delivered to them instead of killing it. */
static void block_stop_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(&set, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

static int install_stop_handlers(const sigset_t *old, hook_error_t *err)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (sigaction(stop_signals[i], &sa, NULL) < 0)
			return hook_make_error(err, errno, "cannot install signal handler");
	sigprocmask(SIG_SETMASK, old, NULL);
	return 0;
}

/* The detached tracer: follows the container (checkpoints, alerts, status),
 * writes the profile when it ends, leaves its outcome for poststop. Never
 * returns. */
static void __attribute__((noreturn))
tracer_main(const struct oci_state *st, const struct annotation *ann, struct tracer *t,
	    struct recording_job *job, struct caps_job *caps, int rundirfd, int lockfd,
	    const sigset_t *sigmask)
{
	cleanup_free char *msg = NULL;
	hook_error_t err = NULL;
	struct follow l;
	size_t n = 0;
	int ret;

	follow_init(&l, st->id, t, job, caps, rundirfd, ann->flush_s);
	ret = install_stop_handlers(sigmask, &err);
	if (ret == 0 && follow_run(&l, &tracer_stop) == TRACER_STOPPED)
		log_info("container `%s`: stopped by a signal; writing what was seen", st->id);
	tracer_detach(t);
	if (ret >= 0)
		ret = follow_write(&l, true, &n, &err);
	/* After the profile: it needs the same proof that the workload ran. */
	if (ret >= 0)
		ret = follow_write_caps(&l, true, &err);
	/* Poststop and `runc run` return once we exit: by then nothing of
	 * ours may be left in the kernel. */
	tracer_destroy_sync(t);
	if (ret < 0) {
		hook_error_wrap(&err, "container `%s`", st->id);
		msg = hook_error_string(err);
		log_error("%s", msg);
		hook_error_release(&err);
	} else {
		struct rusage ru = { 0 };

		getrusage(RUSAGE_SELF, &ru);
		xasprintf(&msg,
			  "container `%s`: wrote `%s` (%zu syscalls seen, tracer peak RSS %ld KiB)",
			  st->id, job->out.path, n, ru.ru_maxrss);
		log_info("%s", msg);
	}
	follow_free(&l);
	if (rundir_write_result(rundirfd, st->id, ret >= 0, msg, &err) < 0)
		log_error_release(LOG_ERR, &err);
	rundir_unlock_tracer(rundirfd, st->id, lockfd);
	_exit(ret < 0 ? 1 : 0);
}

static int hook_prestart(const struct oci_state *st, const struct annotation *ann,
			 const struct hook_options *opts, hook_error_t *err)
{
	struct recording_job job;
	struct caps_job caps = { .out.dirfd = -1, .out.lockfd = -1 };
	cleanup_close int rundirfd = -1, lockfd = -1;
	struct tracer *t = NULL;
	sigset_t sigmask;
	int ret;

	ret = recording_prepare(&job, ann->output, ann->input, &opts->allowed, err);
	if (ret < 0)
		goto out;
	job.default_action = ann->default_action;
	job.runtime_observed_only = opts->runtime_observed_only;
	job.default_errno = ann->errno_ret;
	job.default_errno_name = ann->errno_name;
	if (ann->caps) {
		ret = caps_job_prepare(&caps, ann->caps, st->bundle, job.input_is_output,
				       &opts->allowed, err);
		if (ret < 0)
			goto out;
	}
	rundirfd = ret = rundir_open(err);
	if (ret < 0)
		goto out;
	rundir_reap(rundirfd);
	lockfd = ret = rundir_lock_tracer(rundirfd, st->id, err);
	if (ret < 0)
		goto out;

	ret = tracer_start(st->pid, ann->args, &t, err);
	if (ret < 0) {
		hook_error_wrap(err, "container `%s`: cannot start tracing", st->id);
		rundir_unlock_tracer(rundirfd, st->id, lockfd);
		goto out;
	}
	block_stop_signals(&sigmask);
	ret = detach_tracer(err);
	if (ret == 0) /* in the detached child */
		tracer_main(st, ann, t, &job, ann->caps ? &caps : NULL, rundirfd, lockfd,
			    &sigmask);
	sigprocmask(SIG_SETMASK, &sigmask, NULL);
	if (ret < 0) {
		tracer_detach(t);
		tracer_destroy(t);
		rundir_unlock_tracer(rundirfd, st->id, lockfd);
		goto out;
	}
	log_info("container `%s`: tracing pid %d into `%s`", st->id, st->pid, ann->output);
	/* Only our copies of the descriptors go; the tracer keeps its own. */
	tracer_destroy(t);
	ret = 0;
out:
	caps_job_free(&caps);
	recording_job_free(&job);
	return ret;
}

static int hook_poststop(const struct oci_state *st, const struct hook_options *opts,
			 hook_error_t *err)
{
	cleanup_close int rundirfd = -1;
	cleanup_free char *msg = NULL;
	bool ok = false;
	int ret;

	rundirfd = ret = rundir_open(err);
	if (ret < 0)
		return ret;
	ret = rundir_wait_tracer(rundirfd, st->id, opts->poststop_timeout_ms, err);
	if (ret < 0)
		return ret;
	if (ret == RUNDIR_TRACER_RUNNING)
		return hook_make_error(
			err, 0,
			"container `%s`: the tracer did not finish within %d ms; the "
			"profile may be incomplete",
			st->id, opts->poststop_timeout_ms);
	ret = rundir_take_result(rundirfd, st->id, &ok, &msg, err);
	if (ret < 0)
		return ret;
	if (!msg) {
		log_debug("container `%s`: no tracer result to report", st->id);
		return 0;
	}
	if (!ok)
		return hook_make_error(err, 0, "%s", msg);
	log_info("%s", msg);
	return 0;
}

int hook_annotation_check(const struct annotation *ann, const char *bundle,
			  const struct hook_options *opts, hook_error_t *err)
{
	struct recording_job job;
	struct caps_job caps = { .out.dirfd = -1, .out.lockfd = -1 };
	int ret;

	ret = recording_prepare(&job, ann->output, ann->input, &opts->allowed, err);
	if (ret == 0 && ann->caps)
		ret = caps_job_prepare(&caps, ann->caps, bundle, job.input_is_output,
				       &opts->allowed, err);
	caps_job_free(&caps);
	recording_job_free(&job);
	return ret;
}

int hook_run(const struct hook_options *opts, hook_error_t *err)
{
	struct oci_state st = { 0 };
	struct annotation ann = { 0 };
	cleanup_free char *text = NULL;
	size_t len;
	int ret;

	ret = oci_state_read(STDIN_FILENO, &text, &len, err);
	if (ret < 0)
		return ret;
	ret = oci_state_parse(text, len, &st, err);
	if (ret < 0)
		return ret;
	if (!st.trace_annotation) {
		log_debug("container `%s` has no %s annotation; nothing to do", st.id,
			  ANNOTATION_KEY);
		goto out;
	}
	ret = annotation_parse(st.trace_annotation, &ann, err);
	if (ret < 0) {
		if (strcmp(st.trace_key, ANNOTATION_KEY) != 0)
			hook_error_wrap(err, "in `%s`", st.trace_key);
		goto out;
	}
	if (oci_state_is_stopped(&st))
		ret = hook_poststop(&st, opts, err);
	else
		ret = hook_prestart(&st, &ann, opts, err);
out:
	annotation_free(&ann);
	oci_state_free(&st);
	return ret;
}
