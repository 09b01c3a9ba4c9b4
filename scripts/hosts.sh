#!/usr/bin/env bash
# Lessons across separate hosts: a small network of Linux network namespaces
# ("hosts"), each with its own address, joined by virtual Ethernet links to a
# switch (a bridge in a namespace of its own) per network. Then three lessons
# run across them, their results are checked, and everything is torn down,
# also when a step fails.
#
#   network A, 10.1.0.0/24            network B, 10.2.0.0/24
#   a1 .1  a2 .2  a3 .3  proxy .10 ── proxy .10  b1 .4  b2 .5
#
# - weather: wuserver on a1, a wuclient on a2 and one on a3;
# - wuproxy: wuserver on a1, wuproxy on proxy (on both networks), a wuclient
#   on b1 and one on b2, which cannot reach a1 themselves;
# - pipeline: taskvent on a1, tasksink and a taskwork on a2, a taskwork on a3.
#
# Run it as root (namespaces need it): cargo make hosts
# The examples must be built first (the cargo-make task does it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" != 0 ]; then
    echo "hosts: needs root, to make network namespaces and links (try: sudo -E cargo make hosts)" >&2
    exit 2
fi
command -v ip >/dev/null || { echo "hosts: needs the ip command (Debian: apt-get install iproute2)" >&2; exit 2; }

bin=${BIN_DIR:-target/debug/examples}
for example in wuserver wuclient wuproxy taskvent taskwork tasksink; do
    [ -x "$bin/$example" ] || { echo "hosts: $bin/$example is missing: cargo build --examples first" >&2; exit 2; }
done

# Names unique to this run, so two runs (or a run's leftovers) never meet.
tag="zwb$$"
out=$(mktemp -d "${TMPDIR:-/tmp}/zmq-workbook-hosts.XXXXXX")
namespaces=()
pids=()

teardown() {
    status=$?
    for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
    if [ "$status" != 0 ]; then
        echo "hosts: FAILED; what each process printed:" >&2
        for log in "$out"/*.log; do [ -e "$log" ] && { echo "── ${log##*/}" >&2; tail -n 20 "$log" >&2; }; done
    fi
    rm -rf "$out"
    exit "$status"
}
trap teardown EXIT
trap 'exit 130' INT TERM

fail() { echo "hosts: FAILED: $*" >&2; exit 1; }

# ANCHOR: network
# A host: a namespace with its loopback up.
host() {
    ip netns add "$tag-$1"; namespaces+=("$tag-$1")
    ip -n "$tag-$1" link set lo up
}
# A network: a namespace holding a bridge, the switch every host plugs into.
network() {
    ip netns add "$tag-$1"; namespaces+=("$tag-$1")
    ip -n "$tag-$1" link add switch type bridge
    ip -n "$tag-$1" link set switch up
}
# Plug a host into a network with an address: a veth pair, one end in the
# host (named after the network), the other on the network's switch.
plug() { # host network address/prefix
    ip link add "$2" netns "$tag-$1" type veth peer name "$1" netns "$tag-$2"
    ip -n "$tag-$2" link set "$1" master switch up
    ip -n "$tag-$1" addr add "$3" dev "$2"
    ip -n "$tag-$1" link set "$2" up
}

network neta; network netb
host a1; plug a1 neta 10.1.0.1/24
host a2; plug a2 neta 10.1.0.2/24
host a3; plug a3 neta 10.1.0.3/24
host proxy; plug proxy neta 10.1.0.10/24; plug proxy netb 10.2.0.10/24
host b1; plug b1 netb 10.2.0.4/24
host b2; plug b2 netb 10.2.0.5/24
# ANCHOR_END: network

