// SPDX-License-Identifier: Apache-2.0
/* Safe resolution and atomic writes, in a scratch directory. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "profile/output.h"
#include "tap.h"
#include "util/safe_file.h"

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
static char *write_profile(const char *path, const struct output_allowed *allow, const char *text)
{
	struct output_target t = { .dirfd = -1, .lockfd = -1 };
	hook_error_t err = NULL;
	char *msg = NULL;

	if (output_target_open(path, allow, false, &t, &err) < 0 || output_target_check(&t, &err) < 0 ||
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
	struct output_allowed allow = { 0 };
	struct profile p = { 0 };
	hook_error_t err = NULL;
	char *msg;

	if (!mkdtemp(scratch))
		return 1;
	mkdir(at("d"), 0755);
	mkdir(at("allowed"), 0755);
	mkdir(at("allowed/sub"), 0755);
	mkdir(at("elsewhere"), 0755);
	mkdir(at("baselines"), 0755);

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

	/* --allow-dir, --allow-read */
	strv_add(&allow.write, at("allowed"));
	strv_add(&allow.read, at("baselines"));
	ok(output_allowed_init(&allow, &err) == 0, "canonicalises --allow-dir and --allow-read");
	msg = write_profile(at("allowed/sub/p.json"), &allow, PROFILE);
	ok(msg == NULL, "writes beneath an allowed directory");
	free(msg);
	refused(write_profile(at("d/p.json"), &allow, PROFILE), "outside the directories the hook may write",
		"a path outside --allow-dir");
	ok(access(at("d/p.json"), F_OK) != 0, "  and creates nothing there");
	refused(write_profile(at("allowedx/p.json"), &allow, PROFILE),
		"outside the directories the hook may write", "a sibling sharing the allowed prefix");
	refused(write_profile(at("baselines/p.json"), &allow, PROFILE),
		"outside the directories the hook may write", "to write beneath --allow-read");
	ok(access(at("baselines/p.json"), F_OK) != 0, "  and creates nothing there");
	put("baselines/base.json", PROFILE);
	ok(output_read_profile(at("baselines/base.json"), &allow, &p, &err) == 0,
	   "reads a baseline beneath --allow-read");
	profile_free(&p);
	hook_error_release(&err);
	/* Outside: the same words whether the file exists, is a profile or not. */
	{
		char *m1 = NULL, *m2 = NULL;

		put("elsewhere/secret.json", "{\"secret\":1}");
		if (output_read_profile(at("elsewhere/secret.json"), &allow, &p, &err) < 0)
			m1 = strdup(strstr(err->msg, "` is outside"));
		hook_error_release(&err);
		if (output_read_profile(at("elsewhere/missing.json"), &allow, &p, &err) < 0)
			m2 = strdup(strstr(err->msg, "` is outside"));
		hook_error_release(&err);
		ok(m1 && m2 && strcmp(m1, m2) == 0,
		   "reading outside: an existing and a missing file get the same refusal");
		printf("#   message: ...%s\n", m1 ? m1 : "(none)");
		free(m1);
		free(m2);
	}
	{
		struct output_allowed none = { 0 };

		refused(write_profile(at("allowed/p2.json"), &none, PROFILE), "(none)",
			"everything when confined to no directory");
	}
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

	/* FIFOs and devices are never opened: refused from an O_PATH look. */
	ok(mkfifo(at("d/fifo.json"), 0644) == 0, "makes a FIFO");
	refused(write_profile(at("d/fifo.json"), NULL, PROFILE), "not a regular file",
		"a FIFO at the target");
	ok(output_read_profile(at("d/fifo.json"), NULL, &p, &err) < 0 && strstr(err->msg, "not a regular file"),
	   "a FIFO as input");
	hook_error_release(&err);

	/* Nothing is written that could not be read back. */
	{
		size_t big = (size_t)PROFILE_MAX_SIZE + 1;
		char *data = malloc(big + 1);
		struct output_target t = { .dirfd = -1, .lockfd = -1 };

		memset(data, ' ', big);
		memcpy(data, "{}", 2);
		data[big] = '\0';
		ok(output_target_open(at("d/new.json"), NULL, false, &t, &err) == 0 &&
			   output_target_write(&t, data, big, &err) < 0 &&
			   strstr(err->msg, "reads back"),
		   "refuses to write more than PROFILE_MAX_SIZE bytes");
		is_str(get("d/new.json"), "{\"defaultAction\":\"SCMP_ACT_LOG\"}\n", "  leaving the file as it was");
		hook_error_release(&err);
		output_target_close(&t);
		free(data);
	}

	/* Temporaries of dead writers go with the next write; a live one stays. */
	{
		int dirfd = open(at("d"), O_RDONLY | O_DIRECTORY);
		int live;

		put("d/.new.json.0badf00d.tmp", "half a profi");
		put("d/.new.json.00c0ffee.tmp", "another writ");
		live = open(at("d/.new.json.00c0ffee.tmp"), O_RDONLY);
		ok(live >= 0 && flock(live, LOCK_EX) == 0, "a live writer holds its temporary");
		put("d/.other.json.0badf00d.tmp", "not ours");
		msg = write_profile(at("d/new.json"), NULL, PROFILE);
		ok(msg == NULL, "writes beside left temporaries");
		free(msg);
		ok(access(at("d/.new.json.0badf00d.tmp"), F_OK) != 0,
		   "  and removes the one whose writer is gone");
		ok(access(at("d/.new.json.00c0ffee.tmp"), F_OK) == 0, "  but not the live one");
		ok(access(at("d/.other.json.0badf00d.tmp"), F_OK) == 0,
		   "  nor another file's");
		close(live);
		ok(safe_file_reap_temps(dirfd, "new.json") == 1, "reaps it once its writer is gone");
		close(dirfd);
	}

	/* safe_file_replace: the mode asked for, whatever the umask. */
	{
		int dirfd = open(at("d"), O_RDONLY | O_DIRECTORY);
		mode_t old = umask(077);
		struct stat st;

		ok(safe_file_replace(dirfd, "state", "x\n", 2, 0644, 0, "state", &err) == 0 &&
			   stat(at("d/state"), &st) == 0 && (st.st_mode & 0777) == 0644,
		   "safe_file_replace sets the mode it is given");
		umask(old);
		hook_error_release(&err);
		close(dirfd);
	}

	output_allowed_free(&allow);
	{
		char cmd[4200];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", scratch);
	}
	return tap_done();
}
