# The anycast drills' steps (issue 19), shared by tests/anycast/drills (the namespace lab, scripts/anycast-lab) and
# scripts/lab-anycast-drills (`./lab drill` on the nspawn lab): each step is measured from the client
# (tests/anycast/probe.py), then checked in the router's FIB next hops and by a fresh look from the client.
# shellcheck shell=bash
#
# The sourcing script sources scripts/lib/common.sh first, then sets
#   AD_VIP      the VIP                          AD_HOSTS  the hosts' names (their pages' first line), in order
#   AD_BFD      the BFD interval (ms), for the table
#   AD_LONG     how long a step's probe runs (s)  AD_OUT_DIR where the probe's JSON goes
#   AD_SPEAKER  agent (checks enforced) or another speaker (checks reported only: bench/anycast's peer figure)
# and defines the lab's verbs:
#   ad_addr HOST            the address the router has HOST as a next hop by
#   ad_nexthops             the router's next hops for the VIP (in its FIB), sorted, one line, "none" for none
#   ad_client CMD...        run CMD in the client's namespace
#   ad_stop_nginx HOST      stop nginx as an operator would (the agent's tracker restarts it)
#   ad_break_nginx HOST     make nginx unable to start, and stop it
#   ad_repair_nginx HOST    undo ad_break_nginx (the agent starts nginx again)
#   ad_poweroff HOST        the host goes silent at once: no BGP notification, no withdraw (only BFD tells)
#   ad_poweron HOST         boot it again (returns once its services are started)
#   ad_stop_agent HOST      stop the agent gracefully (withdraw, drain, exit)
#   ad_withdrawals HOST     how often the agent of HOST withdrew since it started
#   ad_host HOST CMD...     run CMD on HOST (its network namespace at least)
#   ad_router_vtysh ARGS... run vtysh with ARGS on the router
# Every step then adds a row to AD_TABLE and counts a wrong outcome in AD_FAILURES; AD_OUT lists the hosts out of
# service, from which each step's expected next hops and client view follow.

AD_PROBE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tests/anycast/probe.py
AD_FAILURES=0 AD_OUT=()
AD_TABLE=("| step (${AD_SPEAKER:-agent}) | BFD | failed requests | failing for | longest outage | next hops after | established connections to surviving hosts broken |"
          "| --- | --- | --- | --- | --- | --- | --- |")

ad_in_service() { local h; for h in "${AD_HOSTS[@]}"; do [[ " ${AD_OUT[*]} " == *" $h "* ]] || echo "$h"; done; }
ad_expected_hops() { local h; for h in $(ad_in_service); do ad_addr "$h"; done | sort | tr '\n' ' ' | sed 's/ $//'; }
ad_expected_view() { ad_in_service | sort | tr '\n' ' ' | sed 's/ $//'; }
ad_out() { AD_OUT+=("$1"); }
ad_back() { local h keep=(); for h in "${AD_OUT[@]}"; do [ "$h" = "$1" ] || keep+=("$h"); done; AD_OUT=("${keep[@]}"); }

ad_wait_hops() { # SECONDS: until the router's next hops are the expected ones or the time is up (checked after)
  local want deadline=$((SECONDS + $1)); want=$(ad_expected_hops)
  while [ $SECONDS -lt $deadline ] && [ "$(ad_nexthops)" != "$want" ]; do sleep 0.05; done
}

ad_probe_start() { # SECONDS: the client measures in the background; established connections are made first
  # a step starts from its expected state, or what it measures would be of the step before
  ad_wait_hops 60
  ad_check "before the step: next hops" "$(ad_expected_hops)" "$(ad_nexthops)"
  ad_client python3 "$AD_PROBE" "$AD_VIP" "$1" 20 24 >"$AD_OUT_DIR/probe.json" &
  AD_PROBE_PID=$!
  sleep 1
}
ad_probe_wait() { wait "$AD_PROBE_PID" || true; }

# The client's view now: 30 requests on new connections; the hosts that answered, sorted, or FAILED.
ad_client_view() {
  ad_client python3 "$AD_PROBE" "$AD_VIP" 1 30 0 | python3 -c '
import json, sys
d = json.load(sys.stdin)
print("FAILED" if d["failed"] else " ".join(sorted(d["served"])))'
}

ad_check() { # WHAT EXPECTED ACTUAL
  if [ "${AD_SPEAKER:-agent}" != agent ]; then say "$AD_SPEAKER: $1: $3 (the agent's expectation: $2)"; return; fi
  if [ "$2" = "$3" ]; then say "ok: $1: $3"; else say "FAIL: $1: expected '$2', got '$3'"; AD_FAILURES=$((AD_FAILURES + 1)); fi
}

ad_row() { # STEP DOWN...: the probe's figures (after ad_probe_wait) and the next hops now; DOWN: the hosts taken away
  local step=$1; shift
  AD_TABLE+=("$(python3 - "$step" "$(ad_nexthops)" "$*" "$AD_BFD" "$AD_OUT_DIR/probe.json" <<'EOF'
import json, sys
step, hops, down, bfd, path = sys.argv[1:6]
try:
    d = json.load(open(path))
except ValueError:
    d = {"requests": 0, "failed": 0, "failing_ms": 0, "longest_outage_ms": 0, "established": {}, "broken": {}}
survivors = [h for h in d["established"].values() if h not in down.split()]
broken = [h for h in d["broken"].values() if h not in down.split()]
print("| %s | %s ms x 3 | %d/%d | %d ms | %d ms | %s | %d/%d |" % (step, bfd, d["failed"], d["requests"],
      d["failing_ms"], d["longest_outage_ms"], hops, len(broken), len(survivors)))
EOF
)")
}

