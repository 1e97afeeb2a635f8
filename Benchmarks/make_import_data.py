#!/usr/bin/env python3
"""Writes the input of make bench's table import figure: N rows of headlines as CSV
(headline, date, section, link; about 127 bytes a row) or JSON Lines (the same fields),
seeded, so every run reads the same file. The dates are spread over 2011 in no order
(an archive exported by section, say), so the sort has real work; one title in ten is
quoted and holds a comma.

usage: make_import_data.py N csv|jsonl > FILE"""
import datetime, json, random, sys

random.seed(2011)
subjects = ["Obama", "Congress", "Apple", "Google", "Wall Street", "The Fed", "Japan", "Egypt's protesters", "NATO",
            "Yankees", "Lakers", "Microsoft", "Facebook", "Greece", "The euro zone", "Libya's rebels", "Scientists",
            "Doctors", "Investors", "The Senate"]
verbs = ["weighs", "rejects", "unveils", "faces", "plans", "warns of", "backs", "delays", "questions", "wins", "loses",
         "expands", "cuts", "reports", "considers"]
objects = ["new budget deal", "tax plan", "iPhone sales", "search rules", "debt talks", "quake recovery", "oil prices",
           "playoff hopes", "privacy concerns", "bailout terms", "jobs report", "trade pact", "nuclear review",
           "energy bill", "merger offer"]
tails = ["", " amid protests", " after long debate", ", officials say", " in surprise move", " as markets slide",
         " \u2014 analysts", " (update)", ", report says"]
sections = ["world", "business", "sports", "technology", "politics", "science", "arts", "health"]
n, kind = int(sys.argv[1]), sys.argv[2]
base = datetime.datetime(2011, 1, 1, tzinfo=datetime.timezone.utc).timestamp()
out = sys.stdout
if kind == "csv":
    out.write("headline,date,section,link\n")
for i in range(n):
    t = f"{random.choice(subjects)} {random.choice(verbs)} {random.choice(objects)}{random.choice(tails)}"
    if random.random() < 0.1:
        t = '"' + t + '", says ' + random.choice(subjects)
    ts = base + random.randrange(0, 365 * 86400)
    d = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    s = random.choice(sections)
    link = f"https://example.com/2011/{s}/{i:07d}-{random.randrange(10**6):06d}.html"
    if kind == "csv":
        q = '"' + t.replace('"', '""') + '"' if (',' in t or '"' in t) else t
        out.write(f"{q},{d},{s},{link}\n")
    else:
        out.write(json.dumps({"headline": t, "date": d, "section": s, "link": link}, ensure_ascii=False) + "\n")
