#!/usr/bin/env bash
# The lab on the real programs, on one Linux machine: each lab server is a network namespace with the server's
# lab address on its eth0, joined to the others by a bridge that lives in a namespace of its own, so nothing is
# added to this machine's own network. Each server also has its own processes, host name and /run, so that
# `killall -0 haproxy` sees only its own HAProxy and no pid file or socket meets this machine's services.
#
#   sudo ./run-netns.sh            start the lab, show every program's output; Ctrl-C stops it and removes it all
#   sudo ./run-netns.sh kill NAME  power a server off (every process killed at once, its network cable out)
#   sudo ./run-netns.sh start NAME power it on again
#   sudo ./run-netns.sh down       remove what a run left behind (after a crash of this script)
#
# Needs root, Linux, and Debian's programs: iproute2 util-linux psmisc, and those the lab runs (listed below).
# PREFIX (default below) starts every name it makes; its files live in ${TMPDIR:-/tmp}/${PREFIX}run.

# @LAB@

set -euo pipefail
umask 022
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SCRIPT="$HERE/$(basename "${BASH_SOURCE[0]}")"
PREFIX=${PREFIX:-$DEFAULT_PREFIX}
NET="${PREFIX}net"
CLIENT="${PREFIX}client"
RUN="${TMPDIR:-/tmp}/${PREFIX}run"

say() { printf '%s\n' "run-netns: $*" >&2; }
fail() { say "$*"; exit 1; }

# Every namespace of this run: the servers, the visitor and the bridge.
namespaces() {
  local server
  for server in $SERVERS; do printf '%s\n' "$PREFIX$server"; done
  printf '%s\n%s\n' "$CLIENT" "$NET"
}

preflight() {
  [ "$(uname -s)" = Linux ] || fail "this script needs Linux network namespaces; on another system use compose.yaml"
  [ "$(id -u)" = 0 ] || fail "this script needs root, to make network namespaces: run  sudo $SCRIPT"
  local missing=() pair
  for pair in ip:iproute2 unshare:util-linux killall:psmisc $PROGRAMS; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} = 0 ] || fail "missing programs: install them with  sudo apt-get install ${missing[*]}"
}

# The lab network: a bridge in its own namespace, a veth pair to each server and to the visitor.
build_network() {
  ip netns add "$NET"
  ip -n "$NET" link set lo up
  ip -n "$NET" link add br0 type bridge
  ip -n "$NET" link set br0 up
  local server
  for server in $SERVERS; do plug "$PREFIX$server" "$(address_of "$server")" "$server"; done
  plug "$CLIENT" "$CLIENT_ADDRESS" client
}

# plug NAMESPACE ADDRESS PORT_NAME: a machine with eth0 on the bridge.
plug() {
  local ns=$1 address=$2 port=${3:0:15}
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  ip -n "$NET" link add "$port" type veth peer name eth0 netns "$ns"
  ip -n "$NET" link set "$port" master br0 up
  ip -n "$ns" addr add "$address/$SUBNET_BITS" dev eth0
  ip -n "$ns" link set eth0 up
}

# Starts a server: its init process runs this script again inside the server's namespaces (below).
start_server() {
  local server=$1
  address_of "$server" >/dev/null || fail "there is no server '$server' in this lab: $SERVERS"
  # A machine that boots has only its own address, and its cable back in.
  ip -n "$PREFIX$server" addr flush dev eth0
  ip -n "$PREFIX$server" addr add "$(address_of "$server")/$SUBNET_BITS" dev eth0
  ip -n "$PREFIX$server" link set eth0 up
  RUN=$RUN ip netns exec "$PREFIX$server" unshare --pid --fork --kill-child --mount --uts --mount-proc \
    bash "$SCRIPT" __server "$server" &
}

# The server's PID 1, in its own namespaces: its name, a /run of its own, then each of its programs.
server_init() {
  local server=$1
  hostname "$server"
  mount -t tmpfs -o mode=755 tmpfs /run
  cd "$RUN/servers/$server"
  trap 'kill -TERM $(jobs -p) 2>/dev/null; wait; exit 0' TERM INT
  services_of "$server"
  wait
}

# service NAME COMMAND...: runs a program of this server, each output line marked with server and program.
service() {
  local tag="[$SERVER_NAME/$1]"
  shift
  "$@" > >(sed -u "s|^|$tag |") 2>&1 &
}

