#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/cross/sysroot.sh DIR: an arm64 sysroot in DIR/sysroot, from Debian's
# arm64 packages, without touching the system's dpkg or apt state.
#
# - the libraries the hook builds against (headers, .a, .so, .pc) and their
#   runtime libraries, for tests/cross/build-arm64.sh;
# - what an arm64 guest needs to run the hook (libc6, runc, busybox-static,
#   jq, bpftool and the libraries they load), for tests/kernels/;
# - in DIR/armhf/bin/busybox, Debian's busybox-static for armhf: an AArch32
#   program, for a guest to check that compat syscalls are recorded under
#   SCMP_ARCH_ARM (with set_tls, an ARM-private one, from its C library).
#
# apt runs with a private configuration under DIR/apt (its own lists, cache,
# status and sources); the mirror is the one this machine's own apt sources
# name for its release, read at run time (SYSROOT_SOURCES_LIST=FILE, a
# one-line-style sources.list, overrides). The .debs are fetched with
# `apt-get download` into DIR/debs and unpacked with `dpkg-deb -x`; nothing is
# installed. Absolute symlinks inside the sysroot are made relative, so
# that the sysroot works wherever it lies. A second run with the same package
# list does nothing (DIR/sysroot/.stamp).
#
# Each package that ships shared libraries is also unpacked on its own, with
# its control files (shlibs, symbols), into DIR/shlibs/PACKAGE: what
# `dpkg-shlibdeps -S` reads to give a cross-built binary its arm64 Depends
# (packaging/deb/cross-depends.cmake).
set -euo pipefail

if [[ $# -ne 1 || -z $1 ]]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
mkdir -p "$1"
dir=$(cd "$1" && pwd)
sysroot=$dir/sysroot
arch=arm64

# For the build: the hook's libraries and what libbpf links.
build_pkgs=(libbpf-dev libelf-dev zlib1g-dev libyajl-dev libseccomp-dev
	libbpf1 libelf1 zlib1g libyajl2 libseccomp2 libc6)
# For the guest. Their Depends (and those of the build packages) are added
# below, so bpftool's and jq's libraries come in with them.
guest_pkgs=(libc6 runc busybox-static jq libjq1 libonig5 bpftool)

# One run at a time per DIR (a kernel matrix and a package check may share it).
exec 9>"$dir/.sysroot.lock"
flock 9
stamp=$sysroot/.stamp
# AArch32, for the compat check (a static binary: nothing else needed).
compat_arch=armhf
compat_pkgs=(busybox-static)
want="$arch shlibs ${build_pkgs[*]} ${guest_pkgs[*]} $compat_arch: ${compat_pkgs[*]}"
if [[ -f $stamp && $(head -n1 "$stamp") == "$want" ]]; then
	exit 0
fi

# --- A private apt configuration -------------------------------------------
. /etc/os-release
codename=${VERSION_CODENAME:?/etc/os-release names no VERSION_CODENAME}
aptdir=$dir/apt
mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial" "$aptdir/etc"
: >"$aptdir/status"
sources=$aptdir/etc/sources.list

# The host's enabled Debian sources for its own release (codename,
# codename-updates, codename-security), in one-line form with arch=arm64.
host_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[[ -f $f ]] || continue
		sed -e 's/#.*//' "$f" | awk -v c="$codename" '
			$1 == "deb" {
				opts = ""; i = 2
				if ($2 ~ /^\[/) {
					while (i <= NF && $i !~ /\]$/) { opts = opts " " $i; i++ }
					opts = opts " " $i; i++
					gsub(/[\[\]]/, "", opts)
				}
				uri = $i; suite = $(i + 1)
				if (suite != c && index(suite, c "-") != 1) next
				comps = ""
				for (j = i + 2; j <= NF; j++) comps = comps " " $j
				gsub(/arch=[^ ]*/, "", opts)
				print "deb [arch=arm64,armhf" opts "] " uri " " suite comps
			}'
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[[ -f $f ]] || continue
		# deb822 stanzas, separated by blank lines.
		awk -v c="$codename" '
			function flush(   n, s, k, opts) {
				if (types ~ /(^| )deb( |$)/ && uris != "" && enabled != "no") {
					opts = "arch=arm64,armhf"
					if (signed != "") opts = opts " signed-by=" signed
					n = split(suites, s, " ")
					for (k = 1; k <= n; k++)
						if (s[k] == c || index(s[k], c "-") == 1) {
							split(uris, u, " ")
							print "deb [" opts "] " u[1] " " s[k] " " comps
						}
				}
				types = uris = suites = comps = signed = enabled = ""
			}
			/^[ \t]*#/ { next }
			/^[ \t]*$/ { flush(); next }
			{
				key = tolower($1); sub(/:$/, "", key)
				val = $0; sub(/^[^:]*:[ \t]*/, "", val)
				if (key == "types") types = val
				else if (key == "uris") uris = val
				else if (key == "suites") suites = val
				else if (key == "components") comps = val
				else if (key == "signed-by") signed = val
				else if (key == "enabled") enabled = tolower(val)
			}
			END { flush() }' "$f"
	done
}

if [[ -n ${SYSROOT_SOURCES_LIST:-} ]]; then
	cp "$SYSROOT_SOURCES_LIST" "$sources"
else
	host_sources >"$sources"
fi
if ! grep -q '^deb ' "$sources"; then
	echo "$0: no apt source for $codename in /etc/apt/sources.list(.d); set SYSROOT_SOURCES_LIST" >&2
	exit 1
fi

apt_opts=(
	-o "APT::Architecture=$arch" -o "APT::Architectures::=$arch" -o "APT::Architectures::=$compat_arch"
	-o "Dir::Etc::SourceList=$sources" -o Dir::Etc::SourceParts=/nonexistent
	-o "Dir::State=$aptdir" -o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::State::status=$aptdir/status" -o "Dir::Cache=$aptdir/cache"
	-o Debug::NoLocking=1 -o APT::Sandbox::User="$(id -un)" -o APT::Get::List-Cleanup=0
	-o Acquire::Languages=none -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
)
if [[ ! -f $aptdir/lists/.updated || $sources -nt $aptdir/lists/.updated ]]; then
	apt-get "${apt_opts[@]}" -qq update
	touch "$aptdir/lists/.updated"
fi

# --- The packages and the packages they depend on ---------------------------
# Depends and Pre-Depends, recursively, first alternative only; virtual
# packages resolve to what apt-cache lists as their first provider.
mapfile -t pkgs < <(
	apt-cache "${apt_opts[@]}" depends --recurse --no-recommends --no-suggests \
		--no-conflicts --no-breaks --no-replaces --no-enhances \
		"${build_pkgs[@]}" "${guest_pkgs[@]}" |
		awk '/^[^ <]/ { print $1 }' | sed 's/:arm64$//' | grep -v : | sort -u)
# Left out: what only a package manager needs (the guest has none), and
# what no library loads.
skip='^(debconf|debconf-2.0|perl-base|dpkg|tar|install-info|libc-bin|cdebconf|libdebconfclient0|sensible-utils)$'

mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | grep -Ev "$skip")

