#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Installs what building and testing seccomp-recorder needs on Debian 12,
# skipping apt entirely when everything is already there.
set -euo pipefail

packages=(
	cmake make gcc libc6-dev clang llvm pkg-config
	libbpf-dev bpftool libelf-dev zlib1g-dev libyajl-dev libseccomp-dev
	runc crun busybox-static jq valgrind util-linux procps
	podman debootstrap dpkg-dev oci-seccomp-bpf-hook bpftrace
	libclang-rt-14-dev python3-yaml python3-jsonschema
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static
	qemu-system-x86 qemu-system-arm cpio
	docker.io containerd
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	if [[ $(id -u) != 0 ]]; then
		echo "tests/deps.sh: missing packages (${missing[*]}); run as root to install them" >&2
		exit 1
	fi
	echo "tests/deps.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# docker.io and containerd would start their daemons on install, and a
	# dockerd with default flags rewrites the host's iptables: the tests
	# start private ones with safe flags instead (TESTBED.md).
	policy=/usr/sbin/policy-rc.d
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod +x "$policy"
		trap 'rm -f "$policy"' EXIT
	fi
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The real default profiles of podman and Docker, for the schema-fidelity and
# diff/check tests (tests/profiles/fetch.sh says where they come from).
if [[ $(id -u) == 0 ]]; then
	bash "$(dirname "$0")/profiles/fetch.sh" /var/cache/seccomp-recorder-tests/profiles
fi