run_nginx() {
  [ -e mime.types ] || cp /etc/nginx/mime.types .
  mkdir -p logs
  exec nginx -p "$PWD/" -c "$1" -e stderr -g 'daemon off;'
}

run_mariadb() {
  local config=$1 init=${2:-} data="$RUN/data/$SERVER_NAME" tmp="$RUN/tmp/$SERVER_NAME"
  # Temporary files of its own: MariaDB names its temporary tables after its pid, which in a pid namespace of its
  # own is small and the same as another server's.
  mkdir -p /run/mysqld "$tmp"
  if [ ! -d "$data/mysql" ]; then
    TMPDIR="$tmp" mariadb-install-db --no-defaults --datadir="$data" --skip-test-db --auth-root-authentication-method=socket --user=root >/dev/null
  fi
  exec mariadbd --defaults-file="$PWD/$config" --datadir="$data" --tmpdir="$tmp" ${init:+--init-file="$PWD/$init"} \
    --socket=/run/mysqld/mysqld.sock --pid-file=/run/mysqld/mysqld.pid --user=root
}

run_app() {
  LAB_SERVER=$SERVER_NAME DB_PROTOCOL=mysql APP_HOST=0.0.0.0 exec node "$HERE/kit/app" "$@"
}

run_keepalived() {
  exec keepalived --dont-fork --log-console --log-detail -f "$1"
}

run_haproxy() {
  exec haproxy -db -f "$1"
}

# Power off: every process of the server killed at once, and its network cable out, so that nobody answers for
# the addresses it held. `ip netns pids` lists the processes whose network is the server's.
kill_server() {
  local ns="$PREFIX$1"
  ip netns pids "$ns" >/dev/null 2>&1 || fail "there is no server '$1' running under $PREFIX"
  # A process may end (a track script) or start between the listing and the kill: again, until none is left.
  local _
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    ip netns pids "$ns" | xargs -r kill -KILL 2>/dev/null || true
    [ -z "$(ip netns pids "$ns")" ] && break
    sleep 0.2
  done
  ip -n "$ns" link set eth0 down
  say "$1 is off: every process killed, its eth0 down"
}

stop_all() {
  trap '' INT TERM
  local ns pids
  for ns in $(namespaces); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -TERM 2>/dev/null || true
  done
  # Up to 5 s for a clean stop (MariaDB flushes its log), then SIGKILL for what is left.
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(for ns in $(namespaces); do ip netns pids "$ns" 2>/dev/null || true; done)
    [ -z "$pids" ] && break
    sleep 0.5
  done
  for ns in $(namespaces); do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns delete "$ns" 2>/dev/null || true
  done
  rm -rf "$RUN"
  say "stopped: the namespaces ${PREFIX}* and $RUN are removed"
}

up() {
  preflight
  if ip netns list | grep -q "^$PREFIX"; then
    fail "namespaces named $PREFIX* exist already: is the lab running in another terminal? If not: sudo $SCRIPT down"
  fi
  mkdir "$RUN" 2>/dev/null || fail "$RUN exists already: is the lab running in another terminal? If not: sudo $SCRIPT down"
  if ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$RUN"; then
    rmdir "$RUN"
    fail "nginx's workers run as the user nobody, who cannot enter $RUN: set TMPDIR to a folder everyone may enter, such as /tmp"
  fi
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  cp -R "$HERE/servers" "$RUN/servers"
  mkdir -p "$RUN/data"
  build_network
  local server
  for server in $SERVERS; do
    mkdir -p "$RUN/servers/$server"
    start_server "$server"
  done
  say "the lab $LAB_ID runs: visit it from the visitor's namespace with"
  say "  sudo ip netns exec $CLIENT curl -s http://$ENTRY/"
  for server in $VRRP_SERVERS; do say "does $server hold $VIRTUAL_IPS?  sudo ip netns exec $PREFIX$server ip -br addr show eth0"; done
  say "Ctrl-C stops every program and removes the namespaces"
  while :; do sleep 1; done
}

case ${1:-up} in
  up) up ;;
  # The server's output comes to this terminal; Ctrl-C here leaves it running.
  start) preflight; [ -d "$RUN" ] || fail "the lab is not running: start it with  sudo $SCRIPT"; start_server "${2:?start NAME}"; wait ;;
  kill) preflight; kill_server "${2:?kill NAME}" ;;
  down) preflight; stop_all ;;
  __server) SERVER_NAME=$2; server_init "$2" ;;
  *) fail "unknown command '$1': use no command (start the lab), kill NAME, start NAME or down" ;;
esac
