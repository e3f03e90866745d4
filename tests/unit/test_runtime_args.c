// SPDX-License-Identifier: Apache-2.0
/* The runtime wrapper's reading of engines' command lines: the shapes
 * containerd's shim (go-runc), Docker, podman and users give runc and crun. */
#define _GNU_SOURCE
#include <string.h>

#include "cmd/runtime_args.h"
#include "tap.h"

static struct runtime_args parse(char *line)
{
	char *argv[64], *save = NULL, *tok;
	struct runtime_args ra;
	int argc = 0;

	for (tok = strtok_r(line, " ", &save); tok && argc < 64; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	runtime_args_parse(argc, argv, &ra);
	return ra;
}

#define S(x) (char[]){ x }

int main(void)
{
	struct runtime_args ra;

	ra = parse(S("--root /run/docker/runtime-runc/moby --log /b/log.json --log-format json "
		     "create --bundle /b --pid-file /b/init.pid 0123abcd"));
	is_str(ra.command, "create", "containerd: create");
	is_str(ra.bundle, "/b", "  --bundle");
	is_str(ra.id, "0123abcd", "  the id after the options");
	is_str(ra.log, "/b/log.json", "  --log");
	ok(ra.log_json, "  --log-format json");
	ok(runtime_args_creates(&ra), "  creates");
	ok(ra.config == NULL, "  no --config");

	ra = parse(S("--debug --systemd-cgroup --root=/r --log=/l create -b /bb --console-socket "
		     "/s.sock id1"));
	is_str(ra.bundle, "/bb", "flags and --x=y globals: -b");
	is_str(ra.id, "id1", "  id after --console-socket's value");
	is_str(ra.log, "/l", "  --log=");
	ok(!ra.log_json, "  text log format by default");

	ra = parse(S("run --bundle=/x --detach id2"));
	is_str(ra.command, "run", "run");
	is_str(ra.bundle, "/x", "  --bundle=");
	is_str(ra.id, "id2", "  id after a flag");

	ra = parse(S("run id3"));
	ok(ra.bundle == NULL, "run without a bundle: the working directory");
	is_str(ra.id, "id3", "  id");

	ra = parse(S("--cgroup-manager cgroupfs create -f alt.json -b /c id4"));
	is_str(ra.config, "alt.json", "crun: -f");
	is_str(ra.bundle, "/c", "  after crun's valued global");
	ra = parse(S("create --config=/abs.json --no-pivot --preserve-fds 2 id5"));
	is_str(ra.config, "/abs.json", "crun: --config=");
	is_str(ra.id, "id5", "  id after --preserve-fds's value");
	ra = parse(S("-log /l -log-format json create -bundle /d id6"));
	is_str(ra.bundle, "/d", "single-dash long options (urfave/cli)");
	ok(ra.log_json, "  -log-format json");

	ra = parse(S("--log /l --log-format json delete --force 0123"));
	is_str(ra.command, "delete", "delete");
	ok(!runtime_args_creates(&ra), "  does not create");
	ok(ra.bundle == NULL && ra.id == NULL, "  nothing read past the subcommand");
	ra = parse(S("start -b /nope id7"));
	ok(ra.bundle == NULL, "start's options are not create's");
	ra = parse(S("--version"));
	ok(ra.command == NULL && !runtime_args_creates(&ra), "--version: no subcommand");
	ra = parse(S("--root"));
	ok(ra.command == NULL, "a valued option at the end");
	ra = parse(S("create --bundle"));
	ok(ra.bundle == NULL && ra.id == NULL, "--bundle without its value");
	ra = parse(S("create -- -weird-id"));
	is_str(ra.id, "-weird-id", "`--` ends create's options");
	ra = parse(S("create --unknown-flag id8"));
	is_str(ra.id, "id8", "an unknown flag is passed over");
	return tap_done();
}
