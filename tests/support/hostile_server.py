#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Servers that do not speak TLS, for the TLS prober's tests.

Modes: http (answers like a plain HTTP server), garbage (sends binary noise), drip (sends a
TLS-looking record one byte every 200 ms, so only a whole-probe deadline ends it), close
(reads the ClientHello and hangs up without a word), reset (reads the ClientHello and resets the
connection), reset-at-once (resets the connection before the client says anything). Listens on
127.0.0.1 on a free port and writes the port to --port-file once it accepts connections.
"""
import argparse
import os
import socket
import struct
import threading
import time

DRIP_INTERVAL = 0.2
DRIP_LIMIT = 120  # bytes: a forgotten connection still ends within 30 s
GARBAGE = bytes(range(0x80, 0xC0)) * 4


def serve_http(conn):
    conn.settimeout(5)
    try:
        conn.recv(4096)  # a ClientHello, not a request: answer like most HTTP servers do
    except OSError:
        pass
    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n"
                 b"Content-Length: 22\r\nConnection: close\r\n\r\n<h1>Bad Request</h1>\r\n")


def serve_garbage(conn):
    conn.sendall(GARBAGE)
    time.sleep(1)


def serve_drip(conn):
    record = b"\x16\x03\x03\x40\x00" + b"\x00" * (DRIP_LIMIT - 5)
    for byte in record:
        conn.sendall(bytes([byte]))
        time.sleep(DRIP_INTERVAL)


def serve_close(conn):
    conn.settimeout(5)
    try:
        conn.recv(4096)
    except OSError:
        pass


def reset(conn):
    # SO_LINGER on, zero seconds: close() sends a RST instead of a FIN.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def serve_reset(conn):
    serve_close(conn)
    reset(conn)


def serve_reset_at_once(conn):
    reset(conn)


MODES = {"http": serve_http, "garbage": serve_garbage, "drip": serve_drip, "close": serve_close,
         "reset": serve_reset, "reset-at-once": serve_reset_at_once}


def handle(conn, mode):
    try:
        MODES[mode](conn)
    except OSError:
        pass
    finally:
        conn.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", required=True, choices=sorted(MODES))
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(tmp, args.port_file)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn, args.mode), daemon=True).start()


if __name__ == "__main__":
    main()
