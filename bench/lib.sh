# Shared by the bench scripts: a private lab per run, the configs both implementations read, statistics.
# shellcheck shell=bash
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LAB_PREFIX=${LAB_PREFIX:-b$$}
export LAB_DIR=${LAB_DIR:-$(mktemp -d /tmp/nha-bench.XXXXXX)}
JAR=$here/agent/target/vrrp-agent.jar
# The client's poller (the drill's Poller) is in the drill's jar, not the agent's.
DRILL_JAR=$here/drill/target/nginx-ha-drill.jar
lab() { "$here/scripts/nslab" "$@"; }

# The seed's pair as keepalived.conf; the agent and keepalived read the very same file.
write_conf() { # host state priority version advert_int
  local auth=""
  [ "$4" = 2 ] && auth=$'    authentication {\n        auth_type PASS\n        auth_pass 1111\n    }'
  cat >"$LAB_DIR/$1/keepalived.conf" <<EOF
global_defs {
    router_id $1
    vrrp_version $4
}
vrrp_instance VI_1 {
    state $2
    interface eth0
    virtual_router_id 66
    priority $3
    advert_int $5
$auth
    virtual_ipaddress {
        192.168.16.130
    }
}
EOF
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
