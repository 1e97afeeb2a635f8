#!/usr/bin/env bash
# Soak: the interactive view in tmux at --speed 50 with a small history (at its bound after
# a few minutes) and a recording, for MINUTES minutes (default 30), typing a filter now and
# then. Samples resident memory, open file descriptors and threads every 30 s, then checks
# that they stayed flat after the history filled, and that the recording is complete.
#   scripts/soak.sh [MINUTES] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-30}"
binary="${2:-.build/release/newsdesk}"
[ -x "$binary" ] || { echo "soak.sh: build $binary first (swift build -c release)" >&2; exit 1; }
dir=$(mktemp -d /tmp/newsdesk-soak.XXXXXX)
session="newsdesk-soak-$$"
record="$dir/soak.jsonl"
history=10000
trap 'tmux kill-session -t "$session" 2>/dev/null || true' EXIT

tmux new-session -d -s "$session" -x 120 -y 40 \
    "TERM=xterm-256color $binary --seed 7 --speed 50 --history $history --record $record; echo exited \$? > $dir/status; sleep 600"
sleep 2
pid=$(pgrep -f -n -- "--record $record")
[ -n "$pid" ] || { echo "soak.sh: newsdesk did not start" >&2; exit 1; }

echo "soak: ${minutes} min at --speed 50, --history $history, pid $pid, samples every 30 s"
printf "%6s %10s %5s %8s %10s\n" "min" "RSS (KB)" "fds" "threads" "recorded"
samples=()
end=$(( $(date +%s) + minutes * 60 ))
i=0
while [ "$(date +%s)" -lt "$end" ]; do
    rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
    threads=$(awk '/^Threads/ {print $2}' /proc/$pid/status)
    fds=$(ls /proc/$pid/fd | wc -l)
    lines=$(($(wc -l < "$record") - 1))
    printf "%6.1f %10s %5s %8s %10s\n" "$(awk "BEGIN { print $i * 0.5 }")" "$rss" "$fds" "$threads" "$lines"
    samples+=("$rss $fds $threads $lines")
    # Use the view: type a filter, clear it, move around.
    case $((i % 4)) in
        0) tmux send-keys -t "$session" / g o a l Enter ;;
        1) tmux send-keys -t "$session" j j k ;;
        2) tmux send-keys -t "$session" '\' ;;
        3) tmux send-keys -t "$session" G ;;
    esac
    i=$((i + 1))
    sleep 30
done
tmux send-keys -t "$session" q
sleep 2
status=$(cat "$dir/status" 2>/dev/null || echo "no exit status")
lines=$(($(wc -l < "$record") - 1))
replayed=$("$binary" replay "$record" --plain --speed max 2>"$dir/replay.err" | wc -l)
echo "soak: newsdesk $status; recording: $lines events, $(stat -c %s "$record") bytes; replayed $replayed, warnings: $(wc -l < "$dir/replay.err")"

# Flat: after the history is full (the first third of the run), the last sample's RSS is
# within 10 % of the first sample of that window; fds and threads do not grow.
n=${#samples[@]}
from=$(( n / 3 ))
read -r rss0 fd0 th0 _ <<< "${samples[$from]}"
read -r rss1 fd1 th1 _ <<< "${samples[$((n - 1))]}"
verdict=ok
[ "$rss1" -le $(( rss0 * 11 / 10 )) ] || verdict="RSS grew from $rss0 to $rss1 KB"
[ "$fd1" -le "$fd0" ] || verdict="fds grew from $fd0 to $fd1"
[ "$th1" -le "$th0" ] || verdict="threads grew from $th0 to $th1"
[ "$status" = "exited 0" ] || verdict="newsdesk $status"
[ "$replayed" -eq "$lines" ] && [ ! -s "$dir/replay.err" ] || verdict="the recording does not replay whole ($replayed of $lines)"
echo "soak: after the history filled: RSS $rss0 -> $rss1 KB, fds $fd0 -> $fd1, threads $th0 -> $th1: $verdict"
rm -rf "$dir"
[ "$verdict" = ok ]
