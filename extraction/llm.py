"""An LLM reads what the local engine finds hard, and the code decides what of it stands (DESIGN.md, principle 2).

Per answer key, the local ranking picks the best few passages (never hidden or instruction-like ones); passages
shared by keys are sent once, redacted (personal data and secrets become placeholders) and datamarked. The
model answers in a JSON schema with value, quote and passage id per key. Each quote is aligned with rapidfuzz to
the passage it names and becomes an `Evidence` of the document's own text; a quote that does not align, a value
outside the key's schema or a reply that is not the schema drops that answer, and the drop is reported. Then
the local and the LLM answers are combined: agreement raises confidence, disagreement is `needs_review` with
both quotes. Nothing here knows of scores.

The chat endpoint is injected (`ChatClient`), so the core runs offline in tests; extraction/llm_client.py holds
the OpenAI-compatible client, the recorder and the replayer."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from typing import Any, Protocol

from jsonschema import Draft202012Validator
from rapidfuzz import fuzz

from documents import Document

from .answers import unique
from .durations import find_durations
from .keys import answer_key
from .lexicon import any_of, knowledge, lexicon
from .matching import candidates
from .model import Answer, DocumentExtraction, Evidence, Method, Status, squash
from .passages import Passage, Passages
from .redaction import Redaction
from .safety import unsafe_passages


@cache
def prompt() -> dict[str, Any]:
    return knowledge("llm_prompt")


def prompt_version() -> str:
    """The prompt's version and a fingerprint of its file and the PII rules: cached answers are keyed by it."""
    digest = hashlib.sha256(json.dumps([prompt(), knowledge("pii")], sort_keys=True, default=str).encode())
    return f"{prompt()['version']}-{digest.hexdigest()[:8]}"


