// SPDX-License-Identifier: Apache-2.0
/* The run directory's per-container files (hook/trace/rundir.c) in a
 * temporary directory, without root: a live tracer's files stay, a dead
 * one's go, results are handed over once, stale results are reaped. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "trace/rundir.h"
#include "util/error.h"

static bool exists(int dirfd, const char *name)
{
	struct stat st;

	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static void age(int dirfd, const char *name, time_t seconds)
{
	struct timespec ts[2] = { { time(NULL) - seconds, 0 }, { time(NULL) - seconds, 0 } };

	utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
}

int main(void)
{
	char tmpl[] = "/tmp/sr-rundir.XXXXXX";
	hook_error_t err = NULL;
	int dirfd, live, dead, again;
	char *msg = NULL;
	bool done = false;

	if (!mkdtemp(tmpl) || (dirfd = open(tmpl, O_RDONLY | O_DIRECTORY)) < 0) {
		printf("Bail out! cannot make a temporary directory\n");
		return 1;
	}
	live = rundir_lock_tracer(dirfd, "live", &err);
	dead = rundir_lock_tracer(dirfd, "dead", &err);
	ok(live >= 0 && dead >= 0, "two tracers take their ids");
	ok(rundir_lock_tracer(dirfd, "live", &err) < 0, "a second tracer for a live id is refused");
	hook_error_release(&err);
	ok(rundir_write_status(dirfd, "live", "live 1", &err) == 0 &&
		   rundir_write_status(dirfd, "dead", "dead 1", &err) == 0,
	   "both write a status line");
	ok(rundir_tracer_active(dirfd, "live") == 1, "a tracer holding its lock is active");

	/* SIGKILL: the kernel drops the lock with the last descriptor. */
	close(dead);
	ok(rundir_tracer_active(dirfd, "dead") == 0, "a tracer whose lock is free is not active");
	ok(rundir_reap(dirfd) == 2, "the reaper removes the dead tracer's lock and status");
	ok(!exists(dirfd, "dead.lock") && !exists(dirfd, "dead.status"), "... and nothing else of it stays");
	ok(exists(dirfd, "live.lock") && exists(dirfd, "live.status"), "the live tracer's files stay");

	ok(rundir_write_result(dirfd, "live", true, "wrote it", &err) == 0, "a tracer leaves its result");
	rundir_remove_status(dirfd, "live");
	rundir_unlock_tracer(dirfd, "live", live);
	ok(!exists(dirfd, "live.lock") && !exists(dirfd, "live.status"),
	   "a tracer that ends removes its lock and status");
	ok(rundir_wait_tracer(dirfd, "live", 100, &err) == RUNDIR_TRACER_DONE,
	   "poststop does not wait for a tracer that ended");
	ok(rundir_take_result(dirfd, "live", &done, &msg, &err) == 0 && done && msg &&
		   strcmp(msg, "wrote it") == 0,
	   "poststop takes the result");
	free(msg);
	msg = NULL;
	ok(rundir_take_result(dirfd, "live", &done, &msg, &err) == 0 && !msg, "... once");
	free(msg);

	/* Results nobody took: kept a day, then reaped. */
	ok(rundir_write_result(dirfd, "fresh", false, "failed", &err) == 0 &&
		   rundir_write_result(dirfd, "stale", false, "failed", &err) == 0,
	   "results of two containers nobody waited for");
	age(dirfd, "stale.result", 2 * 24 * 3600);
	ok(rundir_reap(dirfd) == 1 && exists(dirfd, "fresh.result") && !exists(dirfd, "stale.result"),
	   "a result older than a day is reaped, a fresh one stays");

	/* An id taken again drops the earlier container's result. */
	again = rundir_lock_tracer(dirfd, "fresh", &err);
	ok(again >= 0 && !exists(dirfd, "fresh.result"), "a new tracer for an id removes its old result");
	rundir_unlock_tracer(dirfd, "fresh", again);

	ok(rundir_reap(dirfd) == 0, "nothing left to reap");
	close(dirfd);
	ok(rmdir(tmpl) == 0, "the directory is empty at the end");
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
