// SPDX-License-Identifier: Apache-2.0
/* storm SECONDS: for SECONDS, over and over, starts 16 threads that each
 * make a few syscalls and end, and forks a child that execs /bin/true (or
 * exits, if there is none): the exec and thread storm of the learn-mode
 * soak. Prints how many threads and processes it went through. Built
 * static: it runs in the busybox rootfs. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void *thread_main(void *arg)
{
	(void)arg;
	(void)getpid();
	(void)sched_yield();
	return NULL;
}

int main(int argc, char **argv)
{
	unsigned long long threads = 0, procs = 0;
	struct timespec start, now;
	long secs;

	if (argc != 2 || (secs = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: storm SECONDS\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		pthread_t t[16];
		pid_t pid;

		for (int i = 0; i < 16; i++)
			if (pthread_create(&t[i], NULL, thread_main, NULL) == 0)
				threads++;
			else
				t[i] = 0;
		for (int i = 0; i < 16; i++)
			if (t[i])
				pthread_join(t[i], NULL);
		pid = fork();
		if (pid == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(0);
		}
		if (pid > 0) {
			waitpid(pid, NULL, 0);
			procs++;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < secs);
	printf("%llu threads %llu processes\n", threads, procs);
	return 0;
}