ad_check_outcome() { # WHAT: the router's next hops and the client's view are what AD_OUT says
  ad_check "$1: next hops" "$(ad_expected_hops)" "$(ad_nexthops)"
  ad_check "$1: the client" "$(ad_expected_view)" "$(ad_client_view)"
}

# stop nginx on HOST: restarted by the tracker, nothing withdrawn, every host still a next hop
ad_step_stop_nginx() {
  local h=$1 before=""
  [ "${AD_SPEAKER:-agent}" != agent ] || before=$(ad_withdrawals "$h")
  ad_probe_start "$AD_LONG"
  ad_stop_nginx "$h"
  sleep $((AD_LONG - 5))
  ad_probe_wait
  ad_row "stop nginx on $h" "$h" # its restart closes its own connections
  ad_check_outcome "stop nginx on $h"
  [ "${AD_SPEAKER:-agent}" != agent ] || ad_check "stop nginx on $h: withdrawals" "$before" "$(ad_withdrawals "$h")"
}

# break nginx on HOST: its restarts fail, its route is withdrawn, the others serve
ad_step_break_nginx() {
  local h=$1
  ad_probe_start "$AD_LONG"
  ad_break_nginx "$h"
  ad_out "$h"; ad_wait_hops 15
  ad_probe_wait
  ad_row "break nginx on $h" "$h"
  ad_check_outcome "break nginx on $h"
}

# repair it: announced again once healthy for the hold-down
ad_step_repair_nginx() {
  local h=$1
  ad_probe_start "$AD_LONG"
  ad_repair_nginx "$h"
  ad_back "$h"; ad_wait_hops 30
  ad_probe_wait
  ad_row "repair nginx on $h"
  ad_check_outcome "repair nginx on $h"
}

# The router's view of its peer HOST: how often its BGP session was dropped, and its BFD session's state and last
# diagnostic ("down, control detection time expired" once BFD noticed the silence).
ad_session() {
  local a dropped bfd; a=$(ad_addr "$1")
  dropped=$(ad_router_vtysh -c "show bgp neighbor $a json" 2>/dev/null | ad_json "d.get('$a', {}).get('connectionsDropped', 0)")
  bfd=$(ad_router_vtysh -c "show bfd peer $a json" 2>/dev/null | ad_json "'%s, %s' % (d.get('status'), d.get('diagnostic'))")
  echo "$dropped dropped; BFD $bfd"
}
ad_json() { # EXPR: EXPR of the JSON document d on stdin ({} when it is none)
  python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    d = {}
print(eval(sys.argv[1]))' "$1"
}

# power off HOST: no withdraw is sent; BFD tears the session down and the router withdraws the host's route, well
# before the BGP hold time could have (the lab's 9 s: expired 6 to 9 s after the last keepalive)
ad_step_power_off() {
  local h=$1 before t0 waited
  ad_probe_start "$AD_LONG"
  before=$(ad_session "$h")
  t0=$(date +%s%N)
  ad_poweroff "$h"
  ad_out "$h"; ad_wait_hops 15
  waited=$((($(date +%s%N) - t0) / 1000000))
  ad_check "power off $h: the router's BGP and BFD sessions" \
    "$((${before%% *} + 1)) dropped; BFD down, control detection time expired" "$(ad_session "$h")"
  ad_check "power off $h: withdrawn within 5 s (BFD, not the hold timer)" yes "$([ "$waited" -lt 5000 ] && echo yes || echo "no: ${waited} ms")"
  ad_probe_wait
  ad_row "power off $h" "$h"
  ad_check_outcome "power off $h"
}

# power it on: back once its agent and FRR are up
ad_step_power_on() {
  local h=$1 secs=${2:-40}
  ad_probe_start $((AD_LONG + 4))
  ad_poweron "$h"
  ad_back "$h"; ad_wait_hops "$secs"
  ad_probe_wait
  ad_row "power on $h"
  ad_check_outcome "power on $h"
}

# graceful stop of HOST's agent: withdrawn first, HOST still serves while draining, then the agent exits
ad_step_graceful_stop() {
  local h=$1
  ad_probe_start 6
  ad_stop_agent "$h"
  ad_out "$h"; ad_wait_hops 10
  ad_probe_wait
  ad_row "graceful stop of $h's agent" "$h"
  ad_check "graceful stop of $h's agent: next hops" "$(ad_expected_hops)" "$(ad_nexthops)"
  [ "${AD_SPEAKER:-agent}" = agent ] || return 0
  ad_check "graceful stop of $h's agent: the VIP left $h" "" \
    "$(ad_host "$h" ip -4 -o addr show dev lo | grep -o "$AD_VIP" || true)"
  ad_check "graceful stop of $h's agent: no drain route left" "" "$(ad_host "$h" ip route show table local "$AD_VIP" proto 18)"
}

# The table, then the verdict: non-zero when a step did not end as expected.
ad_finish() {
  printf '%s\n' "${AD_TABLE[@]}"
  [ "$AD_FAILURES" -eq 0 ] || { say "$AD_FAILURES check(s) failed"; return 1; }
  say "all steps as expected"
}
