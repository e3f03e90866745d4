# With /dev/log present, the detached tracer reports to syslog under the
# tag seccomp-recorder.
require_privileges
start_syslog
log_file=$SR_SYSLOG
p=$SR_WORK/s.json
dir=$SR_WORK/bundle
bundle "$dir" "of:$p" "" -- true
run_container runc "$dir" || fail "container failed: $(cat "$dir/err")"
for i in $(seq 1 50); do grep -q "wrote \`$p\`" "$log_file" 2>/dev/null && break; sleep 0.05; done
grep -q "seccomp-recorder.*tracing pid" "$log_file" || fail "no prestart message in syslog: $(cat "$log_file")"
grep -q "seccomp-recorder.*wrote \`$p\`" "$log_file" || fail "no tracer message in syslog: $(cat "$log_file")"
log "ok: $(grep -c seccomp-recorder "$log_file") syslog lines"
