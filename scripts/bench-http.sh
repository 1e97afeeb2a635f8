#!/usr/bin/env bash
# Issue 12's figures: FEEDS feeds (1,000) of ITEMS items (50) on a loopback server
# (scripts/feed-server.py, on HOSTS loopback addresses, 4): how long one full round takes under the concurrency bound
# (8 at a time, 2 per host), the peak memory, the CPU time per fetch, and the CPU used
# between polls once the round is done (IDLE_SECONDS, 20). Usage: bench-http.sh NEWSDESK
set -euo pipefail
nd=${1:-.build/release/newsdesk}
feeds=${FEEDS:-1000} items=${ITEMS:-50} idle=${IDLE_SECONDS:-20} hosts=${HOSTS:-4}
dir=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill $server 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT
# One server process a host (Python's global lock would make one process the bottleneck).
servers=()
for h in $(seq "$hosts"); do
    python3 -u "$(dirname "$0")/feed-server.py" "$feeds" "$items" "$hosts" "$h" > "$dir/server$h.log" 2>&1 &
    servers+=($!)
done
server="${servers[*]}"
ports=()
for h in $(seq "$hosts"); do
    for _ in $(seq 100); do grep -q '^ports ' "$dir/server$h.log" 2>/dev/null && break; sleep 0.1; done
    ports+=("$(sed -n 's/^ports //p' "$dir/server$h.log")")
done
# Feed i on host (i mod HOSTS) + 1: 127.0.0.1, .2, ... each its own host for the bound.
for i in $(seq "$feeds"); do h=$((i % hosts)); echo "http://127.0.0.$((h + 1)):${ports[$h]}/feed/$i.xml f$i"; done > "$dir/feeds"
total=$((feeds * items))

# One round: the process ends when every item of every feed is printed.
/usr/bin/time -f "%e %U %S %M" -o "$dir/time" "$nd" --plain --feeds "$dir/feeds" --count "$total" > "$dir/out" 2> "$dir/err"
read -r wall user sys peak < "$dir/time"
got=$(wc -l < "$dir/out")

# Idle: a second run left going after its round; its CPU over the next IDLE_SECONDS.
"$nd" --plain --feeds "$dir/feeds" > "$dir/out2" 2> /dev/null &
pid=$!
for _ in $(seq 600); do [ "$(wc -l < "$dir/out2")" -ge "$total" ] && break; sleep 0.1; done
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
before=$(ticks); sleep "$idle"; after=$(ticks)
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
hz=$(getconf CLK_TCK)

awk -v wall="$wall" -v user="$user" -v sys="$sys" -v peak="$peak" -v feeds="$feeds" -v got="$got" -v total="$total" \
    -v ticks=$((after - before)) -v hz="$hz" -v idle="$idle" 'BEGIN {
    printf "round of %d feeds x %d items (%d of %d items printed): %.2f s wall (goal <= 5 s)\n", feeds, total / feeds, got, total, wall
    printf "peak memory: %.1f MB (goal <= 150 MB)\n", peak / 1024
    printf "CPU per fetch: %.2f ms (%.2f s user + %.2f s system over %d fetches)\n", (user + sys) * 1000 / feeds, user, sys, feeds
    printf "idle CPU between polls: %.2f %% of a core over %d s (goal < 1 %%)\n", ticks * 100 / (hz * idle), idle
}'
