# Shared by ./lab, scripts/nslab and bench/: messages, root, the lab's network namespaces, waiting, VRRP state.
# shellcheck shell=bash
# Before sourcing, a script may set:
#   MESSAGE_PREFIX  what its messages start with (default "lab", as both labs have always said)
#   ROOT_FOR        why it needs root, said when it does not run as root
#   LAB_PREFIX      the lab's namespace prefix: namespace NAME of the lab is "$LAB_PREFIX-NAME"
# The functions read these when they run, so a script may also set them after sourcing.

say() { echo "${MESSAGE_PREFIX:-lab}: $*" >&2; }
die() { say "$@"; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "must run as root (${ROOT_FOR:-network namespaces})"; }

# ---- the lab's network namespaces ----
ns() { echo "$LAB_PREFIX-$1"; }
in_ns() { local name=$1; shift; ip netns exec "$(ns "$name")" "$@"; }
ns_exists() { ip netns list | grep -qw "^$(ns "$1")"; }
# The pids of every process in a namespace by its full name (none when it does not exist).
pids_of_ns() { ip netns pids "$1" 2>/dev/null || true; }

# ---- waiting ----
# retry TIMES PAUSE CMD...: runs CMD until it succeeds, at most TIMES times, with PAUSE seconds after each failure;
# fails when every try did. The number of tries, not a deadline, bounds the wait, as the loops it replaced did.
retry() {
  local times=$1 pause=$2 i; shift 2
  for i in $(seq "$times"); do
    "$@" && return 0
    sleep "$pause"
  done
  return 1
}

# wait_for SECONDS PAUSE CMD...: runs CMD until it succeeds or SECONDS have passed, PAUSE seconds between tries;
# fails on the deadline. For a CMD that may itself take a while (a JVM start), where counting tries would stretch.
wait_for() {
  local deadline=$((SECONDS + $1)) pause=$2; shift 2
  while [ $SECONDS -lt $deadline ]; do
    "$@" && return 0
    sleep "$pause"
  done
  return 1
}

# ---- VRRP state ----
# The state of the first (the lab's only) instance in `vrrp-agent status --json` on stdin: MASTER, BACKUP, FAULT
# or INIT. Read with a JSON parser, not a pattern, so the field order of the document does not matter.
state_from_status_json() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)["instances"][0]["state"])'
}

# agent_state CMD...: the state the agent reports to `CMD... status --json`, CMD being its launcher as run inside
# the host; UNKNOWN when its endpoint does not answer (still starting, frozen, or no status port).
agent_state() {
  local json
  json=$("$@" status --json 2>/dev/null) && state_from_status_json <<<"$json" || echo UNKNOWN
}

# keepalived has no status command: its log is how it reports a state change ("(VI_1) Entering MASTER STATE").
# The last such line of the log on stdin names the state; before the first one it is INIT, as keepalived's is.
state_from_keepalived_log() {
  local line
  line=$(grep -E 'Entering (MASTER|BACKUP|FAULT) STATE' | tail -n1 || true)
  if [ -n "$line" ]; then sed -E 's/.*Entering (MASTER|BACKUP|FAULT) STATE.*/\1/' <<<"$line"; else echo INIT; fi
}
