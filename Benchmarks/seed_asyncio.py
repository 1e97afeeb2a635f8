#!/usr/bin/env python3
"""The seed exercise's design, kept as the competitor for newsdesk's benchmarks.

One asyncio task per source puts headlines into one asyncio.Queue; the consumer takes
them with asyncio.wait_for(queue.get(), timeout=0.5) and filters with
any(k.lower() in title.lower() for k in keywords). Gaps are scaled to zero ("no
waiting"): each source yields with asyncio.sleep(0) between headlines, as the seed's
asyncio.sleep(random.uniform(...)) would at --speed max.

The titles are newsdesk's own (a file written by the benchmark), so both designs
handle the same data.

Modes:
  merge  --titles F --count N            merged headlines/s with the filter applied
  print  --titles F --count N            print '[HH:MM:SS] Tech: title' lines (end to end)
  memory --titles F --count N            bytes per headline held in a list of dicts
  json   --file F                        json.loads over every line of a JSON Lines file
"""
import argparse
import asyncio
import json
import sys
import time
import tracemalloc

SOURCES = [("tech", "Tech"), ("sports", "Sports"), ("world", "World")]
KEYWORDS = ["breaking", "update"]


def load_titles(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f]


async def source(name, titles, queue, count):
    for i in range(count):
        title = titles[i % len(titles)]
        await queue.put({"id": f"{name}-{i}", "source": name, "title": title,
                         "published": time.time()})
        await asyncio.sleep(0)


async def consume(queue, total, keywords, on_match):
    received = 0
    matched = 0
    while received < total:
        try:
            item = await asyncio.wait_for(queue.get(), timeout=0.5)
        except asyncio.TimeoutError:
            continue
        received += 1
        title = item["title"]
        if any(k.lower() in title.lower() for k in keywords):
            matched += 1
            on_match(item)
    return matched


async def run(titles, count, keywords, on_match):
    queue = asyncio.Queue()
    per_source = count // len(SOURCES)
    tasks = [asyncio.create_task(source(name, titles[i::3] or titles, queue, per_source))
             for i, (name, _) in enumerate(SOURCES)]
    matched = await consume(queue, per_source * len(SOURCES), keywords, on_match)
    for t in tasks:
        t.cancel()
    return per_source * len(SOURCES), matched


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["merge", "print", "memory", "json"])
    parser.add_argument("--titles")
    parser.add_argument("--file")
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()

    if args.mode == "merge":
        titles = load_titles(args.titles)
        start = time.perf_counter()
        n, matched = asyncio.run(run(titles, args.count, KEYWORDS, lambda item: None))
        elapsed = time.perf_counter() - start
        print(json.dumps({"headlines": n, "matched": matched, "seconds": elapsed, "rate": n / elapsed}))
    elif args.mode == "print":
        titles = load_titles(args.titles)
        names = dict(SOURCES)

        def show(item):
            stamp = time.strftime("%H:%M:%S", time.localtime(item["published"]))
            print(f"[{stamp}] {names[item['source']]}: {item['title']}")

        asyncio.run(run(titles, args.count, [""], show))
    elif args.mode == "memory":
        titles = load_titles(args.titles)
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        history = []
        for i in range(args.count):
            # Fresh strings, as a feed would deliver them (not shared with `titles`).
            title = (titles[i % len(titles)] + " ")[:-1]
            history.append({"id": f"tech-{i}", "source": "tech", "title": title,
                            "published": 1767225600.0 + i, "outlet": "Kernel Post",
                            "summary": None, "url": None})
        after = tracemalloc.get_traced_memory()[0]
        print(json.dumps({"headlines": args.count, "bytes_per_headline": (after - before) / args.count}))
    elif args.mode == "json":
        with open(args.file, "rb") as f:
            lines = f.readlines()
        start = time.perf_counter()
        n = 0
        for line in lines:
            json.loads(line)
            n += 1
        elapsed = time.perf_counter() - start
        print(json.dumps({"lines": n, "seconds": elapsed, "rate": n / elapsed}))


if __name__ == "__main__":
    main()
