"""The LLM as the workflows use it: the client the settings describe, the per-vendor token budget, the audit of
every call and drop, and tokens and estimated cost per vendor. The core (extraction.assist) decides what of an
answer stands; this module only connects it to the settings, the cache and the audit log."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import openai
import yaml

from aivet.access import Actor
from aivet.settings import ADMIN_LLM, LLMSettings
from documents import Document
from extraction import (
    Assisted,
    DocumentExtraction,
    FileCache,
    LLMUnavailable,
    OpenAIChat,
    RecordingChat,
    ReplayChat,
    assist,
)
from store.audit import logged_events, record_event
from store.vendors import InvalidInput
from store.workspace import Workspace

CALL_ACTION = "llm.call"
DROP_ACTION = "llm.drop"
SETTINGS_ACTION = "llm.settings"


def _openai_chat(settings: LLMSettings) -> OpenAIChat:
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
    return OpenAIChat(client, settings.model)


def chat_client(settings: LLMSettings):
    """The ChatClient the settings describe, or None when the LLM is off."""
    if not settings.enabled:
        return None
    if settings.replay_path:
        return ReplayChat(Path(settings.replay_path), settings.model or None)
    chat = _openai_chat(settings)
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


# --- settings an administrator sets in the app ------------------------------------------------------------------


@dataclass(frozen=True)
class LLMChange:
    """What an administrator asks for on the LLM page.

    `action`: save (these settings, in this server's memory) · test (one tiny request with these settings, or
    the current ones when nothing is filled in) · off (no LLM until changed or restarted) · environment (back to
    the environment's settings). An empty `api_key` keeps the key in use."""

    action: str
    provider: str = "openai-compatible"  # or azure
    base_url: str = ""
    model: str = ""  # for Azure: the deployment's name
    api_key: str = field(default="", repr=False)
    azure_endpoint: str = ""
    api_version: str = ""


@dataclass(frozen=True)
class LLMChanged:
    message: str  # one sentence for the page
    ok: bool
    settings: dict[str, object]  # what is now in effect, never the key


def _url(value: str, what: str) -> str:
    value = value.strip()
    if value and not (value.startswith(("http://", "https://")) and " " not in value and len(value) <= 500):
        raise InvalidInput(f"The {what} must be an http:// or https:// address, such as http://127.0.0.1:8000/v1.")
    return value


def _candidate(current: LLMSettings, change: LLMChange) -> LLMSettings:
    """The settings `change` describes, on top of the current timeouts, retries and budget."""
    model = change.model.strip()
    if not model or len(model) > 200 or any(char.isspace() for char in model):
        raise InvalidInput("Name the model (for Azure OpenAI: the deployment), without spaces.")
    key = change.api_key.strip() or current.api_key
    if any(char.isspace() for char in key) or len(key) > 500:
        raise InvalidInput("The API key cannot contain spaces.")
    if change.provider == "azure":
        endpoint = _url(change.azure_endpoint, "Azure OpenAI endpoint")
        if not endpoint or not change.api_version.strip():
            raise InvalidInput("Azure OpenAI needs its endpoint and an API version, such as 2024-10-21.")
        return replace(
            current,
            model=model,
            api_key=key,
            base_url="",
            azure_endpoint=endpoint,
            api_version=change.api_version.strip(),
            replay_path="",
        )
    base_url = _url(change.base_url, "base URL")
    if not base_url and not key:
        raise InvalidInput("Give the endpoint's base URL, or an API key for api.openai.com.")
    return replace(
        current, model=model, api_key=key, base_url=base_url, azure_endpoint="", api_version="", replay_path=""
    )


def _test(settings: LLMSettings) -> LLMChanged:
    if settings.replay_path:
        return LLMChanged("The LLM answers from a recording; there is no endpoint to test.", True, settings.public())
    if not settings.enabled:
        return LLMChanged("No LLM is configured, so there is nothing to test.", False, settings.public())
    try:
        _openai_chat(replace(settings, max_retries=0, timeout_seconds=min(settings.timeout_seconds, 10))).ping()
    except LLMUnavailable as failure:
        return LLMChanged(f"The connection test failed: {failure}", False, settings.public())
    return LLMChanged(f"The endpoint answered with the model {settings.model}.", True, settings.public())


def change_llm_settings(workspace: Workspace, actor: Actor, change: LLMChange) -> LLMChanged:
    """Set, test or switch off the LLM from the app (administrators only). The settings are held in this
    server's memory (`ADMIN_LLM`) over the environment's until it restarts; every change is audited with what
    changed, the key only as set or not."""
    actor.require(SETTINGS_ACTION)
    current = workspace.llm
    if change.action == "test":
        filled = change.model.strip() or change.base_url.strip() or change.azure_endpoint.strip()
        result = _test(_candidate(current, change) if filled else current)
        with workspace.transaction() as session:
            record_event(
                session,
                actor.name,
                "llm.settings.test",
                "llm_settings",
                None,
                after={"ok": result.ok, "provider": result.settings["provider"], "model": result.settings["model"]},
            )
        return result
    if change.action == "save":
        new, message = _candidate(current, change), "Saved in this server's memory until it restarts."
    elif change.action == "off":
        new = replace(current, model="", api_key="", base_url="", azure_endpoint="", api_version="", replay_path="")
        message = "The LLM is off until an administrator switches it on or the server restarts."
    elif change.action == "environment":
        new, message = None, "The environment's LLM settings apply again."
    else:
        raise InvalidInput(f"'{change.action}' is not an LLM settings action.")
    before = current.public()
    ADMIN_LLM.set(new)
    workspace.llm = ADMIN_LLM.over(LLMSettings.from_env())
    after = workspace.llm.public()
    changed = {name: after[name] for name in after if after[name] != before.get(name)}
    if new is not None and change.api_key.strip() and change.api_key.strip() != current.api_key:
        changed["api_key"] = "replaced" if current.api_key else "set"
    with workspace.transaction() as session:
        record_event(
            session,
            actor.name,
            SETTINGS_ACTION,
            "llm_settings",
            None,
            before={name: before[name] for name in changed if name in before},
            after={"action": change.action, **changed},
        )
    return LLMChanged(message, True, after)
