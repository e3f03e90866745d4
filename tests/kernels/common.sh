# SPDX-License-Identifier: Apache-2.0
# Shared by the kernel-matrix scripts (tests/kernels/README in run.sh's header).
# The matrix: NAME ARCH SUITES PACKAGE-PATTERN. SUITES: comma-separated (the
# security archive carries the newest kernel of a release); the pattern is an
# extended regex on package names and the newest match wins, so no ABI
# number is written down here. trixie-backports' newest kernel (6.19 in
# December 2026) is the one with the capability:cap_capable tracepoint
# (6.14+); the others go through the kprobe fallback. 5.10 comes from
# bullseye-security alone:
# bullseye's own 5.10.0-32 is too old for Debian 12's runc ("could not
# ensure we are a cloned binary").
SR_KERNELS=(
	"x86_64-5.10 x86_64 bullseye-security ^linux-image-5\.10\.0-[0-9]+-amd64$"
	"x86_64-6.1 x86_64 bookworm,bookworm-security ^linux-image-6\.1\.0-[0-9]+-amd64$"
	"x86_64-6.12 x86_64 trixie,trixie-security ^linux-image-6\.12\.[0-9]+\+deb13-amd64$"
	"arm64-6.1 arm64 bookworm,bookworm-security ^linux-image-6\.1\.0-[0-9]+-arm64$"
	"x86_64-trixie-bpo x86_64 trixie-backports ^linux-image-[0-9.]+\+deb13-amd64$"
)

# kernel_entry NAME: prints that kernel's line of SR_KERNELS.
kernel_entry() {
	local k
	for k in "${SR_KERNELS[@]}"; do
		[[ ${k%% *} == "$1" ]] && { printf '%s\n' "$k"; return 0; }
	done
	echo "unknown kernel '$1' (known: $(printf '%s ' "${SR_KERNELS[@]%% *}"))" >&2
	return 1
}

# apt_uri SUITE: the URI this machine's apt sources use for SUITE's archive
# (the security archive for *-security suites). Read at run time: the mirror
# is the machine's business, not the repository's.
apt_uri() {
	local want=main uri
	[[ $1 == *-security ]] && want=security
	uri=$(
		{
			cat /etc/apt/sources.list.d/*.sources 2>/dev/null
			echo
		} | awk -v want="$want" '
			function flush() {
				if (!done && uris != "" && types ~ /(^| )deb( |$)/) {
					sec = (suites ~ /-security/)
					if ((want == "security") == sec) { print uris; done = 1; exit }
				}
				uris = ""; suites = ""; types = ""
			}
			/^[ \t]*$/ { flush(); next }
			$1 == "Types:" { types = $0 }
			$1 == "URIs:" { uris = $2 }
			$1 == "Suites:" { suites = $0 }
			END { flush() }'
	)
	if [[ -z $uri ]]; then
		uri=$(awk -v want="$want" '$1 == "deb" && $2 !~ /^\[/ {
				sec = ($3 ~ /-security/)
				if ((want == "security") == sec) { print $2; exit } }' \
			/etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
	fi
	printf '%s\n' "$uri"
}

# private_apt DIR SUITES ARCH: prints the apt options of a private apt
# configuration in DIR for SUITES (comma-separated; main only) and ARCH (a Debian
# architecture), after `apt-get update` there if its lists are older than a
# day. The system's own apt state is read (status) but never changed.
private_apt() {
	local dir=$1 suites=$2 arch=$3 uri suite
	mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
	: >"$dir/sources.list"
	for suite in ${suites//,/ }; do
		uri=$(apt_uri "$suite")
		[[ -n $uri ]] || { echo "no Debian mirror for $suite in this machine's apt sources" >&2; return 1; }
		printf 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] %s %s main\n' \
			"$uri" "$suite" >>"$dir/sources.list"
	done
	local opts=(-o "Dir::Etc::SourceList=$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
		-o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache"
		-o "APT::Architectures::=$arch" -o Debug::NoLocking=1)
	if [[ -z $(find "$dir/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null) ]]; then
		apt-get "${opts[@]}" -qq update >"$dir/update.log" 2>&1 ||
			{ echo "apt-get update for $suites failed: $(tail -3 "$dir/update.log")" >&2; return 1; }
	fi
	printf '%s\n' "${opts[@]}"
}
