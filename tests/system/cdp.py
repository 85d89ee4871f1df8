# SPDX-License-Identifier: Apache-2.0
"""tests/system/cdp.py: a minimal Chrome DevTools Protocol client on the Python standard library
(a hand-made WebSocket client: RFC 6455 text frames, masked, no extensions). Enough to start
headless Chromium, load a page, evaluate JavaScript, read console/CSP messages and take a
screenshot. Everything is bounded: every wait has a deadline, and the browser (started in its
own process group) is stopped by its process id.
"""
import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
import urllib.request


class CdpError(Exception):
    pass


class WebSocket:
    """A WebSocket client connection over a plain TCP socket (127.0.0.1 only)."""

    def __init__(self, host, port, path, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                   "Sec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        header = b""
        while b"\r\n\r\n" not in header:
            chunk = self.sock.recv(1)
            if not chunk:
                raise CdpError("websocket handshake: connection closed")
            header += chunk
        if b" 101 " not in header.split(b"\r\n", 1)[0]:
            raise CdpError("websocket handshake refused: " + header.decode(errors="replace"))

    def send(self, text):
        payload = text.encode()
        mask = os.urandom(4)
        size = len(payload)
        if size < 126:
            head = struct.pack("!BB", 0x81, 0x80 | size)
        elif size < 1 << 16:
            head = struct.pack("!BBH", 0x81, 0x80 | 126, size)
        else:
            head = struct.pack("!BBQ", 0x81, 0x80 | 127, size)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(head + mask + masked)

    def _exact(self, n):
        data = bytearray()
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise CdpError("websocket closed")
            data += chunk
        return bytes(data)

    def recv(self):
        """One whole message (fragments joined); control frames are handled here."""
        message = bytearray()
        while True:
            first, second = self._exact(2)
            size = second & 0x7F
            if size == 126:
                size = struct.unpack("!H", self._exact(2))[0]
            elif size == 127:
                size = struct.unpack("!Q", self._exact(8))[0]
            mask = self._exact(4) if second & 0x80 else None
            payload = self._exact(size)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            opcode = first & 0x0F
            if opcode == 0x8:
                raise CdpError("websocket closed by the browser")
            if opcode in (0x9, 0xA):
                continue  # ping/pong: the browser does not require answers here
            message += payload
            if first & 0x80:
                return message.decode()

    def close(self):
        self.sock.close()


class Browser:
    """Headless Chromium with one page, driven over CDP."""

    def __init__(self, workdir, executable=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                 timeout=60):
        self.timeout = timeout
        self.profile = os.path.join(workdir, "chromium-profile")
        os.makedirs(self.profile, exist_ok=True)
        args = [executable, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-default-apps", "--mute-audio",
                "--metrics-recording-only", "--password-store=basic", "--use-mock-keychain",
                "--window-size=1400,1000", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", f"--user-data-dir={self.profile}", "about:blank"]
        self.log = open(os.path.join(workdir, "chromium.log"), "wb")
        self.proc = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.next_id = 0
        self.events = []
        try:
            port = self._devtools_port()
            self.ws = self._page_socket(port)
        except Exception:
            self.stop()
            raise

    def _devtools_port(self):
        marker = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise CdpError(f"chromium exited with {self.proc.returncode}")
            if os.path.exists(marker):
                with open(marker) as f:
                    first = f.readline().strip()
                if first.isdigit():
                    return int(first)
            time.sleep(0.1)
        raise CdpError("chromium did not open its DevTools port")

    def _page_socket(self, port):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as r:
                pages = [t for t in json.load(r) if t.get("type") == "page"]
            if pages:
                url = pages[0]["webSocketDebuggerUrl"]
                path = url.split(f"127.0.0.1:{port}", 1)[1]
                return WebSocket("127.0.0.1", port, path, self.timeout)
            time.sleep(0.1)
        raise CdpError("chromium has no page target")

    def call(self, method, **params):
        """Sends one command and returns its result; events that arrive meanwhile are kept."""
        self.next_id += 1
        wanted = self.next_id
        self.ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == wanted:
                if "error" in message:
                    raise CdpError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise CdpError(f"{method}: no answer within {self.timeout} s")

    def evaluate(self, expression):
        """The value of a JavaScript expression (awaited if it is a promise)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise CdpError(f"evaluate {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression, timeout=30):
        """Polls a JavaScript expression until it is truthy; returns its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise CdpError(f"timed out waiting for {expression}")

    def screenshot(self, path, viewport_only=False):
        """The whole page, or only what the window shows."""
        data = self.call("Page.captureScreenshot", format="png",
                         captureBeyondViewport=not viewport_only)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["data"]))

    def stop(self):
        """Stops the browser this object started (its process group), then removes its profile."""
        try:
            if getattr(self, "ws", None):
                self.ws.close()
        finally:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)
