#!/usr/bin/env python3
"""The competitor of the store's insert figure in `make bench`: Python's sqlite3
`executemany` of the same rows into the same schema.

The bench gives it a store file newsdesk created (empty, every migration applied: the same
tables, indexes, FTS5 index and triggers, WAL) and a TSV file of the rows it stored
(batch, feed, key_hash, published, first_seen, item_id, title, outlet), in the order and
batches it stored them. The same pragmas as the store (synchronous=NORMAL, 16 MiB cache, a
checkpoint every 8,192 pages, the log cut to 32 MiB; foreign keys not enforced, both sides).
Per batch, what the store does (schema v2): one executemany into `items`, the batch's titles
into the FTS5 index in one INSERT ... SELECT, the feed's unread count in one UPDATE, one
commit. Reading the file is not timed; the key hash
comes precomputed and there is no "already stored?" look-up: Python is given the easier job.
Schema v3: `items_key` is a UNIQUE index, so each of these INSERTs checks the key as the
store's `INSERT ... ON CONFLICT DO NOTHING` does (the same index seek); the key hash given is
the value the store put each row under (its window's next free value when another id of
the feed holds its own), so no INSERT here meets a conflict.

usage: store_python.py STORE ROWS.tsv   (prints the seconds of the inserts)
"""
import sqlite3, sys, time

def main():
    path, rows_path = sys.argv[1], sys.argv[2]
    batches = []
    current, key = [], None
    with open(rows_path, encoding="utf-8") as f:
        for line in f:
            b, feed, h, pub, seen, item, title, outlet = line.rstrip("\n").split("\t")
            if b != key:
                if current:
                    batches.append((key_feed, current))
                current, key, key_feed = [], b, feed
            current.append((int(h), int(pub), int(seen), item, title, outlet or None))
    if current:
        batches.append((key_feed, current))
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA cache_size = -16384")
    db.execute("PRAGMA wal_autocheckpoint = 8192")
    db.execute("PRAGMA journal_size_limit = 33554432")
    ids = {}
    for name in dict.fromkeys(f for f, _ in batches):
        db.execute("INSERT INTO feeds (name) VALUES (?)", (name,))
        ids[name] = db.execute("SELECT id FROM feeds WHERE name = ?", (name,)).fetchone()[0]
    sql = ("INSERT INTO items (feed_id, key_hash, published, first_seen, item_id, title, outlet) "
           "VALUES (?, ?, ?, ?, ?, ?, ?)")
    t0 = time.perf_counter()
    for feed, rows in batches:
        fid = ids[feed]
        db.execute("BEGIN")
        last = db.execute("SELECT coalesce(max(id), 0) FROM items").fetchone()[0]
        db.executemany(sql, ((fid, h, p, s, i, t, o) for h, p, s, i, t, o in rows))
        db.execute("INSERT INTO items_fts(rowid, title) SELECT id, title FROM items WHERE id > ?", (last,))
        db.execute("UPDATE feeds SET unread = unread + ? WHERE id = ?", (len(rows), fid))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(f"{elapsed:.6f}")

main()
