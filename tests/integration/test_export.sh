# export --spo: recorded profiles as Security Profiles Operator objects,
# validated against the openAPIV3Schema of the matching version of the
# operator's own CRD (../shared/k8s/seccompprofile.crd.yaml beside the
# source tree, or SR_K8S_DIR) with Debian's python3-jsonschema: a plain
# recording, one with argument rules (args:), one over podman's default
# profile (if:, conditional rules and archMap, resolved for a stated target),
# in v1 and v1beta1. The validator is shown to reject what the CRD forbids,
# the exported spec is shown to be the same profile (and to run the same
# container under runc), and every refusal is exit 2, one line on stderr
# and nothing on stdout. Each is a scenario of its own.
require_privileges
k8s=${SR_K8S_DIR:-$SR_SOURCE/../shared/k8s}
crd=$k8s/seccompprofile.crd.yaml
# skip() fails instead under SECCOMP_RECORDER_REQUIRE_BPF=1 (CI).
[[ -s $crd ]] || skip "no SeccompProfile CRD at $crd (CI copies ../shared beside the clone)"
# Debian's interpreter and modules (tests/deps.sh), not whatever python3 is first in PATH.
py=/usr/bin/python3
$py -c 'import jsonschema, yaml' 2>/dev/null || skip "needs python3-jsonschema and python3-yaml"
validator=$SR_SOURCE/tests/integration/spo_validate.py
defaults=${SR_DEFAULT_PROFILES:?}
podman=$defaults/podman.json
SR_HOOK_ARGS+=(--allow-read "$defaults")
install -m 0755 "${SR_SOCKETS:?}" "$(rootfs)/bin/sockets"
# containerd's and CRI-O's default capabilities for a container.
default_caps=CAP_CHOWN,CAP_DAC_OVERRIDE,CAP_FSETID,CAP_FOWNER,CAP_MKNOD,CAP_NET_RAW,CAP_SETGID
default_caps+=,CAP_SETUID,CAP_SETFCAP,CAP_SETPCAP,CAP_NET_BIND_SERVICE,CAP_SYS_CHROOT,CAP_KILL
default_caps+=,CAP_AUDIT_WRITE

# valid VERSION YAML: the validator's verdict; its reason on stderr.
valid() { $py "$validator" "$crd" "$1" "$2" >/dev/null; }

# export_ok NAME OUT ARGS...: export succeeds, stderr stays empty, and OUT
# validates in the version asked for (v1 unless --api is among ARGS).
export_ok() {
	local name=$1 out=$2 api=v1 a
	shift 2
	for a in "$@"; do [[ $a == v1beta1 ]] && api=v1beta1; done
	"$SR_BIN" export --spo "$name" "$@" >"$out" 2>"$out.err" ||
		fail "export $* failed: $(cat "$out.err")"
	[[ ! -s $out.err ]] || fail "export $* said something: $(cat "$out.err")"
	[[ $(tail -c1 "$out" | od -An -c | tr -d ' ') == '\n' ]] || fail "no final newline in $out"
	valid "$api" "$out" || fail "export $* is not a valid $api SeccompProfile: $(valid "$api" "$out" 2>&1)"
}

# same_profile JSON YAML: the spec is the profile, minus what export drops
# by design (comments, defaultErrnoRet/defaultErrno, errno names, empty
# members), with `name` as `names`.
same_profile() {
	$py - "$1" "$2" <<'EOF' || fail "the exported spec of $1 differs from the profile"
import json, sys, yaml
prof = json.load(open(sys.argv[1]))
spec = yaml.safe_load(open(sys.argv[2]))["spec"]
for k in ("defaultErrnoRet", "defaultErrno"):
    prof.pop(k, None)
rules = []
for r in prof.get("syscalls") or []:
    r = {k: v for k, v in r.items() if v not in (None, [], {}, "") and k not in ("comment", "errno")}
    if "name" in r:
        r["names"] = [r.pop("name")]
    rules.append(r)
if rules:
    prof["syscalls"] = rules
prof = {k: v for k, v in prof.items() if v not in (None, [], {})}
if prof != spec:
    print("# profile:", json.dumps(prof, sort_keys=True)[:2000])
    print("# spec:   ", json.dumps(spec, sort_keys=True)[:2000])
    sys.exit(1)
EOF
}

# spec_json YAML OUT: the spec as the JSON the operator writes to each node.
spec_json() { $py -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1]))["spec"], sys.stdout)' "$1" >"$2"; }

