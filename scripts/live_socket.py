"""A live reload client of `worklog serve` for the scripts: the WebSocket at
/__worklog/live on the page port, as a page opens it, with every message timestamped.

Standard library only; imported by scripts/bench-serve and scripts/load-serve.
"""

import base64
import json
import os
import socket
import struct
import threading
import time


def now_ms():
    return time.time_ns() / 1e6


class LiveSocket:
    """Opens the socket (raises on a refused handshake) and reads it on a thread."""

    def __init__(self, host, port):
        self.messages = []  # (ms, decoded JSON)
        self.lock = threading.Lock()
        self.error = None
        self.sock = socket.create_connection((host, port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                f"GET /__worklog/live HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n\r\n"
            ).encode()
        )
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise OSError("closed during the WebSocket handshake")
            head += chunk
        head, _, self.buf = head.partition(b"\r\n\r\n")
        status = head.split(b"\r\n", 1)[0]
        if b" 101 " not in status + b" ":
            raise OSError(f"live reload refused: {status.decode(errors='replace')}")
        self.sock.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()

    def _recv_exact(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise OSError("closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _read(self):
        try:
            while True:
                b0, b1 = self._recv_exact(2)
                n = b1 & 0x7F
                if n == 126:
                    (n,) = struct.unpack(">H", self._recv_exact(2))
                elif n == 127:
                    (n,) = struct.unpack(">Q", self._recv_exact(8))
                payload = self._recv_exact(n)
                opcode = b0 & 0x0F
                if opcode == 0x9:  # ping: answer, masked as a client must
                    self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + b"\0\0\0\0" + payload)
                elif opcode == 0x1:
                    message = json.loads(payload)
                    with self.lock:
                        self.messages.append((now_ms(), message))
                elif opcode == 0x8:
                    return
        except (OSError, ValueError) as e:
            self.error = str(e)

    def count(self, kind):
        with self.lock:
            return sum(1 for _, m in self.messages if m.get("type") == kind)

    def first_reload_for(self, path, after):
        """When the first `reload` naming `path` (or all pages) came after `after`."""
        with self.lock:
            for t, m in self.messages:
                if t >= after and m.get("type") == "reload":
                    if m.get("all") or path in m.get("paths", []):
                        return t
        return None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
