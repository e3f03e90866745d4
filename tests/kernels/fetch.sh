#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# fetch.sh CACHE NAME: Debian's kernel for matrix entry NAME (common.sh) in
# CACHE/NAME: vmlinuz, config (if the package has it) and package (the package's name and version).
# Through a private apt configuration in CACHE/apt-SUITES-ARCH: the system's
# apt sources and packages stay as they are. A kernel fetched within the
# last 7 days is reused as it is; after that the newest one is looked up.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
cache=$1 name=$2
read -r _ arch suites pattern <<<"$(kernel_entry "$name")"
out=$cache/$name
if [[ -s $out/vmlinuz && -n $(find "$out/vmlinuz" -mtime -7) ]]; then
	exit 0
fi
debarch=$arch
[[ $arch == x86_64 ]] && debarch=amd64
opts_text=$(private_apt "$cache/apt-${suites//,/+}-$debarch" "$suites" "$debarch")
mapfile -t opts <<<"$opts_text"
# The newest package whose name matches (its ABI number is in the name).
pkg=$(apt-cache "${opts[@]}" pkgnames linux-image- | grep -E "$pattern" | sort -V | tail -1 || true)
if [[ -z $pkg ]]; then
	# An older download is better than none.
	[[ -s $out/vmlinuz ]] && exit 0
	echo "fetch.sh: no package matching $pattern in $suites" >&2
	exit 1
fi
version=$(apt-cache "${opts[@]}" show "$pkg:$debarch" | sed -n 's/^Version: //p' | sort -V | tail -1)
if [[ -s $out/vmlinuz && $(cat "$out/package" 2>/dev/null) == "$pkg $version" ]]; then
	touch "$out/vmlinuz"
	exit 0
fi
tmp=$cache/$name.tmp
rm -rf "$tmp"
mkdir -p "$tmp/x"
(cd "$tmp" && apt-get "${opts[@]}" -qq download "$pkg:$debarch=$version") >"$tmp/download.log" 2>&1 ||
	{ echo "fetch.sh: downloading $pkg failed: $(tail -3 "$tmp/download.log")" >&2; exit 1; }
# Since 7.x (trixie-backports) the image is in linux-binary-*, on which
# linux-image-* depends, at /usr/lib/modules/VERSION/vmlinuz.
image='\./(boot/vmlinuz-.*|usr/lib/modules/[^/]*/vmlinuz)$'
# The listing first: grep -q would stop reading early, and dpkg-deb, killed
# by SIGPIPE, fail the pipeline (pipefail) although the image is there.
listing=$(dpkg-deb -c "$tmp"/*.deb | awk '{print $6}')
if ! grep -Eq "$image" <<<"$listing"; then
	rm -f "$tmp"/*.deb
	bin=linux-binary-${pkg#linux-image-}
	(cd "$tmp" && apt-get "${opts[@]}" -qq download "$bin:$debarch=$version") >"$tmp/download.log" 2>&1 ||
		{ echo "fetch.sh: downloading $bin failed: $(tail -3 "$tmp/download.log")" >&2; exit 1; }
fi
# Only the image and its config: every option the guests need is built in.
mapfile -t members < <(dpkg-deb -c "$tmp"/*.deb | awk '{print $6}' |
	grep -E "$image|\./(boot/config-.*|usr/lib/modules/[^/]*/config)$")
dpkg-deb --fsys-tarfile "$tmp"/*.deb | tar -x -C "$tmp/x" "${members[@]}"
for m in "${members[@]}"; do
	case $m in
	*/vmlinuz*) mv "$tmp/x/$m" "$tmp/vmlinuz" ;;
	*/config*) mv "$tmp/x/$m" "$tmp/config" ;;
	esac
done
[[ -s $tmp/vmlinuz ]] || { echo "fetch.sh: no kernel image in $pkg" >&2; exit 1; }
# Its age is that of the download (the 7-day reuse above), not the build's.
touch "$tmp/vmlinuz"
printf '%s %s\n' "$pkg" "$version" >"$tmp/package"
rm -rf "$tmp/x" "$tmp"/*.deb "$tmp/download.log"
rm -rf "$out"
mv "$tmp" "$out"
echo "fetch.sh: $name is $pkg $version"
