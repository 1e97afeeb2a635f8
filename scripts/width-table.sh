#!/usr/bin/env bash
# Regenerates Sources/NewsCore/Text/WidthTable.swift from this machine's C library
# (wcwidth under C.UTF-8). Run it when WidthTableTests reports a difference, on the
# machine (or glibc) newsdesk is meant for, and read the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -o "$work/width-table" scripts/width-table.c
"$work/width-table" > "$work/WidthTable.swift"
mv "$work/WidthTable.swift" Sources/NewsCore/Text/WidthTable.swift
echo "wrote Sources/NewsCore/Text/WidthTable.swift"