def estimate_tokens(text: str) -> int:
    """About 4 characters a token for English prose: for budgets before the call (the reply gives real counts)."""
    return -(-len(text) // 4)


# --- the endpoint, injected -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChatReply:
    text: str
    prompt_tokens: int
    completion_tokens: int
    mode: str = "json_schema"  # json_schema · json_object (the endpoint lacks structured outputs) · replay


class LLMUnavailable(Exception):
    """The endpoint did not answer usefully: `reason` is a code for the audit log, str() a sentence."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


class ChatClient(Protocol):
    model: str

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], max_tokens: int) -> ChatReply: ...


class AnswerCache(Protocol):
    def get(self, sha256: str, key: str, model: str, version: str) -> dict[str, Any] | None: ...

    def put(self, sha256: str, key: str, model: str, version: str, proposal: dict[str, Any]) -> None: ...


class MemoryCache:
    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str, str], dict[str, Any]] = {}

    def get(self, sha256: str, key: str, model: str, version: str) -> dict[str, Any] | None:
        return self.entries.get((sha256, key, model, version))

    def put(self, sha256: str, key: str, model: str, version: str, proposal: dict[str, Any]) -> None:
        self.entries[(sha256, key, model, version)] = proposal


# --- what a run reports -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LLMCall:
    """One request, as the audit log keeps it: never the text sent or received."""

    at: str  # UTC, ISO 8601
    model: str
    document_sha256: str
    keys: tuple[str, ...]
    passages: int
    prompt_tokens: int
    completion_tokens: int
    outcome: str  # answered · malformed · unavailable:<reason> · budget_exhausted
    mode: str = ""
    prompt_sha256: str = ""
    redacted: dict[str, int] = field(default_factory=dict)  # placeholders per kind

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "model": self.model,
            "document_sha256": self.document_sha256,
            "keys": list(self.keys),
            "passages": self.passages,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "outcome": self.outcome,
            "mode": self.mode,
            "prompt_sha256": self.prompt_sha256,
            "redacted": self.redacted,
        }


@dataclass(frozen=True)
class Drop:
    """An LLM answer that did not stand, and why (a code; the quote's hash, never its text)."""

    key: str
    # ungrounded_quote · unknown_passage · invalid_value · markup_in_value · value_not_in_quote · malformed_reply ·
    # canary · (none kept text)
    reason: str
    passage: str = ""
    quote_sha256: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "reason": self.reason, "passage": self.passage, "quote_sha256": self.quote_sha256}


@dataclass(frozen=True)
class Assisted:
    extraction: DocumentExtraction
    calls: tuple[LLMCall, ...] = ()
    drops: tuple[Drop, ...] = ()
    kept: tuple[str, ...] = ()  # keys whose LLM answer was grounded and used
    message: str | None = None  # for people: why the LLM did not help (the local answers stand)
    sent_tokens: int = 0  # estimated tokens of what was sent
    whole_tokens: int = 0  # estimated tokens of sending the whole document with the same prompt
    cached: tuple[str, ...] = ()


@dataclass(frozen=True)
class Request:
    """What goes out for one document: the messages, the schema, and what is needed to read the reply."""

    messages: list[dict[str, str]]
    schema: dict[str, Any]
    keys: tuple[str, ...]
    sent: dict[str, Passage]  # passage id → the window of the passage that was sent
    allowed: dict[str, frozenset[str]]  # key → the passage ids chosen for it
    redaction: Redaction
    tokens: int


# --- choosing and preparing passages ----------------------------------------------------------------------------


def passage_id(passage: Passage) -> str:
    return f"P{passage.index}"


def choose_passages(passages: Passages, keys: list[str], excluded: frozenset[int]) -> dict[str, list[Passage]]:
    """Per key, the best passages by the local ranking; never an excluded (hidden, instruction-like) one."""
    rules = prompt()
    chosen = {}
    for key in keys:
        ranked = [
            item for item in candidates(passages, _ranking(key), excluded) if item.relevance >= rules["min_relevance"]
        ]
        ranked = [item for item in ranked if item.passage.kind != "heading"]  # a heading proves nothing
        picked = [item.passage for item in ranked[: rules["passages_per_key"]]]
        if picked:
            chosen[key] = picked
    return chosen


_DELIMITERS = re.compile(r"<{2,}|>{2,}")


def datamark(text: str) -> str:
    """Document text as marked data: no delimiter it could forge, no mark of its own, whitespace as the mark."""
    mark = prompt()["datamark"]
    text = _DELIMITERS.sub(" ", text.replace(mark, " "))
    return mark.join(text.split())


def _ranking(key: str) -> str:
    return prompt().get("ranked_by", {}).get(key, key)


def window(passages: Passages, passage: Passage, keys: list[str]) -> Passage:
    """The part of a passage that is sent: all of a short one; of a long one, `window_chars` around the cues of
    the keys that chose it (whole words, at most `max_passage_chars`). Quotes are grounded in this window only."""
    rules = prompt()
    size, text = rules["window_chars"], passages.document.text
    if passage.end - passage.start <= size:
        return passage
    spans = [
        match.span()
        for key in keys
        for match in any_of(lexicon()["keys"][_ranking(key)]["cues"]).finditer(text, passage.start, passage.end)
    ]
    first = min((a for a, _ in spans), default=passage.start)
    last = max((b for _, b in spans), default=passage.start + size)
    spare = max(0, size - (last - first)) // 2
    start = max(passage.start, first - spare)
    end = min(passage.end, max(last + spare, start + size), start + rules["max_passage_chars"])
    while start > passage.start and not text[start - 1].isspace():  # whole words only
        start -= 1
    while end < passage.end and not text[end].isspace():
        end += 1
    return replace(passage, start=start, end=end)


def _strict(schema: dict[str, Any]) -> dict[str, Any]:
    """A registry value schema as structured outputs want it: every object closed, every property required."""
    schema = dict(schema)
    if schema.get("type") == "object" or "properties" in schema:
        properties = {name: _strict(part) for name, part in schema.get("properties", {}).items()}
        schema.update(properties=properties, required=list(properties), additionalProperties=False)
    if "items" in schema:
        schema["items"] = _strict(schema["items"])
    return schema


def response_schema(keys: tuple[str, ...]) -> dict[str, Any]:
    def one(key: str) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["found", "value", "quote", "passage"],
            "properties": {
                "found": {"type": "boolean"},
                "value": {"anyOf": [_strict(answer_key(key).value), {"type": "null"}]},
                "quote": {"type": "string", "maxLength": 600},
                "passage": {"type": "string", "maxLength": 12},
            },
        }

    return {
        "type": "object",
        "additionalProperties": False,
        "required": list(keys),
        "properties": {k: one(k) for k in keys},
    }


