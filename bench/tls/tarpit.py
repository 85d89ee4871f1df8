#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""bench/tls/tarpit.py BASE_PORT COUNT LIFETIME_SECONDS: accepts TCP connections on COUNT ports
of 127.0.0.1 from BASE_PORT and never sends a byte (a hung server); each connection is held until
the peer closes it. Prints "ready" once every port listens; exits after LIFETIME_SECONDS."""
import asyncio
import sys


async def hold(reader, writer):
    try:
        while await reader.read(4096):  # swallow the ClientHello; answer nothing
            pass
    except ConnectionError:
        pass
    finally:
        writer.close()


async def main(base, count, lifetime):
    servers = [await asyncio.start_server(hold, "127.0.0.1", base + i, backlog=256)
               for i in range(count)]
    print("ready", flush=True)
    await asyncio.sleep(lifetime)
    for server in servers:
        server.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])))
