#!/usr/bin/env bash
# Flood: the view in tmux with one source flooding (--fault tech=flood, as fast as it
# can) beside the two healthy ones, for SECONDS (default 60), recording everything into
# a pipe that checks it on the fly (a flood writes gigabytes a minute: not to disk).
# Reports resident memory every 5 s and how fast a key is answered (typing "/" until the
# filter prompt is on screen), and checks that the recording has every headline the
# flood produced (its ids are tech-1, tech-2, ... in order, none missing).
#   scripts/flood.sh [SECONDS] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
binary="${2:-.build/release/newsdesk}"
[ -x "$binary" ] || { echo "flood.sh: build $binary first (swift build -c release)" >&2; exit 1; }
dir=$(mktemp -d /tmp/newsdesk-flood.XXXXXX)
socket="newsdesk-flood-$$"
tmux_() { tmux -L "$socket" "$@"; }
cleanup() { tmux_ kill-server 2>/dev/null || true; pkill -f -- "--record $dir/" 2>/dev/null || true; rm -rf "$dir"; }
trap cleanup EXIT

mkfifo "$dir/record"
# The checker: counts the flood's headlines and the ids out of sequence, and all lines.
(grep -ao '"id":"tech-[0-9]*"\|"offset"' < "$dir/record" |
    awk -F'[-"]' '/offset/ { lines++; next } { n++; if ($5 + 0 != n) bad++ } END { print n + 0, bad + 0, lines + 0 }' > "$dir/check") &
tmux_ -f /dev/null new-session -d -s flood -x 120 -y 30 \
    "TERM=xterm-256color $binary --seed 1 --fault tech=flood --history 10000 --record $dir/record --force; echo exited \$? > $dir/status; sleep 600"
sleep 1
pid=$(pgrep -f -n -- "--record $dir/record")
now_ms() { date +%s%3N; }
echo "flood: ${seconds}s, tech flooding, sports and world healthy, pid $pid"
printf "%5s %10s %10s\n" "s" "RSS (KB)" "key (ms)"
worst=0
keys=0
start=$(date +%s)
while [ $(( $(date +%s) - start )) -lt "$seconds" ]; do
    rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
    # A key: "/" opens the filter editor; time until its prompt is on screen (≤ 5 s).
    t0=$(now_ms)
    tmux_ send-keys -t flood /
    latency=-1
    while [ $(( $(now_ms) - t0 )) -lt 5000 ]; do
        if tmux_ capture-pane -p -t flood | tail -1 | grep -q "match"; then latency=$(( $(now_ms) - t0 )); break; fi
    done
    tmux_ send-keys -t flood Escape
    keys=$((keys + 1))
    if [ "$latency" -lt 0 ]; then worst=99999; elif [ "$latency" -gt "$worst" ]; then worst=$latency; fi
    printf "%5d %10s %10s\n" $(( $(date +%s) - start )) "$rss" "$latency"
    sleep 5
done
header=$(tmux_ capture-pane -p -t flood | head -1)
tmux_ send-keys -t flood q
for _ in $(seq 1 100); do [ -s "$dir/status" ] && break; sleep 0.1; done
status=$(cat "$dir/status" 2>/dev/null || echo "no exit status")
for _ in $(seq 1 100); do [ -s "$dir/check" ] && break; sleep 0.1; done
read -r count bad lines < "$dir/check"
echo "flood: header at the end: $header"
echo "flood: newsdesk $status; recorded $lines headlines, $count of them the flood's, $bad out of sequence; slowest of $keys keys: ${worst} ms (a key is the time tmux takes to send it and show the screen, too)"
[ "$status" = "exited 0" ] && [ "$bad" = 0 ] && [ "$count" -gt 0 ] && [ "$worst" -le 50 ]
