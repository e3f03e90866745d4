// SPDX-License-Identifier: Apache-2.0
/* syscall_loop NR SECONDS: calls syscall NR (no arguments) in a tight loop
 * for SECONDS, then prints how many calls it made. Used to check that a
 * process outside the traced container never shows up in its profile. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec start, now;
	unsigned long long calls = 0;
	char *end;
	long nr, secs;

	if (argc != 3) {
		fprintf(stderr, "usage: syscall_loop NR SECONDS\n");
		return 2;
	}
	errno = 0;
	nr = strtol(argv[1], &end, 10);
	if (errno || *end || nr < 0) {
		fprintf(stderr, "syscall_loop: bad syscall number `%s`\n", argv[1]);
		return 2;
	}
	secs = strtol(argv[2], &end, 10);
	if (errno || *end || secs < 0) {
		fprintf(stderr, "syscall_loop: bad duration `%s`\n", argv[2]);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		for (int i = 0; i < 1000; i++)
			syscall(nr, 0, 0, 0);
		calls += 1000;
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec - start.tv_sec < secs);
	printf("%llu\n", calls);
	return 0;
}
