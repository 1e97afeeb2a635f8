#!/usr/bin/env bash
# The README's picture of the view, from a real capture: newsdesk runs in tmux (seeded
# simulated sources, the example config's saved filters and alerts), `tmux capture-pane -e`
# takes the screen with its colours, and scripts/ansi2svg.py (rich) draws it as SVG.
# `make screenshot` runs it, so that the picture never goes stale.
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/debug/newsdesk}
out=${2:-docs/newsdesk.svg}
columns=100 rows=28
python3 -c 'import rich' 2>/dev/null || python3 -m pip install -q rich 2>/dev/null \
  || python3 -m pip install -q --break-system-packages rich
work=$(mktemp -d)
session="newsdesk-shot-$$"
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$work"' EXIT
config=()
[ -f docs/screenshot-config.toml ] && config=(--config docs/screenshot-config.toml)
tmux new-session -d -s "$session" -x "$columns" -y "$rows" \
  "env TERM=tmux-256color LANG=C.UTF-8 XDG_DATA_HOME=$work/data XDG_CONFIG_HOME=$work/config $binary --seed 7 --speed 10 ${config[*]:-}"
sleep 6
tmux capture-pane -e -p -t "$session" > "$work/screen.ans"
tmux send-keys -t "$session" q
python3 scripts/ansi2svg.py "$work/screen.ans" "$out" "newsdesk" "$columns"
echo "wrote $out"
