#!/usr/bin/env python3
"""The competitor of `newsdesk import` in `make bench`: the same job in plain Python.

Reads a CSV (the csv module) or JSON Lines file (json.loads per line) of headlines, reads
each time with datetime.fromisoformat, sorts in memory by time (stable), and writes a
newsdesk recording with json.dumps per row.

usage: import_python.py INPUT OUTPUT csv|jsonl
"""
import csv, datetime, json, sys

def main():
    src, out, kind = sys.argv[1], sys.argv[2], sys.argv[3]
    rows = []
    with open(src, newline="", encoding="utf-8") as f:
        records = csv.DictReader(f) if kind == "csv" else (json.loads(line) for line in f if line.strip())
        for i, r in enumerate(records):
            title = (r.get("headline") or "").strip()
            date = r.get("date") or ""
            if not title or not date:
                continue
            t = datetime.datetime.fromisoformat(date.replace("Z", "+00:00"))
            if t.tzinfo is None:
                t = t.replace(tzinfo=datetime.timezone.utc)
            ms = int(t.timestamp() * 1000)
            source = (r.get("section") or "").strip() or "imported"
            rows.append((ms, i, source, title, r.get("link") or None))
    sources = list(dict.fromkeys(r[2] for r in rows))  # in the order the input names them
    rows.sort(key=lambda r: (r[0], r[1]))
    started = rows[0][0] if rows else 0
    def iso(ms):
        return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
    with open(out, "w", encoding="utf-8") as w:
        w.write(json.dumps({"format": "newsdesk-recording", "version": 1, "started": iso(started), "sources": sources}) + "\n")
        for ms, i, source, title, link in rows:
            event = {"offset": ms - started, "id": f"{source}-{i + 1}", "source": source, "title": title, "published": iso(ms)}
            if link:
                event["url"] = link
            w.write(json.dumps(event, ensure_ascii=False) + "\n")

main()
