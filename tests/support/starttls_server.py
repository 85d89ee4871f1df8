#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A STARTTLS server for the TLS prober's tests: plays the plain-text dialogue of one protocol
(smtp, imap, pop3, ftp, ldap, postgres, xmpp; xmpp-unknown-host refuses the stream), then a TLS
handshake with --cert/--key, then answers the client's goodbye (QUIT, LOGOUT, a closed XMPP
stream) until it closes (--record FILE notes what it said inside TLS and whether it ended with a
close_notify). --refuse answers the upgrade request with a refusal instead, then answers the
client's goodbye in the clear (--record notes it too, as "<said> | plain").
Listens on 127.0.0.1 on a free port and writes the port to --port-file.
"""
import argparse
import os
import socket
import ssl
import threading

LDAP_OID = b"1.3.6.1.4.1.1466.20037"
LDAP_SUCCESS = bytes.fromhex("300c02010178070a010004000400")
LDAP_REFUSED = bytes.fromhex("301d02010178180a010204000411") + b"StartTLS disabled"
PG_SSL_REQUEST = bytes.fromhex("0000000804d2162f")
XMPP_FEATURES = (b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                 b"xmlns:stream='http://etherx.jabber.org/streams' id='c2s1' from='localhost' "
                 b"version='1.0'><stream:features><starttls "
                 b"xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
                 b"</stream:features>")


class Conn:
    """Reads from a plain socket without reading past what a dialogue step needs."""

    def __init__(self, sock):
        self.sock = sock
        self.buffer = b""

    def until(self, marker):
        while marker not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk or len(self.buffer) > 65536:
                raise ConnectionError("client went away")
            self.buffer += chunk
        at = self.buffer.index(marker) + len(marker)
        taken, self.buffer = self.buffer[:at], self.buffer[at:]
        return taken

    def exactly(self, count):
        while len(self.buffer) < count:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("client went away")
            self.buffer += chunk
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def send(self, data):
        self.sock.sendall(data)


def smtp(c, refuse):
    c.send(b"220 mail.test ESMTP ready\r\n")
    c.until(b"\r\n")
    c.send(b"250-mail.test greets you\r\n250-PIPELINING\r\n250 STARTTLS\r\n")
    c.until(b"\r\n")
    c.send(b"454 4.7.0 TLS not available due to local problem\r\n" if refuse
           else b"220 2.0.0 Ready to start TLS\r\n")
    return not refuse


def imap(c, refuse):
    c.send(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n")
    tag = c.until(b"\r\n").split(b" ")[0]
    c.send(b"* NO untagged noise first\r\n")
    c.send(tag + (b" BAD STARTTLS unavailable\r\n" if refuse else b" OK Begin TLS now\r\n"))
    return not refuse


def pop3(c, refuse):
    c.send(b"+OK POP3 ready\r\n")
    c.until(b"\r\n")
    c.send(b"-ERR not now\r\n" if refuse else b"+OK Begin TLS negotiation\r\n")
    return not refuse


def ftp(c, refuse):
    c.send(b"220-Welcome to the test FTP server\r\n220-a second line\r\n220 ready\r\n")
    c.until(b"\r\n")
    c.send(b"534 TLS not available\r\n" if refuse else b"234 AUTH TLS OK.\r\n")
    return not refuse


def ldap(c, refuse):
    header = c.exactly(2)
    request = c.exactly(header[1])
    if LDAP_OID not in request:
        return False
    c.send(LDAP_REFUSED if refuse else LDAP_SUCCESS)
    return not refuse


def postgres(c, refuse):
    if c.exactly(8) != PG_SSL_REQUEST:
        return False
    c.send(b"N" if refuse else b"S")
    return not refuse


def xmpp(c, refuse):
    c.until(b"version='1.0'>")
    c.send(XMPP_FEATURES)
    c.until(b"/>")
    c.send(b"<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/></stream:stream>" if refuse
           else b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
    return not refuse


def xmpp_unknown_host(c, refuse):
    """Prosody's answer to a stream for a domain it does not serve (RFC 6120 4.9.3.6)."""
    c.until(b"version='1.0'>")
    c.send(XMPP_FEATURES[:XMPP_FEATURES.index(b"<stream:features>")] +
           b"<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
           b"<text xmlns='urn:ietf:params:xml:ns:xmpp-streams'>This server does not serve "
           b"localhost</text></stream:error></stream:stream>")
    return False