def build_request(passages: Passages, chosen: dict[str, list[Passage]]) -> Request:
    """One request for all keys: each passage once, in document order, within the token budget."""
    rules = prompt()
    redaction = Redaction()
    budget = rules["max_prompt_tokens"] - estimate_tokens(rules["system"]) - estimate_tokens(rules["user"])
    sent: dict[str, Passage] = {}
    lines: dict[str, str] = {}
    allowed: dict[str, set[str]] = {key: set() for key in chosen}
    used = 0
    asking: dict[str, list[str]] = {}
    for key, picked in chosen.items():
        for passage in picked:
            asking.setdefault(passage_id(passage), []).append(key)
    for rank in range(rules["passages_per_key"]):  # the best passage of every key first, then the second …
        for key, picked in chosen.items():
            if rank >= len(picked):
                continue
            passage = picked[rank]
            name = passage_id(passage)
            if name not in sent:
                passage = window(passages, passage, asking[name])
                text = passages.text(passage)
                line = f"[{name}] {datamark(redaction.redact(text))}"
                if used + estimate_tokens(line) > budget:
                    continue
                used += estimate_tokens(line)
                sent[name], lines[name] = passage, line
            allowed[key].add(name)
    keys = tuple(key for key in chosen if allowed[key])
    fill = {name: rules[name] for name in ("canary", "open_data", "close_data", "datamark")}
    key_lines = "\n".join(
        f"- {key}: {rules['keys'][key]} Excerpts: {', '.join(sorted(allowed[key], key=lambda n: int(n[1:])))}"
        for key in keys
    )
    body = "\n".join(lines[name] for name in sorted(lines, key=lambda n: sent[n].index))
    messages = [
        {"role": "system", "content": rules["system"].format(**fill)},
        {
            "role": "user",
            "content": rules["user"].format(**fill, keys=key_lines, passages=body),
        },
    ]
    tokens = sum(estimate_tokens(message["content"]) for message in messages)
    return Request(
        messages,
        response_schema(keys),
        keys,
        sent,
        {key: frozenset(allowed[key]) for key in keys},
        redaction,
        tokens,
    )


def whole_document_tokens(document: Document) -> int:
    """What sending the whole document with the same instructions would cost: the yardstick for `sent_tokens`."""
    rules = prompt()
    return estimate_tokens(rules["system"]) + estimate_tokens(rules["user"]) + estimate_tokens(document.text)


# --- grounding --------------------------------------------------------------------------------------------------


def _squashed_with_offsets(text: str) -> tuple[str, list[int]]:
    """squash(text), and for each of its characters the offset in `text` it came from."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for offset, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(offset - 1)
            pending_space = False
        chars.append(char)
        offsets.append(offset)
    return "".join(chars), offsets


_NOT_WORD = re.compile(r"[\W_]+")


def _words(text: str) -> str:
    """Text reduced to its words, lower case: how a quote must occur in its passage, word for word."""
    return " ".join(_NOT_WORD.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def align_quote(quote: str, passages: Passages, passage: Passage) -> Evidence | None:
    """The document span a quote stands for, inside its passage, or None when it does not align strictly.

    Two checks: the quote's words occur in the passage word for word (a changed, added or dropped word, a "not"
    say, fails it, however small its edit distance), and rapidfuzz's alignment at the threshold gives the span."""
    rules = prompt()
    wanted = squash(quote.replace(rules["datamark"], " ")).strip(" \"'“”‘’")
    if len(wanted) < rules["min_quote_chars"]:
        return None
    words = _words(wanted)
    if not words or f" {words} " not in f" {_words(passages.text(passage))} ":
        return None
    squashed, offsets = _squashed_with_offsets(passages.text(passage))
    if not squashed:
        return None
    found = fuzz.partial_ratio_alignment(wanted, squashed, score_cutoff=rules["alignment_threshold"])
    if found is None or found.score < rules["alignment_threshold"]:
        return None
    if len(wanted) > len(squashed):  # the quote is longer than its passage: it says more than the passage does
        return None
    if (found.dest_end - found.dest_start) < rules["min_alignment_coverage"] * len(wanted):
        return None
    start = passage.start + offsets[found.dest_start]
    end = passage.start + offsets[found.dest_end - 1] + 1
    evidence = passages.evidence(start, end)
    return evidence if evidence.quote else None


_DURATION_KEYS = {
    "retention_days": ("days", None),
    "breach_notification_hours": ("hours", None),
    "subprocessor_change_notice_days": ("days", "value"),
    "deletion_on_termination_days": ("days", "value"),
}


