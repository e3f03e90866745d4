#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# userland.sh CACHE DEBARCH: what a foreign guest needs beyond the arm64
# sysroot of tests/cross/sysroot.sh (runc, jq, bpftool, busybox and the
# hook's libraries): bash and its libtinfo for the integration library, and
# util-linux's flock (Debian's busybox has none), from Debian 12 for DEBARCH,
# unpacked into CACHE/userland-DEBARCH. Same private apt configuration as
# fetch.sh; done once (a stamp names the packages).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
cache=$1 debarch=$2
pkgs=(bash libtinfo6 util-linux)
out=$cache/userland-$debarch
[[ $(cat "$out/.stamp" 2>/dev/null) == "${pkgs[*]}" ]] && exit 0
suites=bookworm,bookworm-security
opts_text=$(private_apt "$cache/apt-${suites//,/+}-$debarch" "$suites" "$debarch")
mapfile -t opts <<<"$opts_text"
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp/debs"
(cd "$tmp/debs" && apt-get "${opts[@]}" -qq download "${pkgs[@]/%/:$debarch}") >"$tmp/download.log" 2>&1 ||
	{ echo "userland.sh: downloading ${pkgs[*]} failed: $(tail -3 "$tmp/download.log")" >&2; exit 1; }
for d in "$tmp"/debs/*.deb; do dpkg-deb -x "$d" "$tmp"; done
rm -rf "$tmp/debs" "$tmp/download.log"
printf '%s\n' "${pkgs[*]}" >"$tmp/.stamp"
rm -rf "$out"
mv "$tmp" "$out"
