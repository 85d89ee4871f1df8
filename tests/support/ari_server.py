#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A small ACME renewal information (RFC 9773) server for the ARI tests. GET /directory answers
an ACME directory naming /renewal-info; GET /renewal-info/CERTID answers what --windows (a JSON
file, read again on every request, so a test can move a window by rewriting it) says for CERTID:

  {"CERTID": {"start": -3600, "end": 86400,       # seconds from now
              "explanation": "https://...",       # optional explanationURL
              "retry_after": 3600,                # optional Retry-After header
              "status": 500,                      # optional: answer this status instead
              "body": "not json",                 # optional: answer this text instead
              "delay": 5}}                        # optional: wait this long first

An unknown CERTID is 404. With --no-renewal-info the directory names no renewalInfo (a CA
without ARI). GET /count/PATH answers how many times PATH was asked. Listens on
127.0.0.1 on a free port, written to --port-file. Threaded: a slow answer holds no other."""
import argparse
import collections
import datetime
import http.server
import json
import os
import threading
import time

COUNTS = collections.Counter()
LOCK = threading.Lock()


def rfc3339(offset_seconds):
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset_seconds)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def make_handler(windows_file, renewal_info=True):
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
            if self.path == "/directory":
                base = "http://127.0.0.1:%d" % self.server.server_address[1]
                directory = {"newNonce": base + "/new-nonce", "newOrder": base + "/new-order"}
                if renewal_info:
                    directory["renewalInfo"] = base + "/renewal-info"
                return self.answer(200, json.dumps(directory).encode(), {})
            if not self.path.startswith("/renewal-info/"):
                return self.answer(404, b"not found", {})
            with open(windows_file) as f:
                spec = json.load(f).get(self.path[len("/renewal-info/"):])
            if spec is None:
                return self.answer(404, b'{"type":"urn:ietf:params:acme:error:malformed"}', {})
            time.sleep(spec.get("delay", 0))
            headers = {}
            if "retry_after" in spec:
                headers["Retry-After"] = str(spec["retry_after"])
            if "body" in spec:
                return self.answer(spec.get("status", 200), spec["body"].encode(), headers)
            if "status" in spec:
                return self.answer(spec["status"], b"server error", headers)
            info = {"suggestedWindow": {"start": rfc3339(spec["start"]),
                                        "end": rfc3339(spec["end"])}}
            if "explanation" in spec:
                info["explanationURL"] = spec["explanation"]
            self.answer(200, json.dumps(info).encode(), headers)

        def answer(self, status, body, headers):
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--windows", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--no-renewal-info", action="store_true")
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), make_handler(args.windows, not args.no_renewal_info))
    server.daemon_threads = True
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