# refused EXPECTED-NEEDLE ARGS...: export ARGS exits 2 with one line naming
# NEEDLE on stderr and nothing on stdout.
refused() {
	local needle=$1 rc=0
	shift
	"$SR_BIN" export "$@" >"$SR_WORK/ref.out" 2>"$SR_WORK/ref.err" || rc=$?
	[[ $rc == 2 ]] || fail "export $* exited $rc, not 2: $(cat "$SR_WORK/ref.err")"
	[[ ! -s $SR_WORK/ref.out ]] || fail "export $* printed on stdout although refused"
	[[ $(wc -l <"$SR_WORK/ref.err") == 1 ]] || fail "export $* said not one line: $(cat "$SR_WORK/ref.err")"
	grep -qF -- "$needle" "$SR_WORK/ref.err" || fail "export $* did not name $needle: $(cat "$SR_WORK/ref.err")"
	log "refused: $(cat "$SR_WORK/ref.err")"
}

# record_with ANNOTATION ARGS...: records ARGS under runc with the annotation.
record_with() {
	local d
	d=$(mktemp -d "$SR_WORK/rec.XXXXXX")
	bundle "$d" "$1" "" -- "${@:2}"
	run_container runc "$d" || fail "recording run of '${*:2}' failed: $(cat "$d/err")"
}

