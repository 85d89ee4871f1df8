#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tests/system/alerts_receiver.py: a webhook and Slack receiver for 040-alerts.sh.

POST /webhook: verifies the Standard Webhooks signature with --secret (whsec_ form, decoded here,
independently of certvigil's code) and records {"path", "id", "valid", "body"}; POST /slack/...: records
{"path", "shape_ok", "body"} where shape_ok says the body has Slack's documented shape (a text
string and a blocks array of section blocks with mrkdwn text objects). One JSON line per request
in --log, with "t", the time it arrived (Unix seconds, float). Answers 200, or --status; with
--tarpit it records the request and never answers (a receiver that takes the client's whole
timeout on every attempt). --fail-rate F answers 503 to that fraction of requests, at random;
each record says the "status" it was answered with.
"""
import argparse
import base64
import hashlib
import hmac
import json
import random
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def signature_ok(secret: bytes, headers, body: bytes) -> bool:
    msg_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(secret, signed, hashlib.sha256).digest()).decode()
    for candidate in headers.get("webhook-signature", "").split(" "):
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def slack_shape_ok(message) -> bool:
    if not isinstance(message.get("text"), str) or not message["text"]:
        return False
    blocks = message.get("blocks")
    if not isinstance(blocks, list) or not blocks or len(blocks) > 50:
        return False
    for block in blocks:
        text = block.get("text", {})
        if block.get("type") != "section" or text.get("type") != "mrkdwn":
            return False
        if not isinstance(text.get("text"), str) or len(text["text"]) > 3000:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--tarpit", action="store_true")
    parser.add_argument("--fail-rate", type=float, default=0.0)
    args = parser.parse_args()
    # Standard Webhooks secrets: "whsec_" + base64 of the key.
    secret = (base64.b64decode(args.secret[6:]) if args.secret.startswith("whsec_")
              else args.secret.encode())
    log = open(args.log, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            record = {"path": self.path, "t": time.time(), "body": json.loads(body)}
            if self.path == "/webhook":
                record["id"] = self.headers.get("webhook-id")
                record["valid"] = signature_ok(secret, self.headers, body)
            else:
                record["shape_ok"] = slack_shape_ok(record["body"])
            status = 503 if random.random() < args.fail_rate else args.status
            record["status"] = status
            log.write(json.dumps(record) + "\n")
            if args.tarpit:
                threading.Event().wait()  # hold the connection, answer nothing
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("ready", flush=True)
    sys.stdout.close()
    server.serve_forever()


if __name__ == "__main__":
    main()
