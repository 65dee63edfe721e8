"""A LibreTranslate-compatible server on 127.0.0.1 for tests: deterministic, and able to
misbehave the ways real servers do (429 with Retry-After, dying part-way, being slow,
dripping its answer a byte at a time, answering megabytes).

It records every request's parameters (``requests``: ``q``, ``target``, and ``api_key``
when the client sent one), whether they came in the query string or the body."""

from __future__ import annotations

import json
import re
import threading
import time
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def fake_translation(text: str, target: str) -> str:
    """The server's "translation": the target code, then the text in capitals.

    Placeholders ([X0X]) are capitals already, so they survive as a real engine's do;
    anything left unmasked (a URL, a code span) comes back changed.
    """
    return f"{target.upper()}: {text.upper()}"


@dataclass
class Behaviour:
    # answer | 429 | die-after | slow | drop-placeholders | 403 | jitter | drip | huge
    mode: str = "answer"
    limit: int = 0  # 429: how many 429s before answering; die-after: answers before dying
    retry_after: str = "1"
    delay: float = 0.0  # per answer (slow: long; benchmark: 0.05); drip: per byte
    size: int = 0  # huge: characters of the answer (its text repeated); drip: bytes of padding
    requests: list[dict[str, str]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default, 5, makes a pool of 8 wait for SYN retries

    def handle_error(self, request: object, client_address: object) -> None:
        # a client that timed out and left (the slow mode) is expected, not an error
        pass


class LibreServer:
    def __init__(self) -> None:
        self.behaviour = Behaviour()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                query = urlsplit(self.path).query or body
                params = {k: v[0] for k, v in parse_qs(query).items()}
                b = server.behaviour
                with b.lock:
                    b.requests.append(params)
                    b.times.append(time.monotonic())
                    count = len(b.requests)
                if not self.path.startswith("/translate"):
                    return self._send(404, {"error": "not found"})
                if b.mode == "403":
                    return self._send(403, {"error": "Invalid API key"})
                if b.mode == "429" and count <= b.limit:
                    return self._send(429, {"error": "Slowdown"}, {"Retry-After": b.retry_after})
                if b.mode == "die-after" and count > b.limit:
                    threading.Thread(target=server.stop, daemon=True).start()
                    self.close_connection = True
                    return None
                if b.delay:  # slow, or a latency to measure against
                    time.sleep(b.delay)
                if b.mode == "jitter":  # answers come back in another order than asked
                    time.sleep(zlib.crc32(params.get("q", "").encode()) % 7 * 0.03)
                text = fake_translation(params.get("q", ""), params.get("target", ""))
                if b.mode == "drop-placeholders":
                    text = re.sub(r"\[X1X\]", "", text)
                if b.mode == "huge":
                    text = (text + " ") * (b.size // (len(text) + 1) + 1)
                if b.mode == "drip":  # the whole answer, status line first, a byte at a time
                    return self._drip({"translatedText": text, "pad": " " * b.size}, b.delay)
                return self._send(200, {"translatedText": text})

            def _drip(self, payload: object, delay: float) -> None:
                data = json.dumps(payload).encode("utf-8")
                raw = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(data)) + data
                self.close_connection = True
                try:
                    for i in range(len(raw)):
                        if server.stopped:
                            return
                        self.wfile.write(raw[i:i + 1])
                        self.wfile.flush()
                        time.sleep(delay)
                except OSError:
                    pass  # the client gave up

            def _send(self, status: int, payload: object,
                      headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.stopped = False

    @property
    def requests(self) -> list[dict[str, str]]:
        return self.behaviour.requests

    def stop(self) -> None:
        if not self.stopped:
            self.stopped = True
            self.httpd.shutdown()
            self.httpd.server_close()
