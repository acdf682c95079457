"""A small OpenAI-compatible chat server on 127.0.0.1 for tests: the real openai client talks to it over HTTP.

It is scripted: `behaviour` decides each reply from the parsed request (the passages sent, un-datamarked, and
the keys asked). Every request body is kept, so tests can check what left the machine."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MARK = "ˆ"
_PASSAGE = re.compile(r"^\[(P[0-9]+)\] (.*)$", re.MULTILINE)
_EXCERPTS = re.compile(r"^- ([a-z_]+): .*Excerpts: ([P0-9, ]+)$", re.MULTILINE)


@dataclass
class Asked:
    """A request as the server reads it."""

    body: dict[str, Any]
    passages: dict[str, str]  # id → text with normal spaces
    keys: dict[str, list[str]]  # key → the passage ids chosen for it

    @property
    def schema_mode(self) -> str:
        return (self.body.get("response_format") or {}).get("type", "")


@dataclass
class Reply:
    status: int = 200
    content: str | None = None  # the message content; None with a status other than 200
    delay: float = 0.0


def parse(body: dict[str, Any]) -> Asked:
    user = next(message["content"] for message in body["messages"] if message["role"] == "user")
    passages = {name: text.replace(MARK, " ") for name, text in _PASSAGE.findall(user)}
    keys = {key: [name.strip() for name in names.split(",")] for key, names in _EXCERPTS.findall(user)}
    return Asked(body, passages, keys)


def answers(asked: Asked, chosen: dict[str, tuple[Any, str]]) -> str:
    """A reply that answers each asked key from `chosen` (key → (value, quote)), citing the passage that holds
    the quote (or the key's first passage when none does); keys not chosen are not found."""
    data = {}
    for key, names in asked.keys.items():
        if key not in chosen:
            data[key] = {"found": False, "value": None, "quote": "", "passage": ""}
            continue
        value, quote = chosen[key]
        holder = next((name for name in names if quote in asked.passages.get(name, "")), names[0])
        data[key] = {"found": True, "value": value, "quote": quote, "passage": holder}
    return json.dumps(data)


@dataclass
class ScriptedLLM:
    behaviour: Callable[[Asked], Reply]
    requests: list[dict[str, Any]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)  # the request line's path and query, as the client sent it
    headers: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                data = self.rfile.read(length)
                server.raw.append(data)
                server.paths.append(self.path)
                server.headers.append({name.lower(): value for name, value in self.headers.items()})
                body = json.loads(data)
                server.requests.append(body)
                reply = server.behaviour(parse(body))
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    payload = json.dumps({"error": {"message": reply.content or "scripted failure", "type": "test"}})
                else:
                    payload = json.dumps(
                        {
                            "id": f"chatcmpl-{len(server.requests)}",
                            "object": "chat.completion",
                            "created": int(time.time()),
                            "model": body.get("model", "scripted"),
                            "choices": [
                                {
                                    "index": 0,
                                    "message": {"role": "assistant", "content": reply.content},
                                    "finish_reason": "stop",
                                }
                            ],
                            "usage": {
                                "prompt_tokens": len(data) // 4,
                                "completion_tokens": len(reply.content or "") // 4,
                                "total_tokens": len(data) // 4 + len(reply.content or "") // 4,
                            },
                        }
                    )
                encoded = payload.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(encoded)))
                    self.end_headers()
                    self.wfile.write(encoded)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def sent_text(self) -> str:
        """Everything that reached the server, as one string (for leak checks)."""
        return "\n".join(data.decode("utf-8", "replace") for data in self.raw)
