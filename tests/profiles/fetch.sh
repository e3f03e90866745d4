#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/profiles/fetch.sh DIR: puts the real default seccomp profiles that
# podman and Docker ship into DIR, taken from Debian 12's own packages:
#   podman.json  /usr/share/containers/seccomp.json of golang-github-containers-common
#   moby.json    profiles/seccomp/default.json of golang-github-docker-docker-dev
# The packages are downloaded (not installed: one is a Go source tree with
# hundreds of dependencies) and only these files are taken out of them.
# Nothing is fetched when DIR already has both.
set -euo pipefail
dir=${1:?usage: fetch.sh DIR}
mkdir -p "$dir"
[[ -s $dir/podman.json && -s $dir/moby.json ]] && exit 0

take() { # PACKAGE PATH-IN-PACKAGE DEST
	local pkg=$1 path=$2 dest=$3 tmp deb
	if [[ $pkg == golang-github-containers-common && -s /usr/share/containers/seccomp.json ]] &&
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
		cp /usr/share/containers/seccomp.json "$dest"
		return
	fi
	tmp=$(mktemp -d)
	# apt-get download drops privileges to _apt, who must be able to write here.
	chmod 755 "$tmp"
	(cd "$tmp" && apt-get download -qq "$pkg" 2>/dev/null) ||
		(apt-get update -qq && cd "$tmp" && apt-get download -qq "$pkg") ||
		{ echo "tests/profiles/fetch.sh: cannot download $pkg" >&2; rm -rf "$tmp"; exit 1; }
	deb=$(ls "$tmp"/*.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ".$path" >"$dest.tmp"
	jq -e .syscalls "$dest.tmp" >/dev/null ||
		{ echo "tests/profiles/fetch.sh: $path in $pkg is not a profile" >&2; exit 1; }
	mv "$dest.tmp" "$dest"
	echo "$pkg $(dpkg-deb -f "$deb" Version) $path" >>"$dir/SOURCES"
	rm -rf "$tmp"
}
take golang-github-containers-common /usr/share/containers/seccomp.json "$dir/podman.json"
take golang-github-docker-docker-dev \
	/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json "$dir/moby.json"
