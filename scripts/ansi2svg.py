#!/usr/bin/env python3
"""Turns a `tmux capture-pane -e -p` capture (text with SGR colour sequences) into an
SVG picture of the terminal, with rich's SVG export. Usage: ansi2svg.py CAPTURE OUT.svg TITLE COLUMNS"""
import sys

from rich.console import Console
from rich.text import Text

capture, out, title, columns = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(capture, encoding="utf-8", errors="replace") as f:
    lines = f.read().rstrip("\n").split("\n")
console = Console(record=True, width=columns, force_terminal=True, color_system="256", file=open("/dev/null", "w"))
for line in lines:
    text = Text.from_ansi(line)
    # capture-pane leaves trailing blanks out; a bar's background must reach the edge.
    if text.cell_len < columns and text.spans:
        last = text.spans[-1]
        if last.end >= len(text.plain):
            text.append(" " * (columns - text.cell_len), style=last.style)
    console.print(text, no_wrap=True, crop=True, soft_wrap=False)
console.save_svg(out, title=title)