validator_rejects() {
	p=$SR_WORK/small.json
	# listenerMetadata is a free string: quotes, backslashes, a newline, a tab,
	# YAML indicators and non-ASCII must come back as they were.
	jq -n '{defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 1, architectures: ["SCMP_ARCH_X86_64"],
		listenerMetadata: "a\"b\\c\nd\te: - [x] #y &z *w ! % @ `caf\u00e9 \u2603 \ud83d\ude00 yes no ~ null",
		syscalls: [{names: ["read", "write"], action: "SCMP_ACT_ALLOW"},
			{names: ["ptrace"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}' >"$p"
	export_ok small "$SR_WORK/small.yaml" "$p"
	same_profile "$p" "$SR_WORK/small.yaml"
	# Each mutation breaks one rule of the CRD; the validator must say so.
	y=$SR_WORK/small.yaml
	for m in 's/SCMP_ACT_ALLOW/SCMP_ACT_PERMIT/' 's/"write"/"read"/' 's/errnoRet: 1/errnoRet: 2147483648/' \
		's/errnoRet: 1/errnoRet: -1/' '/defaultAction/d' 's/SCMP_ARCH_X86_64/SCMP_ARCH_I386/' \
		's/^kind: .*/kind: Profile/' 's/name: "small"/name: "Small"/' 's/^  syscalls:/  syscallz:/' \
		'/        - "read"/d; /        - "write"/d'; do
		sed "$m" "$y" >"$SR_WORK/bad.yaml"
		! cmp -s "$y" "$SR_WORK/bad.yaml" || fail "mutation $m changed nothing"
		valid v1 "$SR_WORK/bad.yaml" 2>/dev/null && fail "the validator accepted a document mutated by $m"
		log "rejected ($m): $(valid v1 "$SR_WORK/bad.yaml" 2>&1)"
	done
	valid v1beta1 "$y" 2>/dev/null && fail "the validator accepted a v1 object as v1beta1"
	true
}
scenario "the validator accepts an export and rejects mutated documents; strings survive YAML" validator_rejects

plain() {
	p=$SR_WORK/plain.json
	record_with "of:$p;errno:EPERM" ls /
	export_ok ls "$SR_WORK/plain.yaml" "$p"
	export_ok ls "$SR_WORK/plain-beta.yaml" --api v1beta1 "$p"
	same_profile "$p" "$SR_WORK/plain.yaml"
	grep -q '^    # recorded by seccomp-recorder' "$SR_WORK/plain.yaml" || fail "the rule's comment is not kept as a YAML comment"
	# What the operator would write to each node runs the same container.
	spec_json "$SR_WORK/plain.yaml" "$SR_WORK/plain-node.json"
	enforce runc "$SR_WORK/plain-node.json" "$SR_WORK/enf-plain" -- ls / ||
		fail "ls / fails under the exported spec: $(cat "$SR_WORK/enf-plain/err")"
	# The default recording (defaultErrnoRet 38, ENOSYS) is refused, or
	# exported with --default-eperm.
	q=$SR_WORK/plain38.json
	record_with "of:$q" ls /
	refused '`defaultErrnoRet` 38 (ENOSYS)' --spo ls "$q"
	export_ok ls "$SR_WORK/plain38.yaml" --default-eperm "$q"
	same_profile "$q" "$SR_WORK/plain38.yaml"
}
scenario "a plain recording exports as a valid v1 and v1beta1 SeccompProfile and runs under runc" plain

arg_rules() {
	p=$SR_WORK/args.json
	record_with "of:$p;errno:EPERM;args:socket,socketpair,personality,clone" \
		sh -c 'sockets unix inet pair-unix persona && true'
	jq -e '[.syscalls[] | select(.args)] | length >= 4' "$p" >/dev/null || fail "no argument rules recorded: $(jq -c .syscalls "$p")"
	export_ok sockets "$SR_WORK/args.yaml" "$p"
	export_ok sockets "$SR_WORK/args-beta.yaml" --api v1beta1 "$p"
	same_profile "$p" "$SR_WORK/args.yaml"
	grep -q 'op: "SCMP_CMP_MASKED_EQ"' "$SR_WORK/args.yaml" || fail "clone's masked rule is missing"
	spec_json "$SR_WORK/args.yaml" "$SR_WORK/args-node.json"
	enforce runc "$SR_WORK/args-node.json" "$SR_WORK/enf-args" -- sh -c 'sockets unix inet pair-unix persona && true' ||
		fail "the workload fails under the exported spec: $(cat "$SR_WORK/enf-args/out" "$SR_WORK/enf-args/err")"
}
scenario "a recording with argument rules exports valid, args intact, and runs under runc" arg_rules

conditional() {
	[[ -s $podman ]] || skip "no podman default profile in $defaults (tests/profiles/fetch.sh)"
	p=$SR_WORK/cond.json
	record_with "of:$p;if:$podman" ls /
	jq -e '[.syscalls[] | select(.includes.caps or .excludes.caps or .includes.arches)] | length > 0' "$p" >/dev/null ||
		fail "the recording kept no conditional rule of podman's profile"
	# Without a target each part is asked for in turn.
	refused '`defaultErrnoRet` 38' --spo web "$p"
	refused '`archMap`' --spo web --default-eperm "$p"
	refused '`archMap`' --spo web --default-eperm --caps "$default_caps" "$p"
	refused 'includes.caps' --spo web --default-eperm --arch amd64 "$p"
	t=(--default-eperm --arch amd64 --kernel "$(uname -r | cut -d. -f1-2)")
	export_ok web "$SR_WORK/cond.yaml" "${t[@]}" --caps "$default_caps" "$p"
	export_ok web "$SR_WORK/cond-beta.yaml" --api v1beta1 "${t[@]}" --caps "$default_caps" "$p"
	export_ok web "$SR_WORK/cond-admin.yaml" "${t[@]}" --caps "$default_caps,CAP_SYS_ADMIN" "$p"
	y2j() { $py -c 'import json, sys, yaml; json.dump(yaml.safe_load(open(sys.argv[1]))["spec"], sys.stdout)' "$1"; }
	action_of() { y2j "$1" | jq -r --arg n "$2" '[.syscalls[] | select(.names | index($n)) | .action] | join(",")'; }
	# Resolved as podman would for such a container on this machine.
	[[ $(action_of "$SR_WORK/cond.yaml" bpf) == SCMP_ACT_ERRNO ]] || fail "bpf without CAP_SYS_ADMIN: $(action_of "$SR_WORK/cond.yaml" bpf)"
	[[ $(action_of "$SR_WORK/cond-admin.yaml" bpf) == SCMP_ACT_ALLOW ]] || fail "bpf with CAP_SYS_ADMIN: $(action_of "$SR_WORK/cond-admin.yaml" bpf)"
	[[ $(action_of "$SR_WORK/cond.yaml" chroot) == SCMP_ACT_ALLOW ]] || fail "chroot with CAP_SYS_CHROOT: $(action_of "$SR_WORK/cond.yaml" chroot)"
	[[ $(action_of "$SR_WORK/cond.yaml" arch_prctl) == *SCMP_ACT_ALLOW* ]] || fail "arch_prctl on amd64"
	[[ -z $(action_of "$SR_WORK/cond.yaml" arm_fadvise64_64) ]] || fail "an arm-only rule was kept for amd64"
	y2j "$SR_WORK/cond.yaml" | jq -e '.architectures == ["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"]' >/dev/null ||
		fail "archMap not resolved for amd64: $(y2j "$SR_WORK/cond.yaml" | jq -c .architectures)"
	spec_json "$SR_WORK/cond.yaml" "$SR_WORK/cond-node.json"
	enforce runc "$SR_WORK/cond-node.json" "$SR_WORK/enf-cond" -- ls / ||
		fail "ls / fails under the exported spec: $(cat "$SR_WORK/enf-cond/err")"
}
scenario "a recording over podman's default (if:) exports valid once resolved for --caps/--arch/--kernel" conditional

refusals() {
	ok=$SR_WORK/ok.json
	jq -n '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["read"], action: "SCMP_ACT_ALLOW"}]}' >"$ok"
	mk() { jq -n "$2" >"$SR_WORK/$1.json"; printf '%s\n' "$SR_WORK/$1.json"; }
	refused '`Web`' --spo Web "$ok"
	refused 'Kubernetes object name' --spo "$(printf 'a%.0s' $(seq 254))" "$ok"
	refused 'Kubernetes object name' --spo a_b "$ok"
	refused '--api must be' --spo ok --api v2 "$ok"
	refused '--spo NAME is required' "$ok"
	refused 'expected one PROFILE' --spo ok
	refused 'unexpected argument' --spo ok "$ok" "$ok"
	# getopt's own message for an unknown option comes with argp's hint line.
	rc=0
	"$SR_BIN" export --spo ok --nope "$ok" >"$SR_WORK/ref.out" 2>"$SR_WORK/ref.err" || rc=$?
	[[ $rc == 2 && ! -s $SR_WORK/ref.out ]] && head -1 "$SR_WORK/ref.err" | grep -q -- "--nope" ||
		fail "an unknown option: exit $rc, $(cat "$SR_WORK/ref.err")"
	refused '--caps' --spo ok --caps CAP_NOPE "$ok"
	refused '--kernel' --spo ok --kernel six "$ok"
	refused '--arch' --spo ok --arch x86_64 "$ok"
	refused 'missing.json' --spo ok "$SR_WORK/missing.json"
	echo '{"defaultAction": ' >"$SR_WORK/trunc.json"
	refused 'trunc.json' --spo ok "$SR_WORK/trunc.json"
	refused '`defaultErrnoRet` 38' --spo ok "$(mk e38 '{defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38}')"
	refused '`archMap`' --spo ok "$(mk am '{defaultAction: "SCMP_ACT_ERRNO", archMap: [{architecture: "SCMP_ARCH_X86_64", subArchitectures: []}]}')"
	refused 'includes.caps' --spo ok "$(mk ic '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["bpf"], action: "SCMP_ACT_ALLOW", includes: {caps: ["CAP_BPF"]}}]}')"
	refused 'excludes.minKernel' --spo ok "$(mk mk '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["bpf"], action: "SCMP_ACT_ALLOW", excludes: {minKernel: "5.8"}}]}')"
	refused 'includes.arches' --spo ok "$(mk ia '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["bpf"], action: "SCMP_ACT_ALLOW", includes: {arches: ["amd64"]}}]}')"
	refused '`listenerPath`' --spo ok "$(mk lp '{defaultAction: "SCMP_ACT_NOTIFY", listenerPath: "/run/agent.sock"}')"
	refused 'SECCOMP_FILTER_FLAG_NEW_LISTENER' --spo ok "$(mk fl '{defaultAction: "SCMP_ACT_ERRNO", flags: ["SECCOMP_FILTER_FLAG_NEW_LISTENER"]}')"
	refused 'both `name` and `names`' --spo ok "$(mk nn '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["read"], name: "write", action: "SCMP_ACT_ALLOW"}]}')"
	refused 'both `architectures` and `archMap`' --spo ok --arch amd64 "$(mk aa '{defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64"], archMap: [{architecture: "SCMP_ARCH_X86_64", subArchitectures: []}]}')"
	refused '`ENOPE`' --spo ok "$(mk en '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: ["read"], action: "SCMP_ACT_ERRNO", errno: "ENOPE"}]}')"
	# jq would round this number: printf keeps it exact.
	printf '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 18446744073709551615, "op": "SCMP_CMP_EQ"}]}]}\n' >"$SR_WORK/big.json"
	refused 'beyond the CRD' --spo ok "$SR_WORK/big.json"
}
scenario "every refusal: exit 2, one line naming the field or value, nothing on stdout" refusals
