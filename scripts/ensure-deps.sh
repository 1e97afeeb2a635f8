#!/usr/bin/env bash
# Installs the system packages newsdesk needs to build, run and test, when missing.
# Used by `make run` and `make test` so that a fresh Debian machine needs nothing else.
set -euo pipefail

need=()
dpkg -s libncurses-dev >/dev/null 2>&1 || need+=(libncurses-dev)
dpkg -s libxml2-dev >/dev/null 2>&1 || need+=(libxml2-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v python3 >/dev/null 2>&1 || need+=(python3)
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || need+=(locales)

if [ ${#need[@]} -gt 0 ]; then
  echo "newsdesk: installing ${need[*]} with apt-get" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "newsdesk: 'swift' is not on PATH (Swift 6.3 is expected at /opt/swift/usr/bin)" >&2
  exit 1
fi
