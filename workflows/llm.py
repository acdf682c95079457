"""The LLM as the workflows use it: the client the settings describe, the per-vendor token budget, the audit of
every call and drop, and tokens and estimated cost per vendor. The core (extraction.assist) decides what of an
answer stands; this module only connects it to the settings, the cache and the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import openai
import yaml

from aivet.access import Actor
from aivet.settings import LLMSettings
from documents import Document
from extraction import Assisted, DocumentExtraction, FileCache, OpenAIChat, RecordingChat, ReplayChat, assist
from store.audit import logged_events, record_event
from store.workspace import Workspace

CALL_ACTION = "llm.call"
DROP_ACTION = "llm.drop"


def chat_client(settings: LLMSettings):
    """The ChatClient the settings describe, or None when the LLM is off."""
    if not settings.enabled:
        return None
    if settings.replay_path:
        return ReplayChat(Path(settings.replay_path), settings.model or None)
    common = {"timeout": settings.timeout_seconds, "max_retries": settings.max_retries}
    if settings.azure_endpoint:
        client: openai.OpenAI = openai.AzureOpenAI(
            azure_endpoint=settings.azure_endpoint,
            api_key=settings.api_key or None,
            api_version=settings.api_version or None,
            **common,
        )
    else:
        client = openai.OpenAI(api_key=settings.api_key or "not-needed", base_url=settings.base_url or None, **common)
    chat = OpenAIChat(client, settings.model)
    return RecordingChat(chat, Path(settings.record_path)) if settings.record_path else chat


def answer_cache(data_dir: Path | None) -> FileCache | None:
    return FileCache(data_dir / "llm-cache") if data_dir is not None else None


def assist_with(
    settings: LLMSettings, document: Document, extraction: DocumentExtraction, data_dir: Path | None, spent: int = 0
) -> Assisted | None:
    """The extraction with the LLM's grounded answers, or None when the LLM is off."""
    client = chat_client(settings)
    if client is None:
        return None
    budget = max(0, settings.vendor_token_budget - spent)
    return assist(document, extraction, client, answer_cache(data_dir), budget)


def vendor_tokens(workspace: Workspace, vendor_id: int) -> int:
    """Tokens the vendor's documents have spent so far (prompts and replies), from the audit log."""
    events = logged_events(workspace, vendor_id=vendor_id, action=CALL_ACTION)
    return sum(_tokens(item.event.after) for item in events)


def _tokens(after: dict[str, Any] | None) -> int:
    after = after or {}
    return int(after.get("prompt_tokens", 0)) + int(after.get("completion_tokens", 0))


def assist_document(
    workspace: Workspace,
    vendor_id: int,
    document_id: int,
    document: Document,
    extraction: DocumentExtraction,
    actor: str,
) -> tuple[DocumentExtraction, str | None]:
    """For the workflows that extract a stored document: the LLM's help within the vendor's budget, each call and
    drop in the audit log. Returns the extraction to store and a sentence when the LLM could not help."""
    if not workspace.llm.enabled:
        return extraction, None
    assisted = assist_with(workspace.llm, document, extraction, workspace.data_dir, vendor_tokens(workspace, vendor_id))
    if assisted is None:
        return extraction, None
    with workspace.transaction() as session:
        for call in assisted.calls:
            record_event(session, actor, CALL_ACTION, "document", document_id, after=call.to_json())
        for drop in assisted.drops:
            record_event(session, actor, DROP_ACTION, "document", document_id, after=drop.to_json())
    return assisted.extraction, assisted.message


def append_audit(path: Path, assisted: Assisted, file: str) -> None:
    """The command line has no database: its LLM calls and drops go to a JSON-lines audit file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        for call in assisted.calls:
            out.write(json.dumps({"action": CALL_ACTION, "file": file, **call.to_json()}) + "\n")
        for drop in assisted.drops:
            out.write(json.dumps({"action": DROP_ACTION, "file": file, **drop.to_json()}) + "\n")


# --- settings and cost, for the app ---------------------------------------------------------------------------


@cache
def _prices() -> dict[str, Any]:
    return yaml.safe_load((files("aivet") / "llm_prices.yaml").read_text("utf-8"))


def estimated_cost(model: str, prompt_tokens: int, completion_tokens: int) -> float:
    table = _prices()
    matches = [name for name in table["models"] if model.startswith(name)]
    price = table["models"][max(matches, key=len)] if matches else table["default"]
    return (prompt_tokens * price["input"] + completion_tokens * price["output"]) / 1_000_000


def llm_settings(workspace: Workspace, actor: Actor) -> dict[str, object]:
    """The LLM settings an administrator may see: never the key, only whether one is set."""
    actor.require("llm.settings")
    return workspace.llm.public()


@dataclass(frozen=True)
class VendorUsage:
    vendor: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    dropped: int
    cost: float
    currency: str
    budget_left: int
    last_outcome: str  # of the newest call: answered · malformed · unavailable:<reason> · budget_exhausted


def llm_usage(workspace: Workspace, actor: Actor) -> list[VendorUsage]:
    """Per vendor: LLM calls, tokens, answers dropped and the estimated cost, from the audit log."""
    actor.require("llm.usage")
    totals: dict[str, dict[str, Any]] = {}
    for item in logged_events(workspace, action=CALL_ACTION) + logged_events(workspace, action=DROP_ACTION):
        row = totals.setdefault(
            item.vendor, {"calls": 0, "in": 0, "out": 0, "dropped": 0, "cost": 0.0, "last": "", "at": None}
        )
        after = item.event.after or {}
        if item.event.action == DROP_ACTION:
            row["dropped"] += 1
            continue
        row["calls"] += 1
        if row["at"] is None or item.event.at > row["at"]:
            row["at"], row["last"] = item.event.at, str(after.get("outcome", ""))
        row["in"] += int(after.get("prompt_tokens", 0))
        row["out"] += int(after.get("completion_tokens", 0))
        row["cost"] += estimated_cost(
            str(after.get("model", "")), int(after.get("prompt_tokens", 0)), int(after.get("completion_tokens", 0))
        )
    budget = workspace.llm.vendor_token_budget
    return [
        VendorUsage(
            vendor,
            row["calls"],
            row["in"],
            row["out"],
            row["dropped"],
            round(row["cost"], 4),
            _prices()["currency"],
            max(0, budget - row["in"] - row["out"]),
            row["last"],
        )
        for vendor, row in sorted(totals.items())
    ]


@dataclass(frozen=True)
class LLMOverview:
    enabled: bool
    settings: dict[str, object] | None  # for administrators only; never the key
    usage: list[VendorUsage]


def llm_overview(workspace: Workspace, actor: Actor) -> LLMOverview:
    """The LLM page: whether it is on, its settings for an administrator, tokens and cost per vendor."""
    usage = llm_usage(workspace, actor)
    shown = llm_settings(workspace, actor) if actor.can("llm.settings") else None
    return LLMOverview(workspace.llm.enabled, shown, usage)
