"""A scripted OpenAI-compatible chat server on 127.0.0.1: a test fake (not part of the package) for the model clients and brains.

Each chat request takes the next ``Step`` (a good reply, an error status, a garbage body, a slow answer);
once the script is spent it answers 503, so a test bounds the requests it allows. A slow answer is
held until the client gave up on it (its next request, or the server closing), so it times out
however fast or loaded the machine is; no step waits a fixed time.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODEL = "loopback-model"


@dataclass(frozen=True)
class Step:
    """How the server answers one chat request."""

    status: int = 200
    content: str | None = None
    """The assistant's text, sent as a chat completion (or as SSE chunks when the request streams)."""
    raw: bytes | None = None
    """A verbatim body instead (garbage, a truncated completion)."""
    headers: dict[str, str] = field(default_factory=dict)
    held: bool = False
    """Answer only once the client gave up waiting (see ``slow``)."""
    tokens: tuple[int, int] | None = (0, 0)
    """(prompt, completion) tokens to report in ``usage``; None sends no usage."""


def reply(content: str, tokens_in: int = 20, tokens_out: int = 10) -> Step:
    return Step(content=content, tokens=(tokens_in, tokens_out))


def garbage(body: bytes = b"<html><body><h1>502 Bad Gateway</h1></body></html>") -> Step:
    return Step(raw=body, headers={"content-type": "text/html"})


def error(status: int, message: str = "server error", retry_after: float | None = None) -> Step:
    headers = {"retry-after": str(retry_after)} if retry_after is not None else {}
    body = json.dumps({"error": {"message": message, "type": "server_error", "param": None, "code": None}})
    return Step(status=status, raw=body.encode(), headers={"content-type": "application/json", **headers})


def slow(then: Step | None = None) -> Step:
    """An answer that comes too late: held until the client's timeout made it ask again (or the
    server closes), then written to a connection nobody reads."""
    base = then or reply('{"late": true}')
    return Step(base.status, base.content, base.raw, base.headers, True, base.tokens)


class LoopbackServer:
    """``with LoopbackServer([garbage(), error(500), reply("{...}")]) as server: ... server.base_url``."""

    def __init__(self, steps: list[Step]):
        self.steps = list(steps)
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._asked = threading.Condition(self._lock)
        self._closing = False
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._http.daemon_threads = True
        self._http.block_on_close = False  # belt and braces: closing also releases a held step
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="loopback-model", daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._asked:
            self._closing = True
            self._asked.notify_all()
        self._http.shutdown()
        self._http.server_close()

    def next_step(self, body: dict[str, Any]) -> Step:
        """Record the request; how to answer it."""
        with self._lock:
            self.requests.append(body)
            return self.steps.pop(0) if self.steps else error(503, "loopback script exhausted")

    def taken(self, body: dict[str, Any]) -> tuple[Step, int]:
        """The step for a request, and how many requests had come once it was recorded."""
        step = self.next_step(body)
        with self._asked:
            self._asked.notify_all()  # a held answer waits for a later request
            return step, len(self.requests)

    def hold_until_given_up(self, seen: int) -> None:
        """Until more than ``seen`` requests came (the client timed out and asked again) or the server closes."""
        with self._asked:
            self._asked.wait_for(lambda: self._closing or len(self.requests) > seen)


def _completion(step: Step, body: dict[str, Any]) -> bytes:
    data: dict[str, Any] = {
        "id": f"chatcmpl-loopback-{time.monotonic_ns()}", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model", MODEL),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": step.content}, "finish_reason": "stop"}],
    }
    if step.tokens is not None:
        data["usage"] = {"prompt_tokens": step.tokens[0], "completion_tokens": step.tokens[1],
                         "total_tokens": sum(step.tokens)}
    return json.dumps(data).encode()


def _stream(step: Step, body: dict[str, Any]) -> bytes:
    base = {"id": "chatcmpl-loopback", "object": "chat.completion.chunk", "created": int(time.time()),
            "model": body.get("model", MODEL)}
    text = step.content or ""
    pieces = [text[i:i + 8] for i in range(0, len(text), 8)]
    chunks = [{**base, "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in pieces]
    chunks.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    if step.tokens is not None:
        chunks.append({**base, "choices": [], "usage": {"prompt_tokens": step.tokens[0],
                                                         "completion_tokens": step.tokens[1],
                                                         "total_tokens": sum(step.tokens)}})
    return ("".join(f"data: {json.dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n").encode()


def _handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass

        def do_GET(self) -> None:
            if self.path.rstrip("/").endswith("/models"):
                self._send(200, json.dumps({"object": "list", "data": [
                    {"id": MODEL, "object": "model", "created": 0, "owned_by": "loopback"}]}).encode(), {})
            else:
                self._send(404, b'{"error": {"message": "not found"}}', {})

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except ValueError:
                body = {}
            step, seen = server.taken(body)
            if step.held:
                server.hold_until_given_up(seen)
            if step.raw is not None:
                payload, headers = step.raw, step.headers
            elif body.get("stream"):
                payload, headers = _stream(step, body), {"content-type": "text/event-stream", **step.headers}
            else:
                payload, headers = _completion(step, body), {"content-type": "application/json", **step.headers}
            self._send(step.status, payload, headers)

        def _send(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
            try:
                self.send_response(status)
                headers = {"content-type": "application/json", **headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout) before the slow answer came

    return Handler
