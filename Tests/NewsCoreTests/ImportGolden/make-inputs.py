#!/usr/bin/env python3
"""Writes the inputs of the importer's golden test (ImportGoldenTests.swift): seeded,
so the same files every time. Rows mix what real exports hold: quoted fields with
commas, doubled quotes and newlines, CRLF, a byte order mark, Unicode spaces around
titles and sources, empty and missing fields, times in several forms and zones, bad
times, invalid UTF-8, controls, and escapes in JSON. The goldens were written by the
importer before its byte-level rewrite (issue 16): the rewrite must give the same bytes."""
import json, os, random

random.seed(16)
here = os.path.dirname(os.path.abspath(__file__))
words = ["Storm", "hits", "coast", "markets", "rally", "über", "naïve", "東京", "café", "rocket", "vote", "delay",
         "\u00e9t\u00e9", "emoji \U0001F680", "tab\there", "quote \"q\"", "comma, inside", "back\\slash", "a\u0007bell"]
spaces = ["", "", "", " ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\u2028", "\u0085", "\r"]
sources = ["world", "sport", "tech", " world ", "Tech", "\u00a0biz", "", "s\u00e9ction"]

def title():
    t = " ".join(random.choice(words) for _ in range(random.randint(0, 6)))
    return random.choice(spaces) + t + random.choice(spaces)

def when(i):
    base = 1_300_000_000 + random.randrange(-5_000_000, 5_000_000)
    import datetime
    d = datetime.datetime.fromtimestamp(base, datetime.timezone.utc)
    forms = [
        d.strftime("%Y-%m-%dT%H:%M:%SZ"), d.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % random.randrange(1000) + "Z",
        d.strftime("%Y-%m-%d %H:%M:%S"), d.strftime("%Y-%m-%dT%H:%M:%S+02:00"), d.strftime("%Y-%m-%dT%H:%M-0530"),
        d.strftime("%Y-%m-%d"), str(base), str(base * 1000), "%d.%d" % (base, random.randrange(10)),
        " " + d.strftime("%Y-%m-%dT%H:%M:%SZ") + " ", "yesterday", "", "2011-13-01T00:00:00Z", "1e400",
    ]
    return random.choice(forms)

def csv_field(v):
    if any(c in v for c in ',"\n\r') or random.random() < 0.1:
        return '"' + v.replace('"', '""') + '"'
    return v

rows = []
for i in range(1000):
    rows.append({"title": title(), "time": when(i), "source": random.choice(sources),
                 "id": random.choice(["", "", str(i), "g-%d" % i, "dup"]),
                 "link": random.choice(["", "https://example.com/%d" % i, "https://ex.com/?a=1&b=\"2\""]),
                 "summary": random.choice(["", "", "A summary, with\na newline", "Short"])})

with open(os.path.join(here, "rows.csv"), "wb") as f:
    f.write(b"\xef\xbb\xbf" + b"title,time,source,id,link,summary\r\n")
    for i, r in enumerate(rows):
        fields = [csv_field(r[k]) for k in ["title", "time", "source", "id", "link", "summary"]]
        if random.random() < 0.03:
            fields = fields[:random.randint(0, 5)]  # a short row
        line = ",".join(fields).encode()
        if random.random() < 0.01:
            line += b",\xff\xfe"  # invalid UTF-8 (and one field too many)
        if random.random() < 0.01:
            line = line.replace(b"o", b"\xc3", 1)  # a cut sequence
        f.write(line + (b"\r\n" if random.random() < 0.5 else b"\n"))
        if random.random() < 0.01:
            f.write(b"\n")  # a blank line

with open(os.path.join(here, "rows.jsonl"), "wb") as f:
    f.write(b"\xef\xbb\xbf")
    for i, r in enumerate(rows):
        obj = {k: v for k, v in r.items() if v != "" or random.random() < 0.5}
        if random.random() < 0.1 and obj.get("time", "").isdigit():
            obj["time"] = int(obj["time"])  # a number
        if random.random() < 0.05:
            obj["id"] = i  # a numeric id
        if random.random() < 0.05:
            obj["nested"] = {"title": "not this one", "list": [1, 2]}
        if random.random() < 0.05:
            obj = {k.upper() if random.random() < 0.5 else k: v for k, v in obj.items()}
        line = json.dumps(obj, ensure_ascii=random.random() < 0.5).encode()
        if random.random() < 0.01:
            line = line[:-3]  # cut short
        if random.random() < 0.01:
            line = b"  \t "  # only spaces
        f.write(line + b"\n")
