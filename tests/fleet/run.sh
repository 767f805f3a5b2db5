#!/usr/bin/env bash
# The fleet view end to end (ctest fleet_prometheus_alerts):
#
#   run.sh FLEET_SERVICE RULES_FILE DASHBOARD_JSON
#
# 1. starts two fleet_service processes on loopback ports: one whose session map grows
#    without bound ("growing"), one with a capped cache only ("bounded");
# 2. writes a variant of RULES_FILE whose `for:` durations are all FLEET_FOR (default 4s)
#    instead of the shipped minutes, and a prometheus.yml that scrapes both every second and
#    evaluates the rules every second (targets labelled role="growing" / role="bounded");
# 3. starts a real Prometheus server (Debian `prometheus`) on a free loopback port, with its
#    storage in a temporary folder;
# 4. polls /api/v1/alerts until LeakwatchFindingUnbounded fires for the growing process's
#    "fleet sessions" map, failing at once if any alert appears for the bounded process and
#    after FLEET_TIMEOUT seconds (default 75) if it never fires;
# 5. checks that both targets are up, that the bounded one reports its findings as bounded,
#    that the alert's annotations name the map's label and site, and that every query of
#    DASHBOARD_JSON returns data from the live server.
#
# The servers and the temporary folder are removed on every exit path (trap on EXIT, INT,
# TERM, HUP); if the script is killed outright (SIGKILL), the services and the server still
# get SIGTERM (PR_SET_PDEATHSIG; `setpriv --pdeathsig` for the server), and the services stop
# after a lifetime of 120 s in any case. Needs: prometheus (Debian prometheus), jq (Debian jq).
set -euo pipefail