# Fetched once: what is already in DIR/debs under the name apt would give it
# stays (an updated mirror brings a new version, under another name).
debs=$dir/debs
mkdir -p "$debs"
declare -A deb_of=()
to_fetch=()
while read -r _ file _; do
	p=${file%%_*}
	deb_of[$p]=$file
	[[ -f $debs/$file ]] || to_fetch+=("$p")
done < <(apt-get "${apt_opts[@]}" --print-uris download "${pkgs[@]}")
compat_debs=()
while read -r _ file _; do
	compat_debs+=("$file")
	[[ -f $debs/$file ]] || to_fetch+=("${file%%_*}:$compat_arch")
done < <(apt-get "${apt_opts[@]}" --print-uris download "${compat_pkgs[@]/%/:$compat_arch}")
if ((${#to_fetch[@]})); then
	(cd "$debs" && apt-get "${apt_opts[@]}" -qq download "${to_fetch[@]}")
fi

# --- Unpacked ------------------------------------------------------------------
rm -rf "$sysroot.tmp" "$dir/shlibs.tmp" "$dir/$compat_arch.tmp"
mkdir -p "$sysroot.tmp" "$dir/shlibs.tmp" "$dir/$compat_arch.tmp"
for f in "${compat_debs[@]}"; do
	dpkg-deb -x "$debs/$f" "$dir/$compat_arch.tmp"
done
for p in "${pkgs[@]}"; do
	[[ -n ${deb_of[$p]:-} ]] || continue # purely virtual
	deb=$debs/${deb_of[$p]}
	dpkg-deb -x "$deb" "$sysroot.tmp"
	if [[ $(dpkg-deb --ctrl-tarfile "$deb" | tar -t) =~ (^|$'\n')(\./)?(shlibs|symbols)($'\n'|$) ]]; then
		dpkg-deb -x "$deb" "$dir/shlibs.tmp/$p"
		dpkg-deb -e "$deb" "$dir/shlibs.tmp/$p/DEBIAN"
	fi
done

# Absolute symlinks (libz.so -> /lib/aarch64-linux-gnu/libz.so.1) would point
# into the build machine: each becomes relative to its own directory.
while IFS= read -r -d '' link; do
	target=$(readlink "$link")
	[[ $target == /* ]] || continue
	rel=$(realpath -m -s --relative-to="$(dirname "$link")" "$sysroot.tmp$target")
	ln -sfn "$rel" "$link"
done < <(find "$sysroot.tmp" -type l -print0)

rm -rf "$sysroot" "$dir/shlibs" "$dir/${compat_arch:?}"
mv "$dir/shlibs.tmp" "$dir/shlibs"
mv "$dir/$compat_arch.tmp" "$dir/$compat_arch"
mv "$sysroot.tmp" "$sysroot"
{
	echo "$want"
	printf '%s\n' "${deb_of[@]}" "${compat_debs[@]}" | sort
} >"$stamp"
echo "sysroot.sh: $sysroot ($(($(grep -c . "$stamp") - 1)) packages)"
