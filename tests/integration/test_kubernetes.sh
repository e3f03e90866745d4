# SPDX-License-Identifier: Apache-2.0
# What Kubernetes engines hand the hook, with real runc containers: the
# createRuntime stage that containerd's NRI hook-injector uses, and the
# annotations CRI-O puts on a pod's sandbox and containers (shapes from
# CRI-O's sources; kubelet and CRI-O themselves are not available here).
require_privileges

create_runtime_stage() {
	local dir=$SR_WORK/cr p=$SR_WORK/cr.json
	bundle "$dir" "of:$p" "" -- ls /
	# NRI's hook-injector puts the hooks.d prestart stage at createRuntime.
	bundle_edit "$dir" '.hooks = {createRuntime: .hooks.prestart, poststop: .hooks.poststop}'
	run_container runc "$dir" || fail "runc failed: $(cat "$dir/err")"
	[[ -s $p ]] || fail "no profile when runc returned"
	has_syscall "$p" getdents64 || fail "ls missing from the profile"
	enforce runc "$p" "$SR_WORK/cr-e" -- ls / || fail "ls fails under its profile"
	assert_no_leftovers
}
scenario "run at createRuntime (NRI's hook-injector): recorded and enforced as at prestart" \
	create_runtime_stage

# crio_bundle DIR TYPE NAME ANNOTATIONS-JSON -- ARGS: a bundle with CRI-O's
# annotations for a container of TYPE (sandbox|container) named NAME.
crio_bundle() {
	local dir=$1 type=$2 name=$3 extra=$4
	shift 5
	bundle "$dir" "" "" -- "$@"
	bundle_edit "$dir" --arg t "$type" --arg n "k8s_${name}_web_default_0a1b2c3d_0" \
		--arg kn "$name" --argjson x "$extra" \
		'.annotations = ({"io.kubernetes.cri-o.ContainerType": $t,
			"io.kubernetes.cri-o.ContainerName": $n,
			"io.kubernetes.container.name": $kn} + $x)'
}

crio_pod() {
	local pod=$SR_WORK/pod.json app=$SR_WORK/app.json keys
	keys=$(jq -n --arg p "of:$pod" --arg a "of:$app" \
		'{"io.containers.trace-syscall": $p, "io.containers.trace-syscall/app": $a}')
	crio_bundle "$SR_WORK/sandbox" sandbox POD "$keys" -- true
	run_container runc "$SR_WORK/sandbox" || fail "the sandbox failed: $(cat "$SR_WORK/sandbox/err")"
	[[ ! -e $pod ]] || fail "the sandbox was traced"
	crio_bundle "$SR_WORK/app" container app "$keys" -- ls /
	run_container runc "$SR_WORK/app" || fail "app failed: $(cat "$SR_WORK/app/err")"
	[[ -s $app && ! -e $pod ]] || fail "app's own key did not apply"
	crio_bundle "$SR_WORK/db" container db "$keys" -- cat /etc/passwd
	run_container runc "$SR_WORK/db" || fail "db failed: $(cat "$SR_WORK/db/err")"
	[[ -s $pod ]] || fail "the pod-wide key did not apply to db"
	if has_syscall "$pod" getdents64; then fail "app's ls is in the pod-wide profile"; fi
	assert_no_leftovers
}
scenario "CRI-O's annotations: the sandbox untraced, app by its own key, db by the pod-wide one" crio_pod

bad_own_key() {
	local keys
	keys=$(jq -n '{"io.containers.trace-syscall/app": "of:relative.json"}')
	crio_bundle "$SR_WORK/bad" container app "$keys" -- true
	if run_container runc "$SR_WORK/bad"; then fail "a bad per-container value was accepted"; fi
	grep -q 'seccomp-recorder: error: in `io.containers.trace-syscall/app`' "$SR_WORK/bad/err" ||
		fail "the refusal does not name the key: $(cat "$SR_WORK/bad/err")"
}
scenario "a bad per-container value: refused, naming the key it came from" bad_own_key
