#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# check.sh BUILD_DIR: `cmake --install` into a scratch DESTDIR puts the hook
# and its hooks.d entry where podman and CRI-O look, and the entry is a valid
# oci-hooks(5) 1.0.0 document pointing at the installed binary; the man page
# is installed, clean roff, and covers every command; /var/lib/seccomp-recorder
# is created 0755. SR_EMULATOR: a command that runs the installed binary
# (qemu-aarch64 ... for a cross-built one; empty: run it directly).
set -euo pipefail
build=$1
read -r -a emulator <<<"${SR_EMULATOR:-}"
dest=$(mktemp -d /tmp/sr-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
DESTDIR=$dest cmake --install "$build" >/dev/null
bin=$dest/usr/libexec/oci/hooks.d/seccomp-recorder
json=$dest/usr/share/containers/oci/hooks.d/seccomp-recorder.json
[[ -x $bin ]] || { echo "FAIL: no executable at $bin"; exit 1; }
[[ -f $json ]] || { echo "FAIL: no hooks.d entry at $json"; exit 1; }
jq -e '
	.version == "1.0.0"
	and (.hook.path == "/usr/libexec/oci/hooks.d/seccomp-recorder")
	and (.hook.path | startswith("/"))
	and (.hook.args == ["seccomp-recorder", "hook", "--allow-dir", "/var/lib/seccomp-recorder"])
	and (.stages | sort == ["poststop", "prestart"])
	and (.when.annotations | keys | length == 1)
	and (.when.annotations | to_entries[0].key | test("io"))
	' "$json" >/dev/null || { echo "FAIL: invalid hooks.d entry:"; cat "$json"; exit 1; }
# the `when` regex matches our annotation and not a lookalike
key=$(jq -r '.when.annotations | keys[0]' "$json")
[[ io.containers.trace-syscall =~ $key ]] || { echo "FAIL: when does not match the annotation"; exit 1; }
[[ ! io.containers.trace-syscallX =~ $key ]] || { echo "FAIL: when matches a lookalike"; exit 1; }
[[ io.containers.trace-syscall/app =~ $key ]] || { echo "FAIL: when does not match a per-container key"; exit 1; }
# the runtime wrapper's links, for engines that take a binary path only
for rt in runc crun; do
	link=$(find "$dest" -path "*/bin/seccomp-recorder-$rt")
	[[ -L $link && $(readlink "$link") == /usr/libexec/oci/hooks.d/seccomp-recorder ]] ||
		{ echo "FAIL: no link seccomp-recorder-$rt to the installed binary"; exit 1; }
done
# the one directory the shipped hook may use, root-owned and 0755
state=$dest/var/lib/seccomp-recorder
[[ -d $state && ! -L $state && $(stat -c %a "$state") == 755 ]] ||
	{ echo "FAIL: no 0755 directory at $state: $(stat -c '%a %F' "$state" 2>&1)"; exit 1; }
"${emulator[@]}" "$bin" --version | grep -q '^seccomp-recorder ' || { echo "FAIL: installed binary does not run"; exit 1; }
# the man page (under the install prefix) is valid roff and documents every command
man=$(find "$dest" -path '*/man1/seccomp-recorder.1')
[[ -n $man ]] || { echo "FAIL: no man page installed"; exit 1; }
for cmd in hook runtime record merge diff check export status calibrate; do
	grep -q "^\.B seccomp-recorder $cmd" "$man" || { echo "FAIL: the man page lacks $cmd"; exit 1; }
	"${emulator[@]}" "$bin" "$cmd" --help >/dev/null || { echo "FAIL: $cmd --help failed"; exit 1; }
done
if command -v man >/dev/null; then
	warnings=$(MANWIDTH=80 man --warnings -l "$man" 2>&1 >/dev/null)
	[[ -z $warnings ]] || { echo "FAIL: man page warnings: $warnings"; exit 1; }
fi
echo "ok: installed $bin and $json"
