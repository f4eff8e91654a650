# Shared by the bench scripts: a private lab per run, the configs both implementations read, statistics.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LAB_PREFIX=${LAB_PREFIX:-b$$}
export LAB_DIR=${LAB_DIR:-$(mktemp -d /tmp/nha-bench.XXXXXX)}
JAR=$here/agent/target/vrrp-agent.jar
# The client's poller (the drill's Poller) is in the drill's jar, not the agent's.
DRILL_JAR=$here/drill/target/nginx-ha-drill.jar
source "$here/scripts/lib/common.sh"
lab() { "$here/scripts/nslab" "$@"; }
seed_config() { "$here/scripts/seed-config" "$@"; }

# The seed's pair as keepalived.conf (scripts/seed-config); the agent and keepalived read the very same file.
write_conf() { # host state priority version advert_int [vip]
  # These files have always had an empty line where version 2's authentication block stands in version 3.
  local empty_line=() vip=()
  [ "$4" = 3 ] && empty_line=(--extra "")
  [ -n "${6:-}" ] && vip=(--vip "$6")
  seed_config "$2" "$3" --router-id "$1" --vrrp-version "$4" --advert-int "$5" "${empty_line[@]}" "${vip[@]}" \
    >"$LAB_DIR/$1/keepalived.conf"
}

start_impl() { # impl host
  if [ "$1" = agent ]; then lab agent-start "$2" "$LAB_DIR/$2/keepalived.conf"
  else lab keepalived-start "$2" "$LAB_DIR/$2/keepalived.conf"; fi
}

# Median of the numbers on stdin.
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) {print "nan"} else if (NR%2) {print a[(NR+1)/2]} else {printf "%.1f\n", (a[NR/2]+a[NR/2+1])/2}}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b+0 == 0) print "n/a"; else printf "%.2f\n", a/b }'; }

cleanup() { lab net-down >/dev/null 2>&1 || true; }
ensure_built() { [ -f "$JAR" ] && [ -f "$DRILL_JAR" ] || (cd "$here" && ./mvnw -q -B -DskipTests package); }