def value_in_quote(key: str, value: Any, quote: str) -> bool:
    """For a period, the number must be one the quote states (the local duration reader decides)."""
    if key not in _DURATION_KEYS:
        return True
    unit, part = _DURATION_KEYS[key]
    number = value.get(part) if part and isinstance(value, dict) else value
    if number is None or number == 0:
        return True
    durations = find_durations(quote)
    stated = {item.hours for item in durations} if unit == "hours" else {item.calendar_days for item in durations}
    stated |= {item.amount for item in durations}
    return number in stated


_MARKUP = re.compile(r"<[A-Za-z/!?]|\]\(|!\[|https?://|javascript:|data:", re.IGNORECASE)


def _strings(value: Any):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for part in value.values():
            yield from _strings(part)
    elif isinstance(value, list):
        for part in value:
            yield from _strings(part)


def has_markup(value: Any) -> bool:
    """A model-written string with HTML, a Markdown link or image, or a URL: never rendered, never kept."""
    return any(_MARKUP.search(text) for text in _strings(value))


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def ground(
    key: str,
    proposal: dict[str, Any],
    passages: Passages,
    allowed: frozenset[str],
    windows: dict[str, tuple[int, int]] | None = None,
) -> tuple[Any, Evidence | None, Drop | None]:
    """(value, evidence, None) for an answer that stands; (None, None, drop) for one that does not;
    (None, None, None) when the model found nothing. `windows` (passage id → span) is what of each passage was
    sent: a quote must lie in it."""
    if not proposal.get("found") or proposal.get("value") is None:
        return None, None, None
    value, quote, name = proposal["value"], str(proposal.get("quote", "")), str(proposal.get("passage", ""))
    if answer_key(key).problem(value) is not None:
        return None, None, Drop(key, "invalid_value", name, _hash(quote))
    if has_markup(value):
        return None, None, Drop(key, "markup_in_value", name, _hash(quote))
    if name not in allowed:
        return None, None, Drop(key, "unknown_passage", name, _hash(quote))
    passage = passages.items[int(name[1:])]
    if windows and name in windows:
        passage = replace(passage, start=windows[name][0], end=windows[name][1])
    evidence = align_quote(quote, passages, passage)
    if evidence is None:
        return None, None, Drop(key, "ungrounded_quote", name, _hash(quote))
    if not value_in_quote(key, value, evidence.quote):
        return None, None, Drop(key, "value_not_in_quote", name, _hash(quote))
    return value, evidence, None


# --- combining --------------------------------------------------------------------------------------------------


def _comparable(key: str, value: Any) -> Any:
    part = answer_key(key).comparable(value)
    if isinstance(part, list):
        return sorted(json.dumps(item, sort_keys=True) for item in part)
    return part


def combine(local: Answer, value: Any, evidence: Evidence) -> Answer:
    """The local answer and a grounded LLM answer for the same key."""
    rules = prompt()
    if local.method in (Method.FORM, Method.REVIEWER):
        return local
    if local.status == Status.NOT_FOUND or local.value is None:
        return Answer(
            local.key,
            value,
            Status.ANSWERED,
            rules["llm_only_confidence"],
            Method.LLM,
            (evidence,),
            "Read by the LLM; its quote was aligned to the document.",
            "llm.grounded",
        )
    both = unique([*local.evidence, evidence])
    if _comparable(local.key, local.value) == _comparable(local.key, value):
        confidence = min(1.0, local.confidence + rules["agreement_boost"])
        if local.status == Status.CONFLICT:
            return replace(local, evidence=both)
        return replace(local, confidence=confidence, evidence=both, note=_joined(local.note, "The LLM agrees."))
    note = _joined(
        local.note,
        f"The LLM read {json.dumps(value, ensure_ascii=False)} instead (its quote is with the evidence): review.",
    )
    return replace(local, status=Status.NEEDS_REVIEW, confidence=min(local.confidence, 0.5), evidence=both, note=note)


def _joined(*notes: str) -> str:
    return " ".join(note for note in notes if note)


# --- one document -----------------------------------------------------------------------------------------------


