"""The chat endpoints `extraction.llm.assist` talks to: any OpenAI-compatible server through the openai client,
a recorder that keeps every reply in a file, a replayer that answers from that file offline, and the file cache
of answers by (document sha256, key, model, prompt version)."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path
from typing import Any

import openai

from .llm import ChatClient, ChatReply, LLMUnavailable


def _schema_unsupported(error: openai.APIStatusError) -> bool:
    """A 400/422 about response_format / json_schema: the endpoint lacks structured outputs."""
    text = str(getattr(error, "message", "") or error).lower()
    return error.status_code in (400, 404, 422, 500, 501) and any(
        word in text for word in ("response_format", "json_schema", "schema", "structured")
    )


class OpenAIChat:
    """Chat completions through the real openai client (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp …).

    Structured outputs first (`json_schema`, strict); when the endpoint refuses them, JSON mode
    (`{"type": "json_object"}`) from then on: the reply is validated against the schema either way.
    Timeouts and retries with back-off on 429/5xx are the client's (`timeout`, `max_retries`); what still fails
    becomes `LLMUnavailable` with a reason code and a sentence, never the key or the endpoint's body."""

    def __init__(self, client: openai.OpenAI, model: str, temperature: float = 0.0):
        self.client = client
        self.model = model
        self.temperature = temperature
        self.json_mode_only = False

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> ChatReply:
        if not self.json_mode_only:
            try:
                return self._create(messages, max_tokens, _json_schema(schema), "json_schema")
            except openai.APIStatusError as error:
                if not _schema_unsupported(error):
                    raise _unavailable(error) from None
                self.json_mode_only = True
            except openai.OpenAIError as error:
                raise _unavailable(error) from None
        try:
            return self._create(messages, max_tokens, {"type": "json_object"}, "json_object")
        except openai.OpenAIError as error:
            raise _unavailable(error) from None

    def ping(self) -> None:
        """One tiny request (a word in, at most one token out) to see that the endpoint, model and key work;
        raises `LLMUnavailable` with a sentence when they do not. No document text is sent."""
        try:
            self.client.chat.completions.create(
                model=self.model, messages=[{"role": "user", "content": "ping"}], max_tokens=1, temperature=0
            )
        except openai.NotFoundError:
            raise LLMUnavailable(
                "not_found", f"The LLM endpoint does not know the model or deployment {self.model!r}."
            ) from None
        except openai.OpenAIError as error:
            raise _unavailable(error) from None

    def _create(self, messages, max_tokens: int, response_format: dict[str, Any], mode: str) -> ChatReply:
        response = self.client.chat.completions.create(
            model=self.model,
            messages=messages,
            temperature=self.temperature,
            max_tokens=max_tokens,
            response_format=response_format,
        )
        if not response.choices:
            raise LLMUnavailable("empty_reply", "The LLM endpoint sent an empty reply.")
        usage = response.usage
        return ChatReply(
            response.choices[0].message.content or "",
            getattr(usage, "prompt_tokens", 0) or 0,
            getattr(usage, "completion_tokens", 0) or 0,
            mode,
        )


def _json_schema(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": "aivet_answers", "strict": True, "schema": schema}}


def _unavailable(error: Exception) -> LLMUnavailable:
    if isinstance(error, openai.APITimeoutError):
        return LLMUnavailable("timeout", "The LLM endpoint did not answer in time.")
    if isinstance(error, openai.APIConnectionError):
        return LLMUnavailable("unreachable", "The LLM endpoint cannot be reached.")
    if isinstance(error, openai.RateLimitError):
        return LLMUnavailable("rate_limited", "The LLM endpoint refused the request for now (HTTP 429).")
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMUnavailable("unauthorised", "The LLM endpoint refused the API key; an administrator should check it.")
    if isinstance(error, openai.APIStatusError):
        return LLMUnavailable(f"http_{error.status_code}", f"The LLM endpoint failed (HTTP {error.status_code}).")
    return LLMUnavailable("error", "The LLM endpoint could not be used.")


def request_hash(model: str, messages: list[dict[str, str]], schema: dict[str, Any]) -> str:
    """What identifies a request in a recording: model, messages and schema (redacted text; only the hash is kept)."""
    canonical = json.dumps({"model": model, "messages": messages, "schema": schema}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class RecordingChat:
    """Passes requests to a real endpoint and appends each reply to a JSON-lines file, keyed by the request's
    hash. The file holds replies (quotes with placeholders), never the text sent."""

    def __init__(self, inner: ChatClient, path: Path):
        self.inner = inner
        self.model = inner.model
        self.path = Path(path)
        self._lock = threading.Lock()

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> ChatReply:
        reply = self.inner.complete(messages, schema, max_tokens)
        line = {
            "request": request_hash(self.model, messages, schema),
            "model": self.model,
            "text": reply.text,
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "mode": reply.mode,
        }
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        return reply


class ReplayChat:
    """Answers from a recording, offline: the same request gets the recorded reply; another is `not_recorded`."""

    def __init__(self, path: Path, model: str | None = None):
        self.replies: dict[str, dict[str, Any]] = {}
        models = set()
        for line in Path(path).read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                self.replies[item["request"]] = item
                models.add(item["model"])
        self.model = model or (sorted(models)[0] if models else "replay")

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> ChatReply:
        item = self.replies.get(request_hash(self.model, messages, schema))
        if item is None:
            raise LLMUnavailable("not_recorded", "This request is not in the recording being replayed.")
        return ChatReply(item["text"], item["prompt_tokens"], item["completion_tokens"], "replay")


class FileCache:
    """LLM answers by (document sha256, key, model, prompt version), one JSON file per document.

    A file cache rather than a table: the `aivet extract` command has no database, the cache is keyed by
    content so it is the same for every vendor and workspace on the machine, and it can be deleted at any time
    without losing anything (a miss asks again). It holds the model's proposals with quotes mapped back to the
    document's text, which the database holds anyway; no key, no prompt."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._lock = threading.Lock()

    def _file(self, sha256: str) -> Path:
        if not sha256.isalnum():
            raise ValueError("a document sha256 is hexadecimal")
        return self.directory / f"{sha256}.json"

    def _entries(self, sha256: str) -> dict[str, Any]:
        try:
            return json.loads(self._file(sha256).read_text("utf-8"))
        except (OSError, ValueError):
            return {}

    def get(self, sha256: str, key: str, model: str, version: str) -> dict[str, Any] | None:
        return self._entries(sha256).get(f"{key}|{model}|{version}")

    def put(self, sha256: str, key: str, model: str, version: str, proposal: dict[str, Any]) -> None:
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            entries = self._entries(sha256)
            entries[f"{key}|{model}|{version}"] = proposal
            temporary = self._file(sha256).with_suffix(f".{os.getpid()}.tmp")
            temporary.write_text(json.dumps(entries, ensure_ascii=False, sort_keys=True), "utf-8")
            temporary.replace(self._file(sha256))
