"""A small scripted xAPI endpoint on 127.0.0.1 for the fault tests (http.server, one thread per request).

``FakeLrs(answer)`` calls ``answer(fake, statements)`` for each ``POST /xAPI/statements`` and sends back the
``(status, body)`` it returns; ``fake.store(statements)`` behaves like an LRS (one copy per id, 200 with the
new ids, 204 when all were there). Every request is kept in ``fake.posts``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, Any]


class FakeLrs:
    """A scripted LRS; use it as a context manager (it stops its server on the way out)."""

    def __init__(self, answer: Callable[[FakeLrs, list[dict[str, Any]]], Answer]) -> None:
        self.answer = answer
        self.posts: list[list[dict[str, Any]]] = []
        self.stored: dict[str, dict[str, Any]] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                statements = json.loads(self.rfile.read(length))
                with fake.lock:
                    fake.posts.append(statements)
                status, body = fake.answer(fake, statements)
                raw = b"" if body is None else json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:  # the client went away (timed out, or was killed)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/xAPI/"

    def store(self, statements: list[dict[str, Any]]) -> Answer:
        """What an LRS does: keep one copy per id."""
        with self.lock:
            new = [s["id"] for s in statements if s["id"] not in self.stored]
            for statement in statements:
                self.stored.setdefault(statement["id"], statement)
        return (200, new) if new else (204, None)

    def __enter__(self) -> FakeLrs:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