def _hard(extraction: DocumentExtraction, key: str) -> bool:
    """Whether the local answer leaves something to read: not found, a conflict, or not confident enough."""
    answer = extraction.answers.get(key)
    if answer is None or answer.method in (Method.FORM, Method.REVIEWER):
        return answer is None
    return answer.status != Status.ANSWERED or answer.confidence < prompt()["ask_below_confidence"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _parse(text: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    try:
        data = json.loads(text)
    except (ValueError, TypeError):
        return None
    if not isinstance(data, dict) or next(iter(Draft202012Validator(schema).iter_errors(data)), None) is not None:
        return None
    return data


def assist(
    document: Document,
    extraction: DocumentExtraction,
    client: ChatClient,
    cache: AnswerCache | None = None,
    budget_tokens: int | None = None,
    keys: list[str] | None = None,
) -> Assisted:
    """The extraction with the LLM's grounded answers combined in; on any failure, the local answers as they were.

    `budget_tokens` is what the vendor may still spend (None: no limit)."""
    if extraction.form is not None:  # a returned questionnaire's answers are exact
        return Assisted(extraction)
    rules = prompt()
    version = prompt_version()
    passages = Passages(document)
    excluded, _ = unsafe_passages(passages)
    wanted = [key for key in (keys or list(rules["keys"])) if key in rules["keys"] and _hard(extraction, key)]
    whole = whole_document_tokens(document)
    proposals: dict[str, dict[str, Any]] = {}
    cached = []
    if cache is not None:
        for key in wanted:
            hit = cache.get(document.sha256, key, client.model, version)
            if hit is not None:
                proposals[key] = hit
                cached.append(key)
    chosen = choose_passages(passages, [key for key in wanted if key not in proposals], excluded)
    calls: list[LLMCall] = []
    drops: list[Drop] = []
    message = None
    allowed: dict[str, frozenset[str]] = {}
    windows: dict[str, tuple[int, int]] = {}
    sent_tokens = 0
    if chosen:
        request = build_request(passages, chosen)
        sent_tokens = request.tokens
        prompt_hash = hashlib.sha256(json.dumps(request.messages).encode()).hexdigest()
        call = {
            "model": client.model,
            "document_sha256": document.sha256,
            "keys": request.keys,
            "passages": len(request.sent),
            "prompt_sha256": prompt_hash,
            "redacted": request.redaction.counts,
        }
        if budget_tokens is not None and request.tokens + rules["max_output_tokens"] > budget_tokens:
            calls.append(LLMCall(_now(), prompt_tokens=0, completion_tokens=0, outcome="budget_exhausted", **call))
            message = "The vendor's LLM token budget is spent; the local answers stand."
        else:
            try:
                reply = client.complete(request.messages, request.schema, rules["max_output_tokens"])
            except LLMUnavailable as failure:
                calls.append(
                    LLMCall(
                        _now(), prompt_tokens=0, completion_tokens=0, outcome=f"unavailable:{failure.reason}", **call
                    )
                )
                message = f"{failure} The local answers stand."
            else:
                data = _parse(reply.text, request.schema)
                outcome = "answered"
                if data is None:
                    outcome = "malformed"
                    drops.extend(Drop(key, "malformed_reply") for key in request.keys)
                    message = "The LLM's reply was not the JSON asked for; the local answers stand."
                elif rules["canary"] in reply.text:
                    outcome = "canary"
                    drops.extend(Drop(key, "canary") for key in request.keys)
                    message = "The LLM's reply repeated its instructions; it was discarded and the local answers stand."
                else:
                    for key in request.keys:
                        proposal = dict(data[key])
                        proposal["quote"] = request.redaction.restore(str(proposal.get("quote", "")))
                        proposals[key] = proposal
                        allowed[key] = request.allowed[key]
                        sent = {name: (request.sent[name].start, request.sent[name].end) for name in allowed[key]}
                        windows.update(sent)
                        if cache is not None:
                            cache.put(
                                document.sha256,
                                key,
                                client.model,
                                version,
                                {**proposal, "allowed": sorted(allowed[key]), "windows": sent},
                            )
                calls.append(
                    LLMCall(
                        _now(),
                        prompt_tokens=reply.prompt_tokens,
                        completion_tokens=reply.completion_tokens,
                        outcome=outcome,
                        mode=reply.mode,
                        **call,
                    )
                )
    answers = dict(extraction.answers)
    kept = []
    for key, proposal in proposals.items():
        permitted = allowed.get(key) or frozenset(proposal.get("allowed", ()))
        spans = windows if key in allowed else {name: tuple(span) for name, span in proposal.get("windows", {}).items()}
        value, evidence, drop = ground(key, proposal, passages, permitted, spans)
        if drop is not None:
            drops.append(drop)
        elif evidence is not None and key in answers:
            answers[key] = combine(answers[key], value, evidence)
            kept.append(key)
    return Assisted(
        replace(extraction, answers=answers),
        tuple(calls),
        tuple(drops),
        tuple(kept),
        message,
        sent_tokens,
        whole,
        tuple(cached),
    )