# Run an example on a host in the background; its output goes to NAME.log.
start() { # name host example args...
    local name=$1 on=$2 example=$3; shift 3
    ip netns exec "$tag-$on" "$bin/$example" "$@" >"$out/$name.log" 2>&1 &
    pids+=($!)
    eval "pid_$name=$!"
}
# Wait (at most $2 seconds) for a background process to exit, and check it
# exited 0.
finish() { # name seconds
    local pid; eval "pid=\$pid_$1"
    for _ in $(seq $(($2 * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && fail "$1 still running after $2 s"
    wait "$pid" || fail "$1 exited with status $?"
}
# Ctrl-C a long-running process, as a learner would, and check it exits 0.
interrupt() { # name
    local pid; eval "pid=\$pid_$1"
    kill -0 "$pid" 2>/dev/null || fail "$1 had stopped before it was interrupted"
    kill -INT "$pid"
    finish "$1" 5
}
expect() { # name pattern
    grep -q -- "$2" "$out/$1.log" || fail "$1 did not print '$2'"
}

echo "hosts: network A (a1 a2 a3 proxy) and B (proxy b1 b2) are up"

# ANCHOR: weather
# The weather lesson: the server on a1, a client on a2 and one on a3.
start server a1 wuserver --bind tcp://10.1.0.1:5556 --seed 42
start client_a2 a2 wuclient --connect tcp://10.1.0.1:5556
start client_a3 a3 wuclient --connect tcp://10.1.0.1:5556 '10002 '
# ANCHOR_END: weather
finish client_a2 60; expect client_a2 "Average temperature for zipcode '10001 ' was"
finish client_a3 60; expect client_a3 "Average temperature for zipcode '10002 ' was"
interrupt server
echo "hosts: weather: server on a1, clients on a2 and a3: passed"

# The networks are separate: only the proxy is on both.
if ip netns exec "$tag-b1" ip route get 10.1.0.1 >/dev/null 2>&1; then
    fail "b1 has a route to network A; the wuproxy check would prove nothing"
fi

# ANCHOR: wuproxy
# wuproxy bridging the networks: the server on A, the proxy on A and B,
# the clients on B, which connect to the proxy's address on B.
start server a1 wuserver --bind tcp://10.1.0.1:5556 --seed 42
start proxy proxy wuproxy --frontend tcp://10.1.0.1:5556 --backend tcp://10.2.0.10:8100
start client_b1 b1 wuclient --connect tcp://10.2.0.10:8100
start client_b2 b2 wuclient --connect tcp://10.2.0.10:8100 '10002 '
# ANCHOR_END: wuproxy
finish client_b1 60; expect client_b1 "Average temperature for zipcode '10001 ' was"
finish client_b2 60; expect client_b2 "Average temperature for zipcode '10002 ' was"
interrupt proxy
interrupt server
echo "hosts: wuproxy: server on A, proxy on A and B, clients on B: passed"

# ANCHOR: pipeline
# The pipeline over three hosts: the ventilator on a1, the sink and a
# worker on a2, another worker on a3.
start sink a2 tasksink --bind tcp://10.1.0.2:5558
start worker_a2 a2 taskwork --ventilator tcp://10.1.0.1:5557 --sink tcp://10.1.0.2:5558
start worker_a3 a3 taskwork --ventilator tcp://10.1.0.1:5557 --sink tcp://10.1.0.2:5558
start ventilator a1 taskvent --bind tcp://10.1.0.1:5557 --sink tcp://10.1.0.2:5558 --workers 2 --seed 42
# ANCHOR_END: pipeline
finish ventilator 30
finish sink 60; expect sink "Total elapsed time:"
for worker in worker_a2 worker_a3; do
    tasks=$(grep -c '^[0-9]*\.$' "$out/$worker.log" || true)
    [ "$tasks" -gt 0 ] || fail "$worker did no task"
    echo "hosts: pipeline: $worker did $tasks tasks"
done
total=$(cat "$out"/worker_a2.log "$out"/worker_a3.log | grep -c '^[0-9]*\.$' || true)
[ "$total" = 100 ] || fail "the workers did $total tasks, not 100"
interrupt worker_a2
interrupt worker_a3
echo "hosts: pipeline: ventilator on a1, sink on a2, workers on a2 and a3: passed"
echo "hosts: all passed; tearing the network down"
