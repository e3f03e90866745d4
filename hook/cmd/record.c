// SPDX-License-Identifier: Apache-2.0
/* The command is forked first and held on a pipe until the tracer has its
 * pid registered and attached, so its first instruction after exec is
 * already traced. Membership is inherited at fork, so every descendant
 * counts, also ones that daemonize or enter new namespaces; recording ends
 * when the last of them is gone (or, with --no-wait, when the command is). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cleanup.h"
#include "cmd/record.h"
#include "profile/recording_job.h"
#include "profile/syscall_names.h"
#include "trace/tracer.h"
#include "trace/workload.h"
#include "util/log.h"

static const int relayed_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD };
#define NR_RELAYED (sizeof(relayed_signals) / sizeof(relayed_signals[0]))

static volatile sig_atomic_t child_exited, stop_requested, wake;
static volatile pid_t child_pid;

static void on_signal(int sig, siginfo_t *info, void *uc)
{
	(void)uc;
	if (sig == SIGCHLD) {
		/* Ours alone: the tracer forks short-lived helpers too. */
		if (info->si_pid == child_pid)
			child_exited = 1;
	} else if (!child_exited) {
		/* A terminal's ^C reaches the whole foreground process group,
		 * the command included (SI_KERNEL): relay only what was sent
		 * to us alone. */
		if (info->si_code != SI_KERNEL)
			kill(child_pid, sig);
	} else {
		/* The command is gone; stop waiting for what it left behind. */
		stop_requested = 1;
	}
	wake = 1;
}

static void relayed_set(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < NR_RELAYED; i++)
		sigaddset(set, relayed_signals[i]);
}

static int install_relay(hook_error_t *err)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_NOCLDSTOP };

	relayed_set(&sa.sa_mask);
	for (size_t i = 0; i < NR_RELAYED; i++)
		if (sigaction(relayed_signals[i], &sa, NULL) < 0)
			return hook_make_error(err, errno, "cannot install signal handler");
	return 0;
}

/* The child: waits for the go-ahead, then becomes the command. An exec
 * failure travels back as an errno on `err_fd` (closed by a good exec). */
static void __attribute__((noreturn))
child_run(char **argv, int go_fd, int err_fd, const sigset_t *mask)
{
	ssize_t n;
	char c;
	int e;

	/* Our handlers come after the fork: CMD keeps the dispositions we
	 * were started with, ignored signals included. */
	sigprocmask(SIG_SETMASK, mask, NULL);
	do
		n = read(go_fd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(RECORD_EXIT_FAILURE); /* the parent could not trace us */
	close(go_fd);
	execvp(argv[0], argv);
	e = errno;
	if (write(err_fd, &e, sizeof(e)) < 0)
		_exit(RECORD_EXIT_FAILURE);
	_exit(e == ENOENT ? RECORD_EXIT_NOT_FOUND : RECORD_EXIT_CANNOT_EXEC);
}

static int wait_child(pid_t pid)
{
	int status = 0;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return RECORD_EXIT_FAILURE;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* Lets the child exec; returns 0 once it has, else the exit code to use. */
static int release_child(char **argv, int go_fd, int err_fd)
{
	ssize_t n;
	int e = 0;

	if (write(go_fd, "g", 1) != 1)
		return RECORD_EXIT_FAILURE;
	do
		n = read(err_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 0;
	fprintf(stderr, "seccomp-recorder: error: cannot run `%s`: %s\n", argv[0], strerror(e));
	return e == ENOENT ? RECORD_EXIT_NOT_FOUND : RECORD_EXIT_CANNOT_EXEC;
}

/* Waits until every traced process is gone, or the command is (with
 * no_wait), or a stop signal came after the command exited. */
static void follow(struct tracer *t, const struct record_options *opts)
{
	bool announced = false;

	for (;;) {
		if (tracer_wait(t, &wake, -1) == TRACER_ALL_GONE)
			return;
		wake = 0;
		if (stop_requested) {
			log_info("stopped waiting for the processes `%s` left running",
				 opts->argv[0]);
			return;
		}
		if (child_exited && !announced) {
			announced = true;
			if (opts->no_wait)
				return;
			log_info("`%s` exited; still tracing %lld processes it left running "
				 "(SIGINT or SIGTERM stops waiting)",
				 opts->argv[0], tracer_live_processes(t));
		}
	}
}

static int trace_child(struct recording_job *job, const struct record_options *opts, pid_t pid,
		       int go_fd, int err_fd, const sigset_t *mask)
{
	struct profile_recording rec = { 0 };
	struct tracer *t = NULL;
	hook_error_t err = NULL;
	int ret, code;

	ret = install_relay(&err);
	if (ret == 0)
		ret = tracer_start(pid, opts->args, &t, &err);
	if (ret < 0) {
		hook_error_wrap(&err, "cannot trace `%s`", opts->argv[0]);
		close(go_fd); /* the child exits without running the command */
		wait_child(pid);
		goto out;
	}
	sigprocmask(SIG_SETMASK, mask, NULL);
	code = release_child(opts->argv, go_fd, err_fd);
	close(go_fd);
	if (code != 0) {
		wait_child(pid);
		tracer_destroy_sync(t);
		return code;
	}
	follow(t, opts);
	tracer_detach(t);
	ret = tracer_collect(t, &rec, &err);
	if (ret >= 0) {
		/* Our exec of the command happened before counting began;
		 * an enforcing launcher makes it too, after its filter is in. */
		char id[32];

		strv_add(&rec.names, "execve");
		workload_add_implicit_syscalls(&rec);
		/* Our own child before its exec installs no filter. */
		strv_free(&rec.runtime_names);
		snprintf(id, sizeof(id), "record-%d", (int)getpid());
		ret = recording_finish(job, &rec, &err);
		if (ret < 0)
			recording_rescue(job, &rec, id, &err);
	}
	tracer_destroy_sync(t);
	code = wait_child(pid);
	if (ret >= 0)
		log_info("wrote `%s` (%zu syscalls seen)", opts->output, rec.names.n);
out:
	profile_recording_free(&rec);
	if (ret < 0) {
		log_error_release(LOG_ERR, &err);
		return RECORD_EXIT_FAILURE;
	}
	return code;
}

int record_run(const struct record_options *opts)
{
	struct recording_job job;
	cleanup_close int go_r = -1, go_w = -1, err_r = -1, err_w = -1;
	hook_error_t err = NULL;
	sigset_t relayed, old;
	int fds[2], ret;
	pid_t pid;

	ret = recording_prepare(&job, opts->output, opts->input, NULL, &err);
	job.default_action = opts->default_action;
	if (ret < 0) {
		log_error_release(LOG_ERR, &err);
		recording_job_free(&job);
		return RECORD_EXIT_FAILURE;
	}
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto fail_errno;
	go_r = fds[0], go_w = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto fail_errno;
	err_r = fds[0], err_w = fds[1];

	/* Until the handlers know the child, signals wait. */
	relayed_set(&relayed);
	sigprocmask(SIG_BLOCK, &relayed, &old);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		goto fail_errno;
	}
	if (pid == 0) {
		close(go_w);
		close(err_r);
		child_run(opts->argv, go_r, err_w, &old);
	}
	child_pid = pid;
	cleanup_closep(&go_r);
	cleanup_closep(&err_w);
	ret = trace_child(&job, opts, pid, steal_fd(&go_w), err_r, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	recording_job_free(&job);
	return ret;

fail_errno:
	fprintf(stderr, "seccomp-recorder: error: cannot start `%s`: %s\n", opts->argv[0],
		strerror(errno));
	recording_job_free(&job);
	return RECORD_EXIT_FAILURE;
}