DIALOGUES = {"smtp": smtp, "imap": imap, "pop3": pop3, "ftp": ftp, "ldap": ldap,
             "postgres": postgres, "xmpp": xmpp, "xmpp-unknown-host": xmpp_unknown_host}


# What a polite client says before it leaves (inside TLS, or in the clear after a refusal), and
# what the server answers.
LDAP_UNBIND = bytes.fromhex("30050201024200")
GOODBYES = [(b"QUIT\r\n", {"smtp": b"221 2.0.0 Bye\r\n", "pop3": b"+OK bye\r\n",
                            "ftp": b"221 Goodbye.\r\n"}),
            (b"a9 LOGOUT\r\n", {"imap": b"* BYE logging out\r\na9 OK LOGOUT completed\r\n"}),
            (LDAP_UNBIND, {"ldap": b""}),
            (b"</stream:stream>", {"xmpp": b"<stream:stream xmlns='jabber:client' "
                                           b"xmlns:stream='http://etherx.jabber.org/streams' "
                                           b"version='1.0'></stream:stream>"})]


def record_ending(record, received, ending):
    if record:
        with open(record, "ab") as f:
            f.write(received.decode("latin-1").encode("unicode_escape") + b" | " +
                    ending.encode() + b"\n")


def serve_tls(tls, protocol, record):
    """Answers the client's goodbye like the real server; with --record, appends what the client
    sent inside TLS and how it ended ("clean": a close_notify, else "unclean") to the file."""
    received, ending = b"", "unclean"
    try:
        while True:
            chunk = tls.recv(4096)
            if not chunk:
                ending = "clean"
                break
            received += chunk
            for said, answers in GOODBYES:
                if received.endswith(said) and protocol in answers:
                    tls.sendall(answers[protocol])
    except (OSError, ssl.SSLError):
        pass
    record_ending(record, received, ending)


def serve_refused(c, protocol, record):
    """After a refusal the session goes on in the clear: answers the client's goodbye there
    (XMPP's closed stream needs no answer: the refusal closed the server's) and closes, as
    real servers do; with --record, appends what the client said, then "plain"."""
    received = c.buffer
    try:
        while not any(received.endswith(said) for said, _ in GOODBYES):
            chunk = c.sock.recv(4096)
            if not chunk or len(received) > 65536:
                break
            received += chunk
        for said, answers in GOODBYES:
            if received.endswith(said) and protocol in answers and protocol != "xmpp":
                c.send(answers[protocol])
    except OSError:
        pass
    record_ending(record, received, "plain")


def handle(sock, args, context):
    sock.settimeout(10)
    try:
        conn = Conn(sock)
        if not DIALOGUES[args.protocol](conn, args.refuse):
            if args.refuse:
                serve_refused(conn, args.protocol, args.record)
            return
        with context.wrap_socket(sock, server_side=True, suppress_ragged_eofs=False) as tls:
            serve_tls(tls, args.protocol, args.record)
    except (OSError, ssl.SSLError, ConnectionError):
        pass
    finally:
        sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--protocol", required=True, choices=sorted(DIALOGUES))
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--refuse", action="store_true")
    parser.add_argument("--record", help="append what each client said inside TLS to this file")
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.rename(tmp, args.port_file)
    while True:
        conn, _ = listener.accept()
        threading.Thread(target=handle, args=(conn, args, context), daemon=True).start()


if __name__ == "__main__":
    main()
