"""The one place where aivet's settings live.

Every value has a default that works offline on a laptop and can be changed with
an environment variable, so the app, the CLI and CI read the same settings.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from aivet.access import Actor, Role

REPO_ROOT = Path(__file__).resolve().parent.parent

MIB = 1024 * 1024


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SystemExit(f"Setting {name}={raw!r} is not a number; set it to a number such as {default:g}.") from None
    if value <= 0:
        raise SystemExit(f"Setting {name}={raw!r} must be greater than zero.")
    return value


@dataclass(frozen=True)
class ReadLimits:
    """Limits on reading one vendor file; a file over any of them is rejected, never half-read."""

    max_file_bytes: int = 50 * MIB
    max_pages: int = 2000
    timeout_seconds: float = 60.0
    max_memory_bytes: int = 1024 * MIB
    # Zip containers (DOCX, XLSX) are checked before any library opens them.
    max_unzipped_bytes: int = 250 * MIB
    max_zip_members: int = 5000
    max_zip_ratio: int = 200
    # One answer typed through a questionnaire link; longer material belongs in an attached document.
    max_answer_chars: int = 20_000
    # Text read from one document (about 2,000 dense pages): beyond it, reading and extraction stop.
    max_text_chars: int = 5_000_000

    @classmethod
    def from_env(cls) -> ReadLimits:
        return cls(
            max_file_bytes=int(_env_number("AIVET_MAX_FILE_MB", 50) * MIB),
            max_pages=int(_env_number("AIVET_MAX_PAGES", 2000)),
            timeout_seconds=_env_number("AIVET_PARSE_TIMEOUT_S", 60),
            max_memory_bytes=int(_env_number("AIVET_MAX_MEMORY_MB", 1024) * MIB),
            max_answer_chars=int(_env_number("AIVET_MAX_ANSWER_CHARS", 20_000)),
            max_text_chars=int(_env_number("AIVET_MAX_TEXT_CHARS", 5_000_000)),
        )


@dataclass(frozen=True)
class LLMSettings:
    """An OpenAI-compatible endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp's server), off by default.

    AIVET_LLM_MODEL switches it on (a key alone never sends vendor documents anywhere): with OPENAI_API_KEY and
    optionally OPENAI_BASE_URL, or AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and OPENAI_API_VERSION (the model
    is then the deployment's name). The key is never shown back, logged or stored: `public()` says only whether
    one is set."""

    model: str = ""
    api_key: str = field(default="", repr=False)
    base_url: str = ""
    azure_endpoint: str = ""
    api_version: str = ""
    timeout_seconds: float = 30.0
    max_retries: int = 2  # the openai client retries 429 and 5xx with exponential back-off
    vendor_token_budget: int = 200_000  # tokens one vendor's documents may spend, prompts and replies together
    record_path: str = ""  # AIVET_LLM_RECORD: append every reply to this file
    replay_path: str = ""  # AIVET_LLM_REPLAY: answer from this recording, offline
    source: str = "environment"  # environment · app (set by an administrator, in this server's memory only)

    @property
    def enabled(self) -> bool:
        if self.replay_path:  # offline: the recording names its model
            return True
        return bool(self.model) and bool(self.api_key or self.base_url or self.azure_endpoint)

    @property
    def provider(self) -> str:
        if not self.enabled:
            return "off"
        if self.replay_path:
            return "replay"
        return "azure" if self.azure_endpoint else "openai-compatible"

    def public(self) -> dict[str, object]:
        """What an administrator may see: everything but the key."""
        return {
            "provider": self.provider,
            "model": self.model or "—",
            "endpoint": self.azure_endpoint or self.base_url or ("api.openai.com" if self.enabled else "—"),
            "api_version": self.api_version or "—",
            "api_key": "set" if self.api_key else "not set",
            "timeout_seconds": self.timeout_seconds,
            "max_retries": self.max_retries,
            "vendor_token_budget": self.vendor_token_budget,
            "recording": self.record_path or "—",
            "replaying": self.replay_path or "—",
            "set_in": "the app (this server's memory, until it restarts)" if self.source == "app" else "environment",
        }

    @classmethod
    def from_env(cls) -> LLMSettings:
        azure = os.environ.get("AZURE_OPENAI_ENDPOINT", "").strip()
        key = os.environ.get("AZURE_OPENAI_API_KEY" if azure else "OPENAI_API_KEY", "") or os.environ.get(
            "OPENAI_API_KEY", ""
        )
        return cls(
            model=os.environ.get("AIVET_LLM_MODEL", "").strip(),
            api_key=key.strip(),
            base_url=os.environ.get("OPENAI_BASE_URL", "").strip(),
            azure_endpoint=azure,
            api_version=os.environ.get("OPENAI_API_VERSION", "").strip(),
            timeout_seconds=_env_number("AIVET_LLM_TIMEOUT_S", 30),
            max_retries=int(os.environ.get("AIVET_LLM_MAX_RETRIES", "2") or 2),
            vendor_token_budget=int(_env_number("AIVET_LLM_VENDOR_TOKEN_BUDGET", 200_000)),
            record_path=os.environ.get("AIVET_LLM_RECORD", "").strip(),
            replay_path=os.environ.get("AIVET_LLM_REPLAY", "").strip(),
        )


class AdminLLM:
    """The LLM settings an administrator set in the app, for this process only.

    They live in the running server's memory and nowhere else (not the database, a file, a log or an export),
    take precedence over the environment's, and are gone when the server restarts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._settings: LLMSettings | None = None

    @property
    def current(self) -> LLMSettings | None:
        with self._lock:
            return self._settings

    def set(self, settings: LLMSettings | None) -> None:
        """Hold these settings (None: back to the environment's)."""
        with self._lock:
            self._settings = None if settings is None else replace(settings, source="app")

    def over(self, environment: LLMSettings) -> LLMSettings:
        return self.current or environment


ADMIN_LLM = AdminLLM()


@dataclass(frozen=True)
class Settings:
    data_dir: Path = REPO_ROOT / "data"
    database_url: str = ""
    limits: ReadLimits = field(default_factory=ReadLimits)
    actor: str = "local-user"
    public_url: str = "http://127.0.0.1:8502"  # where vendor_app.py serves questionnaire links
    llm: LLMSettings = field(default_factory=LLMSettings)

    @property
    def operator(self) -> Actor:
        """Who the `aivet` command acts as: whoever runs it on this machine already holds the database, so
        the command is an administrator's tool (AIVET_USER names them in the audit log)."""
        return Actor(self.actor, Role.ADMIN)

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'aivet.db'}"

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            data_dir=Path(os.environ.get("AIVET_DATA_DIR") or REPO_ROOT / "data"),
            database_url=os.environ.get("DATABASE_URL", ""),
            limits=ReadLimits.from_env(),
            actor=os.environ.get("AIVET_USER") or "local-user",
            public_url=(os.environ.get("AIVET_PUBLIC_URL") or "http://127.0.0.1:8502").rstrip("/"),
            llm=ADMIN_LLM.over(LLMSettings.from_env()),
        )
