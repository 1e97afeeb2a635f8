#!/usr/bin/env python3
"""A loopback feed server for the HTTP benchmark: /feed/N.xml is an RSS 2.0 feed of ITEMS
items (the same bytes every time, with an ETag). Listens on HOSTS loopback addresses
(127.0.0.1, 127.0.0.2...: several hosts, for the per-host bound), each on a free port,
printed as 'ports P1 P2...' on the first line; with ONLY, just 127.0.0.ONLY (one process a
host escapes Python's global lock). Usage: feed-server.py FEEDS ITEMS [HOSTS [ONLY]]"""
import sys, hashlib, threading, socket
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler

FEEDS, ITEMS = int(sys.argv[1]), int(sys.argv[2])
HOSTS = int(sys.argv[3]) if len(sys.argv) > 3 else 1
ONLY = int(sys.argv[4]) if len(sys.argv) > 4 else None
cache = {}

def feed(n):
    if n not in cache:
        items = "".join(
            f"<item><guid>f{n}-{i}</guid><title>Feed {n} story {i}: a headline of ordinary length</title>"
            f"<link>http://127.0.0.1/f{n}/{i}</link><description>Summary of story {i} of feed {n}, a sentence or two.</description>"
            f"<pubDate>Tue, 01 Dec 2026 {i % 24:02d}:{(i * 7) % 60:02d}:00 GMT</pubDate></item>" for i in range(ITEMS))
        body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed {n}</title>'
                f"<link>http://127.0.0.1/f{n}/</link>{items}</channel></rss>").encode()
        cache[n] = (body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"')
    return cache[n]

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args): pass
    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK hold the body back 40 ms a response (the server, not the
        # client, would be what the benchmark measured).
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def do_GET(self):
        try:
            n = int(self.path.removeprefix("/feed/").removesuffix(".xml"))
            assert 1 <= n <= FEEDS
        except Exception:
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        body, etag = feed(n)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304); self.send_header("ETag", etag); self.send_header("Content-Length", "0"); self.end_headers(); return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

servers = []
for h in ([ONLY - 1] if ONLY else range(HOSTS)):
    server = ThreadingHTTPServer((f"127.0.0.{h + 1}", 0), Handler)
    server.daemon_threads = True
    servers.append(server)
print("ports " + " ".join(str(s.server_address[1]) for s in servers), flush=True)
for server in servers[1:]:
    threading.Thread(target=server.serve_forever, daemon=True).start()
servers[0].serve_forever()