if [[ $# -ne 3 ]]; then
    echo "usage: run.sh FLEET_SERVICE RULES_FILE DASHBOARD_JSON" >&2
    exit 2
fi
service=$1
rules=$2
dashboard=$3
for_duration=${FLEET_FOR:-4s}
timeout_seconds=${FLEET_TIMEOUT:-75}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

need() {  # program, Debian package
    command -v "$1" >/dev/null 2>&1 ||
        fail "\`$1\` is not installed: install the Debian package \`$2\` (apt-get install -y --no-install-recommends $2; ./scripts/test installs it when run as root)"
}
need prometheus prometheus
need jq jq
[[ -x $service ]] || fail "the service program $service is not an executable file"
[[ -f $rules ]] || fail "the rules file $rules does not exist"
[[ -f $dashboard ]] || fail "the dashboard $dashboard does not exist"

work=$(mktemp -d "${TMPDIR:-/tmp}/leakwatch-fleet-XXXXXX") || fail "cannot create a temporary folder under ${TMPDIR:-/tmp}"
pids=()
passed=0

stop_all() {
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM HUP
    stop_all
    if [[ $passed -ne 1 ]]; then
        local log
        for log in "$work"/*.log; do
            [[ -f $log ]] || continue
            echo "---- $(basename "$log") (last 40 lines)" >&2
            tail -n 40 "$log" >&2
        done
        [[ -f $work/alerts.json ]] && { echo "---- last /api/v1/alerts" >&2; cat "$work/alerts.json" >&2; echo >&2; }
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# GET http://127.0.0.1:PORT/PATH with bash's /dev/tcp (HTTP/1.0: the server closes after the
# response). Prints the body of a 200 response; fails otherwise. At most 5 s.
http_get() {
    local port=$1 path=$2 response
    response=$(timeout 5 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nAccept: application/json\r\n\r\n" "$2" "$1" >&3
        cat <&3' http_get "$port" "$path" 2>/dev/null) || return 1
    [[ ${response%%$'\r'*} == "HTTP/1."?" 200"* ]] || return 1
    printf '%s' "${response#*$'\r\n\r\n'}"
}

# Runs an instant query against the Prometheus server; prints the JSON answer.
query() {
    local encoded
    encoded=$(jq -rn --arg q "$1" '$q | @uri')
    http_get "$prometheus_port" "/api/v1/query?query=$encoded"
}

# Waits (at most 10 s) for the file a service writes its port to.
wait_for_port_file() {
    local file=$1 name=$2 pid=$3
    for _ in $(seq 100); do
        if [[ -s $file ]]; then
            cat "$file"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || fail "the $name service exited before it served (log: see below)"
        sleep 0.1
    done
    fail "the $name service wrote no port to $file within 10 s"
}

started=$SECONDS

# --- 1. the two services -------------------------------------------------------------------

"$service" growing "$work/growing.port" 120 >"$work/service-growing.log" 2>&1 &
pids+=($!)
growing_pid=$!
"$service" bounded "$work/bounded.port" 120 >"$work/service-bounded.log" 2>&1 &
pids+=($!)
bounded_pid=$!
growing_port=$(wait_for_port_file "$work/growing.port" growing "$growing_pid")
bounded_port=$(wait_for_port_file "$work/bounded.port" bounded "$bounded_pid")
# (Read whole, then searched: `grep -q` in a pipe would stop reading early and, with pipefail,
# fail the pipe when the writer gets SIGPIPE.)
metrics=$(http_get "$growing_port" /metrics) || fail "GET http://127.0.0.1:$growing_port/metrics failed"
grep -q '^leakwatch_finding_unbounded{' <<<"$metrics" ||
    fail "http://127.0.0.1:$growing_port/metrics serves no leakwatch_finding_unbounded sample: ${metrics:0:2000}"

# --- 2. rules with short durations, and the server's configuration --------------------------

# Every `for:` of the shipped rules becomes $for_duration; there must be one per alert.
sed -E "s/^([[:space:]]*for:[[:space:]]*)[0-9]+[smhdwy]+[[:space:]]*$/\1$for_duration/" "$rules" >"$work/rules.yml"
alerts=$(grep -cE '^[[:space:]]*- alert:' "$rules" || true)
shortened=$(grep -cE "^[[:space:]]*for:[[:space:]]*$for_duration\$" "$work/rules.yml" || true)
[[ $alerts -ge 1 && $shortened -eq $alerts ]] ||
    fail "$rules: expected one \`for: <duration>\` line per alert ($alerts alerts) to shorten, shortened $shortened"

cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $work/rules.yml
scrape_configs:
  - job_name: leakwatch-fleet
    static_configs:
      - targets: ['127.0.0.1:$growing_port']
        labels:
          role: growing
      - targets: ['127.0.0.1:$bounded_port']
        labels:
          role: bounded
EOF

# --- 3. the Prometheus server on a free port (another try if someone takes the port first) --

with_pdeathsig=()
setpriv_help=$(setpriv --help 2>/dev/null || true)
if [[ $setpriv_help == *--pdeathsig* ]]; then with_pdeathsig=(setpriv --pdeathsig TERM --); fi
prometheus_port=
for attempt in 1 2 3; do
    port=$("$service" --free-port) || fail "cannot find a free loopback port"
    log=$work/prometheus.log
    # setpriv (util-linux): the server gets SIGTERM if this script dies without its trap.
    "${with_pdeathsig[@]}" prometheus --config.file="$work/prometheus.yml" \
        --storage.tsdb.path="$work/data" \
        --web.listen-address="127.0.0.1:$port" \
        --log.level=info >"$log" 2>&1 &
    pids+=($!)
    pid=$!
    for _ in $(seq 200); do
        if http_get "$port" /-/ready >/dev/null; then
            prometheus_port=$port
            break 2
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        fail "prometheus did not become ready on 127.0.0.1:$port within 20 s"
    fi
    wait "$pid" 2>/dev/null || true
    grep -q 'address already in use' "$log" || fail "prometheus exited at start (try $attempt)"
    echo "port $port was taken meanwhile; trying another (try $attempt)" >&2
    mv "$log" "$work/prometheus-try$attempt.log"
done
[[ -n $prometheus_port ]] || fail "prometheus found no free port in 3 tries"
echo "prometheus ready on 127.0.0.1:$prometheus_port after $((SECONDS - started)) s; growing service on $growing_port, bounded on $bounded_port"

# --- 4. the alert fires for the growing process, never for the bounded one ------------------

deadline=$((SECONDS + timeout_seconds))
fired=
while [[ $SECONDS -lt $deadline ]]; do
    if http_get "$prometheus_port" /api/v1/alerts >"$work/alerts.json.new"; then
        mv "$work/alerts.json.new" "$work/alerts.json"
        bounded_alerts=$(jq -r '[.data.alerts[] | select(.labels.role == "bounded")] | length' "$work/alerts.json")
        [[ $bounded_alerts -eq 0 ]] ||
            fail "an alert appeared for the bounded process: $(jq -c '[.data.alerts[] | select(.labels.role == "bounded") | {labels, state}]' "$work/alerts.json")"
        fired=$(jq -r '[.data.alerts[] | select(.labels.alertname == "LeakwatchFindingUnbounded" and .labels.role == "growing"
                          and .labels.label == "fleet sessions" and .state == "firing")] | length' "$work/alerts.json")
        [[ $fired -ge 1 ]] && break
    fi
    sleep 0.5
done
[[ ${fired:-0} -ge 1 ]] ||
    fail "LeakwatchFindingUnbounded did not fire for the growing process's \"fleet sessions\" map within $timeout_seconds s (for: $for_duration)"
echo "LeakwatchFindingUnbounded fired for the growing process after $((SECONDS - started)) s"

summary=$(jq -r 'first(.data.alerts[] | select(.labels.alertname == "LeakwatchFindingUnbounded" and .labels.label == "fleet sessions")) | .annotations.summary' "$work/alerts.json")
echo "summary: $summary"
[[ $summary == *'"fleet sessions" at tests/fleet/fleet_service.cpp:'*" grows without bound on 127.0.0.1:$growing_port" ]] ||
    fail "the alert's summary does not name the map's label, site and instance: $summary"
other=$(jq -r '[.data.alerts[] | select(.labels.alertname == "LeakwatchFindingUnbounded" and .labels.label != "fleet sessions")] | length' "$work/alerts.json")
[[ $other -eq 0 ]] || fail "LeakwatchFindingUnbounded is also active for another finding: $(jq -c '.data.alerts' "$work/alerts.json")"

# --- 5. both targets scraped, the bounded one judged bounded; the dashboard's queries --------

up=$(query 'up{job="leakwatch-fleet"} == 1') || fail "query up failed"
[[ $(jq -r '.data.result | length' <<<"$up") -eq 2 ]] || fail "both targets should be up: $up"
cache=$(query 'leakwatch_finding_unbounded{role="bounded", label="fleet cache"}') || fail "query of the bounded process failed"
[[ $(jq -r '.data.result | length' <<<"$cache") -eq 1 && $(jq -r '.data.result[0].value[1]' <<<"$cache") == 0 ]] ||
    fail "the bounded process's cache should be scraped and bounded: $cache"

# Each query with the variables set to what "All" selects, and URL-encoded, in one jq run (jq
# takes a tenth of a second to start); the answers are compact JSON, matched as text.
count=0
while IFS=$'\t' read -r resolved encoded; do
    answer=$(http_get "$prometheus_port" "/api/v1/query?query=$encoded") || fail "dashboard query failed: $resolved"
    [[ $answer == '{"status":"success","data":{'* ]] || fail "dashboard query failed: $resolved: $answer"
    [[ $answer == *'"result":[{'* ]] || fail "dashboard query returned no data: $resolved: $answer"
    count=$((count + 1))
done < <(jq -r '.panels[].targets[].expr | gsub("\\$job"; ".*") | gsub("\\$instance"; ".*") | "\(.)\t\(@uri)"' "$dashboard")
[[ $count -ge 10 ]] || fail "expected at least 10 dashboard queries, found $count"
echo "all $count dashboard queries return data"

passed=1
echo "PASS in $((SECONDS - started)) s"
