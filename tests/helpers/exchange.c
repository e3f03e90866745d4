// SPDX-License-Identifier: Apache-2.0
/* exchange A B MS: swaps the directory entries A and B with
 * renameat2(RENAME_EXCHANGE) for MS milliseconds, as an attacker racing a
 * check against an open would; prints how many swaps it made. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long end, swaps = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: exchange A B MS\n");
		return 2;
	}
	end = now_ms() + atol(argv[3]);
	while (now_ms() < end) {
		if (syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE) < 0) {
			perror("renameat2");
			return 1;
		}
		swaps++;
	}
	/* An even count leaves the entries as they were. */
	if (swaps % 2)
		syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], RENAME_EXCHANGE);
	printf("%ld\n", swaps + swaps % 2);
	return 0;
}
