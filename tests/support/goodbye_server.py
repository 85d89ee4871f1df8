#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A TLS server that records how each client ends its session, for the polite-probe test.

After the handshake it reads until the client goes, then appends one line to --log:
close_notify (a clean TLS end), eof_without_close_notify (the socket closed without one, what
servers log as an error), reset, or handshake_failed. Listens on 127.0.0.1 on a free port and
writes the port to --port-file once it accepts connections.
"""
import argparse
import os
import socket
import ssl
import threading

LOCK = threading.Lock()


def ending(conn):
    try:
        while conn.recv(4096):
            pass
        return "close_notify"
    except ssl.SSLEOFError:
        return "eof_without_close_notify"
    except ConnectionResetError:
        return "reset"
    except (OSError, ssl.SSLError) as error:
        return "error " + str(error)


def handle(raw, context, log):
    raw.settimeout(10)
    try:
        conn = context.wrap_socket(raw, server_side=True, suppress_ragged_eofs=False)
    except (OSError, ssl.SSLError):
        outcome = "handshake_failed"
    else:
        outcome = ending(conn)
        conn.close()
    with LOCK, open(log, "a") as f:
        f.write(outcome + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(tmp, args.port_file)
    while True:
        raw, _ = listener.accept()
        threading.Thread(target=handle, args=(raw, context, args.log), daemon=True).start()


if __name__ == "__main__":
    main()
