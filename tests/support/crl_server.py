#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A small HTTP server for the revocation tests: serves the files of --root by path, answers a
matching If-None-Match with 304 (the ETag is the file's size and mtime), delays every answer by
--delay seconds, and counts the requests per path (GET /count/PATH answers the count). Listens
on 127.0.0.1 on a free port and writes it to --port-file. Threaded: a slow answer does not hold
the others."""
import argparse
import collections
import http.server
import os
import threading
import time

COUNTS = collections.Counter()
LOCK = threading.Lock()


def make_handler(root, delay):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith("/count/"):
                with LOCK:
                    body = str(COUNTS["/" + self.path[len("/count/"):]]).encode()
                return self.answer(200, body, {})
            with LOCK:
                COUNTS[self.path] += 1
            time.sleep(delay)
            path = os.path.join(root, self.path.lstrip("/"))
            if not os.path.isfile(path):
                return self.answer(404, b"not found", {})
            st = os.stat(path)
            etag = '"%d-%d"' % (st.st_size, st.st_mtime_ns)
            if self.headers.get("If-None-Match") == etag:
                return self.answer(304, b"", {"ETag": etag})
            with open(path, "rb") as f:
                self.answer(200, f.read(), {"ETag": etag})

        def answer(self, status, body, headers):
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--delay", type=float, default=0)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args.root, args.delay))
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
