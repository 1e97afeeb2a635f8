#!/usr/bin/env bash
# Installs the system packages newsdesk needs to build, run and test, when missing.
# Used by `make run` and `make test` so that a fresh Debian machine needs nothing else.
set -euo pipefail

need=()
dpkg -s libncurses-dev >/dev/null 2>&1 || need+=(libncurses-dev)
dpkg -s libxml2-dev >/dev/null 2>&1 || need+=(libxml2-dev)
dpkg -s libsqlite3-dev >/dev/null 2>&1 || need+=(libsqlite3-dev)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
# The store tests check what the binary left with the sqlite3 shell (integrity_check after kill -9).
command -v sqlite3 >/dev/null 2>&1 || need+=(sqlite3)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
locale -a 2>/dev/null | grep -qi '^c\.utf-\?8$' || need+=(locales)

if [ ${#need[@]} -gt 0 ]; then
  echo "newsdesk: installing ${need[*]} with apt-get" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The PyPI feed parsers that `make bench` compares `import` against (nothing else needs
# them): installed for python3 when missing; a failure only warns.
py_need=()
python3 -c 'import feedparser' >/dev/null 2>&1 || py_need+=(feedparser)
python3 -c 'import feedparser_rs' >/dev/null 2>&1 || py_need+=(feedparser-rs)
if [ ${#py_need[@]} -gt 0 ]; then
  echo "newsdesk: installing ${py_need[*]} for python3 with pip (for make bench)" >&2
  python3 -m pip install -q "${py_need[@]}" >/dev/null 2>&1 \
    || python3 -m pip install -q --break-system-packages "${py_need[@]}" >/dev/null 2>&1 \
    || echo "newsdesk: could not install ${py_need[*]} with pip; make bench's feed import figure needs them" >&2
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "newsdesk: 'swift' is not on PATH (Swift 6.3 is expected at /opt/swift/usr/bin)" >&2
  exit 1
fi
