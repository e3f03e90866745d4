// SPDX-License-Identifier: Apache-2.0
/* Safe resolution and atomic writes, in a scratch directory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "tap.h"

static char scratch[] = "/tmp/sr-test-output.XXXXXX";

static char *at(const char *rel)
{
	static char buf[8][4096];
	static int i;
	char *p = buf[i++ % 8];

	snprintf(p, 4096, "%s/%s", scratch, rel);
	return p;
}

static void put(const char *rel, const char *text)
{
	FILE *f = fopen(at(rel), "w");

	fputs(text, f);
	fclose(f);
}

static char *get(const char *rel)
{
	static char buf[4096];
	FILE *f = fopen(at(rel), "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int entries(const char *rel)
{
	DIR *d = opendir(at(rel));
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Opens, checks and writes `text` to `path`; returns the error message or NULL. */
static char *write_profile(const char *path, const struct profile_strv *allow, const char *text)
{
	struct output_target t = { .dirfd = -1 };
	hook_error_t err = NULL;
	char *msg = NULL;

	if (output_target_open(path, allow, &t, &err) < 0 || output_target_check(&t, &err) < 0 ||
	    output_target_write(&t, text, strlen(text), &err) < 0) {
		msg = strdup(err->msg);
		hook_error_release(&err);
	}
	output_target_close(&t);
	return msg;
}

static void refused(char *msg, const char *needle, const char *why)
{
	ok(msg && strstr(msg, needle) && !strchr(msg, '\n'), "refuses %s", why);
	printf("#   message: %s\n", msg ? msg : "(none)");
	free(msg);
}

#define PROFILE "{\"defaultAction\":\"SCMP_ACT_ALLOW\"}\n"

int main(void)
{
	struct profile_strv allow = { 0 };
	struct profile p = { 0 };
	hook_error_t err = NULL;
	char *msg;

	if (!mkdtemp(scratch))
		return 1;
	mkdir(at("d"), 0755);
	mkdir(at("allowed"), 0755);
	mkdir(at("allowed/sub"), 0755);
	mkdir(at("elsewhere"), 0755);

	msg = write_profile(at("d/new.json"), NULL, PROFILE);
	ok(msg == NULL, "writes a new profile");
	is_str(get("d/new.json"), PROFILE, "  with the exact bytes");
	ok(entries("d") == 1, "  and leaves no temporary file");
	free(msg);

	msg = write_profile(at("d/new.json"), NULL, "{\"defaultAction\":\"SCMP_ACT_LOG\"}\n");
	ok(msg == NULL, "replaces an existing profile");
	free(msg);

	put("d/notes.txt", "my notes\n");
	refused(write_profile(at("d/notes.txt"), NULL, PROFILE), "is not a seccomp profile",
		"to overwrite a file that is not a profile");
	is_str(get("d/notes.txt"), "my notes\n", "  which is unchanged");

	put("d/other.json", "{\"some\":\"json\"}");
	refused(write_profile(at("d/other.json"), NULL, PROFILE), "is not a seccomp profile",
		"to overwrite JSON that is not a profile");

	put("d/empty.json", "");
	refused(write_profile(at("d/empty.json"), NULL, PROFILE), "is not a seccomp profile",
		"to overwrite an empty file");

	put("elsewhere/target.json", PROFILE);
	ok(symlink(at("elsewhere/target.json"), at("d/link.json")) == 0, "makes a symlink");
	refused(write_profile(at("d/link.json"), NULL, "{\"defaultAction\":\"SCMP_ACT_KILL\"}"),
		"symlink", "to write through a symlinked file");
	is_str(get("elsewhere/target.json"), PROFILE, "  whose target is unchanged");

	ok(symlink(at("elsewhere"), at("d/linkdir")) == 0, "makes a symlink");
	refused(write_profile(at("d/linkdir/x.json"), NULL, PROFILE), "symlink",
		"a directory reached through a symlink");
	ok(access(at("elsewhere/x.json"), F_OK) != 0, "  and writes nothing there");

	mkdir(at("d/adir.json"), 0755);
	refused(write_profile(at("d/adir.json"), NULL, PROFILE), "not a regular file",
		"to replace a directory");

	refused(write_profile(at("missing/x.json"), NULL, PROFILE), "cannot open directory",
		"a missing directory");

	/* --allow-dir */
	profile_strv_add(&allow, at("allowed"));
	ok(output_allow_dirs_init(&allow, &err) == 0, "canonicalises --allow-dir");
	msg = write_profile(at("allowed/sub/p.json"), &allow, PROFILE);
	ok(msg == NULL, "writes beneath an allowed directory");
	free(msg);
	refused(write_profile(at("d/p.json"), &allow, PROFILE), "outside the directories allowed",
		"a path outside --allow-dir");
	refused(write_profile(at("allowedx/p.json"), &allow, PROFILE),
		"outside the directories allowed", "a sibling sharing the allowed prefix");
	ok(symlink(at("elsewhere"), at("allowed/esc")) == 0, "makes a symlink");
	refused(write_profile(at("allowed/esc/p.json"), &allow, PROFILE), "symlink",
		"a symlink inside the allowed directory pointing out");

	/* reading input profiles */
	put("d/bad.json", "{ not json");
	ok(output_read_profile(at("d/bad.json"), NULL, &p, &err) < 0 &&
		   strstr(err->msg, "invalid JSON"),
	   "an input profile that is not JSON is refused");
	if (err)
		printf("#   message: %s\n", err->msg);
	hook_error_release(&err);
	ok(output_read_profile(at("d/link.json"), NULL, &p, &err) < 0 &&
		   strstr(err->msg, "symlink"),
	   "an input profile behind a symlink is refused");
	hook_error_release(&err);
	ok(output_read_profile(at("d/none.json"), NULL, &p, &err) < 0 &&
		   strstr(err->msg, "cannot read profile"),
	   "a missing input profile is refused");
	hook_error_release(&err);
	ok(output_read_profile(at("d/new.json"), NULL, &p, &err) == 0 &&
		   strcmp(p.default_action, "SCMP_ACT_LOG") == 0,
	   "reads a valid input profile");
	profile_free(&p);

	/* size bound */
	{
		int fd = open(at("d/huge.json"), O_CREAT | O_WRONLY, 0644);

		ok(fd >= 0 && ftruncate(fd, PROFILE_MAX_SIZE + 1) == 0, "makes a huge file");
		close(fd);
		ok(output_read_profile(at("d/huge.json"), NULL, &p, &err) < 0 &&
			   strstr(err->msg, "larger than"),
		   "a profile larger than the bound is refused");
		hook_error_release(&err);
	}

	profile_strv_free(&allow);
	{
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", scratch);
	}
	return tap_done();
}
